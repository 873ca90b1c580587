package consent

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"selfdata/internal/gate"
	"selfdata/internal/importer/samples"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// newGrants serves grants over a fresh store with watt (30 days, meter and electricity
// readings, read) and a health service in the catalog, and alice and bob as people.
func newGrants(t *testing.T) (*Grants, store.Instance, store.Instance) {
	t.Helper()
	db, reg := sqlitetest.Open(t)
	cat := NewServices(db, reg)
	health := watt()
	health.ID, health.Name, health.Access.Doctypes, health.Access.RetentionDays = "care", "Care", []string{"health.claim", "bill"}, 0
	for _, s := range []store.Service{watt(), health} {
		if _, _, err := cat.Add(bg, s); err != nil {
			t.Fatal(err)
		}
	}
	alice, err := db.CreateInstance(bg, "alice", "h")
	if err != nil {
		t.Fatal(err)
	}
	bob, err := db.CreateInstance(bg, "bob", "h")
	if err != nil {
		t.Fatal(err)
	}
	return NewGrants(db, reg), alice, bob
}

func TestGrantNarrowsOnly(t *testing.T) {
	gs, alice, _ := newGrants(t)
	day := 24 * time.Hour
	tests := []struct {
		name     string
		doctypes []string
		verbs    []string
		duration time.Duration
		want     string // fragment of the error; "" for a grant
	}{
		{"all that is asked", []string{"meter", "reading.electricity"}, []string{"read"}, 30 * day, ""},
		{"fewer doctypes, shorter", []string{"meter"}, []string{"read"}, day, ""},
		{"default duration", []string{"meter"}, []string{"read"}, 0, ""},
		{"a doctype not asked", []string{"meter", "bank.operation"}, []string{"read"}, day, `doctype "bank.operation" is not among`},
		{"a verb not asked", []string{"meter"}, []string{"read", "write"}, day, `verb "write" is not among`},
		{"longer than the retention", []string{"meter"}, []string{"read"}, 31 * day, "longer than the 30 days"},
		{"nothing", nil, []string{"read"}, day, "at least one doctype"},
		{"negative", []string{"meter"}, []string{"read"}, -day, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := gs.Grant(bg, alice.ID, "watt", tt.doctypes, tt.verbs, tt.duration)
			if tt.want != "" {
				if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v; want ErrInvalid with %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := tt.duration
			if want == 0 {
				want = 30 * day
			}
			if g.State != store.GrantActive || g.Expires == nil || g.Expires.Sub(g.Created) != want || g.Purpose != "dpv:ServiceProvision" {
				t.Fatalf("grant = %+v", g)
			}
		})
	}
	if _, err := gs.Grant(bg, alice.ID, "nope", []string{"meter"}, []string{"read"}, 0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown service: %v", err)
	}
	if g, err := gs.Grant(bg, alice.ID, "care", []string{"bill"}, []string{"read"}, 0); err != nil || g.Expires != nil {
		t.Fatalf("no retention in days: %+v, %v; want no end", g, err)
	}
}

