package web

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// backends opens the test server on each store: every case of the tests below must answer
// the same on SQLite and on PostgreSQL, which do not refuse the same bytes.
var backends = []struct {
	name string
	open func(testing.TB) *testServer
}{{"sqlite", newTestServer}, {"postgres", newPGTestServer}}

const goodBill = `{"vendor":"EDF","date":"2025-01-31","amount":"61.20","currency":"EUR","type":"electricity"}`

// billWith is a valid bill whose vendor is the JSON text v (quoted and escaped as given).
func billWith(v string) string {
	return `{"vendor":"` + v + `","date":"2025-01-31","amount":"61.20","currency":"EUR"}`
}

// multipartFile is a multipart body whose file part has the Content-Disposition parameters
// disp, written as given so that the test controls every byte.
func multipartFile(disp string) (body, contentType string) {
	return "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; " + disp + "\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--XYZ--\r\n",
		"multipart/form-data; boundary=XYZ"
}

const waterHeader = "compteur;date;index_m3;consommation_l;temperature_c\n"

// textCase is one request carrying text that a database cannot hold: a NUL character, or
// bytes that are not UTF-8 (PostgreSQL refuses both in text and jsonb; SQLite keeps them and
// then answers JSON that is not UTF-8).
type textCase struct {
	name   string
	req    request
	status int
	field  string // the answer must name it
}

func textCases() []textCase {
	mpNUL, mpType := multipartFile(`filename*=UTF-8''a%00b.pdf`)
	mpBad, _ := multipartFile("filename=\"a\xffb.pdf\"")
	mp := func(body string) map[string]string { return map[string]string{"Content-Type": mpType} }
	tok := "token:alice"
	return []textCase{
		// Documents: the JSON pointer of the value.
		{"document NUL escape", request{method: "POST", path: "/api/v1/data/bill", body: billWith(`E\u0000DF`), as: tok}, 422, `"path":"/vendor"`},
		{"document invalid UTF-8", request{method: "POST", path: "/api/v1/data/bill", body: billWith("E\xffDF"), as: tok}, 422, `"path":"/vendor"`},
		{"document lone surrogate", request{method: "POST", path: "/api/v1/data/bill", body: billWith(`E\ud800DF`), as: tok}, 422, `"path":"/vendor"`},
		{"document NUL in a nested value", request{method: "POST", path: "/api/v1/data/bill", body: `{"vendor":"EDF","date":"2025-01-31","amount":"61.20","currency":"EUR","notes":[{"t":"ok"},{"t":"a\u0000"}]}`, as: tok}, 422, `"path":"/notes/1/t"`},
		{"document NUL in a property name", request{method: "POST", path: "/api/v1/data/bill", body: `{"vendor":"EDF","date":"2025-01-31","amount":"61.20","currency":"EUR","x\u0000":1}`, as: tok}, 422, "property name"},
		{"bulk create names the record", request{method: "POST", path: "/api/v1/data/bill", body: "[" + goodBill + "," + billWith(`\u0000`) + "]", as: tok}, 422, `"index":1`},
		{"update", request{method: "PUT", path: "/api/v1/data/bill/bill-alice", body: billWith(`\u0000`), header: map[string]string{"If-Match": "1"}, as: tok}, 422, `"path":"/vendor"`},
		{"deposited document", request{method: "POST", path: "/api/v1/deposits", body: `{"documents":[{"doctype":"bill","id":"b1","data":` + billWith(`E\u0000DF`) + `}]}`, as: "deposit"}, 422, `"path":"/documents/0/data/vendor"`},
		// Filters and other query parameters: the parameter.
		{"filter NUL", request{method: "GET", path: "/api/v1/data/bill?vendor=E%00DF", as: tok}, 400, `"vendor"`},
		{"filter invalid UTF-8", request{method: "GET", path: "/api/v1/data/bill?vendor=E%FFDF", as: tok}, 400, `"vendor"`},
		{"range filter", request{method: "GET", path: "/api/v1/data/bill?date[gte]=%00", as: tok}, 400, `"date[gte]"`},
		{"cursor", request{method: "GET", path: "/api/v1/data/bill?cursor=%00", as: tok}, 400, `"cursor"`},
		{"parameter name", request{method: "GET", path: "/api/v1/data/bill?ven%00dor=EDF", as: tok}, 400, "parameter name"},
		{"access log actor", request{method: "GET", path: "/api/v1/access-log?actor=%FF", as: "session:alice"}, 400, `"actor"`},
		// Ids in the path: the path parameter.
		{"document id NUL", request{method: "GET", path: "/api/v1/data/bill/a%00b", as: tok}, 400, `"id"`},
		{"document id invalid UTF-8", request{method: "DELETE", path: "/api/v1/data/bill/a%FFb", header: map[string]string{"If-Match": "1"}, as: tok}, 400, `"id"`},
		{"doctype in the path", request{method: "GET", path: "/api/v1/data/bi%00ll", as: tok}, 400, `"doctype"`},
		{"series id", request{method: "GET", path: "/api/v1/series/%00/aggregate", as: tok}, 400, `"id"`},
		{"file id", request{method: "GET", path: "/api/v1/files/%FF/meta", as: tok}, 400, `"id"`},
		{"jwks", request{method: "GET", path: "/api/v1/jwks/%00"}, 400, `"instance"`},
		// Headers whose values reach the store.
		{"media type header", request{method: "POST", path: "/api/v1/files?name=a.pdf", body: "%PDF", header: map[string]string{"Content-Type": "application/pdf\xff"}, as: tok}, 400, "Content-Type"},
		// File names.
		{"file name NUL", request{method: "POST", path: "/api/v1/files?name=a%00b.pdf", body: "%PDF", as: tok}, 400, `"name"`},
		{"file name invalid UTF-8", request{method: "POST", path: "/api/v1/files?name=a%FFb.pdf", body: "%PDF", as: tok}, 400, `"name"`},
		{"multipart file name NUL", request{method: "POST", path: "/api/v1/files", body: mpNUL, header: mp(mpNUL), as: tok}, 400, "file name"},
		{"multipart file name invalid UTF-8", request{method: "POST", path: "/api/v1/files", body: mpBad, header: mp(mpBad), as: tok}, 400, "file name"},
		{"import file name", request{method: "POST", path: "/api/v1/imports?name=eau%00.csv", body: waterHeader, as: tok}, 400, `"name"`},
		{"deposited file name", request{method: "POST", path: "/api/v1/deposits/files?id=f1&name=a%00.pdf", body: "%PDF", as: "deposit"}, 400, `"name"`},
		// What an importer read from a file: the record and its field.
		{"imported record NUL", request{method: "POST", path: "/api/v1/imports?name=eau.csv", body: "# fournisseur: Eau\x00 du Lyon\n" + waterHeader + "C1;2024-03-01;1234,845;278;9,0\n", as: tok}, 422, `"path":"/provider"`},
		{"imported record invalid UTF-8", request{method: "POST", path: "/api/v1/imports?name=eau.csv", body: "# fournisseur: Eau\xff du Lyon\n" + waterHeader + "C1;2024-03-01;1234,845;278;9,0\n", as: tok}, 422, `"path":"/provider"`},
		{"deposited series name", request{method: "POST", path: "/api/v1/deposits", body: `{"series":[{"id":"s1","doctype":"reading.electricity","name":"Load\u0000","quantity":"energy","unit":"Wh","readings":[{"at":"2025-01-01T00:00:00Z","value":1}]}]}`, as: "deposit"}, 422, `"path":"/series/0/name"`},
		{"deposited series unit", request{method: "POST", path: "/api/v1/deposits", body: `{"series":[{"id":"s1","doctype":"reading.electricity","name":"Load","quantity":"energy","unit":"W\u0000h","readings":[{"at":"2025-01-01T00:00:00Z","value":1}]}]}`, as: "deposit"}, 422, `"path":"/series/0/unit"`},
		{"created series name", request{method: "POST", path: "/api/v1/series", body: `{"doctype":"reading.gas","name":"Gas\u0000","quantity":"energy","unit":"kWh"}`, as: tok}, 422, `"path":"/name"`},
		// Form fields: the login name.
		{"login name NUL", request{method: "POST", path: "/login", body: "csrf=" + testCSRF + "&instance=ali%00ce&passphrase=x", csrf: true}, 400, `"instance"`},
		{"login name invalid UTF-8", request{method: "POST", path: "/login", body: "csrf=" + testCSRF + "&instance=ali%FFce&passphrase=x", csrf: true}, 400, `"instance"`},
	}
}

