package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/services"
	"selfdata/internal/services/signoflife"
	"selfdata/internal/store"
)

// The person's side of the service: who they share signs of life with, what each one sees
// today, the invitation of a relative, and the end of a share. What the relatives see is
// computed by internal/services/signoflife; this file only puts it in words.

// solPath is the service's page.
const solPath = "/services/" + services.SignOfLife

// solView is the person's page.
type solView struct {
	Sharing []relativeCard // invited or joined, shares going on
	Ended   []relativeCard
	// Preview is what a relative expecting activity by DefaultExpect would see today,
	// shown while nobody shares.
	Preview *reportView
	Invited *invitedView // the invitation just made, shown once
	Stopped string       // the name of the relative whose share was just stopped
	Form    inviteForm
	Hours   []hourChoice
	Kinds   []kindChoice
	// Relatives tells whether this server lets relatives in at all.
	Relatives bool
}

// relativeCard is one relative as the person sees them.
type relativeCard struct {
	store.Relative
	Invited  bool   // the invitation is not redeemed yet
	Expired  bool   // nor can it be any more
	Since    string // joined, invited until, or ended, in words
	Expect   string // the expected hour, "10:00"
	Signals  []string
	Report   *reportView // what they see today; nil until they joined
	LastRead string      // the latest read made for them ("" : none)
	Notices  []string    // the days they were sent a notice, recent first
}

// invitedView is the invitation just made: the one time its code is shown.
type invitedView struct {
	Name, Code, Link, Where, Expires string
}

// inviteForm is the invitation form as the person filled it, with what is wrong.
type inviteForm struct {
	Name, PersonName string
	Expect           int
	Signals          []string
	Error            string // a text key
}

type hourChoice struct {
	Hour  int
	Label string
}

type kindChoice struct {
	Kind, Label string
	Checked     bool
}

// signOfLifePage: GET /services/{id} for services.SignOfLife, once switched on.
func (s *Server) signOfLifePage(w http.ResponseWriter, r *http.Request, p gate.Principal, rd services.Reader) error {
	return s.signOfLifeRender(w, r, p, rd, http.StatusOK, solView{Form: inviteForm{Expect: signoflife.DefaultExpect, Signals: signoflife.Kinds()}})
}

// signOfLifeRender renders the person's page with v's form and invitation, reading what the
// relatives see through rd (the service's own reads, logged under its name).
func (s *Server) signOfLifeRender(w http.ResponseWriter, r *http.Request, p gate.Principal, rd services.Reader, status int, v solView) error {
	ctx, lg, now := r.Context(), lang(r), time.Now()
	data, err := signoflife.Load(ctx, rd, signoflife.Kinds(), now)
	if err != nil {
		return err
	}
	v.Relatives = s.rel != nil
	if s.rel != nil {
		list, err := s.rel.List(ctx, p.Instance)
		if err != nil {
			return err
		}
		for _, rel := range list {
			card, err := s.relativeCard(r, p, rel, data, now)
			if err != nil {
				return err
			}
			if rel.Ended != nil {
				if rel.ID == r.URL.Query().Get("stopped") {
					v.Stopped = rel.Name
				}
				v.Ended = append(v.Ended, card)
			} else {
				v.Sharing = append(v.Sharing, card)
			}
		}
	}
	if len(v.Sharing) == 0 {
		pv := s.reportView(lg, data.Evaluate(signoflife.Settings{Expect: signoflife.DefaultExpect, Signals: signoflife.Kinds()}))
		v.Preview = &pv
	}
	for h := signoflife.MinExpect; h <= signoflife.MaxExpect; h++ {
		v.Hours = append(v.Hours, hourChoice{h, clock(h)})
	}
	for _, k := range signoflife.Kinds() {
		v.Kinds = append(v.Kinds, kindChoice{k, s.t(lg, "sol.kind."+k), slices.Contains(v.Form.Signals, k)})
	}
	return s.render(w, r, status, "svc_signoflife.html", page{Title: "svc." + services.SignOfLife, Data: v})
}

// relativeCard puts one relative in words, with what they see today when they joined.
func (s *Server) relativeCard(r *http.Request, p gate.Principal, rel store.Relative, data *signoflife.Data, now time.Time) (relativeCard, error) {
	lg := lang(r)
	c := relativeCard{Relative: rel, Expect: clock(rel.Expect)}
	for _, k := range rel.Signals {
		c.Signals = append(c.Signals, s.t(lg, "sol.kind."+k))
	}
	switch {
	case rel.Ended != nil:
		c.Since = formatInstant(*rel.Ended, lg)
		return c, nil
	case rel.Joined == nil:
		c.Invited, c.Expired = true, !now.Before(rel.InviteExpires)
		c.Since = formatInstant(rel.InviteExpires, lg)
		return c, nil
	}
	c.Since = formatInstant(*rel.Joined, lg)
	rv := s.reportView(lg, data.Evaluate(signoflife.Settings{Expect: rel.Expect, Signals: rel.Signals}))
	c.Report = &rv
	last, err := s.gate.AccessLog(r.Context(), p, store.LogQuery{Principal: string(gate.KindRelative), ActorID: rel.ID, Limit: 1})
	if err != nil {
		return c, err
	}
	if len(last) > 0 {
		c.LastRead = formatInstant(last[0].At, lg)
	}
	if s.sol != nil {
		ns, err := s.sol.Notices(r.Context(), rel)
		if err != nil {
			return c, err
		}
		for _, n := range ns {
			c.Notices = append(c.Notices, formatDate(n.Day, lg))
		}
	}
	return c, nil
}

