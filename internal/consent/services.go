// Package consent is how re-users get at personal data, and only with the person's word:
// services, OAuth, grants, consent records and receipts. A service is first registered by the
// operator in the catalog, with what it asks for and why; people then grant, narrow or
// refuse that access, and the grants are what the gate enforces.
package consent

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/doctype"
	"selfdata/internal/services"
	"selfdata/internal/store"
)

// ClientSecretPrefix marks a service's OAuth client secret; like every secret, only its hash
// is stored.
const ClientSecretPrefix = "sdc_"

// Purposes are the W3C Data Privacy Vocabulary purposes (https://w3id.org/dpv) a service may
// state, in compact form. The list is short on purpose: these are the ones a consent screen
// can explain in plain words; a wider DPV purpose would tell the person less.
var Purposes = []string{
	"dpv:ServiceProvision",
	"dpv:RequestedServiceProvision",
	"dpv:ServicePersonalisation",
	"dpv:ServiceOptimisation",
	"dpv:OptimisationForConsumer",
	"dpv:PersonalisedBenefits",
	"dpv:ProvidePersonalisedRecommendations",
	"dpv:CommunicationManagement",
	"dpv:CustomerManagement",
	"dpv:CustomerCare",
	"dpv:FraudPreventionAndDetection",
	"dpv:ResearchAndDevelopment",
	"dpv:AcademicResearch",
	"dpv:ScientificResearch",
	"dpv:NonCommercialResearch",
	"dpv:CommercialResearch",
	"dpv:ImprovePublicServices",
	"dpv:ProvideOfficialStatistics",
	"dpv:PublicBenefit",
	"dpv:CombatClimateChange",
	"dpv:Marketing",
	"dpv:DirectMarketing",
}

// Verbs are what a service may ask to do with a doctype.
var Verbs = []string{"read", "write"}

var validServiceID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// Services is the operator's catalog of re-users.
type Services struct {
	st  store.Services
	reg *doctype.Registry
	now func() time.Time
}

// NewServices returns the catalog over st; doctypes a service asks for must be declared in reg.
func NewServices(st store.Services, reg *doctype.Registry) *Services {
	return &Services{st: st, reg: reg, now: time.Now}
}

// Add validates and registers a service. Unless it is a public client, it returns the OAuth
// client secret, shown this once: only its hash is kept. All that is wrong is reported at
// once, so that the operator fixes the command in one go.
func (c *Services) Add(ctx context.Context, s store.Service) (store.Service, string, error) {
	s = tidy(s)
	if problems := c.check(s); len(problems) > 0 {
		return store.Service{}, "", fmt.Errorf("%w: service %q: %s", store.ErrInvalid, s.ID, strings.Join(problems, "; "))
	}
	var secret string
	s.SecretHash = ""
	if !s.Public {
		var err error
		if secret, s.SecretHash, err = auth.NewSecret(ClientSecretPrefix); err != nil {
			return store.Service{}, "", err
		}
	}
	s.Created = c.now().UTC().Truncate(time.Microsecond)
	if err := c.st.CreateService(ctx, s); err != nil {
		return store.Service{}, "", err
	}
	return s, secret, nil
}

// tidy trims what was typed around the values, so that " read" is read.
func tidy(s store.Service) store.Service {
	for _, f := range []*string{&s.ID, &s.Name, &s.Company, &s.Description, &s.PrivacyPolicy, &s.Access.Purpose, &s.Access.LegalBasis, &s.Access.Retention} {
		*f = strings.TrimSpace(*f)
	}
	for _, l := range []*[]string{&s.RedirectURIs, &s.Access.Doctypes, &s.Access.Verbs} {
		*l = slices.Clone(*l)
		for i := range *l {
			(*l)[i] = strings.TrimSpace((*l)[i])
		}
	}
	return s
}

