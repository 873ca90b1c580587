package web

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"selfdata/internal/consent"
	"selfdata/internal/oauth"
	"selfdata/internal/store"
)

// agendaICS is a calendar with one event, titled summary.
func agendaICS(summary string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:meeting-1\r\nDTSTART:20250115T090000Z\r\nSUMMARY:" + summary + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
}

// agendaToken registers the service Agenda, which reads and writes calendar events and
// files, and returns the access token alice gives it through the consent screen.
func (ts *testServer) agendaToken(t *testing.T) string {
	t.Helper()
	_, secret, err := consent.NewServices(ts.db, ts.gate.Registry()).Add(bg, store.Service{ID: "agenda", Name: "Agenda", Company: "Agenda SAS",
		Description: "Keeps your appointments.", PrivacyPolicy: "https://agenda.example/privacy", RedirectURIs: []string{"https://agenda.example/cb"},
		Access: store.ServiceAccess{Doctypes: []string{"calendar.event", "file"}, Verbs: []string{"read", "write"}, Purpose: "dpv:ServiceProvision",
			LegalBasis: "consent", Retention: "30 days", RetentionDays: 30}})
	if err != nil {
		t.Fatal(err)
	}
	keep := []string{"calendar.event", "file"}
	cfg := &oauth2.Config{ClientID: "agenda", ClientSecret: secret, RedirectURL: "https://agenda.example/cb", Scopes: oauth.Scopes(keep, []string{"read", "write"}),
		Endpoint: oauth2.Endpoint{AuthURL: ts.http.URL + "/oauth/authorize", TokenURL: ts.http.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInHeader}}
	verifier := oauth2.GenerateVerifier()
	back := ts.decide(t, "session:alice", cfg.AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(verifier)), keep, 30)
	tok, err := cfg.Exchange(bg, back.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

// importAs posts a calendar file to the import API as the caller and returns its report.
func (ts *testServer) importAs(t *testing.T, as, name, content string) map[string]any {
	t.Helper()
	res := ts.do(t, request{method: "POST", path: "/api/v1/imports?name=" + url.QueryEscape(name), body: content, as: as,
		header: map[string]string{"Content-Type": "text/calendar"}})
	var rep map[string]any
	if res.status != 200 || json.Unmarshal([]byte(res.body), &rep) != nil {
		t.Fatalf("import as %s: %d %s", as, res.status, res.body)
	}
	return rep
}

// TestServiceImportIsTheServices: what a service imports is the service's, not the
// person's upload: it never overwrites what the person imported, and "who has what on me"
// (the holdings, the home page) shows what the service wrote, under its name. The person's
// script (a token) imports as the person does: the same file lands on the same records.
func TestServiceImportIsTheServices(t *testing.T) {
	ts := newTestServer(t)
	if rep := ts.importAs(t, "session:alice", "agenda.ics", agendaICS("Dentist")); rep["created"] != 1.0 {
		t.Fatalf("alice's import: %v", rep)
	}
	agenda := "Bearer " + ts.agendaToken(t)
	if rep := ts.importAs(t, agenda, "agenda.ics", agendaICS("Cancelled")); rep["created"] != 1.0 || rep["updated"] != 0.0 {
		t.Errorf("the service's import of the same event: %v; want a record of its own", rep)
	}
	if rep := ts.importAs(t, "token:alice", "agenda.ics", agendaICS("Dentist")); rep["created"] != 0.0 || rep["unchanged"] != 1.0 {
		t.Errorf("alice's script importing her file again: %v; want her own record, unchanged", rep)
	}
	created := ts.do(t, request{method: "POST", path: "/api/v1/data/calendar.event", as: agenda, body: `{"start":"2025-02-01T10:00:00Z","summary":"Call"}`})
	if created.status != 201 || !strings.Contains(created.body, `"source":{"kind":"service","id":"agenda","name":"Agenda"`) {
		t.Errorf("the service's write: %d %s", created.status, created.body)
	}

	var call store.Doc
	json.Unmarshal([]byte(created.body), &call)
	if res := ts.do(t, request{method: "POST", path: "/api/v1/data/calendar.event", as: "token:alice", body: `{"start":"2025-03-01T10:00:00Z","summary":"Gym"}`}); res.status != 201 ||
		!strings.Contains(res.body, `"source":{"kind":"token","id":`) {
		t.Errorf("the script's write: %d %s", res.status, res.body)
	}

	var events struct{ Items []store.Doc }
	res := ts.do(t, request{method: "GET", path: "/api/v1/data/calendar.event", as: "session:alice"})
	if err := json.Unmarshal([]byte(res.body), &events); err != nil {
		t.Fatal(err)
	}
	bySummary := map[string]store.Doc{}
	for _, d := range events.Items {
		var data struct{ Summary string }
		json.Unmarshal(d.Data, &data)
		bySummary[data.Summary] = d
	}
	if src := bySummary["Dentist"].Source; len(events.Items) != 4 || src.Kind != "upload" || src.Name != "agenda.ics" {
		t.Errorf("alice's event: %+v among %d; want hers, from her upload", src, len(events.Items))
	}
	if src := bySummary["Cancelled"].Source; src.Kind != "service" || src.ID != "agenda" || src.Name != "Agenda" || src.Batch == "" {
		t.Errorf("the service's imported event: source %+v; want the service, with the import as batch", src)
	}
	// The service changing alice's own event: her value is kept, and the change is its.
	mine := bySummary["Dentist"]
	res = ts.do(t, request{method: "PUT", path: "/api/v1/data/calendar.event/" + mine.ID, as: agenda, header: map[string]string{"If-Match": mine.Rev},
		body: `{"start":"2025-01-15T09:00:00Z","summary":"Moved"}`})
	var changed store.Doc
	if json.Unmarshal([]byte(res.body), &changed) != nil || res.status != 200 || changed.Source.Kind != "upload" || changed.Corrected == nil ||
		changed.Corrected.By.ID != "agenda" || !strings.Contains(string(changed.Corrected.Original), `"summary":"Dentist"`) {
		t.Errorf("the service changing alice's event: %d %s", res.status, res.body)
	}
	wantAll(t, "alice's event changed by the service", ts.page(t, "/data/calendar.event/"+mine.ID, 200), "Changed by Agenda on", "Value in the file you imported (agenda.ics)", "Dentist")

	for _, tt := range []struct {
		as, path string
		want     []string
		absent   []string
	}{
		{"session:alice", "/api/v1/holdings", []string{`"doctype":"calendar.event","source_kind":"service","source_id":"agenda","source_name":"Agenda","count":2`,
			`"doctype":"file","source_kind":"service","source_id":"agenda"`, `"doctype":"calendar.event","source_kind":"upload"`}, nil},
		{"session:bob", "/api/v1/holdings", nil, []string{"agenda", "calendar.event"}},
		{"session:alice", "/", []string{`<h2 id="c-service-agenda">Agenda</h2>`, "A service you allowed wrote this into your store.", `href="/consents#svc-agenda"`}, nil},
		{"session:alice", "/?lang=fr", []string{"Un service que vous avez autorisé l&#39;a écrit dans votre espace."}, nil},
		{"session:bob", "/", nil, []string{"c-service-agenda"}},
		{"session:alice", "/", []string{"Your scripts (script-alice)</h2>"}, nil},
		{"session:alice", "/data/calendar.event/" + call.ID, []string{"<dd>Agenda</dd>"}, nil},
		{"session:alice", "/data", []string{">Agenda<"}, nil},
		{"session:alice", "/data/calendar.event", []string{">Agenda (2)<"}, nil},
	} {
		res := ts.do(t, request{method: "GET", path: tt.path, as: tt.as})
		if res.status != 200 {
			t.Errorf("%s %s: %d", tt.as, tt.path, res.status)
		}
		wantAll(t, tt.as+" "+tt.path, res.body, tt.want...)
		wantNone(t, tt.as+" "+tt.path, res.body, tt.absent...)
	}
	// The service's card comes after the organizations' and before alice's own, and says
	// nothing of data she added herself.
	home := ts.page(t, "/", 200)
	svc, own := strings.Index(home, "c-service-agenda"), strings.Index(home, "c-owner-")
	if svc < 0 || own < svc || strings.Contains(home[svc:own], "This source has no declaration") {
		t.Errorf("home: the service's card at %d, alice's own at %d", svc, own)
	}
}
