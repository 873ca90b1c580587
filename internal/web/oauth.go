package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/oauth"
	"selfdata/internal/store"
)

// consentView is what the consent screen shows: who asks, for which data, to do what, why,
// for how long.
type consentView struct {
	Action     string // the form's target: this same request, posted
	Service    store.Service
	Categories []consentCategory
	Verbs      []string
	Durations  []int // days, shortest first; 0 stands for "until I withdraw"
	Chosen     int
	Since      *time.Time // when the person already allows this service (a second consent stands beside it)
}

type consentCategory struct {
	*doctype.Doctype
	Checked bool
}

// authorizePage: GET /oauth/authorize, the consent screen of a service's request. An
// invalid request goes back to the service when its redirect URI can be trusted, and is
// shown here otherwise.
func (s *Server) authorizePage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	req, ok, err := s.askConsent(w, r)
	if !ok {
		return err
	}
	return s.renderConsent(w, r, p, http.StatusOK, req, nil, 0, "")
}

// authorizeDecide: POST /oauth/authorize (csrf, decision, doctype..., days). The person
// approves what they kept ticked, for the duration they chose, or refuses; either way the
// answer goes back to the service's redirect URI.
func (s *Server) authorizeDecide(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	req, ok, err := s.askConsent(w, r)
	if !ok {
		return err
	}
	if r.PostFormValue("decision") != "approve" {
		s.oauth.Refuse(r.Context(), w, req)
		return nil
	}
	kept := r.PostForm["doctype"]
	days, err := strconv.Atoi(r.PostFormValue("days"))
	if err != nil || days < 0 {
		return errorf(http.StatusBadRequest, s.t(lang(r), "oauth.err.days"), input.Excerpt(r.PostFormValue("days")))
	}
	if len(kept) == 0 { // shown again as left: nothing ticked
		return s.renderConsent(w, r, p, http.StatusUnprocessableEntity, req, []string{}, days, "consent.nothing")
	}
	for _, dt := range kept {
		if !slices.Contains(req.Doctypes, dt) {
			return errorf(http.StatusBadRequest, s.t(lang(r), "oauth.err.widen"), input.Excerpt(dt))
		}
	}
	g, err := s.cons.Grant(r.Context(), p.Instance, req.Service, kept, req.Verbs, time.Duration(days)*24*time.Hour)
	if errors.Is(err, store.ErrInvalid) {
		return errorf(http.StatusBadRequest, "%s", err.Error())
	}
	if err != nil {
		return err
	}
	return s.oauth.Approve(r.Context(), w, req, g)
}

// askConsent reads the authorization request; when it is invalid, the answer is written
// (to the service) or returned (to show here), and ok is false.
func (s *Server) askConsent(w http.ResponseWriter, r *http.Request) (oauth.Request, bool, error) {
	req, err := s.oauth.Ask(r.Context(), r)
	switch {
	case err == nil:
		return req, true, nil
	case req.Redirectable():
		s.oauth.Fail(r.Context(), w, req, err)
		return req, false, nil
	}
	return req, false, s.consentProblem(r, err)
}

// consentProblem says, in the person's language, why a service's request that cannot go
// back to the service is not shown: no service named, an unknown service, a return address
// the service did not register, no PKCE, or else the protocol's own description (English,
// for the service's developers, whom the person may tell). The answers to services
// themselves stay the RFC 6749 errors, in English.
func (s *Server) consentProblem(r *http.Request, err error) error {
	lg := lang(r)
	client, redirect := r.FormValue("client_id"), r.FormValue("redirect_uri")
	var why string
	svc, serr := s.cons.Service(r.Context(), client)
	switch {
	case client == "":
		why = s.t(lg, "oauth.err.noclient")
	case errors.Is(serr, store.ErrNotFound):
		why = fmt.Sprintf(s.t(lg, "oauth.err.client"), input.Excerpt(client))
	case serr != nil:
		return serr
	case !slices.Contains(svc.RedirectURIs, redirect):
		why = fmt.Sprintf(s.t(lg, "oauth.err.redirect"), input.Excerpt(redirect), svc.Name)
	case r.FormValue("code_challenge") == "" || r.FormValue("code_challenge_method") != "S256":
		why = s.t(lg, "oauth.err.pkce")
	default:
		why = fmt.Sprintf(s.t(lg, "oauth.err.other"), oauth.Describe(err))
	}
	return errorf(http.StatusBadRequest, "%s %s %s", s.t(lg, "oauth.err"), why, s.t(lg, "oauth.err.next"))
}

// renderConsent shows the consent screen; kept are the categories left ticked (all of them
// at first).
func (s *Server) renderConsent(w http.ResponseWriter, r *http.Request, p gate.Principal, status int, req oauth.Request, kept []string, days int, problem string) error {
	svc, err := s.cons.Service(r.Context(), req.Service)
	if err != nil {
		return err
	}
	// The decision's answer redirects to the service: the policy must let the form lead there.
	if u := req.GetRedirectURI(); u != nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		w.Header().Set("Content-Security-Policy", contentPolicy(u.Scheme+"://"+u.Host))
	}
	ask := consentAsk{Action: "/oauth/authorize?" + r.URL.RawQuery, Service: svc.In(lang(r)), Doctypes: req.Doctypes, Verbs: req.Verbs}
	return s.showConsent(w, r, p, status, ask, kept, days, problem)
}

