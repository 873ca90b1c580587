package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/services"
	"selfdata/internal/store"
)

// ownerKey carries, in a page request's context, the person whose page it is, so that what
// every page shows — the alert badge in the menu — needs nothing from each handler.
type ownerKey struct{}

func withOwner(ctx context.Context, p gate.Principal) context.Context {
	return context.WithValue(ctx, ownerKey{}, p)
}

// unreadAlerts counts the person's unread alerts for the menu; 0 on pages that are nobody's
// (the login page) or when alerts are off. A failure is logged: a badge must not cost the
// page.
func (s *Server) unreadAlerts(r *http.Request) int {
	p, ok := r.Context().Value(ownerKey{}).(gate.Principal)
	if !ok || s.alert == nil {
		return 0
	}
	n, err := s.alert.Unread(r.Context(), p.Instance)
	if err != nil {
		s.log.Error("count unread alerts", "err", err)
	}
	return n
}

// consentService is one service of the consents page: the person's grants to it, newest
// first, and what it did with their data.
type consentService struct {
	ID       string
	Service  store.Service // Name is empty when the service left the catalog
	Grants   []consentGrant
	Activity []activityRow
	// Writes tells whether the service may write or has written: the page shows what it
	// wrote only then, to spare a column on a phone.
	Writes bool
}

// consentGrant is one grant with its doctypes' declarations.
type consentGrant struct {
	store.Grant
	Categories []*doctype.Doctype
	Others     []string // doctypes the registry does not know (shown by name)
	Shorter    []int    // the ends (days from now) the grant may be brought to: before its own
}

// activityRow is one doctype of a service's activity.
type activityRow struct {
	store.AccessSummary
	Category *doctype.Doctype // nil for "*" (a read across categories) or an unknown doctype
}

// alertView is an alert with what its message names.
type alertView struct {
	store.Alert
	Category *doctype.Doctype // first access: the doctype read, when declared
	Day      time.Time        // unusual volume: the day
	// Text is a Home energy alert (a leak, an excess, a frost) worded in the page's
	// language, and Href the place on that service's page it links to; "" for the others.
	Text, Href string
}

// consentsPage: GET /consents[?done=withdrawn|error=withdrawn] — the person's grants by
// service, what each service did, and the unread alerts, which showing marks read.
func (s *Server) consentsPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	services, err := s.consentServices(r.Context(), p, lang(r))
	if err != nil {
		return err
	}
	alerts, err := s.showAlerts(r.Context(), p, lang(r))
	if err != nil {
		return err
	}
	done := map[string]string{"withdrawn": "cons.done.withdrawn", "narrowed": "cons.done.narrowed"}[r.URL.Query().Get("done")]
	pg := page{Title: "consents", Data: map[string]any{"Services": services, "Alerts": alerts, "Done": done}}
	pg.Error = map[string]string{"withdrawn": "cons.already", "narrow": "cons.err.narrow"}[r.URL.Query().Get("error")]
	return s.render(w, r, http.StatusOK, "consents.html", pg)
}

// shorterDurations are the ends, in days from now, a person may bring a grant's end to;
// the page offers those before the grant's end.
var shorterDurations = []int{7, 30, 90}

// consentServices groups the person's grants by service, in the order of each service's
// newest grant, with the service's activity read from the access log through the gate.
func (s *Server) consentServices(ctx context.Context, p gate.Principal, lg string) ([]*consentService, error) {
	grants, err := s.cons.List(ctx, p.Instance)
	if err != nil {
		return nil, err
	}
	reg := s.gate.Registry()
	var out []*consentService
	byID := map[string]*consentService{}
	for _, g := range grants {
		cs := byID[g.Service]
		if cs == nil {
			if cs, err = s.consentService(ctx, p, g.Service, lg); err != nil {
				return nil, err
			}
			byID[g.Service] = cs
			out = append(out, cs)
		}
		v := consentGrant{Grant: g}
		for _, d := range shorterDurations {
			if g.Expires == nil || time.Now().AddDate(0, 0, d).Before(*g.Expires) {
				v.Shorter = append(v.Shorter, d)
			}
		}
		for _, dt := range g.Doctypes {
			if d, ok := reg.Get(dt); ok {
				v.Categories = append(v.Categories, d)
			} else {
				v.Others = append(v.Others, dt)
			}
		}
		cs.Grants = append(cs.Grants, v)
		cs.Writes = cs.Writes || slices.Contains(g.Verbs, string(gate.Write))
	}
	return out, nil
}