// check returns what is wrong with s, each as a sentence fragment naming the field.
func (c *Services) check(s store.Service) []string {
	var p []string
	if !validServiceID.MatchString(s.ID) {
		p = append(p, "id: use 1 to 63 lowercase letters, digits and '-', starting with a letter or digit")
	} else if services.IsBuiltIn(s.ID) {
		p = append(p, fmt.Sprintf("id: %q is kept for selfdata's built-in services; choose another", services.Prefix+"…"))
	}
	for _, f := range [][2]string{{"name", s.Name}, {"company", s.Company}, {"description", s.Description}} {
		if f[1] == "" {
			p = append(p, f[0]+" is missing")
		}
	}
	if s.PrivacyPolicy == "" {
		p = append(p, "privacy policy is missing: give its address")
	} else if err := checkURL(s.PrivacyPolicy); err != nil {
		p = append(p, "privacy policy: "+err.Error())
	}
	if len(s.RedirectURIs) == 0 {
		p = append(p, "give at least one redirect URI")
	}
	for i, u := range s.RedirectURIs {
		if err := checkRedirectURI(u); err != nil {
			p = append(p, fmt.Sprintf("redirect URI %q: %v", u, err))
		} else if slices.Contains(s.RedirectURIs[:i], u) {
			p = append(p, fmt.Sprintf("redirect URI %q is given twice", u))
		}
	}
	a := s.Access
	if len(a.Doctypes) == 0 {
		p = append(p, "name the doctypes the service asks for")
	}
	for i, dt := range a.Doctypes {
		if _, ok := c.reg.Get(dt); !ok {
			p = append(p, fmt.Sprintf("unknown doctype %q (a service names each doctype it asks for)", dt))
		} else if slices.Contains(a.Doctypes[:i], dt) {
			p = append(p, fmt.Sprintf("doctype %q is given twice", dt))
		}
	}
	if len(a.Verbs) == 0 {
		p = append(p, "name the verbs the service asks for: read, write or both")
	}
	for i, v := range a.Verbs {
		if !slices.Contains(Verbs, v) {
			p = append(p, fmt.Sprintf("unknown verb %q (read or write)", v))
		} else if slices.Contains(a.Verbs[:i], v) {
			p = append(p, fmt.Sprintf("verb %q is given twice", v))
		}
	}
	if !slices.Contains(Purposes, a.Purpose) {
		p = append(p, fmt.Sprintf("purpose %q is not one of the DPV purposes accepted: %s", a.Purpose, strings.Join(Purposes, ", ")))
	}
	if !slices.Contains(store.LegalBases, a.LegalBasis) {
		p = append(p, fmt.Sprintf("legal basis %q is not one of GDPR Art. 6: %s", a.LegalBasis, strings.Join(store.LegalBases, ", ")))
	}
	if a.Retention == "" {
		p = append(p, "retention is missing: say how long the service keeps what it reads")
	}
	if a.RetentionDays < 0 {
		p = append(p, "retention days cannot be negative")
	}
	return p
}

// checkURL accepts an absolute https URL, or http on the loopback interface (development).
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("not an absolute URL")
	}
	if u.User != nil {
		return fmt.Errorf("must not hold a user name or password")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if h := u.Hostname(); h == "localhost" || isLoopback(h) {
			return nil
		}
		return fmt.Errorf("use https (http only on 127.0.0.1, [::1] or localhost, for development)")
	}
	return fmt.Errorf("use https, not %s", u.Scheme)
}

// checkRedirectURI adds the rules of OAuth 2.0 (RFC 6749 §3.1.2) to checkURL: no fragment.
// Redirect URIs are later matched exactly, so a stray space or fragment would never match.
func checkRedirectURI(raw string) error {
	if err := checkURL(raw); err != nil {
		return err
	}
	if strings.Contains(raw, "#") {
		return fmt.Errorf("must not have a fragment (#...)")
	}
	return nil
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Get reads one service.
func (c *Services) Get(ctx context.Context, id string) (store.Service, error) {
	return c.st.Service(ctx, id)
}

// List lists the catalog by name.
func (c *Services) List(ctx context.Context) ([]store.Service, error) {
	return c.st.ListServices(ctx)
}

// Remove takes a service out of the catalog and ends what it held, in one transaction: each
// grant still in force ends (GrantEnded), its consent record keeping its history with the
// removal as its last event, and the service's OAuth codes and tokens are deleted. A service
// registered later under the same id, perhaps by another company, starts with nothing.
func (c *Services) Remove(ctx context.Context, id string) error {
	at := c.now().UTC().Truncate(time.Microsecond)
	return c.st.DeleteService(ctx, id, at, func(g store.Grant, last store.ConsentEvent) (store.ConsentEvent, error) {
		rec, err := endedRecord(g, last, at)
		return store.ConsentEvent{At: at, Event: store.ConsentServiceRemoved, Record: rec}, err
	})
}

// endedRecord is the consent record of a grant its service's removal ends: the record as
// its last event left it, in the new state, with the removal added to its history. Fields
// a record lacks are taken from the grant.
func endedRecord(g store.Grant, last store.ConsentEvent, at time.Time) (json.RawMessage, error) {
	r := Record{RecordID: g.ID, Subject: g.Instance, Service: g.Service, Purposes: []string{g.Purpose}, DataCategories: g.Doctypes,
		Processing: g.Verbs, LegalBasis: g.LegalBasis, Time: g.Created, Expires: g.Expires}
	if err := json.Unmarshal(last.Record, &r); err != nil {
		return nil, fmt.Errorf("consent record of grant %s: %w", g.ID, err)
	}
	r.State = g.State
	r.StateHistory = append(r.StateHistory, RecordChange{Event: store.ConsentServiceRemoved, At: at})
	return json.Marshal(r)
}
