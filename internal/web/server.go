// Package web is selfdata's HTTP face: the JSON API, the person's pages, and the middleware
// that turns a cookie or a token into a gate.Principal. Handlers hold the gate and the auth
// service, never the store, so every read or write of personal data goes through the gate.
//
// One routes table (routes.go) lists every route with who may call it; the access tests and
// the OpenAPI test walk that table, so a new route cannot be added without being covered.
package web

import (
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	"selfdata/internal/alert"
	"selfdata/internal/auth"
	"selfdata/internal/consent"
	"selfdata/internal/gate"
	"selfdata/internal/oauth"
	"selfdata/internal/pull"
	"selfdata/internal/restore"
	"selfdata/internal/rights/export"
	"selfdata/internal/rights/register"
	"selfdata/internal/services/signoflife"
)

// Config holds the HTTP settings.
type Config struct {
	MaxBodyBytes  int64         // largest JSON body accepted
	MaxFileBytes  int64         // largest file upload accepted
	SecureCookies bool          // set Secure on cookies even without TLS here (behind a TLS proxy)
	SessionTTL    time.Duration // how long a login lasts
	// PublicURL is the address people and services reach this server at, e.g.
	// https://selfdata.example.org; the OAuth server names itself by it. Empty: as each
	// request reached it.
	PublicURL string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the client
	// (clientaddr.go); from any other peer the header is ignored.
	TrustedProxies []netip.Prefix
	// A request body must arrive at BodyMinRate bytes per second on average, after a grace
	// of BodyGrace, or it is cut (slowbody.go); zero: the defaults.
	BodyGrace   time.Duration
	BodyMinRate int64
	// MaxInFlight is how many requests are served at once; the others wait their turn, in
	// order (inflight.go: turns). Zero: DefaultMaxInFlight.
	MaxInFlight int
	// MapTiles is the address of a map tile server, https://tile.example/{z}/{x}/{y}.png, whose
	// tiles the map service lays under its drawings (CheckMapTiles); empty: a plain background.
	MapTiles string
}

// DefaultConfig is what serve and demo use unless told otherwise.
var DefaultConfig = Config{MaxBodyBytes: 10 << 20, MaxFileBytes: 100 << 20, SessionTTL: 7 * 24 * time.Hour,
	BodyGrace: DefaultBodyGrace, BodyMinRate: DefaultBodyMinRate}

// Deps are the services the handlers use; none of them is the store.
type Deps struct {
	Gate     *gate.Gate
	Auth     *auth.Service
	Orgs     *restore.Orgs
	Importer *restore.Importer
	Pull     *pull.Service // the pull connectors; nil when none is configured
	Consent  *consent.Grants
	OAuth    *oauth.Server // the services' authorization server
	Alerts   *alert.Alerts // alerts about services; nil: none are kept
	// Relatives are the credentials of the relatives people share signs of life with, and
	// SignOfLife the service's daily check (for the notices their page shows); nil: no
	// relative is let in.
	Relatives  *auth.RelativeAuth
	SignOfLife *signoflife.Checker
	// Register is the operator's register of processing activities, shown on /register;
	// nil: the built-in one (register.Default).
	Register *register.Register
	// Export writes the person's whole store as an archive; nil: no export is offered.
	Export *export.Exporter
	// Erase erases a person's whole store from Settings (ui_erase.go); nil: not offered.
	Erase Eraser
}

// Server serves the API and the pages.
type Server struct {
	cfg   Config
	gate  *gate.Gate
	auth  *auth.Service
	orgs  *restore.Orgs
	imp   *restore.Importer
	pull  *pull.Service
	cons  *consent.Grants
	exp   *export.Exporter
	oauth *oauth.Server
	alert *alert.Alerts
	rel   *auth.RelativeAuth
	sol   *signoflife.Checker
	log   *slog.Logger
	tmpl  *template.Template
	words map[string][2]string // every text of the pages, {en, fr} by key (i18n.go)
	mux   *http.ServeMux
	// pending are the uploads waiting for the person to say what they are (pending.go).
	pending *pendingUploads
	// register is the register of processing activities /register shows.
	register register.Register
	erase    Eraser // nil: a store is not erased from its pages
}

// access says who may call a route.
type access int

const (
	public       access = iota // anyone; personal data never served
	personal                   // the person (owner session or personal access token), or a service under a grant
	owner                      // the person through their session only (account, connections, access log)
	ownerUI                    // a logged-in person, on a page (redirects to /login otherwise)
	depositor                  // an organization's deposit credential
	organization               // an organization's own key
	client                     // an OAuth client (a service): the OAuth server authenticates it, not the gate
	relativeUI                 // a relative the person trusts, through their own session, on their page (relative.go)
	relativeOpen               // anyone, on the relatives' login pages (relative.go)
)

// allowed tells which principal kinds each access admits.
var allowed = map[access][]gate.Kind{
	personal:     {gate.KindOwner, gate.KindToken, gate.KindService}, // a service only within its grant: the gate checks its scopes
	owner:        {gate.KindOwner},
	ownerUI:      {gate.KindOwner},
	depositor:    {gate.KindOrganization},
	organization: {gate.KindOrgKey},
	relativeUI:   {gate.KindRelative}, // and no other access admits a relative
}

// handlerFunc is a route's handler; p is the authenticated principal (zero for public routes).
type handlerFunc func(w http.ResponseWriter, r *http.Request, p gate.Principal) error

