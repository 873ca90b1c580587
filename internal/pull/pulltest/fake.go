// Package pulltest is a fake of the organizations' APIs for tests: an httptest server that
// speaks Enedis Data Connect or GRDF ADICT, with their OAuth2 endpoints (authorization with
// PKCE, authorization_code and refresh_token grants, invalid_grant), serving data derived
// from the publishers' samples in ../shared/samples (skipping the test when they are absent). It is the only fake in the pull tests:
// the store, the gate and River are real.
package pulltest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"selfdata/internal/importer/samples"
	"selfdata/internal/pull"
)

// Subjects the fakes grant access to: the usage point and the PCE of the samples.
const (
	UsagePoint = "01234567890"
	PCE        = "23000000000000"
)

const (
	clientID     = "selfdata-test"
	clientSecret = "s3cret-of-the-client"
)

// Fake is one organization's API.
type Fake struct {
	Connector string // "enedis" or "grdf"
	URL       string

	mu       sync.Mutex
	codes    map[string]code
	access   map[string]bool // access tokens accepted
	refresh  map[string]bool // refresh tokens accepted
	n        int
	calls    map[string]int // by grant type and endpoint name
	fail     map[string]int // endpoint name → how many 500 answers to give (-1: always)
	reject   bool           // answer 401 to every API call
	forbid   bool           // answer 403 to every API call
	lifetime time.Duration  // of access tokens

	daily, curve []reading // Enedis
	lines        []map[string]any
	dailyGas     []map[string]any // GRDF
}

type code struct{ challenge, redirect string }

type reading struct {
	Value    string `json:"value"`
	Date     string `json:"date"`
	Interval string `json:"interval_length,omitempty"`
	Measure  string `json:"measure_type,omitempty"`
}

// New starts a fake of connector ("enedis" or "grdf") serving the samples' data.
func New(t testing.TB, connector string) *Fake {
	t.Helper()
	f := &Fake{Connector: connector, codes: map[string]code{}, access: map[string]bool{}, refresh: map[string]bool{},
		calls: map[string]int{}, fail: map[string]int{}, lifetime: time.Hour}
	switch connector {
	case "enedis":
		f.daily = readMeterReading(t, "enedis/daily.json")
		f.curve = readMeterReading(t, "enedis/detail.json")
	case "grdf":
		b := samples.Read(t, "grdf/adict_sample.ndjson")
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatal(err)
			}
			f.lines = append(f.lines, m)
		}
		f.dailyGas = dailyFrom(t, f.lines[0])
	default:
		t.Fatalf("no fake for %q", connector)
	}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

