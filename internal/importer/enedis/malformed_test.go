package enedis

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/importer/samples"
)

const hdmCurve = "\ufeffIdentifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;Etape metier;Unite;Pas en minutes\n" +
	"12345678901234;Courbe de charge;01/01/2021;02/01/2021;Energie active;Consommation;Comptage Brut;W;\n" +
	"Horodate;Valeur\n" +
	"2021-01-01T00:30:00+01:00;100\n" +
	"2021-01-01T01:00:00+01:00;\n" +
	"2021-01-01T01:30:00+01:00;300\n"

const dcDaily = `{
  "meter_reading": {
    "usage_point_id": "01234567890",
    "reading_type": {"measurement_kind": "energy", "measuring_period": "P1D", "unit": "Wh", "aggregate": "sum"},
    "interval_reading": [
      { "value": "10", "date": "2021-10-30" },
      { "value": "20", "date": "2021-10-31" }
    ]
  }
}`

// dcCurve crosses the autumn change: local ends 01:30, 02:00, 02:30 (CEST), then 02:00,
// 02:30 (CET) again, then 03:00.
const dcCurve = `{"meter_reading": {"usage_point_id": "01234567890",
"reading_type": {"measurement_kind": "power", "unit": "W", "aggregate": "average"},
"interval_reading": [
{"value": "1", "date": "2021-10-31 01:30:00", "interval_length": "PT30M"},
{"value": "2", "date": "2021-10-31 02:00:00", "interval_length": "PT30M"},
{"value": "3", "date": "2021-10-31 02:30:00", "interval_length": "PT30M"},
{"value": "4", "date": "2021-10-31 02:00:00", "interval_length": "PT30M"},
{"value": "5", "date": "2021-10-31 02:30:00", "interval_length": "PT30M"},
{"value": "6", "date": "2021-10-31 03:00:00", "interval_length": "PT30M"}
]}}`

const soapCurve = `<?xml version="1.0"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<ns3:consulterMesuresDetailleesResponse xmlns:ns3="http://www.enedis.fr/sge/b2b/services/consultationmesuresdetaillees/v2.0">
<pointId>12345678901234</pointId>
<grandeur><grandeurMetier>PROD</grandeurMetier><grandeurPhysique>PA</grandeurPhysique><unite>kW</unite>
<mesure><v>1.5</v><d>2022-01-05T00:10:00.000+01:00</d><p>PT10M</p><n>B</n></mesure>
<mesure><v></v><d>2022-01-05T00:20:00.000+01:00</d><p>PT10M</p><n>B</n></mesure>
</grandeur>
<grandeur><grandeurMetier>CONS</grandeurMetier><grandeurPhysique>PRI</grandeurPhysique><unite>VAr</unite>
<mesure><v>3</v><d>2022-01-05T00:10:00.000+01:00</d><p>PT10M</p><n>B</n></mesure>
</grandeur>
</ns3:consulterMesuresDetailleesResponse></soap:Body></soap:Envelope>`

