package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"selfdata/internal/consent"
	"selfdata/internal/demo"
	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/store"
	"selfdata/internal/store/postgres"
	"selfdata/internal/store/postgres/pgtest"
	"selfdata/internal/store/sqlite/sqlitetest"
)

var ctx = context.Background()

// backends opens a fresh store of each kind (PostgreSQL when SELFDATA_TEST_POSTGRES_URL is set).
var backends = []struct {
	name string
	open func(t testing.TB) (store.Store, *doctype.Registry)
}{
	{"sqlite", func(t testing.TB) (store.Store, *doctype.Registry) { return sqlitetest.Open(t) }},
	{"postgres", func(t testing.TB) (store.Store, *doctype.Registry) {
		db, err := postgres.Open(ctx, pgtest.URL(t), pgtest.Key)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		_, reg := registry(t)
		return db, reg
	}},
}

func registry(t testing.TB) (store.Store, *doctype.Registry) {
	reg, err := doctype.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return nil, reg
}

// oddName is a file name that must not climb out of its folder of the archive.
const oddName = "../../etc/relevé d'août.txt"

// seed fills alice's store with the demo person's year (documents of many doctypes, series,
// files), a grant to a built-in service, a file of her own with an awkward name and reads
// in her log; bob holds a document alice's archive must not show.
func seed(t testing.TB, st store.Store, reg *doctype.Registry) (*Exporter, store.Instance) {
	t.Helper()
	a, err := st.CreateInstance(ctx, "alice", "h")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := st.CreateInstance(ctx, "bob", "h")
	g := gate.New(st, reg)
	if err := demo.Seed(ctx, g, a.ID, demo.Generate(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), 1)); err != nil {
		t.Fatal(err)
	}
	if err := services.Ensure(ctx, st, "http://127.0.0.1/services"); err != nil {
		t.Fatal(err)
	}
	grants := consent.NewGrants(st, reg)
	d := services.Catalog()[0]
	if _, err := grants.Grant(ctx, a.ID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
	own := gate.Owner(a.ID)
	err = g.Write(ctx, own, func(bt *gate.Batch) error {
		_, err := bt.PutFile("mine", oddName, "text/plain", strings.NewReader("a file of alice's own\n"), nil, own.Source("", g))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Query(ctx, own, store.Query{Doctype: "bill", Limit: 3}); err != nil {
		t.Fatal(err)
	}
	bob := gate.Owner(b.ID)
	if _, err := g.Create(ctx, bob, "bill", []gate.Input{{ID: "bobs", Data: json.RawMessage(`{"vendor":"BOB-ONLY-MARKER","date":"2025-01-31","amount":"61.20","currency":"EUR"}`)}}, bob.Source("", g)); err != nil {
		t.Fatal(err)
	}
	return &Exporter{Gate: g, Grants: grants, Instances: st}, a
}

// TestExport exports a seeded store and checks every part of the archive against the store.
func TestExport(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			st, reg := be.open(t)
			x, a := seed(t, st, reg)
			var buf bytes.Buffer
			var calls, last int64
			m, err := x.Write(ctx, gate.Owner(a.ID), &buf, func(done, total int64) {
				if done < last || done > total {
					t.Errorf("progress %d of %d after %d", done, total, last)
				}
				calls, last = calls+1, done
			})
			if err != nil {
				t.Fatal(err)
			}
			if calls == 0 {
				t.Error("the progress was never told")
			}
			zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			if err != nil {
				t.Fatal(err)
			}
			ar := archive{t: t, zr: zr}
			ar.checkManifest(m, a)
			ar.checkDocuments(st, a.ID, m)
			ar.checkSeries(st, a.ID, m)
			ar.checkFiles(st, a.ID, m)
			ar.checkDoctypes(m)
			ar.checkConsents(m)
			ar.checkLog(st, a.ID, m)
			if bytes.Contains(buf.Bytes(), []byte("BOB-ONLY-MARKER")) {
				t.Error("bob's document is in alice's archive")
			}
		})
	}
}

