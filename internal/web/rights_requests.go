package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/rights/requests"
	"selfdata/internal/store"
)

// rightsRequestView is what rights_request_new.html shows: the kinds to pick from, who
// writes, the letter in the page's language and its mailto: link.
type rightsRequestView struct {
	Org                  store.Organization
	Kind                 string
	Kinds                []string
	Name, Address, Email string
	Details              string
	FromProfile          bool
	Letter               requests.Letter
	DPOEmail, Mailto     string
	Today, Due           string // YYYY-MM-DD, for the form that records the sending
	DueText              string // Due in the page's language
	// Record is the corrected record a request for rectification names (rectify.go).
	Record *rectifyLetterView
}

// rightsRequestNew: GET /rights/requests/new?org=ID[&kind=K], the request to an organization
// ready to send: a printable letter and the same as an email, in the page's language,
// pre-filled with the person's identity from their profile document. ?name=, ?address=,
// ?email= and ?details= put what the person typed in it; nothing is saved until they say
// they sent it.
func (s *Server) rightsRequestNew(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	q := r.URL.Query()
	org, err := s.orgs.Get(r.Context(), q.Get("org"))
	if err != nil {
		return err
	}
	v := rightsRequestView{Org: org, Kind: q.Get("kind"), Kinds: requests.Kinds}
	if v.Kind == "" {
		v.Kind = requests.Access
	}
	if requests.Article(v.Kind) == 0 {
		return errorf(http.StatusBadRequest, "kind %q is not a kind of request; give one of %s.", input.Excerpt(v.Kind), strings.Join(requests.Kinds, ", "))
	}
	who, fromProfile, err := s.rightsProfile(r, p)
	if err != nil {
		return err
	}
	v.FromProfile = fromProfile
	for field, dst := range map[string]*string{"name": &who.Name, "email": &who.Email, "details": &v.Details} {
		if err := rightsField(field, q.Get(field), dst); err != nil {
			return err
		}
	}
	var addr string
	if err := rightsField("address", q.Get("address"), &addr); err != nil {
		return err
	}
	if addr != "" {
		who.Address = splitAddress(addr)
	}
	v.Name, v.Email, v.Address = who.Name, who.Email, strings.Join(who.Address, ", ")
	today := time.Now()
	v.Letter, err = requests.Compose(lang(r), v.Kind, who, requests.Recipient{Name: org.Name, DPO: cmpOr(org.DPO, org.Contact)}, today, v.Details)
	if err != nil {
		return err
	}
	if v.Record, err = s.rectifyLetter(r, p, org); err != nil {
		return err
	}
	if v.Record != nil && v.Kind == requests.Rectification {
		v.Letter = v.Letter.Correcting(v.Record.Corrected)
	}
	v.DPOEmail = requests.EmailOf(cmpOr(org.DPO, org.Contact))
	v.Mailto = v.Letter.Mailto(v.DPOEmail)
	v.Today, v.Due = today.Format(time.DateOnly), v.Letter.Due.Format(time.DateOnly)
	v.DueText = requests.FormatDate(v.Letter.Lang, v.Letter.Due)
	return s.render(w, r, http.StatusOK, "rights_request_new.html", page{Title: "rights.new.title", Data: v})
}

func cmpOr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// rightsField checks one field the person typed for a letter, and keeps it in dst when given.
func rightsField(field, v string, dst *string) error {
	v = strings.TrimSpace(v)
	limit := 200
	if field == "details" {
		limit = 2000
	}
	switch {
	case input.TextProblem(v) != "":
		return errorf(http.StatusBadRequest, "%s %s.", field, input.TextProblem(v))
	case utf8.RuneCountInString(v) > limit:
		return errorf(http.StatusBadRequest, "%s is longer than %d characters.", field, limit)
	case field != "details" && strings.IndexFunc(v, unicode.IsControl) >= 0:
		return errorf(http.StatusBadRequest, "%s holds a control character (a line break?): give it on one line.", field)
	}
	if v != "" {
		*dst = v
	}
	return nil
}

