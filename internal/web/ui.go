package web

import (
	"cmp"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"selfdata/internal/auth"
	"selfdata/internal/gate"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

func parseTemplates() (*template.Template, error) {
	all := texts()
	t := func(lang, key string) string { return textIn(all, lang, key) }
	funcs := template.FuncMap{"t": t, "label": labelIn, "add": func(a, b int) int { return a + b }, "hasPrefix": strings.HasPrefix}
	for name, f := range localeFuncs(all) { // tn, num, size, pct, money, when, day, clock, colon
		funcs[name] = f
	}
	return template.New("").Funcs(funcs).Funcs(declFuncs(all)).ParseFS(templateFiles, "templates/*.html")
}

// page is what every template receives.
type page struct {
	Path  string // the page's path, for the menu and the language switch
	Lang  string
	CSRF  string
	Title string
	Error string
	Data  any
	// Unread counts the person's unread alerts, for the badge in the menu.
	Unread int
	// NoMenu hides the menu from a page a visitor who is not logged in may see (an error).
	NoMenu bool
	query  url.Values // the request's, for the language switch
}

// SwitchTo is this very page in language lg: the same path and query (search words, chart
// step and date, filters) with only lang changed, so that switching loses nothing.
func (p page) SwitchTo(lg string) string {
	q := url.Values{}
	for k, v := range p.query {
		q[k] = v
	}
	q.Set("lang", lg)
	return p.Path + "?" + q.Encode()
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, pg page) error {
	pg.Lang = lang(r)
	pg.Path = r.URL.Path
	if r.Method == http.MethodGet && status < 400 {
		pg.query = r.URL.Query() // an error page repeats nothing it was sent
	}
	rememberLang(w, r)
	pg.CSRF = s.csrfToken(w, r)
	pg.Unread = s.unreadAlerts(r)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return s.tmpl.ExecuteTemplate(w, name, pg)
}

const csrfCookie = "selfdata_csrf"

// csrfToken returns the double-submit token of this browser, setting it on first visit.
// Forms echo it in a hidden field; the cookie cannot be read or set by another site, so a
// forged form cannot know it. http.CrossOriginProtection guards the same forms by origin.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	b := make([]byte, 32)
	rand.Read(b)
	tok := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r)})
	return tok
}

// errCSRF is the refusal of a form whose token does not match this browser's. A page shows
// the form again or says that nothing was changed (formExpired); its detail is for the API.
var errCSRF = errorf(http.StatusForbidden, "The form has expired or did not come from this site; reload the page and try again.")

// checkCSRF refuses a form post whose token does not match the cookie.
func checkCSRF(r *http.Request) error {
	c, err := r.Cookie(csrfCookie)
	form := r.PostFormValue("csrf")
	if err != nil || form == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(form)) != 1 {
		return errCSRF
	}
	return nil
}

func (s *Server) secure(r *http.Request) bool { return r.TLS != nil || s.cfg.SecureCookies }

// loginPage: GET /login[?next=<a page of this site>][&why=ended|unsaved] — why says why the
// person is asked to log in (toLogin), next where they go afterwards.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	q := r.URL.Query()
	v := loginView{Next: localPath(q.Get("next")), Why: loginWhy(q.Get("why"))}
	v.Page = s.pageName(lang(r), v.Next)
	return s.render(w, r, http.StatusOK, "login.html", page{Title: "login", Data: v})
}

// loginView is what the login page shows besides the form: where to go afterwards and its
// name, why the person is asked to log in, the name they typed in a failed attempt (never
// the passphrase), and how many minutes to wait when too many logins failed.
type loginView struct {
	Next string
	Page string
	Why  string
	Name string
	Wait int
}

