package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/consent"
	"selfdata/internal/gate"
	"selfdata/internal/importer/formats"
	"selfdata/internal/oauth"
	"selfdata/internal/restore"
	"selfdata/internal/store/sqlite/sqlitetest"
	"selfdata/internal/web"
)

// newServer serves a real SQLite store with one instance, wired as serve wires it
// (cmd/selfdata/serve.go), and returns its URL and a *:read+write token.
func newServer(t *testing.T) (url, token string) {
	t.Helper()
	ctx := context.Background()
	db, reg := sqlitetest.Open(t)
	if err := db.EnsureIndexes(ctx, reg.Indexes()); err != nil {
		t.Fatal(err)
	}
	a, err := auth.NewService(db, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	g := gate.New(db, reg)
	deps := web.Deps{Gate: g, Auth: a, Orgs: restore.NewOrgs(db, reg), Importer: restore.NewImporter(g, formats.All()), Consent: consent.NewGrants(db, reg)}
	if deps.OAuth, err = oauth.New(ctx, oauth.DefaultConfig, db, deps.Consent); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.DefaultConfig, deps, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	hash, err := auth.HashPassphraseWith("correct horse battery load", auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	in, err := db.CreateInstance(ctx, "load", hash)
	if err != nil {
		t.Fatal(err)
	}
	if token, _, err = a.CreateToken(ctx, in.ID, "*:read+write", "loadtest"); err != nil {
		t.Fatal(err)
	}
	return ts.URL, token
}

// runJSON runs loadtest with -json and decodes its report.
func runJSON(t *testing.T, token string, args ...string) (int, report) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append(args, "-json"), func(k string) string {
		if k == "SELFDATA_TOKEN" {
			return token
		}
		return ""
	}, &out, &errOut)
	var rep report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v: exit %d, no report (%v); stderr: %s", args, code, err, errOut.String())
	}
	return code, rep
}

// writesOf is the check of what ("readings", "documents") in rep.
func writesOf(t *testing.T, rep report, what string) writeCheck {
	t.Helper()
	for _, w := range rep.Writes {
		if w.What == what {
			return w
		}
	}
	t.Fatalf("no check of %s in %+v", what, rep.Writes)
	return writeCheck{}
}

// successes is how many requests of a kind succeeded.
func successes(rep report, k kind) int {
	for _, ks := range rep.Kinds {
		if ks.Kind == k.String() {
			return ks.Requests - ks.Errors
		}
	}
	return 0
}

func TestScenariosAgainstServer(t *testing.T) {
	url, token := newServer(t)

	code, rep := runJSON(t, token, "same-series", "-url", url, "-clients", "4", "-n", "5")
	if w := writesOf(t, rep, "readings"); code != 0 || rep.Requests != 20 || w.Acknowledged != 20 || w.Present != 20 || rep.Lost != 0 {
		t.Errorf("same-series: exit %d, %d requests, %+v, lost %d; want 0, 20, 20 acknowledged and present", code, rep.Requests, w, rep.Lost)
	}

	code, rep = runJSON(t, token, "mix", "-url", url, "-clients", "6", "-duration", "1s", "-seed-docs", "30")
	if code != 0 || len(rep.Errors) != 0 || rep.Lost != 0 {
		t.Errorf("mix: exit %d, errors %+v, lost %d; want a clean run", code, rep.Errors, rep.Lost)
	}
	if rep.Requests < 6 {
		t.Errorf("mix: %d requests; every client makes at least one", rep.Requests)
	}
	// Every write the server acknowledged was looked for.
	docs, readings := writesOf(t, rep, "documents"), writesOf(t, rep, "readings")
	if docs.Acknowledged != successes(rep, kindWriteDoc) || readings.Acknowledged != successes(rep, kindWriteReading) {
		t.Errorf("mix: checked %d documents and %d readings; %d and %d were written", docs.Acknowledged, readings.Acknowledged, successes(rep, kindWriteDoc), successes(rep, kindWriteReading))
	}
	sum := 0
	for _, k := range rep.Kinds[:len(rep.Kinds)-1] {
		sum += k.Requests
	}
	if sum != rep.Requests {
		t.Errorf("mix: the kinds add up to %d requests, the total says %d", sum, rep.Requests)
	}
}

// forgetfulServer acknowledges every reading and keeps only every other one, as a
// read-modify-write without a lock does under contention.
func forgetfulServer(t *testing.T) string {
	var mu sync.Mutex
	var kept []reading
	n := 0
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/series", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{}`)
	})
	mux.HandleFunc("POST /api/v1/series/{id}/readings", func(w http.ResponseWriter, r *http.Request) {
		var rs []reading
		if err := json.NewDecoder(r.Body).Decode(&rs); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		if n++; n%2 == 0 {
			kept = append(kept, rs...)
		}
		mu.Unlock()
		io.WriteString(w, `{"received":1,"added":1}`)
	})
	mux.HandleFunc("GET /api/v1/series/{id}/readings", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		json.NewEncoder(w).Encode(map[string]any{"items": kept, "next": nil})
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts.URL
}

func TestSameSeriesShowsLostReadings(t *testing.T) {
	code, rep := runJSON(t, "sdpat_x", "same-series", "-url", forgetfulServer(t), "-clients", "2", "-n", "5")
	w := writesOf(t, rep, "readings")
	if code != 1 || w.Acknowledged != 10 || w.Present != 5 || rep.Lost != 5 || len(w.Missing) != 5 {
		t.Errorf("exit %d, %+v, lost %d; want exit 1 with 10 acknowledged, 5 present, 5 named missing", code, w, rep.Lost)
	}
	var out bytes.Buffer
	if err := rep.write(&out, false); err != nil || !strings.Contains(out.String(), "10 acknowledged, 5 present, 5 missing") || !strings.Contains(out.String(), "FAIL") {
		t.Errorf("table: %v\n%s", err, out.String())
	}
}
