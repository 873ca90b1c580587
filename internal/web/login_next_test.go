package web

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// loginNexts are values of the login's next parameter, as the handler receives them once the
// query or the form is decoded; ok says whether the login may send the person there.
var loginNexts = []struct {
	next string
	ok   bool
}{
	{"/data/bill?x=1", true},
	{"/consents", true},
	{"/oauth/authorize?client_id=volta&state=a%2Fb", true},
	{"/%2F/evil.example", false}, // decodes to //evil.example: refused rather than trusted to stay encoded
	{"/\t/evil.example", false},  // what a browser sends for /%09/evil.example; browsers drop the tab
	{"/\n/evil.example", false},
	{"/\r\n/evil.example", false},
	{"/\x00/evil.example", false},
	{"/\x7f/evil.example", false},
	{"/\\evil.example", false},
	{"/a\\b", false},
	{"//evil.example", false},
	{"///evil.example", false},
	{"https://evil.example/", false},
	{"http:/evil.example", false},
	{"javascript:alert(1)", false},
	{" //evil.example", false},
	{" /consents", false},
	{"\t/consents", false},
	{"evil.example", false},
	{"/%5Cevil.example", false},
	{"/%09/evil.example", false}, // the decoded path holds a tab
	{"", false},
}

// TestLoginNext: whatever next says, a login leads only to a path of this site — the hidden
// field of GET /login carries only such a path, and POST /login redirects only to one (or
// to /).
func TestLoginNext(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range loginNexts {
		t.Run(url.QueryEscape(tt.next), func(t *testing.T) {
			if strings.ContainsRune(tt.next, 0) {
				// Text no store can hold is refused before any handler (checkText): no
				// login, no redirect.
				for _, res := range []response{
					ts.do(t, request{method: "GET", path: "/login?next=" + url.QueryEscape(tt.next)}),
					ts.do(t, request{method: "POST", path: "/login", body: url.Values{"csrf": {testCSRF}, "instance": {"alice"}, "passphrase": {ts.alice.pass}, "next": {tt.next}}.Encode(), csrf: true}),
				} {
					if res.status != http.StatusBadRequest || res.header.Get("Location") != "" || !strings.Contains(res.body, `\"next\"`) {
						t.Errorf("next with a NUL: %d to %q, %s; want 400 naming next", res.status, res.header.Get("Location"), res.body)
					}
				}
				return
			}
			res := ts.do(t, request{method: "GET", path: "/login?next=" + url.QueryEscape(tt.next)})
			hasField := strings.Contains(res.body, `name="next"`)
			if res.status != http.StatusOK || hasField != tt.ok {
				t.Errorf("GET /login: %d, hidden next field %v, want %v", res.status, hasField, tt.ok)
			}
			if tt.ok && !strings.Contains(html.UnescapeString(res.body), `value="`+tt.next+`"`) {
				t.Errorf("GET /login: the hidden field does not carry %q", tt.next)
			}
			f := url.Values{"csrf": {testCSRF}, "instance": {"alice"}, "passphrase": {ts.alice.pass}, "next": {tt.next}}
			res = ts.do(t, request{method: "POST", path: "/login", body: f.Encode(), csrf: true})
			want := "/"
			if tt.ok {
				want = tt.next
			}
			if loc := res.header.Get("Location"); res.status != http.StatusSeeOther || loc != want {
				t.Errorf("POST /login: %d to %q, want 303 to %q", res.status, loc, want)
			}
		})
	}
}

// TestLoginNextAsSent: the probe's request, byte for byte as a browser sends it: the
// query's %09 decodes to a tab, which browsers drop from the Location, making //evil.example.
func TestLoginNextAsSent(t *testing.T) {
	ts := newTestServer(t)
	const raw = "/%09/evil.example"
	if res := ts.do(t, request{method: "GET", path: "/login?next=" + raw}); strings.Contains(res.body, `name="next"`) {
		t.Errorf("GET /login?next=%s keeps a next field", raw)
	}
	body := "csrf=" + testCSRF + "&instance=alice&passphrase=" + url.QueryEscape(ts.alice.pass) + "&next=" + raw
	if res := ts.do(t, request{method: "POST", path: "/login", body: body, csrf: true}); res.header.Get("Location") != "/" {
		t.Errorf("POST /login with next=%s: %d to %q, want /", raw, res.status, res.header.Get("Location"))
	}
}

// TestLocalPath checks the rule on its own, including the raw form a browser sends.
func TestLocalPath(t *testing.T) {
	for _, tt := range loginNexts {
		if got := localPath(tt.next); (got != "") != tt.ok || tt.ok && got != tt.next {
			t.Errorf("localPath(%q) = %q, ok want %v", tt.next, got, tt.ok)
		}
	}
}