// consentAsk is what a consent screen asks the person: a service's request (OAuth), or a
// built-in service's catalog entry (services.go).
type consentAsk struct {
	Action   string
	Service  store.Service
	Doctypes []string
	Verbs    []string
}

// showConsent renders the one consent screen every service gets; kept are the categories
// left ticked (all of them at first).
func (s *Server) showConsent(w http.ResponseWriter, r *http.Request, p gate.Principal, status int, ask consentAsk, kept []string, days int, problem string) error {
	svc := ask.Service
	v := consentView{Action: ask.Action, Service: svc, Verbs: ask.Verbs, Durations: durations(svc.Access.RetentionDays), Chosen: days}
	if days == 0 && svc.Access.RetentionDays > 0 {
		v.Chosen = svc.Access.RetentionDays
	}
	active, err := s.cons.Active(r.Context(), p.Instance, svc.ID)
	if err != nil {
		return err
	}
	if len(active) > 0 {
		v.Since = &active[len(active)-1].Created
	}
	reg := s.gate.Registry()
	for _, name := range ask.Doctypes {
		d, ok := reg.Get(name)
		if !ok {
			return fmt.Errorf("service %s asks for %q, which is not a doctype", svc.ID, name)
		}
		v.Categories = append(v.Categories, consentCategory{Doctype: d, Checked: kept == nil || slices.Contains(kept, name)})
	}
	return s.render(w, r, status, "authorize.html", page{Title: "consent", Error: problem, Data: v})
}

// durations offers a month, three months and a year, up to what the service asks (its
// retention in days), which is offered too; with no retention, "until I withdraw" as well.
func durations(longest int) []int {
	var out []int
	for _, d := range []int{30, 90, 365} {
		if longest == 0 || d < longest {
			out = append(out, d)
		}
	}
	if longest > 0 {
		return append(out, longest)
	}
	return append(out, 0)
}

// oauthToken: POST /oauth/token, for services (client authentication, not a session).
func (s *Server) oauthToken(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	s.oauth.Token(w, r)
	return nil
}

// oauthRevoke: POST /oauth/revoke (RFC 7009), for services.
func (s *Server) oauthRevoke(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	s.oauth.Revoke(w, r)
	return nil
}

