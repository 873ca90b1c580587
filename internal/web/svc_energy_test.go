package web

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/demo"
	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/store"
)

// energyDemo seeds the demo person (two years of readings ending today) with Home energy
// switched on, and returns a GET as them.
func energyDemo(t *testing.T, ts *testServer) (id string, get func(path string) string, post func(path string, form url.Values) response) {
	t.Helper()
	h, err := auth.HashPassphraseWith("demo pass", auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	in, err := ts.db.CreateInstance(bg, "demo", h)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(bg, ts.gate, in.ID, demo.Generate(time.Now(), 1)); err != nil {
		t.Fatal(err)
	}
	d, _ := services.Lookup(services.Energy)
	if _, err := ts.cons.Grant(bg, in.ID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
	session, _, err := ts.auth.Login(bg, "demo", "demo pass", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	cookie := map[string]string{"Cookie": sessionCookie + "=" + session + "; " + csrfCookie + "=" + testCSRF}
	get = func(path string) string {
		t.Helper()
		res := ts.do(t, request{method: "GET", path: path, header: cookie})
		if res.status != http.StatusOK {
			t.Fatalf("%s: status %d: %s", path, res.status, res.body)
		}
		if dir := os.Getenv("CHARTS_DUMP"); dir != "" { // to look at the page: CHARTS_DUMP=/tmp/x go test -run TestEnergyPage
			os.WriteFile(filepath.Join(dir, strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "_").Replace(path)+".html"), []byte(res.body), 0o644)
		}
		return res.body
	}
	post = func(path string, form url.Values) response {
		t.Helper()
		form.Set("csrf", testCSRF)
		hd := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
		for k, v := range cookie {
			hd[k] = v
		}
		return ts.do(t, request{method: "POST", path: path, body: form.Encode(), header: hd})
	}
	return in.ID, get, post
}

// TestEnergyPage: the demo person's page shows the three kinds with their cost and the same
// span a year earlier, the running cistern as a leak with links to its readings, the
// meter's temperature, the week against last year in showers and hours of television with
// where the factors come from, and prices from the bills and the contracts; the person's
// goal and silencing are theirs to set, and a bad price changes nothing.
func TestEnergyPage(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds two years of demo readings")
	}
	ts := newTestServer(t)
	id, get, post := energyDemo(t, ts)
	const page = "/services/selfdata-energy"
	body := get(page + "?lang=en")
	for _, want := range []string{
		"<h1>Home energy</h1>", "<h3>Electricity</h3>", "<h3>Gas</h3>", "<h3>Water</h3>", "Same span a year earlier", "so far (", "All three, this period: €",
		"Probable water leak: your meter did not fall to zero for 5 nights in a row", "at least 2.0 L an hour",
		`href="/charts/water?at=`, "/api/v1/series/eau-hourly-volume/readings?", "The water meter&#39;s temperature", `id="temperature"`,
		"This week against the same week last year", "How it is counted", "ADEME",
		"from your last bills (", "from your contract “Électricité — Tarif Bleu”", `name="electricity.unit"`, `name="goal"`,
		`action="/services/selfdata-energy/silence"`, `value="leak"`, "Silence this kind of alert", "<svg", "See the numbers in a table",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, bad := range []string{"NaN", "+Inf", "%!"} {
		if strings.Contains(body, bad) {
			t.Errorf("the page shows %q", bad)
		}
	}
	temps := ts.lastReading(t, id, "eau-meter-temperature")
	if frost := strings.Contains(body, "Water meter close to freezing"); frost != (temps <= 1) {
		t.Errorf("frost alert shown %v, but the meter's last temperature is %v °C", frost, temps)
	}
	fr := get(page + "?lang=fr&step=week")
	for _, want := range []string{"Énergie à la maison", "<h3>Électricité</h3>", "Fuite d&#39;eau probable", "Même durée un an plus tôt", "Comment c&#39;est compté", `aria-current="page">Semaine`} {
		if !strings.Contains(fr, want) {
			t.Errorf("the French page lacks %q", want)
		}
	}

	if res := post(page+"/settings", url.Values{"goal": {"100"}, "water.unit": {"3,62"}}); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), page) {
		t.Fatalf("settings: %d %s", res.status, res.body)
	}
	body = get(page + "?lang=en")
	for _, want := range []string{"of your goal of €100.00", `<meter id="e-goal-meter"`, "Now: €3.62 per m³, your price.", `value="3.62"`, "At this pace the month will cost"} {
		if !strings.Contains(body, want) {
			t.Errorf("after setting a goal the page lacks %q", want)
		}
	}
	if res := post(page+"/settings", url.Values{"goal": {"100"}, "gas.sub": {"12.345"}}); res.status != http.StatusBadRequest || !strings.Contains(res.body, "gas.sub") {
		t.Errorf("a price with three decimals: %d %s", res.status, res.body)
	}
	if body := get(page + "?lang=en"); !strings.Contains(body, `value="3.62"`) {
		t.Error("a refused form changed the settings")
	}
	if res := post(page+"/silence", url.Values{"kind": {"leak"}, "silence": {"1"}}); res.status != http.StatusSeeOther {
		t.Fatalf("silence: %d %s", res.status, res.body)
	}
	body = get(page + "?lang=en&done=silenced")
	if !strings.Contains(body, "silenced: checked, but no alert is raised") || !strings.Contains(body, "Warn me again") || !strings.Contains(body, "Done: that kind of alert is silenced.") {
		t.Error("the leak is not shown silenced")
	}
	if res := ts.do(t, request{method: "GET", path: page + "?step=hour", as: "session:alice"}); res.status != http.StatusOK {
		// alice has not switched the service on: her page is the off page whatever the step
		t.Errorf("alice's page: %d", res.status)
	}
}

// TestEnergyAlertsOnConsents: an alert the checks kept is worded on the Consents page in the
// person's language and links to the Home energy page.
func TestEnergyAlertsOnConsents(t *testing.T) {
	ts := newTestServer(t)
	al := store.Alert{Kind: "freeze", Service: services.Energy, ServiceName: "Home energy", Params: map[string]string{"day": "2026-12-02", "min": "0.4", "series": "w"}, Dedup: "freeze:w:2026-12-01"}
	if _, err := ts.srv.alert.Raise(bg, ts.alice.in.ID, al); err != nil {
		t.Fatal(err)
	}
	res := ts.do(t, request{method: "GET", path: "/consents?lang=fr", as: "session:alice"})
	if !strings.Contains(res.body, "Compteur d&#39;eau près de geler\u202f: il est descendu à 0,4 °C le 02/12/2026.") || !strings.Contains(res.body, `href="/services/selfdata-energy#alert-`) {
		t.Errorf("the consents page does not word the frost alert: %s", res.body)
	}
}

// lastReading is the value of a series' last reading, read as the owner.
func (ts *testServer) lastReading(t *testing.T, instanceID, series string) float64 {
	t.Helper()
	rs, err := ts.gate.Readings(bg, gate.Owner(instanceID), series, time.Time{}, time.Time{}, 0)
	if err != nil || len(rs) == 0 {
		t.Fatalf("readings of %s: %v", series, err)
	}
	return rs[len(rs)-1].Value
}
