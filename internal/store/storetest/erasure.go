package storetest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"selfdata/internal/store"
)

// Scan returns everything of the store a reader of its storage could see after the
// erasure: every file of SQLite's data directory, a pg_dump of PostgreSQL's database.
type Scan func(t *testing.T) []byte

// Erasure is the erasure test of GDPR Art. 17 (issue 13): unique markers planted in every
// kind of thing a person has — documents and their earlier revisions, series names and ids
// and their readings, file names and contents, a token's label, an alert, an access-log
// entry, a session — are nowhere in what scan returns once the person is erased, while a
// second person's markers, planted alike, are all still there and their data reads back.
// It is a function of its own, not a case of Run, because only the backend knows how to
// look at its storage.
func Erasure(t *testing.T, s store.Store, scan Scan) {
	gone := plantMarkers(t, s, "alice")
	kept := plantMarkers(t, s, "bob")
	before := scan(t)
	for _, m := range append(gone.all(), kept.all()...) {
		// The store keeps no earlier revision: its marker is at most in a journal the scan
		// sees (SQLite's WAL), and must be gone from it after the erasure.
		if m != gone.by["revision"] && m != kept.by["revision"] && !found(before, m) {
			t.Fatalf("marker %q is not in the storage before the erasure: the scan does not see it", m)
		}
	}
	erased, err := s.EraseInstance(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	want := store.Erased{Documents: 3, Series: 1, Files: 1, Tokens: 1, Sessions: 1, Alerts: 1, LogEntries: 1}
	if erased != want {
		t.Errorf("EraseInstance counted %+v, want %+v", erased, want)
	}
	after := scan(t)
	for _, m := range gone.all() {
		if found(after, m) {
			t.Errorf("erased marker %q (%s) is still readable in the storage", m, gone.what(m))
		}
	}
	for _, m := range kept.all() {
		if m != kept.by["revision"] && !found(after, m) {
			t.Errorf("marker %q (%s) of the person kept is gone from the storage", m, kept.what(m))
		}
	}
	checkKept(t, s, kept)
}

// found tells whether the marker is in b as it is or hex-encoded (pg_dump writes bytea
// values, the files' contents, in hex).
func found(b []byte, m string) bool {
	return bytes.Contains(b, []byte(m)) || bytes.Contains(b, []byte(hex.EncodeToString([]byte(m))))
}

// markers are one person's planted strings, by what they were planted in.
type markers struct {
	instance store.Instance
	by       map[string]string // kind → marker
}

func (m markers) all() []string {
	var out []string
	for _, v := range m.by {
		out = append(out, v)
	}
	return out
}

func (m markers) what(marker string) string {
	for k, v := range m.by {
		if v == marker {
			return k
		}
	}
	return "?"
}

// marker is a random string no store holds by chance, of letters so that the full-text
// index keeps it as one word.
func marker(kind string) string {
	b := make([]byte, 10)
	rand.Read(b)
	return "mk" + kind + "x" + hex.EncodeToString(b)
}

func plantMarkers(t *testing.T, s store.Store, name string) markers {
	t.Helper()
	in := newInstance(t, s, name)
	m := markers{instance: in, by: map[string]string{}}
	for _, k := range []string{"meter", "revision", "seriesid", "seriesname", "filename", "content", "token", "alert", "log"} {
		m.by[k] = marker(k)
	}
	var rev string
	err := s.Update(ctx, in.ID, func(w store.Writer) error {
		docs, err := w.CreateDocs(ctx, "meter", []store.NewDoc{
			{ID: "m1", Data: json.RawMessage(fmt.Sprintf(`{"number":%q,"note":%q}`, m.by["meter"], m.by["revision"])), Source: src("organization", "enedis")},
			{ID: "bill1", Data: json.RawMessage(`{"amount":"12.50"}`), Source: src("organization", "enedis")},
		})
		if err != nil {
			return err
		}
		rev = docs[0].Rev
		if _, err := w.CreateSeries(ctx, store.Series{ID: m.by["seriesid"], Doctype: "reading.electricity", Name: m.by["seriesname"], Quantity: "energy", Unit: "Wh"}); err != nil {
			return err
		}
		if _, err := w.AddReadings(ctx, m.by["seriesid"], []store.Reading{{At: time.Unix(1.7e9, 0), Value: 1234}, {At: time.Unix(1.7e9+1800, 0), Value: 987}}); err != nil {
			return err
		}
		sha, size, err := w.PutBlob(ctx, strings.NewReader("scanned bill "+m.by["content"]))
		if err != nil {
			return err
		}
		f := fmt.Sprintf(`{"name":%q,"mediaType":"application/pdf","size":%d,"sha256":%q}`, m.by["filename"]+".pdf", size, sha)
		if _, err := w.CreateDocs(ctx, "file", []store.NewDoc{{ID: "f1", Data: json.RawMessage(f), Source: src("upload", "")}}); err != nil {
			return err
		}
		return w.AppendLog(ctx, store.LogEntry{At: time.Now(), Principal: "owner", Doctype: m.by["log"], Verb: "write", Count: 1})
	})
	if err != nil {
		t.Fatalf("plant markers of %s: %v", name, err)
	}
	// The earlier revision, committed apart, holds the "revision" marker; the current one
	// only the meter's.
	err = s.Update(ctx, in.ID, func(w store.Writer) error {
		_, err := w.UpdateDoc(ctx, "meter", "m1", rev, json.RawMessage(fmt.Sprintf(`{"number":%q}`, m.by["meter"])), "")
		return err
	})
	if err != nil {
		t.Fatalf("update the meter of %s: %v", name, err)
	}
	if err := s.CreateToken(ctx, store.Token{ID: "t-" + name, Instance: in.ID, Hash: "h-" + name, Label: m.by["token"], Scopes: "*:read", Created: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, store.Session{Hash: "s-" + name, Instance: in.ID, Created: time.Now(), Expires: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	a := store.Alert{ID: "a-" + name, Created: time.Now(), Kind: store.AlertFirstAccess, Service: "budget", ServiceName: "Budget",
		Params: map[string]string{"doctype": m.by["alert"]}, Dedup: "first:budget"}
	if err := s.CreateAlert(ctx, in.ID, a); err != nil {
		t.Fatal(err)
	}
	return m
}

// checkKept reads back the kept person's records: the erasure of another took nothing.
func checkKept(t *testing.T, s store.Store, m markers) {
	t.Helper()
	d, err := s.Doc(ctx, m.instance.ID, "meter", "m1")
	if err != nil || !strings.Contains(string(d.Data), m.by["meter"]) {
		t.Fatalf("kept person's meter: %s, %v", d.Data, err)
	}
	if _, err := s.TokenByHash(ctx, "h-"+m.instance.Name); err != nil {
		t.Fatalf("kept person's token: %v", err)
	}
	hs, err := s.Holdings(ctx, m.instance.ID, everything)
	if err != nil || len(hs) == 0 {
		t.Fatalf("kept person's holdings: %+v, %v", hs, err)
	}
}
