package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/store"
)

// eraseBackends runs a test on SQLite and, when SELFDATA_TEST_POSTGRES_URL names one, on
// PostgreSQL: erasure deletes rows and file contents, which each backend keeps its own way.
func eraseBackends(t *testing.T, run func(t *testing.T, ts *testServer)) {
	t.Run("sqlite", func(t *testing.T) { run(t, newTestServer(t)) })
	t.Run("postgres", func(t *testing.T) { run(t, newPGTestServer(t)) })
}

// depositEnedis writes, as Enedis, a bill, a file and a series of electricity readings into
// p's store, the way a deposit does.
func depositEnedis(t *testing.T, ts *testServer, p *person) {
	t.Helper()
	org := gate.Organization(p.in.ID, "enedis", "Enedis", "billing", []string{"meter", "reading.electricity", "bill", "file"})
	src := store.Source{Kind: "organization", ID: "enedis", Name: "Enedis", Batch: "1", At: time.Now()}
	err := ts.gate.Write(bg, org, func(b *gate.Batch) error {
		docs, err := ts.gate.Check("bill", []gate.Input{{ID: "enedis-bill-" + p.name, Data: json.RawMessage(`{"vendor":"Enedis","date":"2025-03-31","amount":"42.10","currency":"EUR","type":"electricity"}`)}})
		if err != nil {
			return err
		}
		if _, err := b.Upsert("bill", docs, src); err != nil {
			return err
		}
		if _, err := b.PutFile("enedis-file-"+p.name, "facture.pdf", "application/pdf", strings.NewReader("%PDF-1.4 enedis "+p.name), nil, src); err != nil {
			return err
		}
		s, err := b.EnsureSeries(store.Series{ID: "enedis-elec-" + p.name, Doctype: "reading.electricity", Name: "Linky", Quantity: "energy", Unit: "Wh", Source: src})
		if err != nil {
			return err
		}
		_, err = b.AddReadings(s.ID, []store.Reading{{At: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), Value: 5000}, {At: time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC), Value: 6000}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// holdingsOf sums what each source holds in p's store, by "kind/id doctype".
func holdingsOf(t *testing.T, ts *testServer, p *person) map[string]int64 {
	t.Helper()
	hs, err := ts.db.Holdings(bg, p.in.ID, store.Visible{All: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, h := range hs {
		out[h.SourceKind+"/"+h.SourceID+" "+h.Doctype] += h.Count
	}
	return out
}

// ownerWrites sums the person's own write entries of the access log, by doctype.
func ownerWrites(t *testing.T, ts *testServer, p *person) map[string]int {
	t.Helper()
	es, err := ts.db.AccessLog(bg, p.in.ID, store.LogQuery{Principal: string(gate.KindOwner)})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, e := range es {
		if e.Verb == string(gate.Write) {
			out[e.Doctype] += e.Count
		}
	}
	return out
}

func fileSHA(t *testing.T, ts *testServer, p *person, id string) string {
	t.Helper()
	d, err := ts.db.Doc(bg, p.in.ID, "file", id)
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		SHA256 string `json:"sha256"`
	}
	if err := json.Unmarshal(d.Data, &meta); err != nil || meta.SHA256 == "" {
		t.Fatalf("file %s has no sha256: %s %v", id, d.Data, err)
	}
	return meta.SHA256
}

func blobThere(t *testing.T, ts *testServer, p *person, sha string) bool {
	t.Helper()
	rc, err := ts.db.OpenBlob(bg, p.in.ID, sha)
	if errors.Is(err, store.ErrNotFound) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	_, err = io.ReadAll(rc)
	return err == nil
}

func TestEraseRecord(t *testing.T) {
	eraseBackends(t, func(t *testing.T, ts *testServer) {
		a := ts.alice
		sha := fileSHA(t, ts, a, a.fileID)
		// A second file record with the same content: the content stays while it names it.
		owner := gate.Owner(a.in.ID)
		err := ts.gate.Write(bg, owner, func(b *gate.Batch) error {
			_, err := b.PutFile("file-alice-copy", "copy.pdf", "application/pdf", strings.NewReader("%PDF-1.4 alice"), nil, owner.Source("", ts.gate))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		rec := ts.do(t, request{method: "GET", path: "/data/file/" + a.fileID, as: "session:alice"})
		if rec.status != 200 || !strings.Contains(rec.body, `href="/data/file/`+a.fileID+`/delete"`) {
			t.Fatalf("the record page offers no deletion: %d %s", rec.status, rec.body)
		}
		conf := ts.do(t, request{method: "GET", path: "/data/file/" + a.fileID + "/delete", as: "session:alice"})
		if conf.status != 200 || !strings.Contains(conf.body, "unless another record uses the same file") || !strings.Contains(conf.body, `name="rev" value="1"`) {
			t.Fatalf("confirmation: %d %s", conf.status, conf.body)
		}
		// Bob cannot delete alice's record, nor see its confirmation: the answer of an absent one.
		for _, rq := range []request{
			{method: "GET", path: "/data/file/" + a.fileID + "/delete", as: "session:bob"},
			{method: "POST", path: "/data/file/" + a.fileID + "/delete", body: "csrf=" + testCSRF + "&rev=1", csrf: true, as: "session:bob"},
		} {
			if res := ts.do(t, rq); res.status != 404 || strings.Contains(res.body, "bill.pdf") {
				t.Fatalf("%s by bob: %d", rq.method, res.status)
			}
		}
		if res := ts.do(t, request{method: "POST", path: "/data/file/no-such/delete", body: "csrf=" + testCSRF + "&rev=1", csrf: true, as: "session:bob"}); res.status != 404 {
			t.Fatalf("an absent record: %d", res.status)
		}
		del := ts.do(t, request{method: "POST", path: "/data/file/" + a.fileID + "/delete", body: "csrf=" + testCSRF + "&rev=1", csrf: true, as: "session:alice"})
		if del.status != 303 || del.header.Get("Location") != "/data/file?done=deleted" {
			t.Fatalf("delete: %d %q", del.status, del.header.Get("Location"))
		}
		if list := ts.do(t, request{method: "GET", path: "/data/file?done=deleted", as: "session:alice"}); !strings.Contains(list.body, "The record is deleted.") {
			t.Fatalf("the list says nothing: %s", list.body)
		}
		if _, err := ts.db.Doc(bg, a.in.ID, "file", a.fileID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("the record is still there: %v", err)
		}
		if !blobThere(t, ts, a, sha) {
			t.Fatal("the content went although another record names it")
		}
		// The copy deleted too: now the content goes.
		del = ts.do(t, request{method: "POST", path: "/data/file/file-alice-copy/delete", body: "csrf=" + testCSRF + "&rev=1", csrf: true, as: "session:alice"})
		if del.status != 303 {
			t.Fatalf("delete the copy: %d %s", del.status, del.body)
		}
		if blobThere(t, ts, a, sha) {
			t.Fatal("the content of a file no record names is still there")
		}
		if got := ownerWrites(t, ts, a)["file"]; got < 3 { // two created, two deleted
			t.Fatalf("the access log has %d writes of files by alice, want the deletions", got)
		}
		if !blobThere(t, ts, ts.bob, fileSHA(t, ts, ts.bob, ts.bob.fileID)) {
			t.Fatal("bob's file went")
		}
	})
}

func TestEraseOrganization(t *testing.T) {
	eraseBackends(t, func(t *testing.T, ts *testServer) {
		a, b := ts.alice, ts.bob
		depositEnedis(t, ts, a)
		depositEnedis(t, ts, b)
		sha := fileSHA(t, ts, a, "enedis-file-alice")
		before := holdingsOf(t, ts, a)
		if before["organization/enedis bill"] != 1 || before["organization/enedis reading.electricity"] != 2 || before["organization/enedis file"] != 1 {
			t.Fatalf("holdings before: %v", before)
		}
		conns := ts.do(t, request{method: "GET", path: "/connections", as: "session:alice"})
		if !strings.Contains(conns.body, `href="/connections/`+ts.connA+`/erase"`) {
			t.Fatalf("the card offers no erasure: %s", conns.body)
		}
		conf := ts.do(t, request{method: "GET", path: "/connections/" + ts.connA + "/erase", as: "session:alice"})
		for _, want := range []string{"Erase everything Enedis deposited?", "Bill", "1 record", "2 records", `name="end" value="1" checked`, "could deposit your data again"} {
			if !strings.Contains(conf.body, want) {
				t.Errorf("confirmation lacks %q", want)
			}
		}
		if t.Failed() {
			t.Fatal(conf.body)
		}
		if res := ts.do(t, request{method: "POST", path: "/connections/" + ts.connA + "/erase", body: "csrf=" + testCSRF + "&end=1", csrf: true, as: "session:bob"}); res.status != 404 {
			t.Fatalf("bob erasing through alice's connection: %d", res.status)
		}
		res := ts.do(t, request{method: "POST", path: "/connections/" + ts.connA + "/erase", body: "csrf=" + testCSRF + "&end=1", csrf: true, as: "session:alice"})
		if res.status != 303 || !strings.HasPrefix(res.header.Get("Location"), "/connections?done=erased-ended") {
			t.Fatalf("erase: %d %q %s", res.status, res.header.Get("Location"), res.body)
		}
		after := holdingsOf(t, ts, a)
		for k, n := range after {
			if strings.HasPrefix(k, "organization/enedis ") {
				t.Errorf("enedis still holds %d of %s", n, k)
			}
		}
		for k, n := range before {
			if !strings.HasPrefix(k, "organization/enedis ") && after[k] != n {
				t.Errorf("%s: %d after, %d before", k, after[k], n)
			}
		}
		if blobThere(t, ts, a, sha) {
			t.Error("the content of enedis's file is still there")
		}
		if _, err := ts.db.Doc(bg, a.in.ID, "bill", a.billID); err != nil {
			t.Errorf("alice's own bill: %v", err)
		}
		if hb := holdingsOf(t, ts, b); hb["organization/enedis bill"] != 1 || hb["organization/enedis reading.electricity"] != 2 {
			t.Errorf("bob's enedis data: %v", hb)
		}
		w := ownerWrites(t, ts, a)
		if w["bill"] < 1 || w["file"] < 1 || w["reading.electricity"] < 1 {
			t.Errorf("the access log lacks the erasure: %v", w)
		}
		list := ts.do(t, request{method: "GET", path: "/api/v1/connections", as: "session:alice"})
		if !strings.Contains(list.body, `"state":"revoked"`) {
			t.Errorf("the connection was not ended: %s", list.body)
		}
		page := ts.do(t, request{method: "GET", path: "/connections?done=erased-ended", as: "session:alice"})
		if !strings.Contains(page.body, "its connection is ended") {
			t.Errorf("the page says nothing: %s", page.body)
		}
		// Erasing again finds nothing: the page says so, and keeps no checkbox to end it.
		again := ts.do(t, request{method: "GET", path: "/connections/" + ts.connA + "/erase", as: "session:alice"})
		if !strings.Contains(again.body, "there is nothing to erase") || strings.Contains(again.body, `name="end"`) {
			t.Errorf("second look: %s", again.body)
		}
	})
}

// TestEraseOrganizationKeepsConnection: unticked, the connection stays as it is.
func TestEraseOrganizationKeepsConnection(t *testing.T) {
	ts := newTestServer(t)
	depositEnedis(t, ts, ts.alice)
	res := ts.do(t, request{method: "POST", path: "/connections/" + ts.connA + "/erase", body: "csrf=" + testCSRF, csrf: true, as: "session:alice", header: map[string]string{"Accept-Language": "fr"}})
	if res.status != 303 || !strings.HasPrefix(res.header.Get("Location"), "/connections?done=erased#") {
		t.Fatalf("erase: %d %q", res.status, res.header.Get("Location"))
	}
	if list := ts.do(t, request{method: "GET", path: "/api/v1/connections", as: "session:alice"}); !strings.Contains(list.body, `"state":"active"`) {
		t.Fatalf("the connection changed: %s", list.body)
	}
	page := ts.do(t, request{method: "GET", path: "/connections?done=erased", as: "session:alice", header: map[string]string{"Accept-Language": "fr"}})
	if !strings.Contains(page.body, "il pourrait déposer à nouveau") {
		t.Fatalf("the page says nothing in French: %s", page.body)
	}
}

func TestEraseStore(t *testing.T) {
	eraseBackends(t, func(t *testing.T, ts *testServer) {
		a := ts.alice
		set := ts.do(t, request{method: "GET", path: "/settings", as: "session:alice"})
		if !strings.Contains(set.body, `href="/settings/erase"`) {
			t.Fatalf("Settings offers no erasure: %s", set.body)
		}
		conf := ts.do(t, request{method: "GET", path: "/settings/erase", as: "session:alice"})
		for _, want := range []string{`href="/api/v1/export"`, "every document", "your access log", "cannot be undone", `name="passphrase"`, "typed again: alice"} {
			if !strings.Contains(conf.body, want) {
				t.Errorf("confirmation lacks %q", want)
			}
		}
		// Bob's page names bob: nothing of alice's is shown to him.
		if bob := ts.do(t, request{method: "GET", path: "/settings/erase", as: "session:bob"}); strings.Contains(bob.body, "typed again: alice") {
			t.Error("bob sees alice's store named")
		}
		post := func(as, pass, name string) response {
			return ts.do(t, request{method: "POST", path: "/settings/erase", csrf: true, as: as,
				body: "csrf=" + testCSRF + "&passphrase=" + url.QueryEscape(pass) + "&name=" + url.QueryEscape(name)})
		}
		if res := post("session:alice", "not my passphrase", "alice"); res.status != 400 || !strings.Contains(res.body, "This is not your passphrase") {
			t.Fatalf("a wrong passphrase: %d %s", res.status, res.body)
		}
		if res := post("session:alice", a.pass, "alicia"); res.status != 400 || !strings.Contains(res.body, "The name typed is not your store") || !strings.Contains(res.body, `value="alicia"`) {
			t.Fatalf("a wrong name: %d %s", res.status, res.body)
		}
		// Bob, knowing alice's passphrase, erases nothing of hers from his session.
		if res := post("session:bob", a.pass, "alice"); res.status != 400 {
			t.Fatalf("bob: %d", res.status)
		}
		if _, err := ts.db.Instance(bg, "alice"); err != nil {
			t.Fatalf("alice after refusals: %v", err)
		}
		if _, err := ts.db.Doc(bg, a.in.ID, "bill", a.billID); err != nil {
			t.Fatalf("alice's bill after refusals: %v", err)
		}
		res := ts.do(t, request{method: "POST", path: "/settings/erase", csrf: true, as: "session:alice", header: map[string]string{"Accept-Language": "fr"},
			body: "csrf=" + testCSRF + "&passphrase=" + url.QueryEscape(a.pass) + "&name=alice"})
		if res.status != 200 {
			t.Fatalf("erase: %d %s", res.status, res.body)
		}
		for _, want := range []string{"Votre espace est effacé", "2 documents", "1 série de relevés", "1 fichier", "1 jeton", "/login"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("goodbye page lacks %q", want)
			}
		}
		if strings.Contains(res.body, `action="/logout"`) {
			t.Error("the goodbye page shows the menu of a store that is gone")
		}
		cleared := false
		for _, c := range (&http.Response{Header: res.header}).Cookies() {
			cleared = cleared || c.Name == sessionCookie && c.MaxAge < 0
		}
		if !cleared {
			t.Error("the session cookie is not cleared")
		}
		if _, err := ts.db.Instance(bg, "alice"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("alice is still there: %v", err)
		}
		if _, _, err := ts.auth.Login(bg, "alice", a.pass, "127.0.0.1"); err == nil {
			t.Fatal("alice can still log in")
		}
		if r := ts.do(t, request{method: "GET", path: "/settings", as: "session:alice"}); r.status != 303 {
			t.Fatalf("alice's old session: %d", r.status)
		}
		if _, err := ts.db.Doc(bg, ts.bob.in.ID, "bill", ts.bob.billID); err != nil {
			t.Fatalf("bob's bill: %v", err)
		}
	})
}

// TestEraseStoreLimit: a wrong passphrase counts as a failed attempt; past the limit even
// the right one waits, and nothing is erased.
func TestEraseStoreLimit(t *testing.T) {
	ts := newTestServer(t)
	for i := range 10 {
		res := ts.do(t, request{method: "POST", path: "/settings/erase", csrf: true, as: "session:alice", body: "csrf=" + testCSRF + "&passphrase=guess" + string(rune('a'+i)) + "&name=alice"})
		if res.status != 400 {
			t.Fatalf("guess %d: %d", i, res.status)
		}
	}
	res := ts.do(t, request{method: "POST", path: "/settings/erase", csrf: true, as: "session:alice", body: "csrf=" + testCSRF + "&passphrase=" + url.QueryEscape(ts.alice.pass) + "&name=alice"})
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
		t.Fatalf("past the limit: %d %q", res.status, res.header.Get("Retry-After"))
	}
	if _, err := ts.db.Instance(bg, "alice"); err != nil {
		t.Fatalf("alice: %v", err)
	}
}
