package web

// This file serves the built-in services (internal/services): their index, the page of each
// (off until the person switches it on), and the consent screen that switches one on. A
// service's page reads only through services.Reader with the principal of the person's own
// grant to it, so its reads are logged under its name and a withdrawal stops them at once.

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/services"
	"selfdata/internal/store"
)

// builtinPage renders a switched-on service's page: owner is the person (for what they do
// on the page: their own settings), rd reads as the service.
type builtinPage func(w http.ResponseWriter, r *http.Request, owner gate.Principal, rd services.Reader) error

// builtinPages are the pages of the built-in services, by service id.
func (s *Server) builtinPages() map[string]builtinPage {
	return map[string]builtinPage{
		services.Energy:        s.energyPage,
		services.Home:          s.homeServicePage,
		services.Accounts:      s.accountsPage,
		services.Contracts:     s.contractsPage,
		services.Map:           s.mapPage,
		services.Communication: s.communicationPage,
		services.WhoAmI:        s.whoAmIPage,
		services.SignOfLife:    s.signOfLifePage,
	}
}

// serviceCard is one built-in service as the index shows it.
type serviceCard struct {
	services.Def
	On    bool
	Reads []*doctype.Doctype // what it asks to read, for the card to name
}

// servicesPage: GET /services, the built-in services and whether each is on.
func (s *Server) servicesPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	var cards []serviceCard
	for _, d := range services.Catalog() {
		_, on, err := s.cons.BuiltIn(r.Context(), p.Instance, d.ID)
		if err != nil {
			return err
		}
		c := serviceCard{Def: d, On: on}
		for _, dt := range d.Doctypes {
			if dd, ok := s.gate.Registry().Get(dt); ok {
				c.Reads = append(c.Reads, dd)
			}
		}
		cards = append(cards, c)
	}
	return s.render(w, r, http.StatusOK, "services.html", page{Title: "services", Data: cards})
}

// servicePage: GET /services/{id}. Off, it says so and reads nothing.
func (s *Server) servicePage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	d, ok := services.Lookup(r.PathValue("id"))
	if !ok {
		return errorf(http.StatusNotFound, "There is no service called %s.", input.Excerpt(r.PathValue("id")))
	}
	bp, on, err := s.cons.BuiltIn(r.Context(), p.Instance, d.ID)
	if err != nil {
		return err
	}
	if !on {
		return s.render(w, r, http.StatusOK, "service_off.html", page{Title: "svc." + d.ID, Data: d})
	}
	return s.builtinPages()[d.ID](w, r, p, services.Through(s.gate, bp))
}

// serviceConsent is the consent screen's question for a built-in service, in the person's
// language.
func (s *Server) serviceConsent(r *http.Request, d services.Def) (consentAsk, error) {
	svc, err := s.cons.Service(r.Context(), d.ID)
	if err != nil {
		return consentAsk{}, err
	}
	svc = s.serviceIn(svc, lang(r))
	return consentAsk{Action: "/services/" + d.ID + "/enable", Service: svc, Doctypes: svc.Access.Doctypes, Verbs: svc.Access.Verbs}, nil
}

// serviceEnablePage: GET /services/{id}/enable, the consent screen that switches it on.
func (s *Server) serviceEnablePage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	d, ok := services.Lookup(r.PathValue("id"))
	if !ok {
		return errorf(http.StatusNotFound, "There is no service called %s.", input.Excerpt(r.PathValue("id")))
	}
	ask, err := s.serviceConsent(r, d)
	if err != nil {
		return err
	}
	return s.showConsent(w, r, p, http.StatusOK, ask, nil, 0, "")
}

// serviceEnable: POST /services/{id}/enable (csrf, decision, doctype..., days): the grant,
// narrowed to what the person kept ticked, for the duration they chose.
func (s *Server) serviceEnable(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	d, ok := services.Lookup(r.PathValue("id"))
	if !ok {
		return errorf(http.StatusNotFound, "There is no service called %s.", input.Excerpt(r.PathValue("id")))
	}
	if r.PostFormValue("decision") != "approve" {
		http.Redirect(w, r, "/services", http.StatusSeeOther)
		return nil
	}
	ask, err := s.serviceConsent(r, d)
	if err != nil {
		return err
	}
	kept := r.PostForm["doctype"]
	days, err := strconv.Atoi(r.PostFormValue("days"))
	if err != nil || days < 0 {
		return errorf(http.StatusBadRequest, "The duration %s is not a number of days.", input.Excerpt(r.PostFormValue("days")))
	}
	if len(kept) == 0 {
		return s.showConsent(w, r, p, http.StatusUnprocessableEntity, ask, []string{}, days, "consent.nothing")
	}
	for _, dt := range kept {
		if !slices.Contains(ask.Doctypes, dt) {
			return errorf(http.StatusBadRequest, "%s is not among the data this service asks for; consent can only narrow a request.", input.Excerpt(dt))
		}
	}
	_, err = s.cons.Grant(r.Context(), p.Instance, d.ID, kept, ask.Verbs, time.Duration(days)*24*time.Hour)
	if errors.Is(err, store.ErrInvalid) {
		return errorf(http.StatusBadRequest, "%s", err.Error())
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/services/"+d.ID, http.StatusSeeOther)
	return nil
}

// serviceIn is svc as a person reading lg sees it: its declaration in that language, and
// for a built-in service the name, description and retention of the pages' catalog (the
// services catalog holds the English ones, for receipts and the operator).
func (s *Server) serviceIn(svc store.Service, lg string) store.Service {
	svc = svc.In(lg)
	if services.IsBuiltIn(svc.ID) {
		svc.Name, svc.Description = s.t(lg, "svc."+svc.ID), s.t(lg, "svc."+svc.ID+".desc")
		svc.Access.Retention = s.t(lg, "svc.retention")
	}
	return svc
}