func TestWithdrawAndHistory(t *testing.T) {
	gs, alice, bob := newGrants(t)
	g, err := gs.Grant(bg, alice.ID, "watt", []string{"meter"}, []string{"read"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gs.Withdraw(bg, bob.ID, g.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("bob withdrawing alice's grant: %v", err)
	}
	w, err := gs.Withdraw(bg, alice.ID, g.ID)
	if err != nil || w.State != store.GrantWithdrawn {
		t.Fatalf("Withdraw = %+v, %v", w, err)
	}
	if _, err := gs.Withdraw(bg, alice.ID, g.ID); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("withdrawing twice: %v", err)
	}
	if got, err := gs.Get(bg, alice.ID, g.ID); err != nil || got.State != store.GrantWithdrawn {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	h, err := gs.History(bg, alice.ID, g.ID)
	if err != nil || len(h) != 2 || h[0].Event != store.ConsentGiven || h[1].Event != store.ConsentWithdrawn {
		t.Fatalf("history = %+v, %v; want given then withdrawn", h, err)
	}
	var rec Record
	if err := json.Unmarshal(h[1].Record, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Subject != alice.ID || rec.SubjectName != "alice" || rec.Controller.Name != "Watt SAS" || rec.State != store.GrantWithdrawn ||
		len(rec.StateHistory) != 2 || rec.StateHistory[0].Event != "given" || rec.StateHistory[1].Event != "withdrawn" ||
		strings.Join(rec.DataCategories, ",") != "meter" || rec.Purposes[0] != "dpv:ServiceProvision" || rec.LegalBasis != "consent" {
		t.Fatalf("record = %+v", rec)
	}
}

func TestGrantExpires(t *testing.T) {
	gs, alice, _ := newGrants(t)
	g, err := gs.Grant(bg, alice.ID, "watt", []string{"meter"}, []string{"read"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	gs.now = func() time.Time { return g.Created.Add(2 * time.Hour) }
	if list, err := gs.List(bg, alice.ID); err != nil || len(list) != 1 || list[0].State != store.GrantExpired {
		t.Fatalf("List = %+v, %v; want expired", list, err)
	}
}

// TestReceiptMatchesKantaraSchema validates a receipt against the Kantara v1.1 schema and
// checks its signature against the instance's JWKS.
func TestReceiptMatchesKantaraSchema(t *testing.T) {
	dir, ok := samples.DirIfPresent()
	if !ok {
		t.Skip("sample folder ../shared/samples not found (set SELFDATA_SAMPLES)")
	}
	raw, err := os.ReadFile(filepath.Join(dir, "consent", "kantara-consent-receipt-v1_1-schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The published schema opens with // comments, which JSON does not allow.
	var lines []string
	for _, l := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "//") {
			lines = append(lines, l)
		}
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("kantara-cr-1.1.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("kantara-cr-1.1.json")
	if err != nil {
		t.Fatal(err)
	}

	gs, alice, _ := newGrants(t)
	g, err := gs.Grant(bg, alice.ID, "care", []string{"health.claim", "bill"}, []string{"read"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	compact, err := gs.Receipt(bg, alice.ID, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := jose.ParseSignedCompact(compact, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		t.Fatal(err)
	}
	set, err := gs.JWKS(bg, alice.ID)
	if err != nil || len(set.Keys) != 1 {
		t.Fatalf("JWKS = %+v, %v", set, err)
	}
	kid := jws.Signatures[0].Header.KeyID
	keys := set.Key(kid)
	if len(keys) != 1 {
		t.Fatalf("kid %q not in the JWKS", kid)
	}
	if _, ok := keys[0].Key.(ed25519.PublicKey); !ok {
		t.Fatalf("key is %T", keys[0].Key)
	}
	payload, err := jws.Verify(keys[0])
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("receipt does not match the Kantara schema: %v\n%s", err, payload)
	}
	var r Receipt
	if err := json.Unmarshal(payload, &r); err != nil {
		t.Fatal(err)
	}
	if r.Version != "KI-CR-v1.1.0" || r.PIIPrincipalID != "alice" || r.PIIControllers[0].PIIController != "Watt SAS" || !r.Sensitive ||
		len(r.SPICat) != 1 || len(r.Services[0].Purposes[0].PIICategory) != 2 || r.Services[0].Purposes[0].ConsentType != "EXPLICIT" ||
		r.ConsentTimestamp != g.Created.Unix() || r.PolicyURL != "https://watt.example/privacy" {
		t.Fatalf("receipt = %s", payload)
	}
	// A second receipt is signed with the same key: the key is made once. A service whose
	// copy leaves the store gets a receipt that discloses to its company, still valid.
	copier := watt()
	copier.ID, copier.Company, copier.Access.LeavesStore = "copier", "Copier SA", true
	if _, _, err := NewServices(gs.st.(store.Services), gs.reg).Add(bg, copier); err != nil {
		t.Fatal(err)
	}
	cg, err := gs.Grant(bg, alice.ID, "copier", []string{"meter"}, []string{"read"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	second, err := gs.Receipt(bg, alice.ID, cg.ID)
	if err != nil {
		t.Fatal(err)
	}
	jws, err = jose.ParseSignedCompact(second, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		t.Fatal(err)
	}
	if payload, err = jws.Verify(keys[0]); err != nil {
		t.Fatal(err)
	}
	if inst, err = jsonschema.UnmarshalJSON(bytes.NewReader(payload)); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(inst); err != nil || !strings.Contains(string(payload), `"thirdPartyDisclosure":true,"thirdPartyName":"Copier SA"`) {
		t.Fatalf("a disclosing receipt: %v\n%s", err, payload)
	}
	if set, _ := gs.JWKS(bg, alice.ID); len(set.Keys) != 1 || set.Keys[0].KeyID != kid {
		t.Fatalf("JWKS after a second receipt = %+v", set)
	}
}

func TestNarrow(t *testing.T) {
	gs, alice, bob := newGrants(t)
	now := time.Now().UTC().Truncate(time.Microsecond)
	gs.now = func() time.Time { return now }
	g, err := gs.Grant(bg, alice.ID, "watt", []string{"meter", "reading.electricity"}, []string{"read"}, 30*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	at := func(d time.Duration) *time.Time { x := now.Add(d); return &x }
	refused := []struct {
		name    string
		in      string
		keep    []string
		expires *time.Time
		err     error
		says    string
	}{
		{"bob's hands on alice's grant", bob.ID, []string{"meter"}, nil, store.ErrNotFound, ""},
		{"nothing kept", alice.ID, nil, nil, store.ErrInvalid, "at least one"},
		{"a doctype not granted", alice.ID, []string{"meter", "bill"}, nil, store.ErrInvalid, `"bill"`},
		{"a later end", alice.ID, []string{"meter"}, at(31 * 24 * time.Hour), store.ErrInvalid, "only come closer"},
		{"an end in the past", alice.ID, []string{"meter"}, at(-time.Minute), store.ErrInvalid, "not in the future"},
		{"no change", alice.ID, []string{"meter", "reading.electricity"}, nil, store.ErrInvalid, "nothing would change"},
	}
	for _, tt := range refused {
		if _, err := gs.Narrow(bg, tt.in, g.ID, tt.keep, tt.expires); !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	n, err := gs.Narrow(bg, alice.ID, g.ID, []string{"reading.electricity"}, at(7*24*time.Hour))
	if err != nil || strings.Join(n.Doctypes, ",") != "reading.electricity" || !n.Expires.Equal(*at(7 * 24 * time.Hour)) {
		t.Fatalf("Narrow = %+v, %v", n, err)
	}
	p, err := gs.Principal(bg, alice.ID, g.ID)
	if err != nil || p.Allows("meter", gate.Read) || !p.Allows("reading.electricity", gate.Read) {
		t.Fatalf("after narrowing, the service reaches %+v (%v)", p.Scopes, err)
	}
	h, err := gs.History(bg, alice.ID, g.ID)
	if err != nil || len(h) != 2 || h[1].Event != store.ConsentNarrowed {
		t.Fatalf("history = %+v, %v; want given then narrowed", h, err)
	}
	var rec Record
	if err := json.Unmarshal(h[1].Record, &rec); err != nil || strings.Join(rec.DataCategories, ",") != "reading.electricity" {
		t.Fatalf("narrowed record = %+v, %v", rec, err)
	}
	if _, err := gs.Withdraw(bg, alice.ID, g.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := gs.Narrow(bg, alice.ID, g.ID, []string{"reading.electricity"}, at(time.Hour)); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("narrowing a withdrawn grant: %v", err)
	}
}

// TestReceiptDisclosure: a receipt says the data is disclosed to a third party exactly when
// the service declared that a copy leaves the person's store, and then names who gets it.
func TestReceiptDisclosure(t *testing.T) {
	gs, alice, bob := newGrants(t)
	copier := watt()
	copier.ID, copier.Name, copier.Company, copier.Access.LeavesStore = "copier", "Copier", "Copier SA", true
	if _, _, err := NewServices(gs.st.(store.Services), gs.reg).Add(bg, copier); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		service string
		in      store.Instance
		want    bool
		name    string
	}{
		{"watt", alice, false, ""},
		{"copier", alice, true, "Copier SA"},
		{"copier", bob, true, "Copier SA"},
	} {
		g, err := gs.Grant(bg, tt.in.ID, tt.service, []string{"meter"}, []string{"read"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		r, err := gs.receipt(bg, tt.in.ID, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		p := r.Services[0].Purposes[0]
		if p.ThirdPartyDisclosure != tt.want || p.ThirdPartyName != tt.name {
			t.Errorf("%s for %s: thirdPartyDisclosure %v, thirdPartyName %q; want %v, %q", tt.service, tt.in.Name, p.ThirdPartyDisclosure, p.ThirdPartyName, tt.want, tt.name)
		}
	}
}

// TestRemoveEndsGrants: removing a service ends each person's grant to it; the record keeps
// what was agreed and adds the removal to its history; the grant can no longer be withdrawn
// or narrowed, and the service no longer reaches anything through it.
func TestRemoveEndsGrants(t *testing.T) {
	gs, alice, bob := newGrants(t)
	cat := NewServices(gs.st.(store.Services), gs.reg)
	ga, err := gs.Grant(bg, alice.ID, "watt", []string{"meter"}, []string{"read"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	gb, err := gs.Grant(bg, bob.ID, "care", []string{"bill"}, []string{"read"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := cat.Remove(bg, "watt"); err != nil {
		t.Fatal(err)
	}
	h, err := gs.History(bg, alice.ID, ga.ID)
	if err != nil || len(h) != 2 || h[1].Event != store.ConsentServiceRemoved {
		t.Fatalf("history = %+v, %v; want given then service_removed", h, err)
	}
	var rec Record
	if err := json.Unmarshal(h[1].Record, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.State != store.GrantEnded || rec.Controller.Name != "Watt SAS" || rec.ServiceName != "Watt" || strings.Join(rec.DataCategories, ",") != "meter" ||
		len(rec.StateHistory) != 2 || rec.StateHistory[1].Event != store.ConsentServiceRemoved || !rec.StateHistory[1].At.Equal(h[1].At) {
		t.Fatalf("record = %+v", rec)
	}
	if _, err := gs.Withdraw(bg, alice.ID, ga.ID); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("withdrawing an ended grant: %v", err)
	}
	if _, err := gs.Narrow(bg, alice.ID, ga.ID, []string{"meter"}, nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("narrowing an ended grant: %v", err)
	}
	if _, err := gs.Principal(bg, alice.ID, ga.ID); err == nil {
		t.Error("an ended grant still reaches data")
	}
	// Bob's grant to another service is untouched.
	if g, err := gs.Get(bg, bob.ID, gb.ID); err != nil || g.State != store.GrantActive {
		t.Errorf("bob's grant to care: %+v, %v", g, err)
	}
	if _, err := gs.Principal(bg, bob.ID, gb.ID); err != nil {
		t.Errorf("bob's grant to care no longer works: %v", err)
	}
}