// TestExportRefused: no one but the person exports, and nothing of an archive is written.
func TestExportRefused(t *testing.T) {
	st, reg := sqlitetest.Open(t)
	x, a := seed(t, st, reg)
	tests := []struct {
		name string
		p    gate.Principal
	}{
		{"a service", gate.Service(a.ID, "svc", "Svc", "", []gate.Scope{{Doctype: "*", Read: true}})},
		{"the operator", gate.Operator(a.ID, "cli")},
		{"a token reading bills", gate.Token(a.ID, "tok", "script", []gate.Scope{{Doctype: "bill", Read: true}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if _, err := x.Write(ctx, tt.p, &buf, nil); !errors.Is(err, gate.ErrForbidden) {
				t.Fatalf("Write: %v, want forbidden", err)
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written", buf.Len())
			}
		})
	}
}

func TestAppendValue(t *testing.T) {
	tenth := 0.1
	tests := []struct {
		v    float64
		dec  int
		want string
	}{
		{138.803, 3, "138.803"},
		{12, 0, "12"},
		{12, 3, "12.000"},
		{tenth + 0.2, 7, "0.30000000000000004"},
		{-0.5, 1, "-0.5"},
		{1e21, 0, "1000000000000000000000"},
		{0.005, 3, "0.005"},
		{-0.005, 3, "-0.005"},
		{-1.25, 2, "-1.25"},
		{math.Copysign(0, -1), 2, "-0.00"},
		{0.0004, 3, "0.000"},
		{-0.0004, 3, "-0.000"},
		{123456.789012, 6, "123456.789012"},
		{0.145, 2, "0.14"}, // 0.145 is just below, as strconv rounds it
	}
	for _, tt := range tests {
		if got := string(AppendValue(nil, tt.v, tt.dec)); got != tt.want {
			t.Errorf("AppendValue(%v, %d) = %s, want %s", tt.v, tt.dec, got, tt.want)
		}
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{"a.pdf": "a.pdf", "../x": ".._x", "..": "_..", "": "_", "a\\b\nc": "a_b_c", "relevé": "relevé"} {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
}

// archive reads an export back for the checks.
type archive struct {
	t  *testing.T
	zr *zip.Reader
}

func (ar archive) open(name string) io.ReadCloser {
	ar.t.Helper()
	f, err := ar.zr.Open(name)
	if err != nil {
		ar.t.Fatalf("the archive has no %s: %v", name, err)
	}
	return f
}

func (ar archive) read(name string) []byte {
	ar.t.Helper()
	f := ar.open(name)
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		ar.t.Fatal(err)
	}
	return b
}

// lines decodes each line of a JSON Lines entry with fn.
func (ar archive) lines(name string, fn func(dec func(any))) int {
	ar.t.Helper()
	f := ar.open(name)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	n := 0
	for sc.Scan() {
		n++
		fn(func(v any) {
			if err := json.Unmarshal(sc.Bytes(), v); err != nil {
				ar.t.Fatalf("%s line %d: %v", name, n, err)
			}
		})
	}
	if err := sc.Err(); err != nil {
		ar.t.Fatal(err)
	}
	return n
}

func (ar archive) checkManifest(m Manifest, a store.Instance) {
	var got Manifest
	if err := json.Unmarshal(ar.read("manifest.json"), &got); err != nil {
		ar.t.Fatal(err)
	}
	if got.Format != Format || got.Version != Version || got.Instance.ID != a.ID || got.Instance.Name != "alice" || got.Counts.Documents != m.Counts.Documents || got.AccessLog != m.AccessLog {
		ar.t.Errorf("manifest.json %+v, want %+v", got, m)
	}
	readme := string(ar.read("README.md"))
	for _, w := range []string{"## English", "## Français", "access-log.jsonl", "series/<series id>.csv"} {
		if !strings.Contains(readme, w) {
			ar.t.Errorf("README.md does not say %q", w)
		}
	}
	for _, f := range ar.zr.File {
		if strings.Contains(f.Name, "..") && !strings.HasPrefix(f.Name, "files/mine/") || strings.HasPrefix(f.Name, "/") {
			ar.t.Errorf("entry %q climbs out of the archive", f.Name)
		}
	}
}

func (ar archive) checkDocuments(st store.Store, inst string, m Manifest) {
	if len(m.Counts.ByDoctype) < 5 {
		ar.t.Fatalf("only %d doctypes exported: %v", len(m.Counts.ByDoctype), m.Counts.ByDoctype)
	}
	var sum int64
	for dt, n := range m.Counts.ByDoctype {
		want, err := st.CountDocs(ctx, inst, store.Query{Doctype: dt})
		if err != nil {
			ar.t.Fatal(err)
		}
		got := ar.lines("documents/"+dt+".jsonl", func(dec func(any)) {
			var d store.Doc
			dec(&d)
			s, err := st.Doc(ctx, inst, dt, d.ID)
			if err != nil {
				ar.t.Fatalf("%s %s: %v", dt, d.ID, err)
			}
			if d.Rev != s.Rev || !bytes.Equal(compact(d.Data), compact(s.Data)) || d.Source != s.Source || !d.Created.Equal(s.Created) || !d.Updated.Equal(s.Updated) {
				ar.t.Errorf("%s %s exported as %+v, stored as %+v", dt, d.ID, d, s)
			}
		})
		if int64(got) != want || n != want {
			ar.t.Errorf("%s: %d lines, manifest %d, store %d", dt, got, n, want)
		}
		sum += want
	}
	if sum != m.Counts.Documents {
		ar.t.Errorf("documents: manifest %d, sum %d", m.Counts.Documents, sum)
	}
}

func compact(b []byte) []byte {
	var out bytes.Buffer
	json.Compact(&out, b)
	return out.Bytes()
}

func (ar archive) checkSeries(st store.Store, inst string, m Manifest) {
	all, err := st.ListSeries(ctx, inst, store.Visible{All: true})
	if err != nil {
		ar.t.Fatal(err)
	}
	if len(all) == 0 || int64(len(all)) != m.Counts.Series {
		ar.t.Fatalf("series: %d in the store, manifest %d", len(all), m.Counts.Series)
	}
	var meta []store.Series
	ar.lines("series.jsonl", func(dec func(any)) {
		var s store.Series
		dec(&s)
		meta = append(meta, s)
	})
	var readings int64
	for i, s := range all {
		if meta[i].ID != s.ID || meta[i].Decimals != s.Decimals || meta[i].Unit != s.Unit || meta[i].Source != s.Source {
			ar.t.Errorf("series.jsonl line %d: %+v, stored %+v", i+1, meta[i], s)
		}
		want, err := st.Readings(ctx, inst, s.ID, time.Time{}, time.Time{}, 0)
		if err != nil {
			ar.t.Fatal(err)
		}
		f := ar.open("series/" + s.ID + ".csv")
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			ar.t.Fatal(err)
		}
		if len(rows)-1 != len(want) || rows[0][0] != "at" {
			ar.t.Fatalf("series %s: %d rows, %d readings", s.ID, len(rows)-1, len(want))
		}
		for j, r := range want {
			at, _ := time.Parse(time.RFC3339Nano, rows[j+1][0])
			v, _ := strconv.ParseFloat(rows[j+1][1], 64)
			if !at.Equal(r.At) || v != r.Value || rows[j+1][1] != string(AppendValue(nil, r.Value, s.Decimals)) {
				ar.t.Fatalf("series %s reading %d: %v, stored %v %v (%d decimals)", s.ID, j, rows[j+1], r.At, r.Value, s.Decimals)
			}
		}
		readings += int64(len(want))
	}
	if readings != m.Counts.Readings || readings == 0 {
		ar.t.Errorf("readings: %d stored, manifest %d", readings, m.Counts.Readings)
	}
}

func (ar archive) checkFiles(st store.Store, inst string, m Manifest) {
	n := ar.lines("files.jsonl", func(dec func(any)) {
		var l fileLine
		dec(&l)
		rc, err := st.OpenBlob(ctx, inst, l.SHA256)
		if err != nil {
			ar.t.Fatal(err)
		}
		want, _ := io.ReadAll(rc)
		rc.Close()
		if got := ar.read(l.Path); !bytes.Equal(got, want) || int64(len(got)) != l.Size {
			ar.t.Errorf("%s: %d bytes, stored %d", l.Path, len(got), len(want))
		}
		if l.ID == "mine" && (l.Name != oddName || l.Path != "files/mine/.._.._etc_relevé d'août.txt") {
			ar.t.Errorf("alice's file: %+v", l)
		}
	})
	want, _ := st.CountDocs(ctx, inst, store.Query{Doctype: "file"})
	if int64(n) != want || m.Counts.Files != want || want < 2 {
		ar.t.Errorf("files: %d lines, manifest %d, store %d", n, m.Counts.Files, want)
	}
}

func (ar archive) checkDoctypes(m Manifest) {
	for dt := range m.Counts.ByDoctype {
		var d doctype.Doctype
		if err := json.Unmarshal(ar.read("doctypes/"+dt+".json"), &d); err != nil || d.Name != dt || len(d.Schema) == 0 {
			ar.t.Errorf("doctypes/%s.json: %v, %+v", dt, err, d.Name)
		}
	}
}

func (ar archive) checkConsents(m Manifest) {
	grants := ar.lines("consents/grants.jsonl", func(dec func(any)) {})
	events := ar.lines("consents/records.jsonl", func(dec func(any)) {
		var ev store.ConsentEvent
		dec(&ev)
		if ev.Event != store.ConsentGiven || len(ev.Record) == 0 {
			ar.t.Errorf("consent event %+v", ev)
		}
	})
	receipts := ar.lines("consents/receipts.jsonl", func(dec func(any)) {
		var r receiptLine
		dec(&r)
		if strings.Count(r.JWS, ".") != 2 {
			ar.t.Errorf("receipt %q is not a compact JWS", r.JWS)
		}
	})
	var jwks struct{ Keys []struct{ Kid string } }
	json.Unmarshal(ar.read("consents/keys.json"), &jwks)
	keys := len(jwks.Keys)
	if grants != 1 || events != 1 || receipts != 1 || keys != 1 || m.Counts.Grants != 1 || m.Counts.Receipts != 1 {
		ar.t.Errorf("consents: %d grants, %d events, %d receipts, %d keys; manifest %+v", grants, events, receipts, keys, m.Counts)
	}
}

// checkLog verifies the exported chain alone, then against the store's head.
func (ar archive) checkLog(st store.Store, inst string, m Manifest) {
	var prev string
	var last store.ChainedEntry
	n := ar.lines("access-log.jsonl", func(dec func(any)) {
		var c store.ChainedEntry
		dec(&c)
		if c.Prev != prev || store.ChainHash(inst, c.Seq, c.Prev, c.AtMicros, c.LogEntry) != c.Hash {
			ar.t.Errorf("the exported chain breaks at %d", c.Seq)
		}
		prev, last = c.Hash, c
	})
	v, err := st.VerifyLog(ctx, inst)
	if err != nil {
		ar.t.Fatal(err)
	}
	if int64(n) != m.AccessLog.Entries || int64(n) != v.Entries || last.Hash != m.AccessLog.Hash || v.Head != m.AccessLog.Hash || n < 3 {
		ar.t.Errorf("log: %d lines, manifest %+v, store %d entries head %s", n, m.AccessLog, v.Entries, v.Head)
	}
	if last.Verb != string(gate.Export) || last.Principal != "owner" || last.Doctype != "*" {
		ar.t.Errorf("the last entry is %+v, want the export", last.LogEntry)
	}
}
