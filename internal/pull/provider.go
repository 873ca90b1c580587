package pull

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/importer/enedis"
	"selfdata/internal/importer/grdf"
)

// Provider is one organization whose API selfdata pulls, as the operator configured it: the
// OAuth2 client selfdata is at that organization, and where its endpoints are. main builds
// them from flags (DefaultProviders gives the public addresses) and passes them in Config.
type Provider struct {
	// Connector is the API spoken: "enedis" (Data Connect) or "grdf" (ADICT).
	Connector string
	// Org is the id of the organization in the registry, under which the data is logged and
	// its provenance kept; it is also the {org} of /connect/{org}. Defaults to Connector.
	Org          string
	ClientID     string
	ClientSecret string
	AuthURL      string
	TokenURL     string
	APIBase      string // e.g. https://gw.ext.prod.api.enedis.fr, without a trailing slash
	Scopes       []string
	// AuthParams are extra parameters of the authorization request (Enedis: duration).
	AuthParams map[string]string
	// SubjectParam names where the provider says what the person granted — the usage point,
	// the PCE: a parameter of the redirect to the callback, or else a field of the token
	// response.
	SubjectParam string
	// History is how far back the first pull goes.
	History time.Duration
}

// DefaultProviders are the public endpoints of the organizations selfdata has connectors
// for; the operator adds the client credentials it was given.
func DefaultProviders() []Provider {
	return []Provider{
		{
			Connector:    "enedis",
			AuthURL:      "https://mon-compte-particulier.enedis.fr/dataconnect/v1/oauth2/authorize",
			TokenURL:     "https://gw.ext.prod.api.enedis.fr/oauth2/v3/token",
			APIBase:      "https://gw.ext.prod.api.enedis.fr",
			AuthParams:   map[string]string{"duration": "P1Y"},
			SubjectParam: "usage_point_id",
			History:      365 * 24 * time.Hour,
		},
		{
			Connector:    "grdf",
			AuthURL:      "https://sofit-sso-oidc.grdf.fr/openam/oauth2/realms/externeGrdf/authorize",
			TokenURL:     "https://sofit-sso-oidc.grdf.fr/openam/oauth2/realms/externeGrdf/access_token",
			APIBase:      "https://api.grdf.fr",
			Scopes:       []string{"openid", "/adict/v2"},
			SubjectParam: "pce",
			History:      3 * 365 * 24 * time.Hour,
		},
	}
}

// endpoint is one kind of data an API gives for a subject, asked for window by window.
type endpoint struct {
	name    string // as the provider calls it, for the person reading a run's reason
	maxDays int    // the longest window one call may ask for
	history int    // days the first pull goes back; 0: the provider's History
	overlap int    // days asked again on later pulls, for data published late or corrected
	url     func(base, subject string, from, to time.Time) string
	format  importer.Format
	// noData tells whether an answer that is not 200 means "nothing in this window".
	noData func(status int, body []byte) bool
}

// connector is what selfdata knows of an API.
type connector struct {
	doctypes  []string
	endpoints []endpoint
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// connectorFor returns the connector of a provider.
func connectorFor(name string) (connector, error) {
	switch name {
	case "enedis":
		dc := func(path string) func(base, subject string, from, to time.Time) string {
			return func(base, subject string, from, to time.Time) string {
				return base + path + "?" + url.Values{"usage_point_id": {subject}, "start": {day(from)}, "end": {day(to)}}.Encode()
			}
		}
		// Data Connect answers 404 with "no_data_found" for a window without measures.
		noData := func(status int, body []byte) bool {
			return status == 404 && strings.Contains(string(body), "no_data_found")
		}
		return connector{doctypes: []string{"meter", "reading.electricity"}, endpoints: []endpoint{
			{name: "daily_consumption", maxDays: 365, overlap: 7, url: dc("/metering_data_dc/v5/daily_consumption"), format: enedis.FormatDataConnect(), noData: noData},
			{name: "consumption_load_curve", maxDays: 7, history: 7, overlap: 1, url: dc("/metering_data_clc/v5/consumption_load_curve"), format: enedis.FormatDataConnect(), noData: noData},
		}}, nil
	case "grdf":
		adict := func(kind string) func(base, subject string, from, to time.Time) string {
			return func(base, subject string, from, to time.Time) string {
				return base + "/adict/v2/pce/" + url.PathEscape(subject) + "/" + kind + "?" + url.Values{"date_debut": {day(from)}, "date_fin": {day(to)}}.Encode()
			}
		}
		noData := func(status int, _ []byte) bool { return status == 204 }
		return connector{doctypes: []string{"meter", "reading.gas"}, endpoints: []endpoint{
			{name: "donnees_consos_informatives", maxDays: 365, overlap: 7, url: adict("donnees_consos_informatives"), format: grdf.FormatADICT(), noData: noData},
			{name: "donnees_consos_publiees", maxDays: 365, overlap: 62, url: adict("donnees_consos_publiees"), format: grdf.FormatADICT(), noData: noData},
		}}, nil
	}
	return connector{}, fmt.Errorf("no connector named %q (enedis, grdf)", name)
}
