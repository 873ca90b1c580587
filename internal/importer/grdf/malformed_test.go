package grdf

import (
	"errors"
	"strings"
	"testing"
	"time"

	"selfdata/internal/importer"
)

// portalDoc is a small portal file; releve i starts on line 4+i (one object per line).
func portalDoc(releves ...string) string {
	return "{\n\"1234\": {\n\"idPce\": \"1234\", \"releves\": [\n" + strings.Join(releves, ",\n") + "\n]}\n}\n"
}

const okReleve = `{"journeeGaziere": "2022-03-27", "dateDebutReleve": "2022-03-27T06:00:00+00:00", "dateFinReleve": "2022-03-28T06:00:00+00:00", "indexDebut": 10, "indexFin": 12, "volumeBrutConsomme": 2, "energieConsomme": 22, "coeffConversion": 11.1, "natureReleve": "Informative Journalier"}`

const adictOK = `{"pce": {"id_pce": "777"}, "periode": {"date_debut": "2021-01-01", "date_fin": "2021-01-23"}, "releve_debut": {"index_brut_debut": {"valeur_index": 771}}, "releve_fin": {"index_brut_fin": {"valeur_index": 951}}, "consommation": {"volume_brut": 180, "coeff_calcul": {"coeff_conversion": 11.29}, "energie": 2032, "journee_gaziere": null, "type_conso": "Publiée"}}`

func TestMalformed(t *testing.T) {
	tests := []struct {
		name, in string
		format   importer.Format
		line     int
		element  string // substring of Error.Element
		reason   string // substring of Error.Reason
	}{
		{"portal not an object", "[1, 2]", FormatPortal(), 1, "", "JSON object keyed by PCE"},
		{"portal truncated", portalDoc(okReleve)[:120], FormatPortal(), 4, "releves[0]", "truncated"},
		{"portal syntax", portalDoc(okReleve, `{"journeeGaziere": "2022-03-28",, }`), FormatPortal(), 5, "releves[1]", "malformed JSON"},
		{"portal wrong type", portalDoc(okReleve, `{"journeeGaziere": "2022-03-28", "energieConsomme": "22"}`), FormatPortal(), 5, "1234.releves[1].energieConsomme", "expected a float64"},
		{"portal bad date", portalDoc(okReleve, `{"journeeGaziere": "2022-02-30"}`), FormatPortal(), 5, "journeeGaziere", `"2022-02-30" is not a date`},
		{"portal no date", portalDoc(`{"energieConsomme": 3}`), FormatPortal(), 4, "releves", "neither journeeGaziere"},
		{"portal end before start", portalDoc(`{"dateDebutReleve": "2022-03-27T06:00:00+00:00", "dateFinReleve": "2022-03-01T06:00:00+00:00", "natureReleve": "Publiée"}`), FormatPortal(), 4, "dateFinReleve", "ends (2022-03-01) before it starts"},
		{"portal idPce differs", "{\n\"1234\": {\"idPce\": \"999\", \"releves\": []}\n}", FormatPortal(), 2, "1234.idPce", "differs"},
		{"portal trailing data", portalDoc(okReleve) + "{}", FormatPortal(), 7, "", "after the JSON object"},
		{"portal deep", "{\n\"1\": {\"x\": " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "}}", FormatPortal(), 2, "", "nested more than 200"},
		{"portal releves not array", "{\"1\": {\"releves\": 3}}", FormatPortal(), 1, "1.releves", "must be a JSON array"},
		{"adict syntax", adictOK + "\n{\"pce\": ", FormatADICT(), 2, "", "truncated"},
		{"adict not object", adictOK + "\n\n[1]", FormatADICT(), 3, "", "one JSON object"},
		{"adict two values", adictOK + " {}", FormatADICT(), 1, "", "more than one JSON value"},
		{"adict wrong type", adictOK + "\n" + strings.Replace(adictOK, `"volume_brut": 180`, `"volume_brut": "180"`, 1), FormatADICT(), 2, "consommation.volume_brut", "expected a float64"},
		{"adict no pce", `{"consommation": {"energie": 3}, "periode": {"date_debut": "2021-01-01"}}`, FormatADICT(), 1, "pce.id_pce", "names no PCE"},
		{"adict bad date", strings.Replace(adictOK, "2021-01-01", "01/01/2021", 1), FormatADICT(), 1, "periode.date_debut", `"01/01/2021" is not a date`},
		{"adict no date", `{"pce": {"id_pce": "1"}, "consommation": {"energie": 3}}`, FormatADICT(), 1, "periode.date_debut", "no start date"},
		{"adict deep", adictOK + "\n{\"a\":" + strings.Repeat("[", 201) + strings.Repeat("]", 201) + "}", FormatADICT(), 2, "", "nested more than 200"},
		{"adict huge line", adictOK + "\n" + `{"pce": "` + strings.Repeat("x", importer.MaxLineBytes) + `"}`, FormatADICT(), 2, "", "line longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.format.Parse(strings.NewReader(tt.in))
			var e *importer.Error
			if !errors.As(err, &e) || res != nil {
				t.Fatalf("got %v, %v; want an *importer.Error", res, err)
			}
			if e.Line != tt.line || !strings.Contains(e.Element, tt.element) || !strings.Contains(e.Reason, tt.reason) {
				t.Errorf("got line %d element %q reason %q; want line %d element ~%q reason ~%q", e.Line, e.Element, e.Reason, tt.line, tt.element, tt.reason)
			}
		})
	}
}