// TestUnstorableText: NUL characters and bytes that are not UTF-8 are refused wherever they
// come in (a 400 for a part of the request, a 422 for a document or an imported record), the
// answer names the field and is itself UTF-8, and nothing is stored, on both backends.
func TestUnstorableText(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ts := b.open(t)
			before := ts.stored(t)
			for _, c := range textCases() {
				t.Run(c.name, func(t *testing.T) {
					res := ts.do(t, c.req)
					if res.status != c.status {
						t.Fatalf("status %d, want %d: %s", res.status, c.status, res.body)
					}
					if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
						t.Fatalf("Content-Type %q: %s", ct, res.body)
					}
					if !utf8.ValidString(res.body) {
						t.Fatalf("the answer is not UTF-8: %q", res.body)
					}
					var p Problem
					if err := json.Unmarshal([]byte(res.body), &p); err != nil {
						t.Fatalf("not a problem: %v", err)
					}
					if !strings.Contains(res.body, c.field) && !strings.Contains(p.Detail, c.field) {
						t.Fatalf("the answer does not name %s: %s", c.field, res.body)
					}
				})
			}
			// The import page reads the file name from the multipart body, past the middleware.
			if res := postImport(t, ts, testCSRF, "eau\xff.csv", manageWaterCSV); res.status != 400 || !strings.Contains(res.body, "source&#39;s name") {
				t.Errorf("import page: %d %.300s", res.status, res.body)
			}
			if after := ts.stored(t); after != before {
				t.Fatalf("refused requests stored something:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// stored sums up what alice holds: documents per doctype, series and their readings.
func (ts *testServer) stored(t testing.TB) string {
	t.Helper()
	hold := ts.do(t, request{method: "GET", path: "/api/v1/holdings", as: "session:alice"})
	series := ts.do(t, request{method: "GET", path: "/api/v1/series", as: "session:alice"})
	var s struct {
		Items []struct{ ID, Name, Unit string }
	}
	if err := json.Unmarshal([]byte(series.body), &s); err != nil {
		t.Fatalf("series: %v: %s", err, series.body)
	}
	return hold.body + fmt.Sprint(s.Items)
}

// nested is a bill carrying an extra property whose value is arrays nested so that the
// document is depth levels deep (the bill itself is the first level).
func nested(depth int) string {
	return `{"vendor":"EDF","date":"2025-01-31","amount":"61.20","currency":"EUR","extra":` +
		strings.Repeat("[", depth-1) + strings.Repeat("]", depth-1) + `}`
}

// TestNestingLimit: a document as deep as the limit is stored, one level deeper is refused
// with a 422 that names the limit, on both backends (SQLite's JSON functions gave up past
// 1,000 levels with a 500; PostgreSQL stored anything).
func TestNestingLimit(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ts := b.open(t)
			if res := ts.do(t, request{method: "POST", path: "/api/v1/data/bill", body: nested(64), as: "token:alice"}); res.status != 201 {
				t.Fatalf("64 levels: %d %s", res.status, res.body)
			}
			for _, depth := range []int{65, 1001, 10_000} {
				res := ts.do(t, request{method: "POST", path: "/api/v1/data/bill", body: nested(depth), as: "token:alice"})
				if res.status != 422 || !strings.Contains(res.body, "nested more than 64 levels") {
					t.Fatalf("%d levels: %d %.300s", depth, res.status, res.body)
				}
			}
			// Past 10,000 levels no JSON body is read at all: Go's decoder stops there.
			if res := ts.do(t, request{method: "POST", path: "/api/v1/data/bill", body: nested(10_001), as: "token:alice"}); res.status != 400 || !strings.Contains(res.body, "max depth") {
				t.Fatalf("10,001 levels: %d %.300s", res.status, res.body)
			}
			// Only the first is stored, next to alice's own bill.
			if res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill", as: "token:alice"}); strings.Count(res.body, `"doctype":"bill"`) != 2 {
				t.Fatalf("bills after the deep documents: %.500s", res.body)
			}
		})
	}
}

