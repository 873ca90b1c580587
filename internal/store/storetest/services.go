package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"selfdata/internal/store"
)

func testServices(t *testing.T, s store.Store) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	watt := store.Service{ID: "watt", Name: "Watt", Company: "Watt SAS", Description: "Compares your electricity use with similar homes.",
		DescriptionFR: "Compare votre consommation d'électricité à celle de foyers semblables.",
		PrivacyPolicy: "https://watt.example/privacy", RedirectURIs: []string{"https://watt.example/cb", "http://127.0.0.1/cb"},
		Access: store.ServiceAccess{Doctypes: []string{"meter", "reading.electricity"}, Verbs: []string{"read"}, Purpose: "dpv:ServiceProvision",
			LegalBasis: "consent", Retention: "while the account is open", RetentionFR: "tant que le compte est ouvert", RetentionDays: 365, LeavesStore: true},
		SecretHash: "h1", Created: now}
	app := store.Service{ID: "app", Name: "An app", Company: "Association", Description: "Runs on the phone.",
		PrivacyPolicy: "https://app.example/privacy", RedirectURIs: []string{"http://localhost:8080/cb"},
		Access: store.ServiceAccess{Doctypes: []string{"bill"}, Verbs: []string{"read", "write"}, Purpose: "dpv:PersonalisedBenefits",
			LegalBasis: "consent", Retention: "none: nothing leaves the store"},
		Public: true, Created: now}
	for _, sv := range []store.Service{watt, app} {
		if err := s.CreateService(ctx, sv); err != nil {
			t.Fatalf("CreateService(%s): %v", sv.ID, err)
		}
	}
	mustErr(t, s.CreateService(ctx, watt), store.ErrExists, "duplicate service")
	bad := app
	bad.ID, bad.SecretHash = "bad", "h2"
	mustErr(t, s.CreateService(ctx, bad), store.ErrInvalid, "public client with a secret")
	bad.Public, bad.SecretHash = false, ""
	mustErr(t, s.CreateService(ctx, bad), store.ErrInvalid, "confidential client without a secret")

	app.BothLanguages() // registered in English only, it reads in both
	for _, want := range []store.Service{watt, app} {
		got, err := s.Service(ctx, want.ID)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("Service(%s) = %+v, %v;\nwant %+v", want.ID, got, err, want)
		}
	}
	_, err := s.Service(ctx, "nope")
	mustErr(t, err, store.ErrNotFound, "unknown service")
	list, err := s.ListServices(ctx)
	if err != nil || len(list) != 2 || list[0].ID != "app" || list[1].ID != "watt" || !list[0].Public || list[1].Public {
		t.Fatalf("ListServices = %+v, %v; want app (public) then watt", list, err)
	}
	if err := s.DeleteService(ctx, "watt", now, noGrantToEnd(t)); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.DeleteService(ctx, "watt", now, noGrantToEnd(t)), store.ErrNotFound, "deleting twice")
	_, err = s.Service(ctx, "watt")
	mustErr(t, err, store.ErrNotFound, "deleted service")
	if list, _ := s.ListServices(ctx); len(list) != 1 {
		t.Fatalf("after delete: %+v", list)
	}
}

// noGrantToEnd is DeleteService's callback where the service has no grant in force.
func noGrantToEnd(t *testing.T) func(store.Grant, store.ConsentEvent) (store.ConsentEvent, error) {
	return func(g store.Grant, _ store.ConsentEvent) (store.ConsentEvent, error) {
		t.Errorf("asked to end grant %s of a service that has none in force", g.ID)
		return store.ConsentEvent{}, errors.New("no grant expected")
	}
}

// removal is the event DeleteService's callback makes: it records the last event it was
// given, so that the test sees the store handed it the right one.
func removal(at time.Time) func(store.Grant, store.ConsentEvent) (store.ConsentEvent, error) {
	return func(g store.Grant, last store.ConsentEvent) (store.ConsentEvent, error) {
		rec := fmt.Sprintf(`{"state":%q,"after":%q,"seq":%d}`, g.State, last.Event, last.Seq)
		return store.ConsentEvent{At: at, Event: store.ConsentServiceRemoved, Record: json.RawMessage(rec)}, nil
	}
}

