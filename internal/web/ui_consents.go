package web

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/go-jose/go-jose/v4"

	"selfdata/internal/consent"
	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/services"
	"selfdata/internal/services/accounts"
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
	// Ended is when a grant no longer active stopped: its withdrawal, its service's removal,
	// or its end date once passed. It is shown instead of the end it used to have.
	Ended *time.Time
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

// confirmView is the step before an action that cannot be taken back (confirm.html): the
// question, what will happen and whether it can be undone — text keys, each worded with
// Name — and the real form's action, its button, and the way back.
type confirmView struct {
	Question string
	Effects  []string
	Undo     string
	Button   string
	Keep     string // the cancel link's words
	Name     string // who the action is about
	Action   string // the POST it confirms
	Cancel   string // where Cancel leads: back to what it was about
	// Fields are the form's hidden fields besides csrf (a revision, the view to return to).
	Fields map[string]string
}

// consentsPage: GET /consents[?done=withdrawn&svc=ID|done=narrowed|error=withdrawn|confirm=ID]
// — the person's grants by service, what each service did, and the unread alerts, which
// showing marks read; with confirm, the step before withdrawing that grant instead.
func (s *Server) consentsPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	services, err := s.consentServices(r.Context(), p, lang(r))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if id := q.Get("confirm"); id != "" {
		return s.confirmWithdraw(w, r, services, id) // shows no alert, so marks none read
	}
	alerts, err := s.showAlerts(r.Context(), p, lang(r))
	if err != nil {
		return err
	}
	done := map[string]string{"withdrawn": "cons.done.withdrawn", "narrowed": "cons.done.narrowed"}[q.Get("done")]
	data := map[string]any{"Services": services, "Alerts": alerts, "Done": done}
	if done == "cons.done.withdrawn" {
		data["Again"] = s.consentAgain(services, q.Get("svc"), lang(r))
	}
	pg := page{Title: "consents", Data: data}
	pg.Error = map[string]string{"withdrawn": "cons.already", "narrow": "cons.err.narrow"}[r.URL.Query().Get("error")]
	return s.render(w, r, http.StatusOK, "consents.html", pg)
}

// withdrawConfirm is the step before a withdrawal (confirm.html), less its names and paths.
var withdrawConfirm = confirmView{Question: "confirm.withdraw.q", Effects: []string{"confirm.withdraw.stop", "confirm.withdraw.keep"},
	Undo: "confirm.withdraw.undo", Button: "confirm.withdraw.button", Keep: "confirm.withdraw.cancel"}

// confirmWithdraw: GET /consents?confirm=GRANT — what withdrawing will do, and the real
// button. Another person's grant, or one no longer active, is not found.
func (s *Server) confirmWithdraw(w http.ResponseWriter, r *http.Request, list []*consentService, id string) error {
	for _, cs := range list {
		for _, g := range cs.Grants {
			if g.ID != id || g.State != store.GrantActive {
				continue
			}
			v := withdrawConfirm
			v.Name = cmp.Or(cs.Service.Name, cs.ID)
			v.Action = "/consents/" + url.PathEscape(id) + "/withdraw"
			v.Cancel = "/consents#grant-" + url.PathEscape(id)
			return s.render(w, r, http.StatusOK, "confirm.html", page{Title: "consents", Data: v})
		}
	}
	return errorf(http.StatusNotFound, "There is no active consent %s to withdraw.", input.Excerpt(id))
}