// TestLongValuesAreExcerpted: an error quotes a short excerpt of a bad value, never the whole
// of it (a 100 MB bad value in a Data Connect file came back whole in a 100 MB answer).
func TestLongValuesAreExcerpted(t *testing.T) {
	ts := newTestServer(t)
	ts.srv.cfg.MaxFileBytes = 32 << 20
	huge := strings.Repeat("9x", 2<<20) // 4 MiB: under the import limit (importer.MaxFileBytes), far over any answer
	dataConnect := func(value, date, unit string) string {
		return `{"meter_reading":{"usage_point_id":"01234567890","reading_type":{"measurement_kind":"energy","measuring_period":"P1D","unit":"` + unit +
			`","aggregate":"sum"},"interval_reading":[{"value":"` + value + `","date":"` + date + `"}]}}`
	}
	tests := []struct{ name, path, body string }{
		{"Data Connect value", "/api/v1/imports?name=daily.json", dataConnect(huge, "2022-03-08", "Wh")},
		{"Data Connect date", "/api/v1/imports?name=daily.json", dataConnect("1", huge, "Wh")},
		{"Data Connect unit", "/api/v1/imports?name=daily.json", dataConnect("1", "2022-03-08", huge)},
		{"water index", "/api/v1/imports?name=eau.csv", waterHeader + "C1;2024-03-01;" + huge[:2<<20] + ";278;9,0\n"},
		{"sort parameter", "/api/v1/data/bill?sort=" + huge[:512<<10], ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := "POST"
			if tt.body == "" {
				method = "GET"
			}
			res := ts.do(t, request{method: method, path: tt.path, body: tt.body, as: "token:alice"})
			if res.status < 400 || res.status >= 500 {
				t.Fatalf("status %d: %.300s", res.status, res.body)
			}
			if len(res.body) > 1000 || !strings.Contains(res.body, `9x9x…\" (`) {
				t.Fatalf("%d bytes, not a short excerpt: %.600s", len(res.body), res.body)
			}
		})
	}
}

// TestLongPathIsBounded: an id the store quotes in its "not found" is bounded in the answer,
// with the path it came by.
func TestLongPathIsBounded(t *testing.T) {
	ts := newTestServer(t)
	id := strings.Repeat("a", 200<<10)
	res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill/" + id, as: "token:alice"})
	if res.status != 404 || len(res.body) > 4000 {
		t.Fatalf("%d, %d bytes: %.300s", res.status, len(res.body), res.body)
	}
}
