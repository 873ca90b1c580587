package web

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"selfdata/internal/demo"
	"selfdata/internal/services"
	"selfdata/internal/services/signoflife"
)

// TestSignOfLifeDemo: the demo person's page and their relative's, on the demo year as
// `selfdata demo` seeds it (ending at midnight today): today cannot be known yet — the load
// curve and the hourly water come the next day — and says so, never "no"; yesterday is
// told; and no page shows a reading or a unit.
func TestSignOfLifeDemo(t *testing.T) {
	ts := newTestServer(t)
	camille := ts.newPerson(t, "demo")
	if err := demo.Seed(bg, ts.gate, camille.in.ID, demo.Generate(time.Now(), 1)); err != nil {
		t.Fatal(err)
	}
	ts.switchSignOfLifeOn(t, camille)
	asCamille := map[string]string{"Cookie": sessionCookie + "=" + camille.session, "Accept-Language": "en"}

	// What the page must say, from the service itself: yesterday's usual activity.
	bp, _, err := ts.cons.BuiltIn(bg, camille.in.ID, services.SignOfLife)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := signoflife.Compute(bg, services.Through(ts.gate, bp), signoflife.Settings{Expect: 10, Signals: signoflife.Kinds()}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Today[0].State != signoflife.Unknown || rep.Today[1].State != signoflife.Unknown || rep.Quiet {
		t.Fatalf("today on the demo: %+v", rep)
	}
	if y := rep.Yesterday.State; y != signoflife.Yes && y != signoflife.No {
		t.Fatalf("yesterday on the demo is %s: the demo's last day has every reading", y)
	}
	yesterday := map[signoflife.State]string{signoflife.Yes: "Yes", signoflife.No: "No"}[rep.Yesterday.State]

	start := time.Now()
	res := ts.do(t, request{method: "GET", path: solPath, header: asCamille})
	t.Logf("the demo person's page in %v", time.Since(start))
	if res.status != 200 {
		t.Fatalf("page: %d %s", res.status, res.body)
	}
	for _, want := range []string{"Sign of life", "You share your signs of life with nobody yet.", "What a relative would see now, with activity expected by 10:00",
		"Usual activity today", "Not known", "no readings since midnight", "Usual activity yesterday", "Water used this morning", "from: Electricity readings", "Invite a relative"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if !strings.Contains(res.body, `<span class="sol-state sol-`+string(rep.Yesterday.State)+`">`+yesterday+`</span>`) {
		t.Errorf("the page does not say %s for yesterday", yesterday)
	}

	// Camille invites Dominique, who joins and looks.
	f := url.Values{"csrf": {testCSRF}, "name": {"Dominique Martin"}, "person_name": {"Camille"}, "expect": {"10"}, "signal": signoflife.Kinds()}
	res = ts.do(t, request{method: "POST", path: solPath + "/relatives", body: f.Encode(), csrf: true, header: asCamille})
	i := strings.Index(res.body, "/relative/join?code=")
	if res.status != 200 || i < 0 {
		t.Fatalf("invite: %d %s", res.status, res.body)
	}
	code, _, _ := strings.Cut(res.body[i+len("/relative/join?code="):], `"`)
	jf := url.Values{"csrf": {testCSRF}, "code": {code}, "login": {"dominique"}, "passphrase": {"a long enough passphrase"}, "confirm": {"a long enough passphrase"}}
	res = ts.do(t, request{method: "POST", path: "/relative/join", body: jf.Encode(), csrf: true})
	cookie := ""
	for _, c := range res.header["Set-Cookie"] {
		if strings.HasPrefix(c, relativeCookie+"=") {
			cookie, _, _ = strings.Cut(c, ";")
		}
	}
	if res.status != 303 || cookie == "" {
		t.Fatalf("join: %d %v", res.status, res.header)
	}
	res = ts.do(t, request{method: "GET", path: "/relative", header: map[string]string{"Cookie": cookie, "Accept-Language": "en"}})
	if res.status != 200 {
		t.Fatalf("relative page: %d %s", res.status, res.body)
	}
	for _, want := range []string{"Signs of life from Camille", "Usual activity today", "Not known", "Water used this morning", "Usual activity yesterday", "No notice in the last two weeks."} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the relative's page lacks %q", want)
		}
	}
	main := res.body[strings.Index(res.body, "<main"):]
	for _, never := range []string{"Wh", "kWh", " L<", "m3", "°C", "enedis", "Courbe", "Linky"} {
		if strings.Contains(main, never) {
			t.Errorf("the relative's page shows %q", never)
		}
	}
	// The person's page now lists what Dominique sees, and that it was read for them.
	res = ts.do(t, request{method: "GET", path: solPath, header: asCamille})
	for _, want := range []string{"Dominique Martin", "Sees your signs of life since", "Last read for them", "Stop sharing"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the person's page lacks %q", want)
		}
	}
}
