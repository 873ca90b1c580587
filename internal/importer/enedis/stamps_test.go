package enedis

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/importer/samples"
)

// TestHDMEmptyUnit blanks the unit column of the sample load curve: the unit is inferred
// (W, with a note) and the file imports as it does with "W" written in.
func TestHDMEmptyUnit(t *testing.T) {
	data := samples.Read(t, "enedis/Enedis_SGE_HDM_A06NW0ZI.csv")
	blank := bytes.Replace(data, []byte(";Comptage Brut;W;"), []byte(";Comptage Brut;;"), 1)
	if bytes.Equal(blank, data) {
		t.Fatal("the sample's unit cell was not found")
	}
	res, err := FormatHDM().Parse(bytes.NewReader(blank))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Series) != 1 || res.Series[0].Unit != "W" || res.Skipped != 14 {
		t.Fatalf("series %d, skipped %d, want 1 series in W and 14 skipped", len(res.Series), res.Skipped)
	}
	var sum float64
	for _, r := range res.Series[0].Readings {
		sum += r.Value
	}
	if n := len(res.Series[0].Readings); n != 17852 || sum != 17878145 {
		t.Errorf("%d readings summing to %v, want 17852 and 17878145", n, sum)
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), "W inferred") {
		t.Errorf("notes %q do not say the unit was inferred", res.Notes)
	}
}

// TestHDMEmptyUnitConstructed is the same on a constructed file, which runs without samples.
func TestHDMEmptyUnitConstructed(t *testing.T) {
	file := strings.Replace(hdmCurve, ";Comptage Brut;W;", ";Comptage Brut;;", 1)
	res, err := FormatHDM().Parse(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Series) != 1 || res.Series[0].Unit != "W" || len(res.Series[0].Readings) != 2 || res.Skipped != 1 {
		t.Fatalf("got %+v, want one series in W with 2 readings, 1 skipped", res.Series)
	}
}

// TestHDMNothingImportable: a file with a PRM whose only block cannot be stored is refused
// for that reason, not for a missing PRM.
func TestHDMNothingImportable(t *testing.T) {
	file := strings.Replace(hdmCurve, ";Energie active;Consommation;Comptage Brut;W;", ";Tension;Consommation;Comptage Brut;V;", 1)
	_, err := FormatHDM().Parse(strings.NewReader(file))
	if err == nil {
		t.Fatal("no error")
	}
	if msg := err.Error(); strings.Contains(msg, "no PRM") || !strings.Contains(msg, "unit") {
		t.Errorf("error %q, want the unit's reason", msg)
	}
	var ie *importer.Error
	if errors.As(err, &ie) && ie.Kind == importer.KindNoMeter {
		t.Errorf("kind %q for a file that names its PRM", ie.Kind)
	}
}

// curve is a load curve over whole local days, stamped at the start or at the end of each
// step: the instants every reading must be stored at (the starts) and the stamps written.
type curve struct {
	starts, stamps []time.Time
}

func makeCurve(first, last string, step time.Duration, startStamps bool) curve {
	loc := paris()
	d0, _ := time.ParseInLocation(time.DateOnly, first, loc)
	d1, _ := time.ParseInLocation(time.DateOnly, last, loc)
	var c curve
	for t := d0; t.Before(d1.AddDate(0, 0, 1)); t = t.Add(step) {
		c.starts = append(c.starts, t.UTC())
		if startStamps {
			c.stamps = append(c.stamps, t.In(loc))
		} else {
			c.stamps = append(c.stamps, t.Add(step).In(loc))
		}
	}
	return c
}

func (c curve) hdm(step time.Duration, pas string) string {
	var b strings.Builder
	b.WriteString("\ufeffIdentifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;Etape metier;Unite;Pas en minutes\n")
	fmt.Fprintf(&b, "12345678901234;Courbe de charge;;;Energie active;Consommation;Comptage Brut;W;%s\nHorodate;Valeur\n", pas)
	for i, s := range c.stamps {
		fmt.Fprintf(&b, "%s;%d\n", s.Format(time.RFC3339), i+1)
	}
	return b.String()
}

func (c curve) soap(step time.Duration) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
		`<ns3:consulterMesuresDetailleesResponse xmlns:ns3="http://www.enedis.fr/sge/b2b/services/consultationmesuresdetaillees/v2.0">` +
		`<pointId>12345678901234</pointId><grandeur><grandeurMetier>CONS</grandeurMetier><grandeurPhysique>PA</grandeurPhysique><unite>W</unite>`)
	for i, s := range c.stamps {
		fmt.Fprintf(&b, "<mesure><v>%d</v><d>%s</d><p>PT%dM</p><n>B</n></mesure>", i+1, s.Format("2006-01-02T15:04:05.000-07:00"), int(step.Minutes()))
	}
	b.WriteString(`</grandeur></ns3:consulterMesuresDetailleesResponse></soap:Body></soap:Envelope>`)
	return b.String()
}

func (c curve) dataConnect(step time.Duration) string {
	var rows []string
	for i, s := range c.stamps {
		rows = append(rows, fmt.Sprintf(`{"value": "%d", "date": "%s", "interval_length": "PT%dM", "measure_type": "B"}`, i+1, s.Format(time.DateTime), int(step.Minutes())))
	}
	return `{"meter_reading": {"usage_point_id": "12345678901234", "reading_type": {"measurement_kind": "power", "unit": "W", "aggregate": "average"}, "interval_reading": [` +
		strings.Join(rows, ",\n") + `]}}`
}

// TestLoadCurveStampConvention builds C4 (10-minute) and C5 (30-minute) curves over days
// that include both clock changes, stamped at the start and at the end of their steps, in
// the three channels: every reading must be stored at the start of its step.
func TestLoadCurveStampConvention(t *testing.T) {
	days := []struct{ name, first, last string }{
		{"spring", "2021-03-27", "2021-03-29"},
		{"autumn", "2021-10-30", "2021-11-01"},
	}
	segments := []struct {
		name string
		step time.Duration
		pas  string // the HDM header's step: given for C4, left empty for C5
	}{{"C4", 10 * time.Minute, "10"}, {"C5", 30 * time.Minute, ""}}
	for _, d := range days {
		for _, seg := range segments {
			for _, startStamps := range []bool{true, false} {
				c := makeCurve(d.first, d.last, seg.step, startStamps)
				files := []struct {
					format importer.Format
					data   string
				}{
					{FormatHDM(), c.hdm(seg.step, seg.pas)},
					{FormatSOAP(), c.soap(seg.step)},
					{FormatDataConnect(), c.dataConnect(seg.step)},
				}
				for _, f := range files {
					name := fmt.Sprintf("%s/%s/start=%v/%s", d.name, seg.name, startStamps, f.format.Name)
					t.Run(name, func(t *testing.T) { checkStarts(t, f.format, f.data, c.starts) })
				}
			}
		}
	}
}

func checkStarts(t *testing.T, format importer.Format, data string, starts []time.Time) {
	t.Helper()
	res, err := format.Parse(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Series) != 1 {
		t.Fatalf("%d series, want 1", len(res.Series))
	}
	rs := res.Series[0].Readings
	if len(rs) != len(starts) {
		t.Fatalf("%d readings, want %d", len(rs), len(starts))
	}
	for i, r := range rs {
		if !r.At.Equal(starts[i]) || r.Value != float64(i+1) {
			t.Fatalf("reading %d: %v at %s, want %d at %s", i, r.Value, r.At.Format(time.RFC3339), i+1, starts[i].Format(time.RFC3339))
		}
	}
}
