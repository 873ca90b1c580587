package enedis

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/importer/samples"
)

func head(b []byte) []byte { return b[:min(len(b), 8<<10)] }

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// wantSeries is what a sample's series must hold, checked by hand against the file.
type wantSeries struct {
	key, name, quantity, unit string
	count                     int
	first, last               time.Time
	firstValue, lastValue     float64
	sum                       float64
}

const prm = "09111642617347"

func TestSamples(t *testing.T) {
	tests := []struct {
		file    string
		format  importer.Format
		meter   string
		skipped int
		series  []wantSeries
	}{
		{
			// Load curve: hourly until 2021-02-12 12:00, then half-hourly; 14 empty rows.
			file: "enedis/Enedis_SGE_HDM_A06NW0ZI.csv", format: FormatHDM(), meter: prm, skipped: 14,
			series: []wantSeries{{
				key: "enedis:" + prm + ":consumption:load-curve", name: "Courbe de charge", quantity: "power", unit: "W",
				count: 17852, sum: 17878145,
				// "2021-01-07T14:00:00+01:00;1061" ends an hourly step that began at 12:00 UTC.
				first: utc("2021-01-07T12:00:00Z"), firstValue: 1061,
				// "2022-02-02T00:00:00+01:00;602" ends a half-hourly step.
				last: utc("2022-02-01T22:30:00Z"), lastValue: 602,
			}},
		},
		{
			// Daily indexes (471 rows, 80 without any value) and daily max power (470 rows, 80 empty).
			file: "enedis/Enedis_SGE_HDM_A06NW10D.csv", format: FormatHDM(), meter: prm, skipped: 160,
			series: []wantSeries{
				{key: "enedis:" + prm + ":index:eas-f1", name: "Index EAS F1", quantity: "index", unit: "Wh", count: 391,
					first: utc("2021-01-08T22:00:00Z"), firstValue: 15747, last: utc("2022-02-02T22:00:00Z"), lastValue: 9723814, sum: -1},
				{key: "enedis:" + prm + ":index:eas-f2", name: "Index EAS F2", quantity: "index", unit: "Wh", count: 1,
					first: utc("2021-01-08T22:00:00Z"), last: utc("2021-01-08T22:00:00Z"), sum: 0},
				{key: "enedis:" + prm + ":index:eas-t", name: "Index EAS T", quantity: "index", unit: "Wh", count: 391,
					first: utc("2021-01-08T22:00:00Z"), firstValue: 15747, last: utc("2022-02-02T22:00:00Z"), lastValue: 9723814, sum: -1},
				{key: "enedis:" + prm + ":consumption:daily-max-power", name: "Puissance maximale quotidienne", quantity: "power", unit: "W",
					count: 390, sum: 1976949,
					first: utc("2021-01-07T12:16:41Z"), firstValue: 5502, last: utc("2022-02-01T07:18:09Z"), lastValue: 5125},
			},
		},
		{
			file: "enedis/daily.json", format: FormatDataConnect(), meter: "01234567890",
			series: []wantSeries{{
				key: "enedis:01234567890:consumption:daily-energy", name: "Consommation quotidienne", quantity: "energy", unit: "Wh",
				count: 365, sum: 12089386,
				first: utc("2022-03-07T23:00:00Z"), firstValue: 42045, // 2022-03-08 00:00 in Paris (CET)
				last: utc("2023-03-06T23:00:00Z"), lastValue: 53021,
			}},
		},
		{
			file: "enedis/detail.json", format: FormatDataConnect(), meter: "01234567890",
			series: []wantSeries{{
				key: "enedis:01234567890:consumption:load-curve", name: "Courbe de charge", quantity: "power", unit: "W",
				count: 144, sum: 456422,
				first: utc("2023-02-28T23:00:00Z"), firstValue: 1344, // "2023-03-01 00:30:00" ends 00:00–00:30 CET
				last: utc("2023-03-03T22:30:00Z"), lastValue: 2158, // "2023-03-04 00:00:00"
			}},
		},
		{
			file: "enedis/ConsultationMesuresDetaillees_C5-PA_response.xml", format: FormatSOAP(), meter: prm,
			series: []wantSeries{{
				key: "enedis:" + prm + ":consumption:load-curve", name: "Courbe de charge", quantity: "power", unit: "W",
				count: 336, sum: 353170,
				first: utc("2022-01-04T23:00:00Z"), firstValue: 430, // 2022-01-05T00:30:00.000+01:00
				last: utc("2022-01-11T22:30:00Z"), lastValue: 362, // 2022-01-12T00:00:00.000+01:00
			}},
		},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			data := samples.Read(t, tt.file)
			if !tt.format.Detect(head(data), filepath.Base(tt.file)) {
				t.Fatal("Detect = false")
			}
			res, err := tt.format.Parse(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			checkMeter(t, res, tt.meter)
			if res.Format != tt.format.Name || res.Skipped != tt.skipped {
				t.Errorf("format %q skipped %d, want %q %d", res.Format, res.Skipped, tt.format.Name, tt.skipped)
			}
			byKey := map[string]importer.Series{}
			for _, s := range res.Series {
				byKey[s.Key] = s
			}
			for _, w := range tt.series {
				s, ok := byKey[w.key]
				if !ok {
					t.Errorf("no series %q", w.key)
					continue
				}
				checkSeries(t, s, w, tt.meter)
			}
		})
	}
}