// consentAgain tells, after a withdrawal, where the consent can be given again: a built-in
// service's page, or the service itself (its consent screen comes from its own site).
func (s *Server) consentAgain(list []*consentService, id, lg string) map[string]string {
	for _, cs := range list {
		if cs.ID != id {
			continue
		}
		if services.IsBuiltIn(id) {
			return map[string]string{"Text": fmt.Sprintf(s.t(lg, "cons.again.builtin"), cs.Service.Name), "Href": "/services/" + url.PathEscape(id)}
		}
		return map[string]string{"Text": fmt.Sprintf(s.t(lg, "cons.again.service"), cmp.Or(cs.Service.Name, cs.ID))}
	}
	return nil
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
		if v.Ended, err = s.grantEnded(ctx, g); err != nil {
			return nil, err
		}
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

// grantEnded is when a grant stopped, nil while it is active: the time of the event that
// ended it (withdrawal, the service's removal) as its record keeps it, or its end date
// once that has passed.
func (s *Server) grantEnded(ctx context.Context, g store.Grant) (*time.Time, error) {
	if g.State == store.GrantActive {
		return nil, nil
	}
	if g.State == store.GrantExpired {
		return g.Expires, nil
	}
	hist, err := s.cons.History(ctx, g.Instance, g.ID)
	if err != nil {
		return nil, err
	}
	for i := len(hist) - 1; i >= 0; i-- {
		if e := hist[i].Event; e == store.ConsentWithdrawn || e == store.ConsentServiceRemoved {
			return &hist[i].At, nil
		}
	}
	return nil, nil
}

// consentService reads one service from the catalog, and its activity in the person's store.
// A built-in service is named and described in the person's language.
func (s *Server) consentService(ctx context.Context, p gate.Principal, id, lg string) (*consentService, error) {
	cs := &consentService{ID: id}
	svc, err := s.cons.Service(ctx, id)
	switch {
	case err == nil:
		cs.Service = s.serviceIn(svc, lg)
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
		if t := rightsAlertText(lg, al); t != "" {
			out[i].Text, out[i].Href = t, "/rights/requests#req-"+al.Params["request"]
		}
	}
	return out, nil
}

// withdrawConsentPage: POST /consents/{id}/withdraw (csrf), then back to the consents page,
// which says where the consent can be given again. The page's button leads to the
// confirmation first (GET /consents?confirm=ID); the POST alone still works for a form.
// Another person's grant is not found (404); one already withdrawn shows its state.
func (s *Server) withdrawConsentPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	g, err := s.cons.Withdraw(r.Context(), p.Instance, r.PathValue("id"))
	switch {
	case errors.Is(err, store.ErrInvalid):
		http.Redirect(w, r, "/consents?error=withdrawn", http.StatusSeeOther)
		return nil
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/consents?done=withdrawn&svc="+url.QueryEscape(g.Service), http.StatusSeeOther)
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
	data := map[string]any{"Done": done, "Export": s.exp != nil, "Erase": s.erase != nil}
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

// receiptView is what receipt.html shows of one consent: what the person agreed to, with
// whom, its history, and the signed receipt's id and whether its signature checks out.
type receiptView struct {
	Grant       consentGrant
	Service     string // the service as the consent screen named it
	Description string
	Company     string
	Policy      string
	Retention   string
	LeavesStore bool
	Subject     string // the person's store, as the receipt names them
	Events      []store.ConsentEvent
	// The signed receipt: the key that signed it, its format, and whether the signature
	// checks out against the keys the store publishes (VerifyError says why not). Its own
	// id is not shown: each receipt signed gets a new one, so this page's would not be the
	// downloaded file's.
	KeyID, Version string
	Verified       bool
	VerifyError    string
}

// consentReceiptPage: GET /consents/{id}/receipt — the consent receipt as a page a person
// reads, in their language, and prints to keep (the .jws stays at the API's address, for
// machines). Another person's grant is not found.
func (s *Server) consentReceiptPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	ctx, lg := r.Context(), lang(r)
	g, err := s.cons.Get(ctx, p.Instance, r.PathValue("id"))
	if err != nil {
		return err
	}
	hist, err := s.cons.History(ctx, p.Instance, g.ID)
	if err != nil {
		return err
	}
	v := receiptView{Grant: consentGrant{Grant: g}, Events: hist}
	if v.Grant.Ended, err = s.grantEnded(ctx, g); err != nil {
		return err
	}
	reg := s.gate.Registry()
	for _, dt := range g.Doctypes {
		if d, ok := reg.Get(dt); ok {
			v.Grant.Categories = append(v.Grant.Categories, d)
		} else {
			v.Grant.Others = append(v.Grant.Others, dt)
		}
	}
	if len(hist) > 0 {
		var rec consent.Record
		if err := json.Unmarshal(hist[len(hist)-1].Record, &rec); err != nil {
			return fmt.Errorf("consent record of grant %s: %w", g.ID, err)
		}
		v.Service, v.Description, v.Company, v.Policy = rec.ServiceName, rec.ServiceDescription, rec.Controller.Name, rec.Controller.PrivacyPolicy
		v.Retention, v.LeavesStore, v.Subject = rec.Retention, rec.LeavesStore, rec.SubjectName
	}
	if services.IsBuiltIn(g.Service) {
		v.Service, v.Description, v.Retention = s.t(lg, "svc."+g.Service), s.t(lg, "svc."+g.Service+".desc"), s.t(lg, "svc.retention")
	}
	v.Service = cmp.Or(v.Service, g.Service)
	if err := s.checkReceipt(ctx, p, g.ID, &v); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "receipt.html", page{Title: "rcpt", Data: v})
}

