package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"selfdata/internal/auth"
	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/services/signoflife"
	"selfdata/internal/store"
)

// switchSignOfLifeOn grants the Sign of life service all it asks for, as the consent screen
// would, and returns the grant.
func (ts *testServer) switchSignOfLifeOn(t testing.TB, who *person) store.Grant {
	t.Helper()
	d, _ := services.Lookup(services.SignOfLife)
	g, err := ts.cons.Grant(bg, who.in.ID, d.ID, d.Doctypes, []string{"read"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// invitation is an invitation of who's for name, not redeemed.
func (ts *testServer) invitation(t testing.TB, who *person, name string, signals ...string) (code string, rel store.Relative) {
	t.Helper()
	if len(signals) == 0 {
		signals = signoflife.Kinds()
	}
	code, rel, err := ts.srv.rel.Invite(bg, who.in.ID, auth.Invitation{Name: name, PersonName: strings.ToUpper(who.name[:1]) + who.name[1:], Expect: 10, Signals: signals})
	if err != nil {
		t.Fatal(err)
	}
	return code, rel
}

// relativeOf is a relative of who's who joined, and the Cookie header of their session.
func (ts *testServer) relativeOf(t testing.TB, who *person, name string, signals ...string) (store.Relative, string) {
	t.Helper()
	code, _ := ts.invitation(t, who, name, signals...)
	login := strings.ToLower(strings.Fields(name)[0]) + "-" + who.name
	rel, err := ts.srv.rel.Redeem(bg, auth.Redemption{Code: code, Login: login, Passphrase: "a long enough passphrase", Addr: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := ts.srv.rel.Login(bg, login, "a long enough passphrase", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	return rel, relativeCookie + "=" + secret
}

// asRelative is the header of a request made with a relative's session cookie.
func asRelative(cookie string) map[string]string { return map[string]string{"Cookie": cookie} }

// relativeReads are the entries of who's log made for rel.
func (ts *testServer) relativeReads(t testing.TB, who *person, rel store.Relative) []store.LogEntry {
	t.Helper()
	es, err := ts.gate.AccessLog(bg, gate.Owner(who.in.ID), store.LogQuery{Principal: string(gate.KindRelative), ActorID: rel.ID, Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestRelativeShare: the person invites a relative on the service's page (the code shown
// once, kept hashed); the relative joins with the link and sees only signals, in French or
// English, each look logged in the person's log under the relative's name and never in
// anyone else's; the person's stop ends everything at once.
func TestRelativeShare(t *testing.T) {
	ts := newTestServer(t)
	ts.switchSignOfLifeOn(t, ts.alice)
	en := map[string]string{"Accept-Language": "en"}

	// The person invites Dominique.
	f := url.Values{"csrf": {testCSRF}, "name": {"Dominique Martin"}, "person_name": {"Camille"}, "expect": {"9"}, "signal": {signoflife.WaterMorning, signoflife.UsualActivity}}
	res := ts.do(t, request{method: "POST", path: solPath + "/relatives", body: f.Encode(), csrf: true, as: "session:alice", header: en})
	if res.status != 200 || !strings.Contains(res.body, "Invitation for Dominique Martin") {
		t.Fatalf("invite: %d %s", res.status, res.body)
	}
	i := strings.Index(res.body, "/relative/join?code=")
	if i < 0 {
		t.Fatalf("no link in %s", res.body)
	}
	code, _, _ := strings.Cut(res.body[i+len("/relative/join?code="):], `"`)
	list, err := ts.srv.rel.List(bg, ts.alice.in.ID)
	if err != nil || len(list) != 1 || list[0].InviteHash == "" || strings.Contains(list[0].InviteHash, auth.NormalizeCode(code)) || list[0].Expect != 9 {
		t.Fatalf("stored invitation %+v, %v for code %q", list, err, code)
	}
	if page := ts.do(t, request{method: "GET", path: solPath, as: "session:alice", header: en}); strings.Contains(page.body, code) || !strings.Contains(page.body, "Invited: the invitation can be used until") {
		t.Fatalf("the code is shown again, or the invitation not listed: %s", page.body)
	}

	// Dominique opens the link, chooses a login and a passphrase, and is in.
	fr := map[string]string{"Accept-Language": "fr"}
	if res := ts.do(t, request{method: "GET", path: "/relative/join?code=" + code, header: fr}); res.status != 200 || !strings.Contains(res.body, "Camille vous invite, Dominique Martin") || !strings.Contains(res.body, "09:00") {
		t.Fatalf("join page: %d %s", res.status, res.body)
	}
	jf := url.Values{"csrf": {testCSRF}, "code": {code}, "login": {"dominique"}, "passphrase": {"a long enough passphrase"}, "confirm": {"a long enough passphrase"}, "email": {"dominique@example.org"}}
	mismatch := url.Values{"csrf": {testCSRF}, "code": {code}, "login": {"dominique"}, "passphrase": {"a long enough passphrase"}, "confirm": {"another passphrase here"}}
	if res := ts.do(t, request{method: "POST", path: "/relative/join", body: mismatch.Encode(), csrf: true, header: en}); res.status != 400 || !strings.Contains(res.body, "The two passphrases differ") {
		t.Fatalf("mismatched passphrases: %d %s", res.status, res.body)
	}
	res = ts.do(t, request{method: "POST", path: "/relative/join", body: jf.Encode(), csrf: true})
	if res.status != 303 || res.header.Get("Location") != "/relative" {
		t.Fatalf("join: %d %s", res.status, res.body)
	}
	cookie := ""
	for _, c := range res.header["Set-Cookie"] {
		if strings.HasPrefix(c, relativeCookie+"=") {
			cookie, _, _ = strings.Cut(c, ";")
			if !strings.Contains(c, "Path=/relative") || !strings.Contains(c, "HttpOnly") {
				t.Errorf("relative cookie %q", c)
			}
		}
	}
	if cookie == "" {
		t.Fatalf("no relative session cookie in %v", res.header)
	}
	if res := ts.do(t, request{method: "POST", path: "/relative/join", body: jf.Encode(), csrf: true, header: en}); res.status != 404 || !strings.Contains(res.body, "This invitation cannot be used") {
		t.Fatalf("the code used twice: %d %s", res.status, res.body)
	}

	// Dominique's page: signals only, in both languages, each look logged in alice's log.
	rel := ts.mustRelative(t, ts.alice, "Dominique Martin")
	for _, c := range []struct {
		lang string
		want []string
	}{
		{"fr", []string{"Signes de vie de Camille", "Activité habituelle aujourd&#39;hui", "Eau utilisée ce matin", "Activité habituelle hier", "Inconnu"}},
		{"en", []string{"Signs of life from Camille", "Usual activity today", "Water used this morning", "Usual activity yesterday", "Not known"}},
	} {
		before := len(ts.relativeReads(t, ts.alice, rel))
		res := ts.do(t, request{method: "GET", path: "/relative", header: map[string]string{"Cookie": cookie, "Accept-Language": c.lang}})
		if res.status != 200 {
			t.Fatalf("%s page: %d %s", c.lang, res.status, res.body)
		}
		for _, w := range c.want {
			if !strings.Contains(res.body, w) {
				t.Errorf("%s page lacks %q", c.lang, w)
			}
		}
		for _, never := range []string{"water-alice", "bill-alice", "61.20", "/data", "/services", "/access-log", `href="/consents"`} {
			if strings.Contains(res.body, never) {
				t.Errorf("%s page shows %q: %s", c.lang, never, res.body)
			}
		}
		reads := ts.relativeReads(t, ts.alice, rel)
		if len(reads) <= before {
			t.Fatalf("the %s look is not in alice's log", c.lang)
		}
		for _, e := range reads {
			if e.ActorName != "Dominique Martin" || e.Principal != "relative" || e.Purpose != "dpv:PublicBenefit" || (e.Doctype != "*" && e.Doctype != "reading.water" && e.Doctype != "reading.electricity") {
				t.Errorf("a look logged as %+v", e)
			}
		}
	}
	if n := len(ts.relativeReads(t, ts.bob, rel)); n != 0 {
		t.Errorf("bob's log holds %d looks of alice's relative", n)
	}
	// The person sees who reads for Dominique, in the log and on the service's page.
	if res := ts.do(t, request{method: "GET", path: "/access-log", as: "session:alice", header: en}); !strings.Contains(res.body, "Relative Dominique Martin") {
		t.Errorf("the access log does not name the relative: %s", res.body)
	}
	if res := ts.do(t, request{method: "GET", path: solPath, as: "session:alice", header: en}); !strings.Contains(res.body, "Sees your signs of life since") || !strings.Contains(res.body, "Last read for them") || strings.Contains(res.body, "Nothing read for them yet") {
		t.Errorf("the service's page: %s", res.body)
	}

	// The person stops the share: confirmation, then the end, at once.
	stop := solPath + "/relatives/" + rel.ID + "/stop"
	if res := ts.do(t, request{method: "GET", path: stop, as: "session:alice", header: en}); res.status != 200 || !strings.Contains(res.body, "Stop sharing your signs of life with Dominique Martin?") {
		t.Fatalf("confirmation: %d %s", res.status, res.body)
	}
	if res := ts.do(t, request{method: "POST", path: stop, body: "csrf=" + testCSRF, csrf: true, as: "session:alice"}); res.status != 303 {
		t.Fatalf("stop: %d %s", res.status, res.body)
	}
	before := len(ts.relativeReads(t, ts.alice, rel))
	res = ts.do(t, request{method: "GET", path: "/relative", header: map[string]string{"Cookie": cookie, "Accept-Language": "en"}})
	if res.status != 200 || !strings.Contains(res.body, "The share has ended") || !strings.Contains(res.body, "Camille no longer shares") {
		t.Fatalf("after the stop: %d %s", res.status, res.body)
	}
	if n := len(ts.relativeReads(t, ts.alice, rel)); n != before {
		t.Errorf("after the stop %d reads were made for the relative", n-before)
	}
	if res := ts.do(t, request{method: "GET", path: "/relative", header: map[string]string{"Cookie": cookie}}); res.status != 303 || res.header.Get("Location") != "/relative/login" {
		t.Errorf("the session after the end was said: %d %s", res.status, res.header.Get("Location"))
	}
	lf := url.Values{"csrf": {testCSRF}, "login": {"dominique"}, "passphrase": {"a long enough passphrase"}}
	if res := ts.do(t, request{method: "POST", path: "/relative/login", body: lf.Encode(), csrf: true}); res.status != 401 {
		t.Errorf("login after the stop: %d", res.status)
	}
	if res := ts.do(t, request{method: "GET", path: solPath + "?stopped=" + rel.ID, as: "session:alice", header: en}); !strings.Contains(res.body, "You stopped sharing with Dominique Martin") || !strings.Contains(res.body, "Share ended on") {
		t.Errorf("the page after the stop: %s", res.body)
	}
	if res := ts.do(t, request{method: "POST", path: stop, body: "csrf=" + testCSRF, csrf: true, as: "session:alice"}); res.status != 404 {
		t.Errorf("stopped twice: %d", res.status)
	}
}

// mustRelative finds who's relative by name.
func (ts *testServer) mustRelative(t testing.TB, who *person, name string) store.Relative {
	t.Helper()
	list, err := ts.srv.rel.List(bg, who.in.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("%s has no relative %s", who.name, name)
	return store.Relative{}
}

// TestRelativeAfterWithdrawal: withdrawing the grant to the service stops every share at
// once: the relative's page says the share ended and reads nothing, and their sessions end;
// switched on again, the relative logs in again.
func TestRelativeAfterWithdrawal(t *testing.T) {
	ts := newTestServer(t)
	g := ts.switchSignOfLifeOn(t, ts.alice)
	rel, cookie := ts.relativeOf(t, ts.alice, "Dominique Martin")
	if res := ts.do(t, request{method: "GET", path: "/relative", header: asRelative(cookie)}); res.status != 200 || !strings.Contains(res.body, "Usual activity today") {
		t.Fatalf("before: %d %s", res.status, res.body)
	}
	if _, err := ts.cons.Withdraw(bg, ts.alice.in.ID, g.ID); err != nil {
		t.Fatal(err)
	}
	before := len(ts.relativeReads(t, ts.alice, rel))
	res := ts.do(t, request{method: "GET", path: "/relative", header: map[string]string{"Cookie": cookie, "Accept-Language": "en"}})
	if res.status != 200 || !strings.Contains(res.body, "The share has ended") {
		t.Fatalf("after the withdrawal: %d %s", res.status, res.body)
	}
	if n := len(ts.relativeReads(t, ts.alice, rel)); n != before {
		t.Errorf("after the withdrawal %d reads were made", n-before)
	}
	if res := ts.do(t, request{method: "GET", path: "/relative", header: asRelative(cookie)}); res.status != 303 {
		t.Errorf("the session after the withdrawal: %d, want it ended (303 to the login)", res.status)
	}
	ts.switchSignOfLifeOn(t, ts.alice)
	lf := url.Values{"csrf": {testCSRF}, "login": {"dominique-alice"}, "passphrase": {"a long enough passphrase"}}
	res = ts.do(t, request{method: "POST", path: "/relative/login", body: lf.Encode(), csrf: true})
	if res.status != http.StatusSeeOther {
		t.Fatalf("login once switched on again: %d %s", res.status, res.body)
	}
}

// TestRelativeReachesNothingElse: a relative's session opens no page nor API of the
// person's — nor of anyone's — whatever route it tries.
func TestRelativeReachesNothingElse(t *testing.T) {
	ts := newTestServer(t)
	ts.switchSignOfLifeOn(t, ts.alice)
	_, cookie := ts.relativeOf(t, ts.alice, "Dominique Martin")
	for _, rt := range ts.srv.routes() {
		if rt.access == public || rt.access == relativeOpen || rt.access == relativeUI || rt.access == client {
			continue
		}
		method, path, _ := strings.Cut(rt.pattern, " ")
		path = strings.NewReplacer("{doctype}", "bill", "{id}", "bill-alice", "{rid}", "x", "{org}", "enedis", "{action}", "pause", "{instance}", "alice", "{kind}", "water", "{$}", "").Replace(path)
		res := ts.do(t, request{method: method, path: path, body: "csrf=" + testCSRF, csrf: method == "POST", header: asRelative(cookie)})
		want := http.StatusUnauthorized
		if rt.access == ownerUI {
			want = http.StatusSeeOther
		}
		if res.status != want || strings.Contains(res.body, "EDF") || strings.Contains(res.body, "61.20") {
			t.Errorf("%s as a relative: %d, want %d; %s", rt.pattern, res.status, want, res.body)
		}
		if want == http.StatusSeeOther && !strings.HasPrefix(res.header.Get("Location"), "/login") {
			t.Errorf("%s as a relative redirects to %q", rt.pattern, res.header.Get("Location"))
		}
	}
}