func TestSynthetic(t *testing.T) {
	res, err := FormatHDM().Parse(strings.NewReader(hdmCurve))
	if err != nil {
		t.Fatal(err)
	}
	rs := res.Series[0].Readings
	if res.Skipped != 1 || len(rs) != 2 || !rs[0].At.Equal(utc("2020-12-31T23:00:00Z")) || !rs[1].At.Equal(utc("2021-01-01T00:00:00Z")) {
		t.Errorf("HDM: skipped %d, readings %v", res.Skipped, rs)
	}

	// Daily values are at local midnight, whichever the offset that day.
	res, err = FormatDataConnect().Parse(strings.NewReader(dcDaily))
	if err != nil {
		t.Fatal(err)
	}
	rs = res.Series[0].Readings
	if !rs[0].At.Equal(utc("2021-10-29T22:00:00Z")) || !rs[1].At.Equal(utc("2021-10-30T22:00:00Z")) {
		t.Errorf("daily: %v", rs)
	}

	// The autumn's repeated hour: six distinct half-hours, each starting 30 min before its end.
	res, err = FormatDataConnect().Parse(strings.NewReader(dcCurve))
	if err != nil {
		t.Fatal(err)
	}
	rs = res.Series[0].Readings
	starts := []string{"2021-10-30T23:00:00Z", "2021-10-30T23:30:00Z", "2021-10-31T00:00:00Z", "2021-10-31T00:30:00Z", "2021-10-31T01:00:00Z", "2021-10-31T01:30:00Z"}
	if len(rs) != len(starts) {
		t.Fatalf("load curve: %v", rs)
	}
	for i, s := range starts {
		if !rs[i].At.Equal(utc(s)) || rs[i].Value != float64(i+1) {
			t.Errorf("load curve reading %d = %v %v, want %s %d", i, rs[i].At, rs[i].Value, s, i+1)
		}
	}

	res, err = FormatSOAP().Parse(strings.NewReader(soapCurve))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Series) != 1 || res.Skipped != 2 || len(res.Notes) != 0 {
		t.Fatalf("SOAP: %d series, skipped %d, notes %q", len(res.Series), res.Skipped, res.Notes)
	}
	// the grandeur in VAr is listed by its line and element, like an HDM table
	if l := res.LeftOut; len(l) != 1 || l[0].Line != 9 || l[0].Element != "Envelope/Body/consulterMesuresDetailleesResponse/grandeur" ||
		l[0].Kind != "grandeur CONS PRI" || l[0].Reason != importer.ReasonUnit || len(l[0].Params) != 1 || l[0].Params[0] != "VAr" {
		t.Errorf("SOAP left out %+v: want the grandeur of line 9, unit VAr", l)
	}
	s := res.Series[0]
	if s.Key != "enedis:12345678901234:production:load-curve" || s.Name != "Courbe de production" ||
		s.Readings[0].Value != 1500 || !s.Readings[0].At.Equal(utc("2022-01-04T23:00:00Z")) {
		t.Errorf("SOAP series %+v", s)
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		name    string
		format  importer.Format
		src     string
		element string
		line    int
	}{
		{"hdm no header", FormatHDM(), "Horodate;Valeur\n2021-01-01T00:30:00+01:00;1\n", "", 1},
		{"hdm bad date", FormatHDM(), strings.Replace(hdmCurve, "2021-01-01T01:30:00+01:00", "2021-01-01 01:30", 1), "Horodate", 6},
		{"hdm bad value", FormatHDM(), strings.Replace(hdmCurve, ";300", ";3O0", 1), "Valeur", 6},
		{"hdm NaN", FormatHDM(), strings.Replace(hdmCurve, ";300", ";NaN", 1), "Valeur", 6},
		{"hdm fields", FormatHDM(), strings.Replace(hdmCurve, ";300", ";300;4", 1), "", 6},
		{"hdm truncated header", FormatHDM(), hdmCurve[:200], "Horodate", 2},
		{"hdm bad step", FormatHDM(), strings.Replace(hdmCurve, "W;\n", "W;trente\n", 1), "Pas en minutes", 2},
		{"hdm huge line", FormatHDM(), hdmCurve + strings.Repeat("1", importer.MaxLineBytes+10) + "\n", "", 7},
		{"json truncated", FormatDataConnect(), dcDaily[:150], "meter_reading.reading_type", 4},
		{"json bad value", FormatDataConnect(), strings.Replace(dcDaily, `"20"`, `"2O"`, 1), "meter_reading.interval_reading.value", 7},
		{"json value type", FormatDataConnect(), strings.Replace(dcDaily, `"20"`, `{"x": 1}`, 1), "meter_reading.interval_reading.value", 7},
		{"json bad date", FormatDataConnect(), strings.Replace(dcDaily, "2021-10-31", "31/10/2021", 1), "meter_reading.interval_reading.date", 7},
		{"json no prm", FormatDataConnect(), strings.Replace(dcDaily, `"01234567890"`, `""`, 1), "meter_reading.usage_point_id", 2},
		{"json bad unit", FormatDataConnect(), strings.Replace(dcDaily, `"Wh"`, `"kvarh"`, 1), "meter_reading.reading_type.unit", 2},
		{"json deep", FormatDataConnect(), `{"meter_reading": ` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "}", "", 1},
		{"json not dc", FormatDataConnect(), `{"other": 1}`, "meter_reading", 1},
		{"soap bad value", FormatSOAP(), strings.Replace(soapCurve, "<v>1.5</v>", "<v>1,5,0</v>", 1), "mesure/v", 6},
		{"soap bad date", FormatSOAP(), strings.Replace(soapCurve, "2022-01-05T00:10:00.000+01:00", "05/01/2022 00:10", 1), "mesure/d", 6},
		{"soap truncated", FormatSOAP(), soapCurve[:400], "Envelope/Body/consulterMesuresDetailleesResponse/grandeur/mesure/d", 6},
		{"soap doctype", FormatSOAP(), strings.Replace(soapCurve, "<soap:Envelope", "<!DOCTYPE x [<!ENTITY e \"e\">]>\n<soap:Envelope", 1), "", 2},
		{"soap fault", FormatSOAP(), `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<soap:Fault><faultcode>soap:Server</faultcode><faultstring>SGT4G3: point inconnu</faultstring></soap:Fault></soap:Body></soap:Envelope>`, "Fault", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.format.Parse(strings.NewReader(tt.src))
			var ie *importer.Error
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%T), result %v; want *importer.Error", err, err, res)
			}
			if res != nil {
				t.Error("a result came with the error")
			}
			if ie.Line != tt.line || ie.Element != tt.element {
				t.Errorf("error at line %d element %q (%v), want line %d element %q", ie.Line, ie.Element, ie, tt.line, tt.element)
			}
		})
	}
}

