package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sort"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/store"
)

// homeTexts are the words of the home page.
var homeTexts = map[string][2]string{ // key: {en, fr}
	"home":                   {"Who has what on me", "Qui a quoi sur moi"},
	"home.empty":             {"Nothing here yet. Data restored by organizations, or files you import, will appear here.", "Rien pour l'instant. Les données restituées par les organismes ou les fichiers que vous importez apparaîtront ici."},
	"home.services":          {"Services using your data", "Les services qui utilisent vos données"},
	"home.services.intro":    {"With your consent, which you can narrow or withdraw at any time.", "Avec votre accord, que vous pouvez restreindre ou retirer à tout moment."},
	"home.services.may":      {"May use", "Peut utiliser"},
	"home.services.copies":   {"A copy leaves your store, for its servers.", "Une copie quitte votre espace, vers ses serveurs."},
	"home.services.stays":    {"Your data does not leave your store.", "Vos données ne quittent pas votre espace."},
	"home.services.manage":   {"What it did, and your consent", "Ce qu'il a fait, et votre accord"},
	"home.holds":             {"What it holds", "Ce qu'il détient"},
	"home.why":               {"Why it holds it", "Pourquoi"},
	"home.purposes":          {"Purposes", "Finalités"},
	"home.basis":             {"Legal basis", "Base légale"},
	"home.keeps":             {"Kept for", "Conservation"},
	"home.shares":            {"Shared with", "Transmis à"},
	"home.updated":           {"Updated", "Mis à jour le"},
	"home.nodecl":            {"This source has no declaration: it is data you added yourself.", "Cette source n'a pas de déclaration : ce sont des données que vous avez ajoutées."},
	"home.service.wrote":     {"A service you allowed wrote this into your store.", "Un service que vous avez autorisé l'a écrit dans votre espace."},
	"home.glance":            {"At a glance", "En bref"},
	"home.glance.orgs.one":   {"organization holds data on you", "organisme détient des données sur vous"},
	"home.glance.orgs.other": {"organizations hold data on you", "organismes détiennent des données sur vous"},
	"home.glance.sensitive":  {"Sensitive (health)", "Sensible (santé)"},
	"home.glance.new":        {"New since your last visit (%s)", "Nouveau depuis votre dernière visite (%s)"},
	"home.glance.nothing":    {"Nothing new since your last visit (%s).", "Rien de nouveau depuis votre dernière visite (%s)."},
	"home.glance.first":      {"Your first visit: everything below is new to you.", "Votre première visite : tout ce qui suit est nouveau pour vous."},
	"home.glance.more":       {"and %d more", "et %d autres"},
	"home.glance.pending":    {"Connection requests waiting", "Demandes de connexion en attente"},
	"home.glance.alerts":     {"New alerts", "Nouvelles alertes"},
	"home.why.short":         {"Why?", "Pourquoi ?"},
	"home.dpo":               {"Data protection officer", "Délégué à la protection des données"},
	"home.contact":           {"Contact", "Contact"},
	"home.health":            {"health", "santé"},

	"basis.consent":              {"your consent", "votre consentement"},
	"basis.contract":             {"your contract", "votre contrat"},
	"basis.legal_obligation":     {"a legal obligation", "une obligation légale"},
	"basis.vital_interests":      {"vital interests", "des intérêts vitaux"},
	"basis.public_task":          {"a public-service mission", "une mission de service public"},
	"basis.legitimate_interests": {"its legitimate interests", "ses intérêts légitimes"},
	"home.pending.one":           {"organization asks to connect to your store.", "organisme demande à se connecter à votre espace."},
	"home.pending.other":         {"organizations ask to connect to your store.", "organismes demandent à se connecter à votre espace."},
}

// card is one source on the home page: an organization, a service that wrote into the
// store, or what the person added.
type card struct {
	ID, Kind string
	// Name is the source's own name: an organization's, a service's, a script's (token);
	// empty for the person's other sources, named by their kind.
	Name       string
	Org        *store.Organization
	Categories []category
	Updated    time.Time
}

// Title is how the card is headed, in the page's language.
func (c *card) Title(l string) string { return sourceTitle(l, c.Kind, c.Name) }

// cardRank orders the cards: the organizations, then the services, then the person's own.
func cardRank(kind string) int {
	switch kind {
	case "organization":
		return 0
	case "service":
		return 1
	}
	return 2
}

// category is one doctype a source holds.
type category struct {
	Doctype  *doctype.Doctype
	Count    int64
	From, To string
	Updated  time.Time
}