func readMeterReading(t testing.TB, rel string) []reading {
	b := samples.Read(t, rel)
	var doc struct {
		MeterReading struct {
			IntervalReading []reading `json:"interval_reading"`
		} `json:"meter_reading"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.MeterReading.IntervalReading
}

// dailyFrom derives daily informative lines from a published period of the sample: its
// energy and volume spread over its gas days, the index advancing day by day.
func dailyFrom(t testing.TB, pub map[string]any) []map[string]any {
	per := pub["periode"].(map[string]any)
	start, err1 := time.Parse(time.DateOnly, per["date_debut"].(string))
	end, err2 := time.Parse(time.DateOnly, per["date_fin"].(string))
	if err1 != nil || err2 != nil {
		t.Fatalf("sample period: %v %v", err1, err2)
	}
	c := pub["consommation"].(map[string]any)
	days := int(end.Sub(start).Hours() / 24)
	energy, volume := c["energie"].(float64)/float64(days), c["volume_brut"].(float64)/float64(days)
	index := pub["releve_debut"].(map[string]any)["index_brut_debut"].(map[string]any)["valeur_index"].(float64)
	var out []map[string]any
	for i := range days {
		d := start.AddDate(0, 0, i)
		var l map[string]any
		b, _ := json.Marshal(pub)
		json.Unmarshal(b, &l)
		l["periode"] = map[string]any{"valeur": nil, "date_debut": d.Format(time.DateOnly), "date_fin": d.AddDate(0, 0, 1).Format(time.DateOnly)}
		lc := l["consommation"].(map[string]any)
		lc["journee_gaziere"] = d.Format(time.DateOnly)
		lc["type_conso"] = "Informative Journalier"
		lc["energie"] = float64(int(energy + float64(i%3)))
		lc["volume_brut"] = float64(int(volume))
		l["releve_debut"].(map[string]any)["index_brut_debut"] = map[string]any{"valeur_index": index + float64(i)*float64(int(volume)), "horodate_Index": d.Format(time.DateOnly) + "T06:00:00+01:00"}
		l["releve_fin"].(map[string]any)["index_brut_fin"] = map[string]any{"valeur_index": index + float64(i+1)*float64(int(volume)), "horodate_Index": d.AddDate(0, 0, 1).Format(time.DateOnly) + "T06:00:00+01:00"}
		out = append(out, l)
	}
	return out
}

// Provider is the configuration selfdata needs to use this fake.
func (f *Fake) Provider() pull.Provider {
	p := pull.Provider{Connector: f.Connector, ClientID: clientID, ClientSecret: clientSecret,
		AuthURL: f.URL + "/authorize", TokenURL: f.URL + "/token", APIBase: f.URL}
	for _, d := range pull.DefaultProviders() {
		if d.Connector == f.Connector {
			p.AuthParams, p.SubjectParam, p.History, p.Scopes = d.AuthParams, d.SubjectParam, d.History, d.Scopes
		}
	}
	return p
}

// Today is the day the tests pull on: the first pull then covers the samples' data.
var Today = time.Date(2023, 3, 8, 12, 0, 0, 0, time.UTC)

// Calls counts the calls by grant type ("authorization_code", "refresh_token") and by
// endpoint name ("daily_consumption", ...).
func (f *Fake) Calls(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[name]
}

// Fail makes the endpoint answer 500 n times (-1: until told otherwise).
func (f *Fake) Fail(endpoint string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[endpoint] = n
}

// ExpireAccess makes every access token given so far refused (401), as when it expires.
func (f *Fake) ExpireAccess() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.access)
}

// Revoke forgets every token: the person withdrew the grant at the organization; a
// refresh gets invalid_grant.
func (f *Fake) Revoke() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.access)
	clear(f.refresh)
}

// Reject makes every API call answer 401, even with a fresh token.
func (f *Fake) Reject(on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reject = on
}

// Forbid makes every API call answer 403, as when the person withdrew their consent.
func (f *Fake) Forbid(on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.forbid = on
}

// Tokens lists the access and refresh tokens currently accepted (for tests that check none
// of them leaks).
func (f *Fake) Tokens() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append(slices.Collect(maps.Keys(f.access)), slices.Collect(maps.Keys(f.refresh))...)
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/authorize":
		f.authorize(w, r)
	case r.URL.Path == "/token" && r.Method == http.MethodPost:
		f.token(w, r)
	case f.Connector == "enedis" && strings.HasPrefix(r.URL.Path, "/metering_data_dc/v5/daily_consumption"):
		f.enedis(w, r, "daily_consumption", f.daily, 365)
	case f.Connector == "enedis" && strings.HasPrefix(r.URL.Path, "/metering_data_clc/v5/consumption_load_curve"):
		f.enedis(w, r, "consumption_load_curve", f.curve, 7)
	case f.Connector == "grdf" && strings.HasPrefix(r.URL.Path, "/adict/v2/pce/"):
		f.grdf(w, r)
	default:
		http.NotFound(w, r)
	}
}

// authorize plays the person who logs in at the organization and agrees: back to the
// redirect URI with a code bound to the PKCE challenge. Enedis names the usage point in the
// redirect; GRDF's PCE comes with the token.
func (f *Fake) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != clientID || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("state") == "" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	if f.Connector == "enedis" && q.Get("duration") == "" {
		http.Error(w, "duration is required", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.n++
	c := fmt.Sprintf("code-%d", f.n)
	f.codes[c] = code{challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
	f.mu.Unlock()
	back := url.Values{"code": {c}, "state": {q.Get("state")}}
	if f.Connector == "enedis" {
		back.Set("usage_point_id", UsagePoint)
	}
	http.Redirect(w, r, q.Get("redirect_uri")+"?"+back.Encode(), http.StatusFound)
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": "fake: " + code})
}

func (f *Fake) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("client_id") != clientID || r.PostForm.Get("client_secret") != clientSecret {
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	gt := r.PostForm.Get("grant_type")
	f.calls[gt]++
	switch gt {
	case "authorization_code":
		c, ok := f.codes[r.PostForm.Get("code")]
		delete(f.codes, r.PostForm.Get("code"))
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if !ok || c.redirect != r.PostForm.Get("redirect_uri") || base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge {
			oauthError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		if !f.refresh[rt] {
			oauthError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
		delete(f.refresh, rt) // refresh tokens rotate
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	f.n++
	at, rt := fmt.Sprintf("at-%s-%d", f.Connector, f.n), fmt.Sprintf("rt-%s-%d", f.Connector, f.n)
	f.access[at], f.refresh[rt] = true, true
	resp := map[string]any{"access_token": at, "refresh_token": rt, "token_type": "Bearer", "expires_in": int(f.lifetime.Seconds()), "scope": "data"}
	if f.Connector == "grdf" {
		resp["pce"] = PCE
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}

// api checks the bearer token and the failures asked for; false when it has answered.
func (f *Fake) api(w http.ResponseWriter, r *http.Request, name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[name]++
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	switch {
	case f.reject || !f.access[tok]:
		oauthError(w, http.StatusUnauthorized, "invalid_token")
		return false
	case f.forbid:
		oauthError(w, http.StatusForbidden, "access_denied")
		return false
	case f.fail[name] != 0:
		if f.fail[name] > 0 {
			f.fail[name]--
		}
		oauthError(w, http.StatusInternalServerError, "internal_server_error")
		return false
	}
	return true
}

// window reads start and end (dates) and refuses windows longer than maxDays.
func window(w http.ResponseWriter, from, to string, maxDays int) (string, string, bool) {
	s, err1 := time.Parse(time.DateOnly, from)
	e, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || !e.After(s) || e.Sub(s) > time.Duration(maxDays)*24*time.Hour {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return "", "", false
	}
	return from, to, true
}

// enedis answers Data Connect's meter_reading for the sample's readings in [start, end).
func (f *Fake) enedis(w http.ResponseWriter, r *http.Request, name string, data []reading, maxDays int) {
	if !f.api(w, r, name) {
		return
	}
	q := r.URL.Query()
	if q.Get("usage_point_id") != UsagePoint {
		oauthError(w, http.StatusForbidden, "access_denied")
		return
	}
	from, to, ok := window(w, q.Get("start"), q.Get("end"), maxDays)
	if !ok {
		return
	}
	var out []reading
	for _, rd := range data {
		if d := rd.Date[:10]; d >= from && d < to {
			out = append(out, rd)
		}
	}
	if len(out) == 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		json.NewEncoder(w).Encode(map[string]string{"error": "no_data_found", "error_description": "no measure found for this usage point"})
		return
	}
	rt := map[string]any{"measurement_kind": "energy", "measuring_period": "P1D", "unit": "Wh", "aggregate": "sum"}
	if name == "consumption_load_curve" {
		rt = map[string]any{"measurement_kind": "power", "unit": "W", "aggregate": "average"}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"meter_reading": map[string]any{
		"usage_point_id": UsagePoint, "start": from, "end": to, "quality": "BRUT", "reading_type": rt, "interval_reading": out}})
}

// grdf answers ADICT's NDJSON for the lines whose period starts in [date_debut, date_fin).
func (f *Fake) grdf(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/adict/v2/pce/")
	pce, name, _ := strings.Cut(rest, "/")
	var data []map[string]any
	switch name {
	case "donnees_consos_publiees":
		data = f.lines
	case "donnees_consos_informatives":
		data = f.dailyGas
	default:
		http.NotFound(w, r)
		return
	}
	if !f.api(w, r, name) {
		return
	}
	if pce != PCE {
		oauthError(w, http.StatusForbidden, "access_denied")
		return
	}
	q := r.URL.Query()
	from, to, ok := window(w, q.Get("date_debut"), q.Get("date_fin"), 365)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	enc := json.NewEncoder(w)
	for _, l := range data {
		if d := l["periode"].(map[string]any)["date_debut"].(string); d >= from && d < to {
			enc.Encode(l)
		}
	}
}