// testServiceRemoval: removing a service ends, in every instance, its grants still in force
// (with an event in their records), deletes its OAuth state, and leaves other services'
// grants, and grants the person had already ended, as they were. A service registered again
// under the id inherits nothing.
func testServiceRemoval(t *testing.T, s store.Store) {
	alice, bob := newInstance(t, s, "alice"), newInstance(t, s, "bob")
	now := time.Now().UTC().Truncate(time.Microsecond)
	past, later := now.Add(-time.Hour), now.Add(time.Hour)
	watt := store.Service{ID: "watt", Name: "Watt", Company: "Watt SAS", Description: "d", PrivacyPolicy: "https://watt.example/p",
		RedirectURIs: []string{"https://watt.example/cb"}, Access: store.ServiceAccess{Doctypes: []string{"meter"}, Verbs: []string{"read"},
			Purpose: "dpv:ServiceProvision", LegalBasis: "consent", Retention: "r"}, SecretHash: "h", Created: now}
	app := watt
	app.ID = "app"
	for _, sv := range []store.Service{watt, app} {
		if err := s.CreateService(ctx, sv); err != nil {
			t.Fatal(err)
		}
	}
	grant := func(id, inst, svc string, expires *time.Time) store.Grant {
		g := store.Grant{ID: id, Instance: inst, Service: svc, Doctypes: []string{"meter"}, Verbs: []string{"read"}, Purpose: "dpv:ServiceProvision",
			LegalBasis: "consent", Created: past, Expires: expires, State: store.GrantActive}
		if err := s.CreateGrant(ctx, g, store.ConsentEvent{At: past, Event: store.ConsentGiven, Record: json.RawMessage(`{}`)}); err != nil {
			t.Fatalf("CreateGrant(%s): %v", id, err)
		}
		for _, kind := range []string{store.OAuthAccess, store.OAuthRefresh} {
			if err := s.CreateOAuthToken(ctx, store.OAuthToken{Kind: kind, Signature: id, RequestID: id, Grant: id, Instance: inst, Service: svc,
				Active: true, Expires: later, Request: json.RawMessage(`{}`)}); err != nil {
				t.Fatal(err)
			}
		}
		return g
	}
	grant("a-watt", alice.ID, "watt", nil)
	narrowed := grant("b-watt", bob.ID, "watt", &later)
	narrowed.Doctypes = []string{"meter"}
	if err := s.UpdateGrant(ctx, narrowed, store.ConsentEvent{At: past, Event: store.ConsentNarrowed, Record: json.RawMessage(`{}`)}); err != nil {
		t.Fatal(err)
	}
	withdrawn := grant("a-gone", alice.ID, "watt", nil)
	withdrawn.State = store.GrantWithdrawn
	if err := s.UpdateGrant(ctx, withdrawn, store.ConsentEvent{At: past, Event: store.ConsentWithdrawn, Record: json.RawMessage(`{}`)}); err != nil {
		t.Fatal(err)
	}
	grant("a-old", alice.ID, "watt", &past) // expired before the removal: left expired
	grant("a-app", alice.ID, "app", nil)

	mustErr(t, s.DeleteService(ctx, "nope", now, noGrantToEnd(t)), store.ErrNotFound, "removing an unknown service")
	if err := s.DeleteService(ctx, "watt", now, removal(now)); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateService(ctx, watt); err != nil { // registered again, under the same id
		t.Fatal(err)
	}
	for _, tt := range []struct {
		inst, id, state, last string
		events                int
		tokens                bool
	}{
		{alice.ID, "a-watt", store.GrantEnded, `{"after":"given","seq":1,"state":"ended"}`, 2, false},
		{bob.ID, "b-watt", store.GrantEnded, `{"after":"narrowed","seq":2,"state":"ended"}`, 3, false},
		{alice.ID, "a-gone", store.GrantWithdrawn, `{}`, 2, false},
		{alice.ID, "a-old", store.GrantActive, `{}`, 1, false},
		{alice.ID, "a-app", store.GrantActive, `{}`, 1, true},
	} {
		g, err := s.Grant(ctx, tt.inst, tt.id)
		if err != nil || g.State != tt.state {
			t.Errorf("grant %s: %+v, %v; want state %s", tt.id, g, err, tt.state)
		}
		h, err := s.ConsentHistory(ctx, tt.inst, tt.id)
		if err != nil || len(h) != tt.events {
			t.Fatalf("history of %s: %+v, %v; want %d events", tt.id, h, err, tt.events)
		}
		var got, want any
		if json.Unmarshal(h[len(h)-1].Record, &got) != nil || json.Unmarshal([]byte(tt.last), &want) != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("last record of %s: %s; want %s", tt.id, h[len(h)-1].Record, tt.last)
		}
		if tt.state == store.GrantEnded && (h[len(h)-1].Event != store.ConsentServiceRemoved || !h[len(h)-1].At.Equal(now)) {
			t.Errorf("last event of %s: %+v", tt.id, h[len(h)-1])
		}
		_, err = s.OAuthToken(ctx, store.OAuthRefresh, tt.id)
		if tt.tokens != (err == nil) {
			t.Errorf("refresh token of %s after the removal: %v; want kept %v", tt.id, err, tt.tokens)
		}
	}
	// An ended grant stays ended: no change, no new token.
	ended, _ := s.Grant(ctx, alice.ID, "a-watt")
	ended.State = store.GrantActive
	mustErr(t, s.UpdateGrant(ctx, ended, store.ConsentEvent{At: later, Event: store.ConsentRenewed, Record: json.RawMessage(`{}`)}), store.ErrConflict, "renewing an ended grant")
	mustErr(t, s.CreateOAuthToken(ctx, store.OAuthToken{Kind: store.OAuthAccess, Signature: "new", RequestID: "new", Grant: "a-watt", Instance: alice.ID,
		Service: "watt", Active: true, Expires: later, Request: json.RawMessage(`{}`)}), store.ErrNotFound, "a token of an ended grant")
}

