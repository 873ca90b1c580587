package consent

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/gate"
)

func TestPrincipal(t *testing.T) {
	gs, alice, bob := newGrants(t)
	now := time.Now()
	gs.now = func() time.Time { return now }
	g, err := gs.Grant(bg, alice.ID, "watt", []string{"meter"}, []string{"read"}, 2*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	p, err := gs.Principal(bg, alice.ID, g.ID)
	want := gate.Service(alice.ID, "watt", "Watt", "dpv:ServiceProvision", []gate.Scope{{Doctype: "meter", Read: true}})
	if err != nil || !reflect.DeepEqual(p, want) {
		t.Fatalf("Principal = %+v, %v;\nwant %+v", p, err, want)
	}
	if !p.Allows("meter", gate.Read) || p.Allows("meter", gate.Write) || p.Allows("reading.electricity", gate.Read) {
		t.Fatalf("scopes %+v reach beyond the grant", p.Scopes)
	}
	if _, err := gs.Principal(bg, bob.ID, g.ID); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("alice's grant as bob's: %v", err)
	}
	// Past its end, the grant is no credential.
	now = now.Add(2*time.Hour + time.Second)
	if _, err := gs.Principal(bg, alice.ID, g.ID); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("an expired grant: %v", err)
	}
	// Nor once withdrawn.
	g2, err := gs.Grant(bg, alice.ID, "watt", []string{"meter", "reading.electricity"}, []string{"read"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gs.Withdraw(bg, alice.ID, g2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := gs.Principal(bg, alice.ID, g2.ID); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("a withdrawn grant: %v", err)
	}
}
