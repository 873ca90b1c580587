package storetest

import (
	"reflect"
	"testing"
	"time"

	"selfdata/internal/store"
)

func testServices(t *testing.T, s store.Store) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	watt := store.Service{ID: "watt", Name: "Watt", Company: "Watt SAS", Description: "Compares your electricity use with similar homes.",
		PrivacyPolicy: "https://watt.example/privacy", RedirectURIs: []string{"https://watt.example/cb", "http://127.0.0.1/cb"},
		Access: store.ServiceAccess{Doctypes: []string{"meter", "reading.electricity"}, Verbs: []string{"read"}, Purpose: "dpv:ServiceProvision",
			LegalBasis: "consent", Retention: "while the account is open", RetentionDays: 365, LeavesStore: true},
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
	if err := s.DeleteService(ctx, "watt"); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.DeleteService(ctx, "watt"), store.ErrNotFound, "deleting twice")
	_, err = s.Service(ctx, "watt")
	mustErr(t, err, store.ErrNotFound, "deleted service")
	if list, _ := s.ListServices(ctx); len(list) != 1 {
		t.Fatalf("after delete: %+v", list)
	}
}
