package grdf

import (
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/importer/samples"
)

// want describes one series as checked by hand against the sample file.
type want struct {
	key, quantity, unit string
	n                   int
	first, last         time.Time
	firstV, lastV, sum  float64
}

func TestSamples(t *testing.T) {
	z := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	const pce = "22423299474865"
	tests := []struct {
		file    string
		format  importer.Format
		pce     string
		skipped int
		series  []want
	}{
		{"grdf/donnees_informatives.json", FormatPortal(), pce, 4, []want{
			// 1096 gas days 2019-11-30..2022-11-29; 2021-08-10 is "Absence de Données".
			{"grdf:" + pce + ":daily-energy", "energy", "kWh", 1095, z("2019-11-30T05:00:00Z"), z("2022-11-29T05:00:00Z"), 75, 108, 62213},
			{"grdf:" + pce + ":daily-volume", "volume", "m3", 1095, z("2019-11-30T05:00:00Z"), z("2022-11-29T05:00:00Z"), 7, 10, 5617},
			{"grdf:" + pce + ":daily-conversion", "conversion", "kWh/m3", 1095, z("2019-11-30T05:00:00Z"), z("2022-11-29T05:00:00Z"), 11.12, 11.27, -1},
			// 1097 gas-day boundaries, less 2021-08-11 06:00 where both indexes are null.
			{"grdf:" + pce + ":index", "index", "m3", 1096, z("2019-11-30T05:00:00Z"), z("2022-11-30T05:00:00Z"), 10373, 15940, -1},
		}},
		{"grdf/donnees_publiees.json", FormatPortal(), pce, 0, []want{
			// 87 periods 2017-10-10 (CEST: 04:00Z) .. 2022-11-01, the last ending 2022-11-03.
			{"grdf:" + pce + ":published-energy", "energy", "kWh", 87, z("2017-10-10T04:00:00Z"), z("2022-11-01T05:00:00Z"), 22417, 33, 117744},
			{"grdf:" + pce + ":published-volume", "volume", "m3", 87, z("2017-10-10T04:00:00Z"), z("2022-11-01T05:00:00Z"), 2025, 3, 10557},
			{"grdf:" + pce + ":published-conversion", "conversion", "kWh/m3", 87, z("2017-10-10T04:00:00Z"), z("2022-11-01T05:00:00Z"), 11.07, 11.16, -1},
			// 87 ends + the first start + the start after the gap 2019-10-03..2019-11-03.
			{"grdf:" + pce + ":index", "index", "m3", 89, z("2017-10-10T04:00:00Z"), z("2022-11-03T05:00:00Z"), 5089, 15753, -1},
		}},
		{"grdf/adict_sample.ndjson", FormatADICT(), "23000000000000", 0, []want{
			{"grdf:23000000000000:published-energy", "energy", "kWh", 1, z("2021-01-01T05:00:00Z"), z("2021-01-01T05:00:00Z"), 2032, 2032, 2032},
			{"grdf:23000000000000:published-volume", "volume", "m3", 1, z("2021-01-01T05:00:00Z"), z("2021-01-01T05:00:00Z"), 180, 180, 180},
			{"grdf:23000000000000:published-conversion", "conversion", "kWh/m3", 1, z("2021-01-01T05:00:00Z"), z("2021-01-01T05:00:00Z"), 11.29, 11.29, 11.29},
			{"grdf:23000000000000:index", "index", "m3", 2, z("2021-01-01T05:00:00Z"), z("2021-01-23T05:00:00Z"), 771, 951, 1722},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res, err := tt.format.Parse(samples.Open(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != tt.format.Name || res.Skipped != tt.skipped || len(res.Notes) != 0 {
				t.Errorf("format %q skipped %d notes %q", res.Format, res.Skipped, res.Notes)
			}
			checkMeter(t, res, tt.pce)
			if len(res.Series) != len(tt.series) {
				t.Fatalf("%d series, want %d", len(res.Series), len(tt.series))
			}
			for i, w := range tt.series {
				checkSeries(t, res.Series[i], w, tt.pce)
			}
		})
	}
}

func checkMeter(t *testing.T, res *importer.Result, pce string) {
	t.Helper()
	if len(res.Records) != 1 {
		t.Fatalf("%d records, want 1 meter", len(res.Records))
	}
	m := res.Records[0]
	if m.Doctype != "meter" || m.Key != pce || m.Data["kind"] != "gas" || m.Data["identifier"] != pce ||
		m.Data["provider"] != "GRDF" || m.Data["timeZone"] != "Europe/Paris" {
		t.Errorf("meter = %+v", m)
	}
}

func checkSeries(t *testing.T, s importer.Series, w want, pce string) {
	t.Helper()
	if s.Key != w.key || s.Doctype != "reading.gas" || s.Quantity != w.quantity || s.Unit != w.unit || s.MeterKey != pce || s.Name == "" {
		t.Errorf("series %+v, want key %s %s %s", s.Key, w.key, w.quantity, w.unit)
	}
	rs := s.Readings
	if len(rs) != w.n {
		t.Fatalf("%s: %d readings, want %d", w.key, len(rs), w.n)
	}
	if !rs[0].At.Equal(w.first) || !rs[len(rs)-1].At.Equal(w.last) || rs[0].Value != w.firstV || rs[len(rs)-1].Value != w.lastV {
		t.Errorf("%s: first %v last %v", w.key, rs[0], rs[len(rs)-1])
	}
	sum := 0.0
	for i, r := range rs {
		sum += r.Value
		if r.At.Location() != time.UTC || i > 0 && !r.At.After(rs[i-1].At) {
			t.Fatalf("%s: reading %d %v not UTC or not increasing", w.key, i, r.At)
		}
	}
	if w.sum >= 0 && math.Abs(sum-w.sum) > 1e-6 {
		t.Errorf("%s: sum %v, want %v", w.key, sum, w.sum)
	}
}

// TestDetect runs both detectors on every sample file: each claims only its own.
func TestDetect(t *testing.T) {
	dir := samples.Dir(t)
	mine := map[string]string{
		"grdf/adict_sample.ndjson":       NameADICT,
		"grdf/donnees_informatives.json": NamePortal,
		"grdf/donnees_publiees.json":     NamePortal,
	}
	seen := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		head := readHead(t, path)
		for _, f := range []importer.Format{FormatADICT(), FormatPortal()} {
			if got, want := f.Detect(head, filepath.Base(path)), mine[rel] == f.Name; got != want {
				t.Errorf("%s.Detect(%s) = %v", f.Name, rel, got)
			}
		}
		seen++
		return nil
	})
	if err != nil || seen < 30 {
		t.Fatalf("walked %d files: %v", seen, err)
	}
}

func readHead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b[:min(len(b), 8<<10)]
}
