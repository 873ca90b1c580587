package storetest

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"selfdata/internal/store"
)

// testBilingual: organizations' declarations and services' texts keep their French beside
// their English through every read, and one registered in English only reads in both.
func testBilingual(t *testing.T, s store.Store) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	both := store.Organization{ID: "grdf", Name: "GRDF", KeyHash: "k-grdf", Created: now, Declaration: store.Declaration{
		Purposes: []string{"Operating the gas network", "Metering"}, PurposesFR: []string{"Exploiter le réseau de gaz", "Relever les compteurs"},
		LegalBasis: "legal_obligation", Doctypes: []string{"meter"}, Retention: "3 years", RetentionFR: "3 ans",
		Recipients: []string{"Your gas supplier"}, RecipientsFR: []string{"Votre fournisseur de gaz"}}}
	english := store.Organization{ID: "old", Name: "Old", KeyHash: "k-old", Created: now, Declaration: store.Declaration{
		Purposes: []string{"Billing"}, LegalBasis: "contract", Doctypes: []string{"bill"}, Retention: "5 years"}}
	for _, o := range []store.Organization{both, english} {
		if err := s.CreateOrganization(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	english.BothLanguages()
	for _, want := range []store.Organization{both, english} {
		byID, err := s.Organization(ctx, want.ID)
		if err != nil || !reflect.DeepEqual(byID.Declaration, want.Declaration) {
			t.Errorf("Organization(%s).Declaration = %+v, %v;\nwant %+v", want.ID, byID.Declaration, err, want.Declaration)
		}
		byKey, err := s.OrganizationByKey(ctx, want.KeyHash)
		if err != nil || !reflect.DeepEqual(byKey.Declaration, want.Declaration) {
			t.Errorf("OrganizationByKey(%s).Declaration = %+v, %v", want.ID, byKey.Declaration, err)
		}
	}
	list, err := s.ListOrganizations(ctx)
	if err != nil || len(list) != 2 || !slices.Equal(list[0].Declaration.PurposesFR, both.Declaration.PurposesFR) || list[1].Declaration.RetentionFR != "5 years" {
		t.Errorf("ListOrganizations = %+v, %v", list, err)
	}

	svc := store.Service{ID: "watt", Name: "Watt", Company: "Watt SAS", Description: "Compares your use.", DescriptionFR: "Compare votre consommation.",
		PrivacyPolicy: "https://watt.example/p", RedirectURIs: []string{"https://watt.example/cb"}, Public: true, Created: now,
		Access: store.ServiceAccess{Doctypes: []string{"meter"}, Verbs: []string{"read"}, Purpose: "dpv:ServiceProvision", LegalBasis: "consent",
			Retention: "90 days", RetentionFR: "90 jours"}}
	if err := s.CreateService(ctx, svc); err != nil {
		t.Fatal(err)
	}
	got, err := s.Service(ctx, "watt")
	if err != nil || got.DescriptionFR != svc.DescriptionFR || got.Access.RetentionFR != "90 jours" || got.Description != svc.Description {
		t.Errorf("Service = %+v, %v", got, err)
	}
	if all, err := s.ListServices(ctx); err != nil || len(all) != 1 || all[0].DescriptionFR != svc.DescriptionFR {
		t.Errorf("ListServices = %+v, %v", all, err)
	}
}

// LegacyDeclarationRows are an organization and a service as selfdata wrote them before
// migration 0016, in English only: a backend's migration test inserts them into a store
// migrated up to 0015, migrates it, and checks them with CheckLegacyDeclarations.
var LegacyDeclarationRows = []string{
	`INSERT INTO organizations (id, name, website, contact, dpo, declaration, key_hash, created) VALUES ('old-org', 'Old', 'https://old.example',
		'c@old.example', 'dpo@old.example', '{"purposes":["Billing","Metering"],"legal_basis":"contract","doctypes":["bill"],"retention":"5 years","recipients":["Tax office"]}', 'old-key', 0)`,
	`INSERT INTO services (id, name, company, description, privacy_policy, redirect_uris, access, secret_hash, created) VALUES ('old-svc', 'Old service', 'Old SAS',
		'Does old things.', 'https://old.example/p', '["https://old.example/cb"]',
		'{"doctypes":["bill"],"verbs":["read"],"purpose":"dpv:ServiceProvision","legal_basis":"consent","retention":"30 days","retention_days":30,"leaves_store":false}', NULL, 0)`,
}

// CheckLegacyDeclarations checks that the rows of LegacyDeclarationRows read back whole
// after the migration, each English text read as the French one too.
func CheckLegacyDeclarations(t *testing.T, s store.Store) {
	t.Helper()
	o, err := s.Organization(ctx, "old-org")
	d := o.Declaration
	if err != nil || o.Name != "Old" || o.DPO != "dpo@old.example" || d.LegalBasis != "contract" || !slices.Equal(d.Doctypes, []string{"bill"}) ||
		!slices.Equal(d.Purposes, []string{"Billing", "Metering"}) || !slices.Equal(d.PurposesFR, d.Purposes) ||
		d.Retention != "5 years" || d.RetentionFR != "5 years" || !slices.Equal(d.RecipientsFR, []string{"Tax office"}) {
		t.Errorf("the organization from before 0016 reads %+v, %v", o, err)
	}
	if fr := o.In("fr").Declaration; !slices.Equal(fr.Purposes, d.Purposes) || fr.Retention != "5 years" {
		t.Errorf("in French, the organization from before 0016 reads %+v", fr)
	}
	sv, err := s.Service(ctx, "old-svc")
	a := sv.Access
	if err != nil || sv.Name != "Old service" || !sv.Public || sv.Description != "Does old things." || sv.DescriptionFR != "Does old things." ||
		a.Retention != "30 days" || a.RetentionFR != "30 days" || a.RetentionDays != 30 || a.Purpose != "dpv:ServiceProvision" ||
		!slices.Equal(sv.RedirectURIs, []string{"https://old.example/cb"}) {
		t.Errorf("the service from before 0016 reads %+v, %v", sv, err)
	}
}