// splitAddress cuts an address typed on one line into the lines of a letter, at its commas.
func splitAddress(s string) []string {
	var out []string
	for _, l := range strings.Split(s, ",") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// rightsProfile reads who the person is from their profile document (the first one), through
// the gate: the read is in their access log like any other.
func (s *Server) rightsProfile(r *http.Request, p gate.Principal) (requests.Identity, bool, error) {
	pg, err := s.gate.Query(r.Context(), p, store.Query{Doctype: "profile", Limit: 1})
	if err != nil || len(pg.Items) == 0 {
		return requests.Identity{}, false, err
	}
	var pr struct {
		GivenName, FamilyName, Email string
		Address                      struct{ Street, PostalCode, City, Country string }
	}
	if err := json.Unmarshal(pg.Items[0].Data, &pr); err != nil {
		return requests.Identity{}, false, err
	}
	who := requests.Identity{Name: strings.TrimSpace(pr.GivenName + " " + pr.FamilyName), Email: pr.Email}
	if a := pr.Address; a.Street != "" {
		who.Address = []string{a.Street, strings.TrimSpace(a.PostalCode + " " + a.City)}
	}
	return who, true, nil
}

// rightsRequestSent: POST /rights/requests, the person sent the request (org, kind, sentAt):
// it is kept as a rights.request document, due one month later.
func (s *Server) rightsRequestSent(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	org, err := s.orgs.Get(r.Context(), r.PostFormValue("org"))
	if err != nil {
		return err
	}
	sent, err := rightsDay("sentAt", r.PostFormValue("sentAt"))
	if err != nil {
		return err
	}
	if _, err := requests.Record(r.Context(), s.gate, p, org, r.PostFormValue("kind"), sent); err != nil {
		return err
	}
	http.Redirect(w, r, "/rights/requests?done=sent", http.StatusSeeOther)
	return nil
}

// rightsDay reads a day the person gave (YYYY-MM-DD, an <input type=date>'s value): not
// later than tomorrow, which leaves room for a time zone ahead of the server's.
func rightsDay(field, v string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(v))
	if err != nil {
		return time.Time{}, errorf(http.StatusBadRequest, "%s %q is not a day such as 2026-12-03.", field, input.Excerpt(v))
	}
	if d.After(time.Now().AddDate(0, 0, 1)) {
		return time.Time{}, errorf(http.StatusBadRequest, "%s %s is in the future.", field, v)
	}
	return d, nil
}

// rightsRequestAnswer: POST /rights/requests/{id}/answer, the organization's answer
// (answeredAt, answer) closes the request.
func (s *Server) rightsRequestAnswer(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	on, err := rightsDay("answeredAt", r.PostFormValue("answeredAt"))
	if err != nil {
		return err
	}
	text := r.PostFormValue("answer")
	if pr := input.TextProblem(text); pr != "" {
		return errorf(http.StatusBadRequest, "answer %s.", pr)
	}
	if _, err := requests.Answer(r.Context(), s.gate, p, r.PathValue("id"), on, text); err != nil {
		return err
	}
	http.Redirect(w, r, "/rights/requests?done=answered", http.StatusSeeOther)
	return nil
}

// rightsRequestRow is one request in the list, its days written in the page's language.
type rightsRequestRow struct {
	requests.Request
	Sent, Due, Answered string
}

// rightsRequestsPage: GET /rights/requests, the person's requests and where each stands.
func (s *Server) rightsRequestsPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	rs, err := requests.List(r.Context(), s.gate, p)
	if err != nil {
		return err
	}
	lg := lang(r)
	rows := make([]rightsRequestRow, len(rs))
	for i, rq := range rs {
		rows[i] = rightsRequestRow{Request: rq, Sent: rightsDate(lg, rq.SentAt), Due: rightsDate(lg, rq.DueAt), Answered: rightsDate(lg, rq.AnsweredAt)}
	}
	orgs, err := s.orgs.List(r.Context())
	if err != nil {
		return err
	}
	done := r.URL.Query().Get("done")
	if done != "sent" && done != "answered" {
		done = ""
	}
	return s.render(w, r, http.StatusOK, "rights_requests.html", page{Title: "rights.list.title",
		Data: map[string]any{"Requests": rows, "Orgs": orgs, "Done": done, "Today": time.Now().Format(time.DateOnly)}})
}

func rightsDate(lg, day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return requests.FormatDate(lg, d)
}

// registerPage: GET /register, the operator's register of processing activities (GDPR
// Art. 30), public: anyone may read what the server does with personal data before
// signing in, in their language.
func (s *Server) registerPage(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	return s.render(w, r, http.StatusOK, "register.html", page{Title: "register.title", Data: s.register, NoMenu: true})
}

// rightsAlertText words the alert of a request unanswered past its deadline in lg, "" for
// the other alerts.
func rightsAlertText(lg string, al store.Alert) string {
	if al.Kind != requests.AlertOverdue {
		return ""
	}
	return fmt.Sprintf(textIn(rightsTexts, lg, "rights.alert.overdue"), al.ServiceName, rightsDate(lg, al.Params["sentAt"]), rightsDate(lg, al.Params["dueAt"]))
}
