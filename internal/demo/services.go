package demo

import "selfdata/internal/store"

// Services are the demo's re-users: services built on personal data that the demo person
// has let in, so that the consents page and the access log show what a service read. Like
// the organizations' declarations, they are made up for the demo, in English and French.
func Services() []store.Service {
	return []store.Service{{
		ID: "watt-lyon", Name: "Watt'Lyon", Company: "Watt'Lyon SCIC", Public: true,
		Description:   "Compares your electricity use with similar homes in the Métropole and tells you where you could save.",
		DescriptionFR: "Compare votre consommation d'électricité à celle de foyers semblables de la Métropole et vous dit où économiser.",
		PrivacyPolicy: "https://watt-lyon.example/privacy", RedirectURIs: []string{"http://127.0.0.1:8765/callback"},
		Access: store.ServiceAccess{Doctypes: []string{"meter", "reading.electricity", "bill"}, Verbs: []string{"read"}, Purpose: "dpv:OptimisationForConsumer",
			LegalBasis: "consent", Retention: "90 days", RetentionFR: "90 jours", RetentionDays: 90, LeavesStore: true},
	}}
}
