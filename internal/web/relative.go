package web

// This file lets the relatives a person trusts in (the built-in service Sign of life): their
// own session cookie, read on their own routes only (access relativeUI and relativeOpen,
// dispatched here by wrap), which gives a gate principal of the kind relative, built from
// the person's grant to the service at each request. No other route reads that cookie, and
// no other access admits that kind, so a relative's session reaches nothing of the person's.

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"selfdata/internal/auth"
	"selfdata/internal/consent"
	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/services/signoflife"
	"selfdata/internal/store"
)

// relativeCookie holds a relative's session secret. Its path keeps it off every page but the
// relatives' own: the browser does not even send it to the person's routes.
const (
	relativeCookie = "selfdata_relative"
	relativePath   = "/relative"
)

// relativeKey carries the relative a relativeUI route was authenticated as.
type relativeKey struct{}

// relativeOf is the relative of a relativeUI route's request.
func relativeOf(r *http.Request) store.Relative {
	rel, _ := r.Context().Value(relativeKey{}).(store.Relative)
	return rel
}

// errNoRelatives answers the relatives' routes of a server built without them.
var errNoRelatives = errorf(http.StatusNotFound, "This server does not let relatives in.")

// sharePrincipal is what relative rel reads as: the person's grant to the sign-of-life
// service, narrowed to the doctypes rel's signals need, read only, logged under rel's name.
// on is false when the grant is off (withdrawn, expired): the share then reads nothing.
func sharePrincipal(ctx context.Context, cons *consent.Grants, rel store.Relative) (gate.Principal, bool, error) {
	bp, on, err := cons.BuiltIn(ctx, rel.Instance, services.SignOfLife)
	if err != nil || !on {
		return gate.Principal{}, false, err
	}
	need := signoflife.Doctypes(rel.Signals)
	var scopes []gate.Scope
	for _, s := range bp.Scopes {
		if slices.Contains(need, s.Doctype) {
			scopes = append(scopes, s)
		}
	}
	return gate.Relative(rel.Instance, rel.ID, rel.Name, bp.Purpose, scopes), true, nil
}

// RelativeOpener is how the sign-of-life check opens a relative's share: through g, as the
// relative's principal under the person's grant (sharePrincipal). Main hands it to
// signoflife.NewChecker, so that the check and the relative's page read alike.
func RelativeOpener(g *gate.Gate, cons *consent.Grants) signoflife.Opener {
	return func(ctx context.Context, rel store.Relative) (services.Reader, bool, error) {
		p, on, err := sharePrincipal(ctx, cons, rel)
		if err != nil || !on {
			return nil, false, err
		}
		return services.Through(g, p), true, nil
	}
}

// errShareEnded is what relativePrincipal says of a share the person stopped or whose grant
// is off.
var errShareEnded = errors.New("share ended")

// relativePrincipal authenticates a relative's request: their session, the relative, and the
// person's grant. A share that ended (stopped, or the grant off) ends the session here and
// is errShareEnded, with the relative.
func (s *Server) relativePrincipal(w http.ResponseWriter, r *http.Request) (gate.Principal, store.Relative, error) {
	c, err := r.Cookie(relativeCookie)
	if err != nil {
		return gate.Principal{}, store.Relative{}, auth.ErrUnauthenticated
	}
	rel, err := s.rel.Session(r.Context(), c.Value)
	switch {
	case errors.Is(err, auth.ErrShareEnded):
		s.clearRelativeCookie(w, r)
		return gate.Principal{}, rel, errShareEnded
	case err != nil:
		return gate.Principal{}, rel, err
	}
	p, on, err := sharePrincipal(r.Context(), s.cons, rel)
	if err != nil {
		return gate.Principal{}, rel, err
	}
	if !on {
		// Withdrawn: what the relative had open closes with it.
		if err := s.rel.EndSessions(r.Context(), rel.ID); err != nil {
			return gate.Principal{}, rel, err
		}
		s.clearRelativeCookie(w, r)
		return gate.Principal{}, rel, errShareEnded
	}
	return p, rel, nil
}

// wrapRelative serves the relatives' routes: authenticated by their own session for
// relativeUI (the login page otherwise), with their own pages for errors.
func (s *Server) wrapRelative(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.rel == nil {
			s.relativeError(w, r, errNoRelatives)
			return
		}
		var p gate.Principal
		if rt.access == relativeUI {
			var rel store.Relative
			var err error
			p, rel, err = s.relativePrincipal(w, r)
			switch {
			case errors.Is(err, auth.ErrUnauthenticated):
				http.Redirect(w, r, relativePath+"/login", http.StatusSeeOther)
				return
			case errors.Is(err, errShareEnded):
				if err := s.render(w, r, http.StatusOK, "relative_ended.html", page{Title: "sol.rel.ended", Data: rel}); err != nil {
					s.log.Error("render relative page", "err", err)
				}
				return
			case err != nil:
				s.relativeError(w, r, err)
				return
			}
			if !slices.Contains(allowed[rt.access], p.Kind) {
				http.Redirect(w, r, relativePath+"/login", http.StatusSeeOther)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), relativeKey{}, rel))
		}
		if err := rt.h(w, r, p); err != nil {
			s.relativeError(w, r, err)
		}
	})
}

// relativeError answers a relative's page with what went wrong, on a page of theirs (the
// person's menu is not theirs); internal causes are logged, never shown.
func (s *Server) relativeError(w http.ResponseWriter, r *http.Request, err error) {
	p, ok := problemFor(err)
	if !ok {
		s.log.Error("relative page failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	setRetryAfter(w, err)
	if rerr := s.render(w, r, p.Status, "relative_error.html", page{Title: "sol.rel.error", Error: p.Detail, Data: p.Status}); rerr != nil {
		s.log.Error("render relative error page", "err", rerr)
	}
}

// setRelativeCookie starts a relative's session in the browser.
func (s *Server) setRelativeCookie(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{Name: relativeCookie, Value: secret, Path: relativePath, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secure(r), MaxAge: int(s.cfg.SessionTTL.Seconds())})
}

func (s *Server) clearRelativeCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: relativeCookie, Value: "", Path: relativePath, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r), MaxAge: -1})
}