func checkMeter(t *testing.T, res *importer.Result, prm string) {
	t.Helper()
	if len(res.Records) != 1 {
		t.Fatalf("%d records, want 1 meter", len(res.Records))
	}
	m := res.Records[0]
	want := map[string]any{"kind": "electricity", "identifier": prm, "provider": "Enedis", "timeZone": "Europe/Paris"}
	if m.Doctype != "meter" || m.Key != prm {
		t.Errorf("meter %s %q", m.Doctype, m.Key)
	}
	for k, v := range want {
		if m.Data[k] != v {
			t.Errorf("meter %s = %v, want %v", k, m.Data[k], v)
		}
	}
}

func checkSeries(t *testing.T, s importer.Series, w wantSeries, meter string) {
	t.Helper()
	if s.Doctype != "reading.electricity" || s.Name != w.name || s.Quantity != w.quantity || s.Unit != w.unit || s.MeterKey != meter {
		t.Errorf("%s: %s %q %s %s meter %q", w.key, s.Doctype, s.Name, s.Quantity, s.Unit, s.MeterKey)
	}
	rs := s.Readings
	if len(rs) != w.count {
		t.Fatalf("%s: %d readings, want %d", w.key, len(rs), w.count)
	}
	if !rs[0].At.Equal(w.first) || rs[0].Value != w.firstValue {
		t.Errorf("%s: first %v %v, want %v %v", w.key, rs[0].At, rs[0].Value, w.first, w.firstValue)
	}
	if l := rs[len(rs)-1]; !l.At.Equal(w.last) || l.Value != w.lastValue {
		t.Errorf("%s: last %v %v, want %v %v", w.key, l.At, l.Value, w.last, w.lastValue)
	}
	sum := 0.0
	seen := map[time.Time]bool{}
	for i, r := range rs {
		sum += r.Value
		if seen[r.At] {
			t.Errorf("%s: instant %v twice", w.key, r.At)
		}
		seen[r.At] = true
		if r.At.Location() != time.UTC {
			t.Errorf("%s: reading %d not in UTC: %v", w.key, i, r.At)
		}
	}
	if w.sum >= 0 && sum != w.sum {
		t.Errorf("%s: sum %v, want %v", w.key, sum, w.sum)
	}
}

// TestLoadCurveInstants checks by hand the rows where the step changes or rows are missing
// and the autumn's repeated hour, in the SGE load curve.
func TestLoadCurveInstants(t *testing.T) {
	res, err := FormatHDM().Parse(bytes.NewReader(samples.Read(t, "enedis/Enedis_SGE_HDM_A06NW0ZI.csv")))
	if err != nil {
		t.Fatal(err)
	}
	at := map[time.Time]float64{}
	for _, r := range res.Series[0].Readings {
		at[r.At] = r.Value
	}
	tests := []struct {
		row   string
		start string
		value float64
	}{
		{"2021-02-07T00:00:00+01:00;358 (after a missing hour)", "2021-02-06T22:00:00Z", 358},
		{"2021-02-12T12:00:00+01:00;3901 (last hourly row)", "2021-02-12T10:00:00Z", 3901},
		{"2021-02-13T00:30:00+01:00;2688 (first half-hourly row, after a gap)", "2021-02-12T23:00:00Z", 2688},
		{"2021-03-28T03:00:00+02:00;392 (spring change)", "2021-03-28T00:30:00Z", 392},
		{"2021-10-31T02:00:00+02:00;384", "2021-10-30T23:30:00Z", 384},
		{"2021-10-31T02:30:00+02:00;496", "2021-10-31T00:00:00Z", 496},
		{"2021-10-31T02:00:00+01:00;380 (the hour again)", "2021-10-31T00:30:00Z", 380},
		{"2021-10-31T02:30:00+01:00;368", "2021-10-31T01:00:00Z", 368},
	}
	for _, tt := range tests {
		if v, ok := at[utc(tt.start)]; !ok || v != tt.value {
			t.Errorf("row %s: reading at %s = %v (present %v), want %v", tt.row, tt.start, v, ok, tt.value)
		}
	}
}

func TestDetectAllSamples(t *testing.T) {
	dir := samples.Dir(t)
	formats := map[string]importer.Format{"hdm": FormatHDM(), "dataconnect": FormatDataConnect(), "soap": FormatSOAP()}
	owner := func(rel string) string {
		switch {
		case strings.HasPrefix(rel, "enedis/Enedis_SGE_HDM"):
			return "hdm"
		case strings.HasPrefix(rel, "enedis/") && strings.HasSuffix(rel, ".json"):
			return "dataconnect"
		case strings.HasPrefix(rel, "enedis/") && strings.HasSuffix(rel, ".xml"):
			return "soap"
		}
		return ""
	}
	n := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) == ".md" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		for name, f := range formats {
			if got, want := f.Detect(head(b), filepath.Base(p)), owner(rel) == name; got != want {
				t.Errorf("%s Detect(%s) = %v, want %v", name, rel, got, want)
			}
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 5 {
		t.Errorf("only %d sample files seen", n)
	}
}