// TestADICTVariants: daily lines, GRDF status objects and a re-published day.
func TestADICTVariants(t *testing.T) {
	daily := func(day string, kwh int) string {
		return `{"pce": {"id_pce": "777"}, "periode": {"date_debut": "` + day + `", "date_fin": "` + day + `"}, "consommation": {"volume_brut": 1, "energie": ` +
			map[int]string{10: "10", 12: "12", 30: "30"}[kwh] + `, "coeff_calcul": {"coeff_conversion": null}, "journee_gaziere": "` + day + `", "type_conso": "Informative Journalier"}}`
	}
	in := "\ufeff" + daily("2023-03-26", 10) + "\n" +
		`{"pce": {"id_pce": "778"}, "statut_restitution": {"code": "1000", "message": "Aucune donnée"}}` + "\n" +
		`{"code_statut_traitement": "0000000000", "message_retour_traitement": "Traitement effectué"}` + "\n" +
		daily("2023-03-27", 12) + "\n" + daily("2023-03-26", 30) + "\n"
	res, err := FormatADICT().Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	wantNotes := []string{"line 2: PCE 778: GRDF answered 1000 Aucune donnée", "line 3: GRDF processing status 0000000000 Traitement effectué",
		"PCE 777: 2023-03-26 is given twice (lines 1 and 5); the last one is kept"}
	if strings.Join(res.Notes, "|") != strings.Join(wantNotes, "|") {
		t.Errorf("notes %q", res.Notes)
	}
	// Two coefficients and two end indexes are null.
	if len(res.Records) != 1 || len(res.Series) != 2 || res.Skipped != 4 {
		t.Fatalf("records %d series %d skipped %d", len(res.Records), len(res.Series), res.Skipped)
	}
	e := res.Series[0]
	// 2023-03-26 is the spring DST change: the clocks go forward at 02:00, so its gas day
	// starts at 06:00 CEST (04:00Z), as does the next one.
	want := []struct {
		at string
		v  float64
	}{{"2023-03-26T04:00:00Z", 30}, {"2023-03-27T04:00:00Z", 12}}
	if e.Key != "grdf:777:daily-energy" || len(e.Readings) != 2 {
		t.Fatalf("series %s %v", e.Key, e.Readings)
	}
	for i, w := range want {
		if e.Readings[i].At.Format(time.RFC3339) != w.at || e.Readings[i].Value != w.v {
			t.Errorf("reading %d = %v, want %v", i, e.Readings[i], w)
		}
	}
}
