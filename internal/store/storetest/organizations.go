package storetest

import (
	"testing"
	"time"

	"selfdata/internal/store"
)

func testOrganizations(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	b := newInstance(t, s, "bob")
	now := time.Now().UTC().Truncate(time.Microsecond)
	org := store.Organization{ID: "enedis", Name: "Enedis", Website: "https://www.enedis.fr", Contact: "contact@example.org", DPO: "dpo@example.org",
		Declaration: store.Declaration{Purposes: []string{"billing"}, LegalBasis: "legal_obligation", Doctypes: []string{"meter", "reading.electricity"}, Retention: "3 years", Recipients: []string{"suppliers"}},
		KeyHash:     "k1", Created: now}
	if err := s.CreateOrganization(ctx, org); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.CreateOrganization(ctx, org), store.ErrExists, "duplicate organization")
	got, err := s.OrganizationByKey(ctx, "k1")
	if err != nil || got.Name != "Enedis" || got.Declaration.LegalBasis != "legal_obligation" || len(got.Declaration.Doctypes) != 2 {
		t.Fatalf("OrganizationByKey = %+v, %v", got, err)
	}
	if list, _ := s.ListOrganizations(ctx); len(list) != 1 {
		t.Fatalf("ListOrganizations = %+v", list)
	}
	for _, c := range []store.Connection{
		{ID: "c-a", Instance: a.ID, Org: "enedis", Doctypes: []string{"meter", "reading.electricity"}, State: store.Pending, Created: now},
		{ID: "c-b", Instance: b.ID, Org: "enedis", Doctypes: []string{"meter"}, State: store.Pending, Created: now},
	} {
		if err := s.CreateConnection(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if list, _ := s.ListConnections(ctx, a.ID); len(list) != 1 || list[0].ID != "c-a" || len(list[0].Doctypes) != 2 || list[0].Claimed {
		t.Fatalf("alice's connections = %+v", list)
	}
	mustErr(t, s.SetConnectionState(ctx, b.ID, "c-a", store.Active, []string{store.Pending}, now), store.ErrNotFound, "bob approving alice's connection")
	mustErr(t, s.ClaimCredential(ctx, "enedis", "c-a", "cred", now), store.ErrConflict, "claim before approval")
	if err := s.SetConnectionState(ctx, a.ID, "c-a", store.Active, []string{store.Pending}, now); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.SetConnectionState(ctx, a.ID, "c-a", store.Refused, []string{store.Pending}, now), store.ErrConflict, "refusing an active connection")
	mustErr(t, s.ClaimCredential(ctx, "other", "c-a", "cred", now), store.ErrConflict, "claim by another organization")
	if err := s.ClaimCredential(ctx, "enedis", "c-a", "cred", now); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.ClaimCredential(ctx, "enedis", "c-a", "cred2", now), store.ErrConflict, "second claim")
	c, err := s.ConnectionByCredential(ctx, "cred")
	if err != nil || c.ID != "c-a" || c.Instance != a.ID || c.State != store.Active || !c.Claimed {
		t.Fatalf("ConnectionByCredential = %+v, %v", c, err)
	}
	if err := s.SetConnectionState(ctx, a.ID, "c-a", store.Revoked, []string{store.Active, store.Paused}, now); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Connection(ctx, "c-a"); c.State != store.Revoked {
		t.Fatalf("after revoke: %+v", c)
	}
	if err := s.DeleteInstance(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	_, err = s.Connection(ctx, "c-b")
	mustErr(t, err, store.ErrNotFound, "connection of a deleted instance")
	if err := s.DeleteOrganization(ctx, "enedis"); err != nil {
		t.Fatal(err)
	}
	_, err = s.Connection(ctx, "c-a")
	mustErr(t, err, store.ErrNotFound, "connection of a deleted organization")
}