func fuzzSeeds(f *testing.F, glob string, extra ...string) {
	for _, rel := range samples.GlobIfPresent("enedis/" + glob) {
		if b, ok := samples.ReadIfPresent(rel); ok {
			f.Add(b[:min(len(b), 12<<10)]) // heads keep the fuzzer fast
		}
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

func fuzzCheck(t *testing.T, format importer.Format, data []byte) {
	res, err := format.Parse(bytes.NewReader(data))
	if err != nil {
		var ie *importer.Error
		if !errors.As(err, &ie) {
			t.Fatalf("error %v is not an *importer.Error", err)
		}
		return
	}
	for _, r := range res.Records {
		if r.Doctype == "" || r.Key == "" {
			t.Fatalf("record without doctype or key: %+v", r)
		}
	}
	for _, s := range res.Series {
		if s.Doctype == "" || s.Key == "" || s.Unit == "" || s.MeterKey == "" {
			t.Fatalf("incomplete series: %+v", s)
		}
		for _, r := range s.Readings {
			if r.At.Location() != time.UTC {
				t.Fatalf("reading not in UTC: %v", r.At)
			}
		}
	}
}

func FuzzHDM(f *testing.F) {
	fuzzSeeds(f, "*.csv", hdmCurve)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzCheck(t, FormatHDM(), data) })
}

func FuzzDataConnect(f *testing.F) {
	fuzzSeeds(f, "*.json", dcDaily, dcCurve)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzCheck(t, FormatDataConnect(), data) })
}

func FuzzSOAP(f *testing.F) {
	fuzzSeeds(f, "*.xml", soapCurve)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzCheck(t, FormatSOAP(), data) })
}

// TestHDMUnknownUnitLeftOut: a table of an HDM export in a unit no doctype has is left out,
// listed with its line and unit, while the other tables import; a file of only such tables
// is refused with that reason.
func TestHDMUnknownUnitLeftOut(t *testing.T) {
	odd := "\nIdentifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;Etape metier;Unite;Pas en minutes\n" +
		"12345678901234;Courbe de charge;01/01/2021;02/01/2021;Energie active;Consommation;Comptage Brut;furlong;\n" +
		"Horodate;Valeur\n2021-01-01T00:30:00+01:00;1\n2021-01-01T01:00:00+01:00;2\n"
	res, err := FormatHDM().Parse(strings.NewReader(hdmCurve + odd))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Series) != 1 || res.Skipped != 3 {
		t.Errorf("%d series, %d skipped; want 1 and 3 (one empty value, the odd table's two)", len(res.Series), res.Skipped)
	}
	l := res.LeftOut
	if len(l) != 1 || l[0].Line != 8 || l[0].Reason != importer.ReasonUnit || l[0].Kind != "Courbe de charge" || len(l[0].Params) != 1 || l[0].Params[0] != "furlong" {
		t.Errorf("left out %+v: want the table of line 8, unit furlong", l)
	}
	_, err = FormatHDM().Parse(strings.NewReader(strings.TrimPrefix(odd, "\n")))
	if err == nil || !strings.Contains(err.Error(), "unit \"furlong\" is not one the doctypes have") {
		t.Errorf("a file of only an odd table: %v, want refused for its unit", err)
	}
}
