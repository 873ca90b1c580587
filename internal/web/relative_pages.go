package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/services/signoflife"
	"selfdata/internal/store"
)

// The relatives' pages: their login, the redemption of an invitation, and the one page of
// signals that is all they see of the person.

// relativeHomeView is a relative's page.
type relativeHomeView struct {
	Name, PersonName, Email string
	Report                  reportView
	Notices                 []string // the days a notice was raised, recent first
	Done                    string   // "email" after the address was changed
}

// relativeHome: GET /relative — the signals shared with the relative, computed now through
// the gate as the relative, under the person's grant: each look is in the person's log.
func (s *Server) relativeHome(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	rel, lg := relativeOf(r), lang(r)
	rep, err := signoflife.Compute(r.Context(), services.Through(s.gate, p), signoflife.Settings{Expect: rel.Expect, Signals: rel.Signals}, time.Now())
	if err != nil {
		return err
	}
	v := relativeHomeView{Name: rel.Name, PersonName: rel.PersonName, Email: rel.Email, Report: s.reportView(lg, rep), Done: r.URL.Query().Get("done")}
	if s.sol != nil {
		ns, err := s.sol.Notices(r.Context(), rel)
		if err != nil {
			return err
		}
		for _, n := range ns {
			v.Notices = append(v.Notices, formatDate(n.Day, lg))
		}
	}
	return s.render(w, r, http.StatusOK, "relative.html", page{Title: "sol.rel.title", Data: v})
}

// relativeEmail: POST /relative/email (csrf, email) — where the relative's notices go.
func (s *Server) relativeEmail(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	err := s.rel.SetEmail(r.Context(), relativeOf(r), r.PostFormValue("email"))
	if errors.Is(err, auth.ErrRelativeInput) {
		return errorf(http.StatusBadRequest, "email: %s", s.t(lang(r), "sol.err.email"))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, relativePath+"?done=email", http.StatusSeeOther)
	return nil
}

// relativeLoginView is the relatives' login page.
type relativeLoginView struct {
	Login string
	Wait  int // minutes to wait when too many logins failed
}

// relativeLoginPage: GET /relative/login.
func (s *Server) relativeLoginPage(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	return s.render(w, r, http.StatusOK, "relative_login.html", page{Title: "sol.rel.login", Data: relativeLoginView{}})
}

// relativeLogin: POST /relative/login (csrf, login, passphrase), limited as the person's
// login is.
func (s *Server) relativeLogin(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	v := relativeLoginView{Login: strings.TrimSpace(r.PostFormValue("login"))}
	secret, _, err := s.rel.Login(r.Context(), v.Login, r.PostFormValue("passphrase"), s.clientAddr(r))
	var rl *auth.RateLimitedError
	switch {
	case errors.As(err, &rl):
		w.Header().Set("Retry-After", strconv.Itoa(rl.Seconds()))
		v.Wait = (rl.Seconds() + 59) / 60
		return s.render(w, r, http.StatusTooManyRequests, "relative_login.html", page{Title: "sol.rel.login", Error: "sol.rel.ratelimited", Data: v})
	case errors.Is(err, auth.ErrBadCredentials):
		return s.render(w, r, http.StatusUnauthorized, "relative_login.html", page{Title: "sol.rel.login", Error: "sol.rel.badlogin", Data: v})
	case err != nil:
		return err
	}
	s.setRelativeCookie(w, r, secret)
	http.Redirect(w, r, relativePath, http.StatusSeeOther)
	return nil
}