// checkReceipt signs the grant's receipt as the API hands it out, and checks it the way
// anyone would: against the store's published keys. A receipt that does not verify is
// shown as such (the person must know), not turned into an error page.
func (s *Server) checkReceipt(ctx context.Context, p gate.Principal, grantID string, v *receiptView) error {
	compact, err := s.cons.Receipt(ctx, p.Instance, grantID)
	if err != nil {
		return err
	}
	set, err := s.cons.JWKS(ctx, p.Instance)
	if err != nil {
		return err
	}
	jws, err := jose.ParseSignedCompact(compact, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		v.VerifyError = err.Error()
		return nil
	}
	v.KeyID = jws.Signatures[0].Header.KeyID
	keys := set.Key(v.KeyID)
	if len(keys) == 0 {
		v.VerifyError = "the key " + v.KeyID + " is not among the published keys"
		return nil
	}
	payload, err := jws.Verify(keys[0])
	if err != nil {
		v.VerifyError = err.Error()
		return nil
	}
	var rc consent.Receipt
	if err := json.Unmarshal(payload, &rc); err != nil {
		v.VerifyError = err.Error()
		return nil
	}
	v.Verified, v.Version = true, rc.Version
	return nil
}

// ruleDeleteConfirm is the step before deleting a rule of My accounts, less its names.
var ruleDeleteConfirm = confirmView{Question: "confirm.rule.q", Effects: []string{"confirm.rule.gone", "confirm.rule.back"},
	Undo: "confirm.rule.undo", Button: "confirm.rule.button", Keep: "confirm.rule.cancel"}

// accountsDeleteRulePage: GET /services/selfdata-accounts/rules/{rule}/delete[?rev=&view_...]
// — what deleting the rule will do, and the real form, which carries the revision and the
// view to come back to. Another person's rule is not found.
func (s *Server) accountsDeleteRulePage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	doc, err := s.gate.Get(r.Context(), p, accounts.RuleDoctype, r.PathValue("rule"))
	if err != nil {
		return err
	}
	rl, _ := accounts.ParseRule(doc)
	q := r.URL.Query()
	v := ruleDeleteConfirm
	v.Name = "« " + rl.Pattern + " »"
	if lang(r) == "en" {
		v.Name = "“" + rl.Pattern + "”"
	}
	v.Action = accountsPath + "/rules/" + url.PathEscape(doc.ID) + "/delete"
	v.Cancel = accountsPath + "#" + accAnchor("rule", doc.ID)
	v.Fields = map[string]string{"rev": cmp.Or(q.Get("rev"), doc.Rev)}
	for _, k := range []string{"view_category", "view_n"} {
		if val := q.Get(k); val != "" {
			v.Fields[k] = val
		}
	}
	return s.render(w, r, http.StatusOK, "confirm.html", page{Title: "svc." + services.Accounts, Data: v})
}