// oauthMetadata: GET /.well-known/oauth-authorization-server (RFC 8414). The issuer is the
// configured public URL, or else this server as the service reached it.
func (s *Server) oauthMetadata(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	issuer := strings.TrimRight(s.cfg.PublicURL, "/")
	if issuer == "" {
		scheme := "http"
		if s.secure(r) {
			scheme = "https"
		}
		issuer = scheme + "://" + r.Host
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	return writeJSON(w, http.StatusOK, oauth.Metadata(issuer))
}

// consentTexts are the words of the consent screen.
var consentTexts = map[string][2]string{ // key: {en, fr}
	"consent":            {"A service asks for your data", "Un service demande vos données"},
	"consent.asks":       {"asks to use some of your data", "demande à utiliser certaines de vos données"},
	"consent.by":         {"Run by", "Proposé par"},
	"consent.policy":     {"Its privacy policy", "Sa politique de confidentialité"},
	"consent.which":      {"Which data", "Quelles données"},
	"consent.untick":     {"Untick what you do not want to share.", "Décochez ce que vous ne voulez pas partager."},
	"consent.do":         {"What it may do", "Ce qu'il pourra faire"},
	"consent.verb.read":  {"See this data", "Voir ces données"},
	"consent.verb.write": {"Add to and change this data", "Ajouter et modifier ces données"},
	"consent.why":        {"Why", "Pourquoi"},
	"consent.basis":      {"On what ground", "Sur quelle base"},
	"consent.keeps":      {"How long it keeps what it reads", "Combien de temps il garde ce qu'il lit"},
	"consent.leaves":     {"Where your data goes", "Où vont vos données"},
	"consent.leaves.yes": {"A copy leaves your store, for this service's servers.", "Une copie quitte votre espace, vers les serveurs de ce service."},
	"consent.leaves.no":  {"It is used in your store and does not leave it.", "Elles sont utilisées dans votre espace et ne le quittent pas."},
	"consent.duration":   {"For how long you allow it", "Pendant combien de temps vous l'autorisez"},
	"consent.days":       {"days", "jours"},
	"consent.until":      {"Until I withdraw my consent", "Jusqu'à ce que je retire mon accord"},
	"consent.month":      {"1 month", "1 mois"},
	"consent.quarter":    {"3 months", "3 mois"},
	"consent.year":       {"1 year", "1 an"},
	"consent.approve":    {"Allow", "Autoriser"},
	"consent.refuse":     {"Refuse", "Refuser"},
	"consent.later":      {"You can withdraw your consent at any time; the service then loses access at once.", "Vous pouvez retirer votre accord à tout moment ; le service perd alors l'accès aussitôt."},
	"consent.since":      {"You already allow this service, since %s. Allowing it again adds a second consent (for another device, say); each can be withdrawn on the Consents page.", "Vous autorisez déjà ce service, depuis le %s. L'autoriser de nouveau ajoute un second accord (pour un autre appareil, par exemple) ; chacun peut être retiré sur la page Mes accords."},
	"consent.nothing":    {"Tick at least one kind of data, or refuse.", "Cochez au moins un type de données, ou refusez."},

	"purpose.dpv:ServiceProvision":                   {"To provide the service you use", "Pour vous rendre le service que vous utilisez"},
	"purpose.dpv:RequestedServiceProvision":          {"To provide a service you asked for", "Pour vous rendre un service que vous avez demandé"},
	"purpose.dpv:ServicePersonalisation":             {"To tailor the service to you", "Pour adapter le service à vous"},
	"purpose.dpv:ServiceOptimisation":                {"To improve the service", "Pour améliorer le service"},
	"purpose.dpv:OptimisationForConsumer":            {"To help you use less or pay less", "Pour vous aider à moins consommer ou moins payer"},
	"purpose.dpv:PersonalisedBenefits":               {"To offer you benefits suited to you", "Pour vous proposer des avantages adaptés"},
	"purpose.dpv:ProvidePersonalisedRecommendations": {"To give you advice suited to you", "Pour vous donner des conseils adaptés"},
	"purpose.dpv:CommunicationManagement":            {"To keep in touch with you", "Pour communiquer avec vous"},
	"purpose.dpv:CustomerManagement":                 {"To manage you as a customer", "Pour gérer votre relation client"},
	"purpose.dpv:CustomerCare":                       {"To help you when you ask", "Pour vous aider quand vous le demandez"},
	"purpose.dpv:FraudPreventionAndDetection":        {"To prevent and detect fraud", "Pour prévenir et détecter la fraude"},
	"purpose.dpv:ResearchAndDevelopment":             {"For research and development", "Pour la recherche et le développement"},
	"purpose.dpv:AcademicResearch":                   {"For academic research", "Pour la recherche universitaire"},
	"purpose.dpv:ScientificResearch":                 {"For scientific research", "Pour la recherche scientifique"},
	"purpose.dpv:NonCommercialResearch":              {"For non-commercial research", "Pour une recherche non commerciale"},
	"purpose.dpv:CommercialResearch":                 {"For commercial research", "Pour une recherche commerciale"},
	"purpose.dpv:ImprovePublicServices":              {"To improve public services", "Pour améliorer les services publics"},
	"purpose.dpv:ProvideOfficialStatistics":          {"For official statistics", "Pour la statistique publique"},
	"purpose.dpv:PublicBenefit":                      {"For the public good", "Pour l'intérêt général"},
	"purpose.dpv:CombatClimateChange":                {"To fight climate change", "Pour lutter contre le changement climatique"},
	"purpose.dpv:Marketing":                          {"For marketing", "Pour du marketing"},
	"purpose.dpv:DirectMarketing":                    {"To send you offers", "Pour vous envoyer des offres"},
	"oauth.err":                                      {"This request from a service cannot be shown.", "Cette demande d'un service ne peut pas être affichée."},
	"oauth.err.noclient":                             {"It does not say which service it comes from.", "Elle ne dit pas de quel service elle vient."},
	"oauth.err.client":                               {"No service %s is registered here: the link may be wrong, or the service has been removed.", "Aucun service %s n'est enregistré ici : le lien est peut-être erroné, ou le service a été retiré."},
	"oauth.err.redirect":                             {"It would send your answer to %s, an address %s did not register; it is not followed, so that your answer reaches no one else.", "Elle enverrait votre réponse à %s, une adresse que %s n'a pas déclarée ; elle n'est pas suivie, pour que votre réponse n'arrive à personne d'autre."},
	"oauth.err.pkce":                                 {"It lacks the protection (PKCE) every service must send with its request.", "Il lui manque la protection (PKCE) que tout service doit joindre à sa demande."},
	"oauth.err.other":                                {"It is not formed as the protocol requires (for the service's developers: %s).", "Elle n'est pas formée comme le protocole l'exige (pour les développeurs du service : %s)."},
	"oauth.err.next":                                 {"Go back to the service and try again; if it happens again, tell the service.", "Revenez au service et réessayez ; si cela se reproduit, prévenez le service."},
	"oauth.err.days":                                 {"The duration %s is not a number of days.", "La durée %s n'est pas un nombre de jours."},
	"oauth.err.widen":                                {"%s is not among the data this service asks for; consent can only narrow a request.", "%s ne fait pas partie des données que ce service demande ; votre accord ne peut que restreindre sa demande."},
}