// relativeLogout: POST /relative/logout (csrf).
func (s *Server) relativeLogout(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	if err := checkCSRF(r); err != nil {
		return err
	}
	if c, err := r.Cookie(relativeCookie); err == nil {
		if err := s.rel.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearRelativeCookie(w, r)
	http.Redirect(w, r, relativePath+"/login", http.StatusSeeOther)
	return nil
}

// joinView is the page where a relative redeems an invitation.
type joinView struct {
	Code       string          // as typed; "" asks for it
	Invitation *store.Relative // the invitation the code opens
	Expect     string
	Signals    []string
	Login      string
	Email      string
	Wait       int
}

// relativeJoinPage: GET /relative/join[?code=] — asks for the code, or, given a live one,
// for the relative's login and passphrase. The code travels in the query (the request log
// never writes queries) and then in the form.
func (s *Server) relativeJoinPage(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	v := joinView{Code: strings.TrimSpace(r.URL.Query().Get("code"))}
	if v.Code == "" {
		return s.render(w, r, http.StatusOK, "relative_join.html", page{Title: "sol.rel.join", Data: v})
	}
	return s.joinForm(w, r, v, http.StatusOK, "")
}

// joinForm shows the form of v's invitation with errKey, or says that the code opens none.
func (s *Server) joinForm(w http.ResponseWriter, r *http.Request, v joinView, status int, errKey string) error {
	inv, err := s.rel.Invitation(r.Context(), v.Code, s.clientAddr(r))
	if answered, rerr := s.joinRefused(w, r, v, err); answered {
		return rerr
	}
	if err != nil {
		return err
	}
	v.Invitation, v.Expect = &inv, clock(inv.Expect)
	for _, k := range inv.Signals {
		v.Signals = append(v.Signals, s.t(lang(r), "sol.kind."+k))
	}
	return s.render(w, r, status, "relative_join.html", page{Title: "sol.rel.join", Error: errKey, Data: v})
}

// joinRefused answers when err says that the code opens no invitation (404, one answer for
// a code unknown, used, expired or ended) or that the client tried too many (429).
func (s *Server) joinRefused(w http.ResponseWriter, r *http.Request, v joinView, err error) (answered bool, rerr error) {
	var rl *auth.RateLimitedError
	switch {
	case errors.As(err, &rl):
		w.Header().Set("Retry-After", strconv.Itoa(rl.Seconds()))
		v.Wait = (rl.Seconds() + 59) / 60
		return true, s.render(w, r, http.StatusTooManyRequests, "relative_join.html", page{Title: "sol.rel.join", Error: "sol.rel.ratelimited", Data: v})
	case errors.Is(err, auth.ErrInvitation):
		v.Code = ""
		return true, s.render(w, r, http.StatusNotFound, "relative_join.html", page{Title: "sol.rel.join", Error: "sol.rel.badcode", Data: v})
	}
	return false, nil
}

// relativeJoin: POST /relative/join (csrf, code, login, passphrase, confirm, email) — the
// relative chooses their login and passphrase; the code is used up, and they are logged in.
func (s *Server) relativeJoin(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	v := joinView{Code: strings.TrimSpace(r.PostFormValue("code")), Login: strings.TrimSpace(r.PostFormValue("login")), Email: strings.TrimSpace(r.PostFormValue("email"))}
	pass := r.PostFormValue("passphrase")
	if pass != r.PostFormValue("confirm") {
		return s.joinForm(w, r, v, http.StatusBadRequest, "sol.err.confirm")
	}
	_, err := s.rel.Redeem(r.Context(), auth.Redemption{Code: v.Code, Login: v.Login, Passphrase: pass, Email: v.Email, Addr: s.clientAddr(r)})
	var ie *auth.InputError
	switch {
	case errors.Is(err, auth.ErrLoginTaken):
		return s.joinForm(w, r, v, http.StatusConflict, "sol.err.taken")
	case errors.Is(err, auth.ErrWeakPassphrase):
		return s.joinForm(w, r, v, http.StatusBadRequest, "sol.err.passphrase")
	case errors.As(err, &ie):
		return s.joinForm(w, r, v, http.StatusBadRequest, "sol.err."+ie.Field)
	case err != nil:
		if answered, rerr := s.joinRefused(w, r, v, err); answered {
			return rerr
		}
		return err
	}
	secret, _, err := s.rel.Login(r.Context(), v.Login, pass, s.clientAddr(r))
	if err != nil {
		return err
	}
	s.setRelativeCookie(w, r, secret)
	http.Redirect(w, r, relativePath, http.StatusSeeOther)
	return nil
}