// solReader is the service's reader for the person p, or a 409 when it is off (a form of its
// page posted after a withdrawal).
func (s *Server) solReader(r *http.Request, p gate.Principal) (services.Reader, error) {
	bp, on, err := s.cons.BuiltIn(r.Context(), p.Instance, services.SignOfLife)
	if err != nil {
		return nil, err
	}
	if !on {
		return nil, errorf(http.StatusConflict, "The Sign of life service is off: switch it on first, on its page.")
	}
	return services.Through(s.gate, bp), nil
}

// signOfLifeInvite: POST /services/selfdata-signoflife/relatives (csrf, name, person_name,
// expect, signal...) — an invitation; the page answers with its one-time code, shown once.
func (s *Server) signOfLifeInvite(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	if s.rel == nil {
		return errNoRelatives
	}
	rd, err := s.solReader(r, p)
	if err != nil {
		return err
	}
	f := inviteForm{Name: r.PostFormValue("name"), PersonName: r.PostFormValue("person_name"), Signals: r.PostForm["signal"]}
	f.Expect, err = strconv.Atoi(r.PostFormValue("expect"))
	switch {
	case err != nil || f.Expect < signoflife.MinExpect || f.Expect > signoflife.MaxExpect:
		f.Error, f.Expect = "sol.err.expect", signoflife.DefaultExpect
	case len(f.Signals) == 0:
		f.Error = "sol.err.signal"
	case slices.ContainsFunc(f.Signals, func(k string) bool { return !slices.Contains(signoflife.Kinds(), k) }):
		return errorf(http.StatusBadRequest, "signal: %s is not a signal of this service.", input.Excerpt(strings.Join(f.Signals, ", ")))
	}
	if f.Error != "" {
		return s.signOfLifeRender(w, r, p, rd, http.StatusBadRequest, solView{Form: f})
	}
	slices.SortFunc(f.Signals, func(a, b string) int {
		return slices.Index(signoflife.Kinds(), a) - slices.Index(signoflife.Kinds(), b)
	})
	f.Signals = slices.Compact(f.Signals)
	code, rel, err := s.rel.Invite(r.Context(), p.Instance, auth.Invitation{Name: f.Name, PersonName: f.PersonName, Expect: f.Expect, Signals: f.Signals})
	var ie *auth.InputError
	if errors.As(err, &ie) {
		f.Error = "sol.err." + ie.Field
		return s.signOfLifeRender(w, r, p, rd, http.StatusBadRequest, solView{Form: f})
	}
	if err != nil {
		return err
	}
	join := s.siteURL(r) + relativePath + "/join"
	inv := &invitedView{Name: rel.Name, Code: code, Link: join + "?code=" + url.QueryEscape(code), Where: join, Expires: formatInstant(rel.InviteExpires, lang(r))}
	return s.signOfLifeRender(w, r, p, rd, http.StatusOK, solView{Invited: inv, Form: inviteForm{Expect: signoflife.DefaultExpect, Signals: signoflife.Kinds()}})
}

// stopView is the confirmation of the end of a share.
type stopView struct {
	Relative relativeCard
}

// signOfLifeStopPage: GET /services/selfdata-signoflife/relatives/{rid}/stop — are you sure?
func (s *Server) signOfLifeStopPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	rel, err := s.sharingRelative(r, p)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "svc_signoflife_stop.html", page{Title: "sol.stop", Data: stopView{Relative: relativeCard{Relative: rel}}})
}

// signOfLifeStop: POST /services/selfdata-signoflife/relatives/{rid}/stop (csrf) — the end
// of a share, at once: the relative's page says it ended and reads nothing.
func (s *Server) signOfLifeStop(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	rel, err := s.sharingRelative(r, p)
	if err != nil {
		return err
	}
	if err := s.rel.Stop(r.Context(), p.Instance, rel.ID); err != nil {
		return err
	}
	http.Redirect(w, r, solPath+"?stopped="+url.QueryEscape(rel.ID), http.StatusSeeOther)
	return nil
}

// sharingRelative is the person's relative of the path whose share goes on; another
// person's, or one ended, is not found.
func (s *Server) sharingRelative(r *http.Request, p gate.Principal) (store.Relative, error) {
	if s.rel == nil {
		return store.Relative{}, errNoRelatives
	}
	rel, err := s.rel.Get(r.Context(), p.Instance, r.PathValue("rid"))
	if errors.Is(err, store.ErrNotFound) || err == nil && rel.Ended != nil {
		return rel, errorf(http.StatusNotFound, "You share signs of life with no relative %s.", input.Excerpt(r.PathValue("rid")))
	}
	return rel, err
}

// siteURL is where people reach this server: the configured public address, or the one
// this request came to.
func (s *Server) siteURL(r *http.Request) string {
	if u := strings.TrimRight(s.cfg.PublicURL, "/"); u != "" {
		return u
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// clock writes an hour of the day as times are written on these pages, "07:00".
func clock(h int) string { return fmt.Sprintf("%02d:00", h) }