// consentService reads one service from the catalog, and its activity in the person's store.
// A built-in service is named and described in the person's language.
func (s *Server) consentService(ctx context.Context, p gate.Principal, id, lg string) (*consentService, error) {
	cs := &consentService{ID: id}
	svc, err := s.cons.Service(ctx, id)
	switch {
	case err == nil:
		cs.Service = svc.In(lg)
		if services.IsBuiltIn(id) {
			cs.Service.Name, cs.Service.Description = s.t(lg, "svc."+id), s.t(lg, "svc."+id+".desc")
			cs.Service.Access.Retention = s.t(lg, "svc.retention")
		}
	case !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	kind := gate.KindService
	if services.IsBuiltIn(id) {
		kind = gate.KindBuiltin
	}
	sums, err := s.gate.AccessSummary(ctx, p, store.LogQuery{Principal: string(kind), ActorID: id})
	if err != nil {
		return nil, err
	}
	reg := s.gate.Registry()
	for _, sum := range sums {
		d, _ := reg.Get(sum.Doctype)
		cs.Activity = append(cs.Activity, activityRow{AccessSummary: sum, Category: d})
		cs.Writes = cs.Writes || sum.Writes > 0
	}
	return cs, nil
}

// maxShownAlerts bounds the alerts one page shows (and marks read); the rest wait their turn.
const maxShownAlerts = 50

// showAlerts returns the unread alerts and marks them read: the person has seen them.
func (s *Server) showAlerts(ctx context.Context, p gate.Principal, lg string) ([]alertView, error) {
	if s.alert == nil {
		return nil, nil
	}
	unread, err := s.alert.List(ctx, p.Instance, true, maxShownAlerts)
	if err != nil {
		return nil, err
	}
	if err := s.alert.MarkRead(ctx, p.Instance, unread); err != nil {
		return nil, err
	}
	reg := s.gate.Registry()
	out := make([]alertView, len(unread))
	for i, al := range unread {
		out[i].Alert = al
		out[i].Category, _ = reg.Get(al.Params["doctype"])
		out[i].Day, _ = time.Parse(time.DateOnly, al.Params["day"])
		if out[i].Text = energyAlertText(lg, al); out[i].Text != "" {
			out[i].Href = energyPath + "#alert-" + al.ID
		}
	}
	return out, nil
}

// withdrawConsentPage: POST /consents/{id}/withdraw (csrf), then back to the consents page.
// Another person's grant is not found (404); one already withdrawn shows its state.
func (s *Server) withdrawConsentPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	_, err := s.cons.Withdraw(r.Context(), p.Instance, r.PathValue("id"))
	switch {
	case errors.Is(err, store.ErrInvalid):
		http.Redirect(w, r, "/consents?error=withdrawn", http.StatusSeeOther)
		return nil
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/consents?done=withdrawn", http.StatusSeeOther)
	return nil
}

// narrowConsentPage: POST /consents/{id}/narrow (csrf, doctype..., days) — the person
// unticks categories of an active grant or brings its end closer (days from now; empty:
// the end stays), then back to the page.
func (s *Server) narrowConsentPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	var expires *time.Time
	if v := r.PostFormValue("days"); v != "" {
		days, err := strconv.Atoi(v)
		if err != nil || days < 1 {
			return errorf(http.StatusBadRequest, "The duration %s is not a number of days.", input.Excerpt(v))
		}
		e := time.Now().AddDate(0, 0, days)
		expires = &e
	}
	_, err := s.cons.Narrow(r.Context(), p.Instance, r.PathValue("id"), r.PostForm["doctype"], expires)
	switch {
	case errors.Is(err, store.ErrInvalid):
		http.Redirect(w, r, "/consents?error=narrow#grant-"+url.PathEscape(r.PathValue("id")), http.StatusSeeOther)
		return nil
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/consents?done=narrowed", http.StatusSeeOther)
	return nil
}

// settingsData is what settings.html shows besides a message: the alert address and
// whether this server sends emails at all.
func (s *Server) settingsData(r *http.Request, p gate.Principal, done string) (map[string]any, error) {
	data := map[string]any{"Done": done}
	if s.alert == nil {
		return data, nil
	}
	email, err := s.alert.Email(r.Context(), p.Instance)
	if err != nil {
		return nil, err
	}
	data["Alerts"], data["Email"], data["Mails"] = true, email, s.alert.Mails()
	return data, nil
}

// changeEmail: POST /settings/email (csrf, email) — where alerts are sent; empty for nowhere.
func (s *Server) changeEmail(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	if s.alert == nil {
		return errorf(http.StatusNotFound, "Alerts are not enabled on this server.")
	}
	email := r.PostFormValue("email")
	err := s.alert.SetEmail(r.Context(), p.Instance, email)
	switch {
	case errors.Is(err, store.ErrInvalid):
		data, derr := s.settingsData(r, p, "")
		if derr != nil {
			return derr
		}
		data["Email"] = email // what was typed, to correct it
		return s.render(w, r, http.StatusBadRequest, "settings.html", page{Title: "settings", Error: "email.bad", Data: data})
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/settings?done=email", http.StatusSeeOther)
	return nil
}