// localPath is next if it is a path on this site, "" otherwise: a login must never send the
// person to another site. Browsers are lenient where a check that only pattern-matches is
// not: they drop tabs and newlines from a URL ("/\t/evil.example" becomes //evil.example, a
// host), read a backslash as a slash ("/\evil.example") and follow a scheme or a host. So
// next must start with exactly one "/", hold no control character nor backslash, and parse
// as a path alone — whose decoded form obeys the same rules, in case something on the way
// decodes it once more.
func localPath(next string) string {
	if !isLocalPath(next) {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !isLocalPath(u.Path) {
		return ""
	}
	return next
}

// isLocalPath is the pattern half of localPath: one leading slash, no control character,
// no backslash.
func isLocalPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsRune(p, '\\') {
		return false
	}
	return !strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// login: POST /login (instance, passphrase, csrf).
func (s *Server) login(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	v := loginView{Next: localPath(r.PostFormValue("next")), Name: strings.TrimSpace(r.PostFormValue("instance"))}
	if err := checkCSRF(r); err != nil {
		return s.render(w, r, http.StatusForbidden, "login.html", page{Title: "login", Error: "form.expired.login", Data: v})
	}
	err := s.logIn(w, r, v.Name, r.PostFormValue("passphrase"))
	var rl *auth.RateLimitedError
	switch {
	case errors.As(err, &rl):
		w.Header().Set("Retry-After", strconv.Itoa(rl.Seconds()))
		v.Wait = (rl.Seconds() + 59) / 60
		return s.render(w, r, http.StatusTooManyRequests, "login.html", page{Title: "login", Error: "ratelimited", Data: v})
	case errors.Is(err, auth.ErrBadCredentials):
		return s.render(w, r, http.StatusUnauthorized, "login.html", page{Title: "login", Error: "badlogin", Data: v})
	case err != nil:
		return err
	}
	http.Redirect(w, r, cmp.Or(v.Next, "/"), http.StatusSeeOther)
	return nil
}

// deviceCookiePrefix starts the name of a device cookie; the rest is the slot auth gives
// it, one per person who logged in with this browser.
const deviceCookiePrefix = "selfdata_device_"

// maxDeviceCookies bounds how many device cookies of a browser a login checks.
const maxDeviceCookies = 8

// logIn checks the passphrase under the login limits, from this client and with this
// browser's device cookies, and sets the session cookie and a fresh device cookie.
func (s *Server) logIn(w http.ResponseWriter, r *http.Request, name, passphrase string) error {
	var devices []string
	for _, c := range r.Cookies() {
		if strings.HasPrefix(c.Name, deviceCookiePrefix) && len(devices) < maxDeviceCookies {
			devices = append(devices, c.Value)
		}
	}
	res, err := s.auth.LoginWith(r.Context(), auth.Attempt{Name: name, Passphrase: passphrase, Addr: s.clientAddr(r), Devices: devices})
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: res.Session, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secure(r), MaxAge: int(s.cfg.SessionTTL.Seconds())})
	// Strict: only this site's own pages log in; the cookie is of no use to anything else.
	http.SetCookie(w, &http.Cookie{Name: deviceCookiePrefix + res.Device.Slot, Value: res.Device.Cookie, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: s.secure(r), MaxAge: int(res.Device.TTL.Seconds())})
	return nil
}

// clientAddr is the client's address, through the trusted proxies (clientaddr.go).
func (s *Server) clientAddr(r *http.Request) string { return clientAddr(r, s.cfg.TrustedProxies) }

// logout: POST /logout (csrf).
func (s *Server) logout(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	if err := checkCSRF(r); err != nil {
		return err
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.auth.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r), MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func (s *Server) static(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	sub, _ := fs.Sub(staticFiles, "static")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.StripPrefix("/static/", http.FileServerFS(sub)).ServeHTTP(w, r)
	return nil
}

// loginTexts are the words of the login page.
var loginTexts = map[string][2]string{ // key: {en, fr}
	"login":       {"Log in", "Connexion"},
	"instance":    {"Your store's name", "Nom de votre espace"},
	"passphrase":  {"Passphrase", "Phrase de passe"},
	"submit":      {"Log in", "Se connecter"},
	"logout":      {"Log out", "Se déconnecter"},
	"badlogin":    {"Unknown name or wrong passphrase.", "Nom inconnu ou phrase de passe incorrecte."},
	"ratelimited": {"Too many failed attempts. Try again in %d min.", "Trop d'essais manqués. Réessayez dans %d min."}, // %d: minutes
	"tagline":     {"Your personal data, in one place you control.", "Vos données personnelles, en un lieu que vous maîtrisez."},
	// Why the login page is shown (toLogin); %s is the name of the page the person goes back to.
	"session.ended":        {"Your session has ended; log in again to go back to the page “%s”.", "Votre session a pris fin ; reconnectez-vous pour revenir à la page « %s »."},
	"session.unsaved":      {"Your session has ended, so what you sent was not saved. Log in again to go back to the page “%s”, and send it again.", "Votre session a pris fin : ce que vous avez envoyé n'a pas été enregistré. Reconnectez-vous pour revenir à la page « %s », puis envoyez-le à nouveau."},
	"session.login":        {"Log in to go to the page “%s”.", "Connectez-vous pour aller à la page « %s »."},
	"login.page.authorize": {"A service asks for access", "Un service demande un accès"},
	"login.badhint":        {"Check the name of your store and type the passphrase again: capital letters and spaces count.", "Vérifiez le nom de votre espace et tapez à nouveau la phrase de passe : les majuscules et les espaces comptent."},
	"login.namekept":       {"Logins are paused for a while to protect your store from someone guessing; your name is kept below.", "Les connexions sont suspendues un moment pour protéger votre espace de quelqu'un qui essaierait de deviner ; votre nom est gardé ci-dessous."},
	"form.expired.login":   {"This form had expired, so you were not logged in. Type your passphrase again.", "Ce formulaire avait expiré : vous n'avez pas été connecté. Tapez à nouveau votre phrase de passe."},
}