// route is one line of the routes table.
type route struct {
	pattern string // net/http pattern with method, e.g. "GET /api/v1/data/{doctype}"
	access  access
	h       handlerFunc
}

// New builds the server.
func New(cfg Config, d Deps, log *slog.Logger) (*Server, error) {
	if d.Consent == nil || d.OAuth == nil {
		return nil, errors.New("web: the consent grants and the OAuth server are required")
	}
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, gate: d.Gate, auth: d.Auth, orgs: d.Orgs, imp: d.Importer, pull: d.Pull, cons: d.Consent, oauth: d.OAuth, alert: d.Alerts, log: log, tmpl: tmpl, words: texts(), mux: http.NewServeMux(), pending: newPendingUploads()}
	s.rel, s.sol = d.Relatives, d.SignOfLife
	s.register = register.Default()
	if d.Register != nil {
		s.register = *d.Register
	}
	s.rel, s.sol, s.exp = d.Relatives, d.SignOfLife, d.Export
	s.erase = d.Erase
	for _, rt := range s.routes() {
		s.mux.Handle(rt.pattern, s.wrap(rt))
	}
	return s, nil
}

// Close removes the uploads kept waiting for an answer; the server is shutting down.
func (s *Server) Close() { s.pending.Close() }

// Handler is the whole site with its middleware.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	// slowBodies first: it needs the server's own writer to reach the connection.
	return newTurns(s.cfg.MaxInFlight).wrap(slowBodies(s.logRequests(securityHeaders(cop.Handler(s.checkText(s.fallbacks(s.mux))))), s.cfg.BodyGrace, s.cfg.BodyMinRate, s.log))
}

// Patterns lists the registered route patterns (for tests and documentation).
func (s *Server) Patterns() []string {
	var out []string
	for _, rt := range s.routes() {
		out = append(out, rt.pattern)
	}
	return out
}

// wrap authenticates, calls the handler and turns its error into a problem.
func (s *Server) wrap(rt route) http.Handler {
	if rt.access == relativeUI || rt.access == relativeOpen {
		return s.wrapRelative(rt)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p gate.Principal
		if rt.access != public && rt.access != client {
			var err error
			p, err = s.principal(r)
			if err != nil {
				if rt.access == ownerUI && errors.Is(err, auth.ErrUnauthenticated) {
					s.toLogin(w, r) // errors_session.go: says why, and leads back
					return
				}
				writeProblem(w, r, s.log, err)
				return
			}
			if !slices.Contains(allowed[rt.access], p.Kind) {
				if rt.access == ownerUI {
					s.toLogin(w, r)
					return
				}
				writeProblem(w, r, s.log, errorf(http.StatusForbidden, "This route is not for this kind of credential."))
				return
			}
			if rt.access == ownerUI {
				r = r.WithContext(withOwner(r.Context(), p)) // for the menu's alert badge
			}
		}
		if err := rt.h(w, r, p); err != nil {
			if isPage(rt) {
				s.writePageError(w, r, err)
				return
			}
			writeProblem(w, r, s.log, err)
		}
	})
}

// isPage tells whether a route answers HTML pages (and so HTML error pages) rather than
// machine documents: the API's problems, an OAuth client's errors, well-known documents.
func isPage(rt route) bool {
	_, path, _ := strings.Cut(rt.pattern, " ")
	return rt.access != client && !strings.HasPrefix(path, "/api/") && !strings.HasPrefix(path, "/.well-known/") &&
		path != "/healthz" && !strings.HasPrefix(path, "/static/")
}

const sessionCookie = "selfdata_session"

// principal authenticates a request: a Bearer token, or else the session cookie.
func (s *Server) principal(r *http.Request) (gate.Principal, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return gate.Principal{}, auth.ErrUnauthenticated
		}
		secret = strings.TrimSpace(secret)
		switch {
		case strings.HasPrefix(secret, restore.DepositKeyPrefix):
			p, _, err := s.orgs.Depositor(ctx, secret)
			return p, err
		case strings.HasPrefix(secret, oauth.AccessPrefix):
			return s.oauth.Principal(ctx, secret)
		case strings.HasPrefix(secret, restore.OrgKeyPrefix):
			org, err := s.orgs.Organization(ctx, secret)
			return gate.OrgKey(org.ID, org.Name), err
		}
		t, err := s.auth.Token(ctx, secret)
		if err != nil {
			return gate.Principal{}, err
		}
		scopes, err := gate.ParseScopes(t.Scopes, func(string) bool { return true })
		if err != nil {
			return gate.Principal{}, err
		}
		return gate.Token(t.Instance, t.ID, t.Label, scopes), nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return gate.Principal{}, auth.ErrUnauthenticated
	}
	in, err := s.auth.Session(ctx, c.Value)
	if err != nil {
		return gate.Principal{}, err
	}
	return gate.Owner(in.ID), nil
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", contentPolicy(""))
		next.ServeHTTP(w, r)
	})
}

// contentPolicy is the Content-Security-Policy of every answer. Forms post only to this
// site, and so only redirect here, except where a page names one other origin a form's
// answer may lead to (the consent screen, to the service's redirect URI).
func contentPolicy(formOrigin string) string {
	return "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'" +
		strings.TrimRight(" "+formOrigin, " ")
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// logRequests logs method, path (never the query, headers or cookies), status and duration.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.log.Debug("http", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", time.Since(start).Milliseconds())
	})
}
