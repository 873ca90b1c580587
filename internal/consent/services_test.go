package consent

import (
	"context"
	"errors"
	"strings"
	"testing"

	"selfdata/internal/auth"
	"selfdata/internal/restore"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

var bg = context.Background()

func newCatalog(t *testing.T) *Services {
	t.Helper()
	db, reg := sqlitetest.Open(t)
	return NewServices(db, reg)
}

func watt() store.Service {
	return store.Service{ID: "watt", Name: "Watt", Company: "Watt SAS", Description: "Compares your electricity use with similar homes.",
		PrivacyPolicy: "https://watt.example/privacy", RedirectURIs: []string{"https://watt.example/callback"},
		Access: store.ServiceAccess{Doctypes: []string{"meter", "reading.electricity"}, Verbs: []string{"read"}, Purpose: "dpv:ServiceProvision",
			LegalBasis: "consent", Retention: "until you close your account", RetentionDays: 30}}
}

func TestAddValidates(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *store.Service)
		want   []string // fragments of the error; none for a valid service
	}{
		{"valid", func(s *store.Service) {}, nil},
		{"valid public client on loopback", func(s *store.Service) {
			s.Public = true
			s.RedirectURIs = []string{"http://127.0.0.1:8123/cb", "http://localhost/cb", "http://[::1]:9/cb"}
		}, nil},
		{"valid with spaces around", func(s *store.Service) { s.Access.Verbs = []string{" read", "write "}; s.Name = " Watt " }, nil},
		{"bad id", func(s *store.Service) { s.ID = "Watt App" }, []string{"id: use"}},
		{"missing name and company", func(s *store.Service) { s.Name, s.Company = " ", "" }, []string{"name is missing", "company is missing"}},
		{"unknown doctype", func(s *store.Service) { s.Access.Doctypes = []string{"meter", "reading.elec"} }, []string{`unknown doctype "reading.elec"`}},
		{"wildcard doctype", func(s *store.Service) { s.Access.Doctypes = []string{"*"} }, []string{`unknown doctype "*"`}},
		{"no doctypes", func(s *store.Service) { s.Access.Doctypes = nil }, []string{"name the doctypes"}},
		{"doctype twice", func(s *store.Service) { s.Access.Doctypes = []string{"meter", "meter"} }, []string{`doctype "meter" is given twice`}},
		{"bad verb", func(s *store.Service) { s.Access.Verbs = []string{"read", "delete"} }, []string{`unknown verb "delete"`}},
		{"no verbs", func(s *store.Service) { s.Access.Verbs = nil }, []string{"name the verbs"}},
		{"bad purpose", func(s *store.Service) { s.Access.Purpose = "dpv:Profit" }, []string{`purpose "dpv:Profit"`, "dpv:ServiceProvision, dpv:RequestedServiceProvision"}},
		{"purpose as a full IRI", func(s *store.Service) { s.Access.Purpose = "https://w3id.org/dpv#ServiceProvision" }, []string{"purpose", "dpv:ResearchAndDevelopment"}},
		{"bad legal basis", func(s *store.Service) { s.Access.LegalBasis = "whim" }, []string{`legal basis "whim"`, "legitimate_interests"}},
		{"no retention", func(s *store.Service) { s.Access.Retention = "" }, []string{"retention is missing"}},
		{"negative retention days", func(s *store.Service) { s.Access.RetentionDays = -1 }, []string{"retention days"}},
		{"no redirect URI", func(s *store.Service) { s.RedirectURIs = nil }, []string{"at least one redirect URI"}},
		{"relative redirect URI", func(s *store.Service) { s.RedirectURIs = []string{"/callback"} }, []string{`redirect URI "/callback": not an absolute URL`}},
		{"http redirect URI", func(s *store.Service) { s.RedirectURIs = []string{"http://watt.example/cb"} }, []string{"use https"}},
		{"custom scheme", func(s *store.Service) { s.RedirectURIs = []string{"watt://cb"} }, []string{"use https, not watt"}},
		{"fragment", func(s *store.Service) { s.RedirectURIs = []string{"https://watt.example/cb#x"} }, []string{"fragment"}},
		{"user info", func(s *store.Service) { s.RedirectURIs = []string{"https://u:p@watt.example/cb"} }, []string{"user name"}},
		{"redirect URI twice", func(s *store.Service) { s.RedirectURIs = []string{"https://a.example/", "https://a.example/"} }, []string{"given twice"}},
		{"no privacy policy", func(s *store.Service) { s.PrivacyPolicy = "" }, []string{"privacy policy is missing"}},
		{"privacy policy over http", func(s *store.Service) { s.PrivacyPolicy = "http://watt.example/privacy" }, []string{"privacy policy: use https"}},
		{"several problems at once", func(s *store.Service) { s.Access.Purpose, s.Access.LegalBasis = "", "" }, []string{"purpose", "legal basis"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCatalog(t)
			s := watt()
			tt.change(&s)
			got, secret, err := c.Add(bg, s)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Add: %v", err)
				}
				if s.Public != (secret == "") || got.Public != s.Public || got.Name != "Watt" || got.Created.IsZero() {
					t.Fatalf("Add = %+v, secret %q", got, secret)
				}
				return
			}
			if !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("Add: error %v, want ErrInvalid", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestCatalog(t *testing.T) {
	c := newCatalog(t)
	added, secret, err := c.Add(bg, watt())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, ClientSecretPrefix) || len(secret) != len(ClientSecretPrefix)+43 {
		t.Fatalf("client secret %q", secret)
	}
	got, err := c.Get(bg, "watt")
	if err != nil {
		t.Fatal(err)
	}
	// Only the hash is kept: the secret itself cannot be read back.
	if got.SecretHash != auth.HashSecret(secret) || got.SecretHash == secret || got.Public || !got.Created.Equal(added.Created) {
		t.Fatalf("stored %+v", got)
	}
	if got.Access.Purpose != "dpv:ServiceProvision" || got.Access.RetentionDays != 30 || len(got.Access.Doctypes) != 2 {
		t.Fatalf("access %+v", got.Access)
	}
	if _, _, err := c.Add(bg, watt()); !errors.Is(err, store.ErrExists) {
		t.Fatalf("adding twice: %v", err)
	}
	app := watt()
	app.ID, app.Name, app.Public = "app", "An app", true
	if _, secret, err := c.Add(bg, app); err != nil || secret != "" {
		t.Fatalf("public client: secret %q, %v", secret, err)
	}
	list, err := c.List(bg)
	if err != nil || len(list) != 2 || list[0].ID != "app" || !list[0].Public || list[0].SecretHash != "" || list[1].ID != "watt" {
		t.Fatalf("List = %+v, %v", list, err)
	}
	if err := c.Remove(bg, "watt"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(bg, "watt"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get after Remove: %v", err)
	}
	if err := c.Remove(bg, "watt"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Remove twice: %v", err)
	}
}

// The legal bases are the ones organizations may declare.
func TestLegalBasesMatchOrganizations(t *testing.T) {
	db, reg := sqlitetest.Open(t)
	orgs := restore.NewOrgs(db, reg)
	for _, b := range store.LegalBases {
		o := store.Organization{ID: strings.ReplaceAll(b, "_", "-"), Name: b,
			Declaration: store.Declaration{Purposes: []string{"p"}, LegalBasis: b, Doctypes: []string{"bill"}, Retention: "1 year"}}
		if _, err := orgs.Add(bg, o); err != nil {
			t.Errorf("an organization cannot declare %q: %v", b, err)
		}
	}
}

// The purposes are compact DPV IRIs, each once.
func TestPurposesAreCompactDPV(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range Purposes {
		name, ok := strings.CutPrefix(p, "dpv:")
		if !ok || name == "" || strings.ContainsAny(name, " :#/") || seen[p] {
			t.Errorf("purpose %q", p)
		}
		seen[p] = true
	}
}