// home: who has what on me — at the top the figures that matter (who, how much of what,
// what is sensitive, what is new, what waits for an answer), then one compact card per
// source with what its organization declares folded under "Why?".
func (s *Server) home(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	ctx := r.Context()
	// Before the page's own reads, which the access log would take for this visit's last.
	v, err := s.previousVisit(ctx, p, time.Now())
	if err != nil {
		return err
	}
	hs, byID, err := s.holdingsAndOrgs(ctx, p)
	if err != nil {
		return err
	}
	cards := holdingCards(hs, byID, s.gate.Registry())
	conns, err := s.orgs.Connections(ctx, p.Instance)
	if err != nil {
		return err
	}
	pending := 0
	for _, c := range conns {
		if c.State == store.Pending {
			pending++
		}
	}
	users, err := s.serviceUsers(ctx, p, lang(r))
	if err != nil {
		return err
	}
	hv := buildHome(lang(r), cards, v, pending)
	hv.Services = users
	return s.render(w, r, http.StatusOK, "home.html", page{Title: "home", Data: hv})
}

// serviceUser is a service the person lets use some of their data, on the home page: the
// other half of "who has what on me".
type serviceUser struct {
	Service    store.Service
	Categories []*doctype.Doctype
}

// serviceUsers lists the services with an active grant, each once, with the categories of
// all its active grants, as a person reading lg sees them.
func (s *Server) serviceUsers(ctx context.Context, p gate.Principal, lg string) ([]*serviceUser, error) {
	grants, err := s.cons.List(ctx, p.Instance)
	if err != nil {
		return nil, err
	}
	reg := s.gate.Registry()
	var out []*serviceUser
	byID := map[string]*serviceUser{}
	for _, g := range grants {
		if g.State != store.GrantActive {
			continue
		}
		u := byID[g.Service]
		if u == nil {
			svc, err := s.cons.Service(ctx, g.Service)
			if errors.Is(err, store.ErrNotFound) {
				continue // gone from the catalog: its tokens no longer work
			}
			if err != nil {
				return nil, err
			}
			u = &serviceUser{Service: s.serviceIn(svc, lg)}
			byID[g.Service] = u
			out = append(out, u)
		}
		for _, dt := range g.Doctypes {
			if d, ok := reg.Get(dt); ok && !slices.Contains(u.Categories, d) {
				u.Categories = append(u.Categories, d)
			}
		}
	}
	return out, nil
}

// holdingsAndOrgs is what the person holds, with the organizations that restored it by id: what
// the home page and the data index both start from.
func (s *Server) holdingsAndOrgs(ctx context.Context, p gate.Principal) ([]store.Holding, map[string]*store.Organization, error) {
	hs, err := s.gate.Holdings(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	orgs, err := s.orgs.List(ctx)
	if err != nil {
		return nil, nil, err
	}
	byID := map[string]*store.Organization{}
	for i := range orgs {
		byID[orgs[i].ID] = &orgs[i]
	}
	return hs, byID, nil
}

// holdingCards groups holdings by source, organizations first by name, then the person's own.
func holdingCards(hs []store.Holding, orgs map[string]*store.Organization, reg *doctype.Registry) []*card {
	byKey := map[string]*card{}
	var cards []*card
	for _, h := range hs {
		key := h.SourceKind + "/" + h.SourceID
		c := byKey[key]
		if c == nil {
			// The person's own sources but scripts are named by their kind ("Files you
			// imported"): the name of an upload is only that of one of its files.
			c = &card{ID: h.SourceID, Kind: h.SourceKind}
			switch h.SourceKind {
			case "organization":
				c.Name = h.SourceName
				if o := orgs[h.SourceID]; o != nil {
					c.Org, c.Name = o, o.Name
				}
			case "service", "token":
				c.Name = h.SourceName
			}
			byKey[key] = c
			cards = append(cards, c)
		}
		d, ok := reg.Get(h.Doctype)
		if !ok {
			continue
		}
		if h.Last.After(c.Updated) {
			c.Updated = h.Last
		}
		cat := category{Doctype: d, Count: h.Count, From: h.From, To: h.To, Updated: h.Last}
		if d.Kind == doctype.KindSeries {
			cat.From, cat.To = h.First.Format(time.DateOnly), h.Last.Format(time.DateOnly)
		}
		c.Categories = append(c.Categories, cat)
	}
	sort.SliceStable(cards, func(i, j int) bool {
		a, b := cards[i], cards[j]
		if ra, rb := cardRank(a.Kind), cardRank(b.Kind); ra != rb {
			return ra < rb
		}
		return a.Name < b.Name
	})
	return cards
}

// labelIn is a doctype label (or description, or reveals line) in the page's language.
func labelIn(lang string, l doctype.Label) string {
	if lang == "fr" {
		return frenchSpacing.Replace(l.FR)
	}
	return l.EN
}
