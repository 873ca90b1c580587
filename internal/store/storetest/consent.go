package storetest

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"selfdata/internal/store"
)

func testConsents(t *testing.T, s store.Store) {
	alice, bob := newInstance(t, s, "alice"), newInstance(t, s, "bob")
	now := time.Now().UTC().Truncate(time.Microsecond)
	exp := now.Add(30 * 24 * time.Hour)
	watt := store.Service{ID: "watt", Name: "Watt", Company: "Watt SAS", Description: "d", PrivacyPolicy: "https://watt.example/p",
		RedirectURIs: []string{"https://watt.example/cb"}, Access: store.ServiceAccess{Doctypes: []string{"meter", "reading.electricity"}, Verbs: []string{"read"},
			Purpose: "dpv:ServiceProvision", LegalBasis: "consent", Retention: "r"}, SecretHash: "h", Created: now}
	orphan := store.Grant{ID: "g0", Instance: alice.ID, Service: "watt", State: store.GrantActive, Created: now}
	mustErr(t, s.CreateGrant(ctx, orphan, store.ConsentEvent{At: now, Event: store.ConsentGiven, Record: json.RawMessage(`{}`)}), store.ErrNotFound, "a grant to a service not in the catalog")
	if err := s.CreateService(ctx, watt); err != nil {
		t.Fatal(err)
	}
	g := store.Grant{ID: "g1", Instance: alice.ID, Service: "watt", Doctypes: []string{"meter", "reading.electricity"}, Verbs: []string{"read"},
		Purpose: "dpv:ServiceProvision", LegalBasis: "consent", Created: now, Expires: &exp, State: store.GrantActive}
	given := store.ConsentEvent{At: now, Event: store.ConsentGiven, Record: json.RawMessage(`{"subject":"alice"}`)}
	if err := s.CreateGrant(ctx, g, given); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.CreateGrant(ctx, g, given), store.ErrExists, "duplicate grant")
	open := g
	open.ID, open.Expires, open.Created = "g2", nil, now.Add(time.Second)
	if err := s.CreateGrant(ctx, open, given); err != nil {
		t.Fatal(err)
	}
	got, err := s.Grant(ctx, alice.ID, "g1")
	if err != nil || !reflect.DeepEqual(got, g) {
		t.Fatalf("Grant = %+v, %v;\nwant %+v", got, err, g)
	}
	_, err = s.Grant(ctx, bob.ID, "g1")
	mustErr(t, err, store.ErrNotFound, "alice's grant read as bob")
	_, err = s.ConsentHistory(ctx, bob.ID, "g1")
	mustErr(t, err, store.ErrNotFound, "alice's history read as bob")
	list, err := s.ListGrants(ctx, alice.ID)
	if err != nil || len(list) != 2 || list[0].ID != "g2" || list[0].Expires != nil || list[1].ID != "g1" {
		t.Fatalf("ListGrants = %+v, %v; want g2 (no expiry) then g1", list, err)
	}
	if list, err := s.ListGrants(ctx, bob.ID); err != nil || len(list) != 0 {
		t.Fatalf("bob's grants = %+v, %v", list, err)
	}

	// OAuth state: found by kind and signature, only for a grant of the instance, gone with
	// the grant's withdrawal.
	tok := store.OAuthToken{Kind: store.OAuthAccess, Signature: "s1", RequestID: "r1", Grant: "g1", Instance: alice.ID, Service: "watt",
		Active: true, Expires: now.Add(time.Hour), Request: json.RawMessage(`{"scopes":["meter:read"]}`)}
	if err := s.CreateOAuthToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.CreateOAuthToken(ctx, tok), store.ErrExists, "duplicate signature")
	foreign := tok
	foreign.Signature, foreign.Instance = "sb", bob.ID
	mustErr(t, s.CreateOAuthToken(ctx, foreign), store.ErrNotFound, "a token of alice's grant for bob")
	refresh := tok
	refresh.Kind = store.OAuthRefresh
	other := tok
	other.Signature, other.Grant, other.RequestID = "s2", "g2", "r2"
	for _, x := range []store.OAuthToken{refresh, other} {
		if err := s.CreateOAuthToken(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := s.OAuthToken(ctx, store.OAuthAccess, "s1"); err != nil || !reflect.DeepEqual(got, tok) {
		t.Fatalf("OAuthToken = %+v, %v; want %+v", got, err, tok)
	}
	_, err = s.OAuthToken(ctx, store.OAuthCode, "s1")
	mustErr(t, err, store.ErrNotFound, "a signature under another kind")
	if err := s.DeactivateOAuthToken(ctx, store.OAuthRefresh, "s1"); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.DeactivateOAuthToken(ctx, store.OAuthRefresh, "nope"), store.ErrNotFound, "deactivating nothing")
	mustErr(t, s.DeactivateOAuthToken(ctx, store.OAuthRefresh, "s1"), store.ErrNotFound, "deactivating twice")
	if got, err := s.OAuthToken(ctx, store.OAuthRefresh, "s1"); err != nil || got.Active {
		t.Fatalf("after deactivation: %+v, %v", got, err)
	}
	if err := s.DeleteOAuthRequest(ctx, store.OAuthAccess, "r2"); err != nil {
		t.Fatal(err)
	}
	_, err = s.OAuthToken(ctx, store.OAuthAccess, "s2")
	mustErr(t, err, store.ErrNotFound, "a token of a deleted request")
	if err := s.DeleteOAuthToken(ctx, store.OAuthAccess, "nope"); err != nil {
		t.Fatalf("deleting nothing: %v", err)
	}
	stale := tok
	stale.Signature, stale.Expires = "old", now.Add(-time.Second)
	if err := s.CreateOAuthToken(ctx, stale); err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeleteExpiredOAuth(ctx, now); err != nil || n != 1 {
		t.Fatalf("DeleteExpiredOAuth = %d, %v; want the one stale piece", n, err)
	}
	if _, err := s.OAuthToken(ctx, store.OAuthAccess, "s1"); err != nil {
		t.Fatalf("a live token went with the stale one: %v", err)
	}
	calls := 0
	mk := func() ([]byte, error) { calls++; return []byte{byte(calls)}, nil }
	first, err := s.ServerSecret(ctx, "hmac", mk)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := s.ServerSecret(ctx, "hmac", mk); err != nil || !reflect.DeepEqual(again, first) || calls != 1 {
		t.Fatalf("second ServerSecret = %v, %v after %d calls; want %v", again, err, calls, first)
	}

	g.Doctypes, g.State = []string{"meter"}, store.GrantWithdrawn
	bobs := g
	bobs.Instance = bob.ID
	mustErr(t, s.UpdateGrant(ctx, bobs, store.ConsentEvent{At: now, Event: store.ConsentWithdrawn, Record: json.RawMessage(`{}`)}), store.ErrNotFound, "bob withdrawing alice's grant")
	later := now.Add(time.Minute)
	if err := s.UpdateGrant(ctx, g, store.ConsentEvent{At: later, Event: store.ConsentWithdrawn, Record: json.RawMessage(`{"state":"withdrawn"}`)}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Grant(ctx, alice.ID, "g1"); err != nil || !reflect.DeepEqual(got, g) {
		t.Fatalf("after update: %+v, %v; want %+v", got, err, g)
	}
	for _, kind := range []string{store.OAuthAccess, store.OAuthRefresh} {
		_, err = s.OAuthToken(ctx, kind, "s1")
		mustErr(t, err, store.ErrNotFound, "a "+kind+" token of the withdrawn grant")
	}
	h, err := s.ConsentHistory(ctx, alice.ID, "g1")
	if err != nil || len(h) != 2 {
		t.Fatalf("history = %+v, %v; want 2 events", h, err)
	}
	if h[0].Seq != 1 || h[0].Event != store.ConsentGiven || !h[0].At.Equal(now) || h[1].Seq != 2 || h[1].Event != store.ConsentWithdrawn || !h[1].At.Equal(later) || h[1].Grant != "g1" {
		t.Fatalf("history = %+v", h)
	}
	var rec map[string]any
	if err := json.Unmarshal(h[1].Record, &rec); err != nil || rec["state"] != "withdrawn" {
		t.Fatalf("record = %s, %v", h[1].Record, err)
	}

	// Signing keys: one per instance, the private half given back as stored.
	_, _, err = s.SigningKey(ctx, alice.ID)
	mustErr(t, err, store.ErrNotFound, "no key yet")
	k := store.SigningKey{ID: "k1", Instance: alice.ID, PublicKey: []byte{1, 2, 3}, Created: now}
	priv := []byte{9, 8, 7, 6}
	if err := s.CreateSigningKey(ctx, k, priv); err != nil {
		t.Fatal(err)
	}
	second := k
	second.ID = "k2"
	mustErr(t, s.CreateSigningKey(ctx, second, priv), store.ErrExists, "a second first key")
	gk, gp, err := s.SigningKey(ctx, alice.ID)
	if err != nil || !reflect.DeepEqual(gk, k) || !bytes.Equal(gp, priv) {
		t.Fatalf("SigningKey = %+v %v, %v", gk, gp, err)
	}
	_, _, err = s.SigningKey(ctx, bob.ID)
	mustErr(t, err, store.ErrNotFound, "bob has no key")
	keys, err := s.ListSigningKeys(ctx, alice.ID)
	if err != nil || len(keys) != 1 || !reflect.DeepEqual(keys[0], k) {
		t.Fatalf("ListSigningKeys = %+v, %v", keys, err)
	}

	if err := s.DeleteInstance(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if list, err := s.ListGrants(ctx, alice.ID); err != nil || len(list) != 0 {
		t.Fatalf("grants after erasure = %+v, %v", list, err)
	}
	if keys, err := s.ListSigningKeys(ctx, alice.ID); err != nil || len(keys) != 0 {
		t.Fatalf("keys after erasure = %+v, %v", keys, err)
	}
}