// testServiceRemovalConcurrent: grants created while their service is removed are either
// refused (the service is gone) or created before and ended with the others: none is left
// in force for a service that is no longer there.
func testServiceRemovalConcurrent(t *testing.T, s store.Store) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	watt := store.Service{ID: "watt", Name: "Watt", Company: "Watt SAS", Description: "d", PrivacyPolicy: "https://watt.example/p",
		RedirectURIs: []string{"https://watt.example/cb"}, Access: store.ServiceAccess{Doctypes: []string{"meter"}, Verbs: []string{"read"},
			Purpose: "dpv:ServiceProvision", LegalBasis: "consent", Retention: "r"}, SecretHash: "h", Created: now}
	if err := s.CreateService(ctx, watt); err != nil {
		t.Fatal(err)
	}
	const people = 12
	ins := make([]store.Instance, people)
	for i := range ins {
		ins[i] = newInstance(t, s, fmt.Sprintf("p%d", i))
	}
	errs := make([]error, people)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			g := store.Grant{ID: fmt.Sprintf("g%d", i), Instance: ins[i].ID, Service: "watt", Doctypes: []string{"meter"}, Verbs: []string{"read"},
				Purpose: "dpv:ServiceProvision", LegalBasis: "consent", Created: now, State: store.GrantActive}
			errs[i] = s.CreateGrant(ctx, g, store.ConsentEvent{At: now, Event: store.ConsentGiven, Record: json.RawMessage(`{}`)})
		}()
	}
	var removed error
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-start
		removed = s.DeleteService(ctx, "watt", now, removal(now))
	}()
	close(start)
	wg.Wait()
	if removed != nil {
		t.Fatal(removed)
	}
	for i, in := range ins {
		g, err := s.Grant(ctx, in.ID, fmt.Sprintf("g%d", i))
		switch {
		case errs[i] == nil && (err != nil || g.State != store.GrantEnded):
			t.Errorf("grant %d, created: %+v, %v; want ended by the removal", i, g, err)
		case errs[i] != nil && (!errors.Is(errs[i], store.ErrNotFound) || !errors.Is(err, store.ErrNotFound)):
			t.Errorf("grant %d: created with %v, then read as %+v, %v; want refused as the service is gone", i, errs[i], g, err)
		}
	}
}
