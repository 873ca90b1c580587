package enedis

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/store"
)

// countingSink counts what a stream hands it, batch by batch, and keeps a copy.
type countingSink struct {
	records, readings int // calls
	maxRecords        int // the largest batch
	maxReadings       int
	got               map[string][]store.Reading
}

func (c *countingSink) Records(rs []importer.Record) error {
	c.records++
	c.maxRecords = max(c.maxRecords, len(rs))
	return nil
}

func (c *countingSink) Readings(s importer.Series, rs []store.Reading) error {
	if s.Readings != nil {
		return fmt.Errorf("series %s sent with its readings", s.Key)
	}
	c.readings++
	c.maxReadings = max(c.maxReadings, len(rs))
	c.got[s.Key] = append(c.got[s.Key], rs...)
	return nil
}

// hdmLoadCurve is an HDM load curve of n steps from start, stamped at the end of each step
// (or at its start), with "Pas en minutes" pas.
func hdmLoadCurve(start time.Time, n int, step time.Duration, startStamps bool, pas string) string {
	var b strings.Builder
	b.WriteString("\ufeffIdentifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;Etape metier;Unite;Pas en minutes\n")
	fmt.Fprintf(&b, "09111642617347;Courbe de charge;01/01/2016;;Energie active;Consommation;Comptage Brut;W;%s\nHorodate;Valeur\n", pas)
	for i := range n {
		t := start.Add(time.Duration(i) * step)
		if !startStamps {
			t = t.Add(step)
		}
		fmt.Fprintf(&b, "%s;%d\n", t.Format(time.RFC3339), 150+(i*37)%2500)
	}
	return b.String()
}

// TestStreamHDMBounded: a decade of half hours, and a year of ten-minute steps stamped at
// their start (read twice, being longer than a batch, since only its last row tells its
// convention), reach the sink in batches no larger than the bounds, every reading once, as
// Parse gives them and at the start of its step.
func TestStreamHDMBounded(t *testing.T) {
	tests := []struct {
		name        string
		n           int
		step        time.Duration
		startStamps bool
		pas         string
		early       time.Duration // how long before a midnight the curve starts
		opens       int
	}{
		{"ten years of 30 minutes", 175_344, 30 * time.Minute, false, "30", 0, 1},
		{"a year of 10 minutes, start stamps", 52_704, 10 * time.Minute, true, "10", 0, 2},
		{"start stamps, no step written", 52_704, 10 * time.Minute, true, "", 0, 2},
		// Its first stamp is a midnight, and so is its last: end stamps, known at the end.
		{"end stamps from a midnight to a midnight", 52_705, 10 * time.Minute, false, "10", 10 * time.Minute, 2},
		{"a year of 10 minutes from midnight, end stamps", 52_704, 10 * time.Minute, false, "", 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Date(2016, 1, 1, 0, 0, 0, 0, paris()).Add(-tt.early)
			file := hdmLoadCurve(start, tt.n, tt.step, tt.startStamps, tt.pas)
			opens := 0
			open := func() io.Reader { opens++; return strings.NewReader(file) }
			sink := &countingSink{got: map[string][]store.Reading{}}
			res, err := StreamHDM(open, sink)
			if err != nil {
				t.Fatal(err)
			}
			if opens != tt.opens {
				t.Errorf("file read %d times, want %d", opens, tt.opens)
			}
			if sink.maxReadings > importer.StreamReadings || sink.maxRecords > importer.StreamRecords {
				t.Errorf("batches of up to %d readings and %d records, bounds %d and %d", sink.maxReadings, sink.maxRecords, importer.StreamReadings, importer.StreamRecords)
			}
			if want := (tt.n + importer.StreamReadings - 1) / importer.StreamReadings; sink.readings < want || sink.records != 1 {
				t.Errorf("%d batches of readings and %d of records, want at least %d and 1 (the meter)", sink.readings, sink.records, want)
			}
			if len(res.Records) != 0 || len(res.Series) != 0 {
				t.Errorf("the result kept %d records and %d series: all were sent", len(res.Records), len(res.Series))
			}
			rs := sink.got["enedis:09111642617347:consumption:load-curve"]
			if len(rs) != tt.n {
				t.Fatalf("%d readings, want %d", len(rs), tt.n)
			}
			for i, r := range rs {
				if want := start.Add(time.Duration(i) * tt.step).UTC(); !r.At.Equal(want) || r.Value != float64(150+(i*37)%2500) {
					t.Fatalf("reading %d: %v at %v, want %d at %v", i, r.Value, r.At, 150+(i*37)%2500, want)
				}
			}
			parsed, err := FormatHDM().Parse(strings.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(parsed.Series[0].Readings, rs) || !reflect.DeepEqual(parsed.Notes, res.Notes) {
				t.Errorf("Parse differs from the stream: notes %q and %q", parsed.Notes, res.Notes)
			}
			if tt.startStamps != strings.Contains(strings.Join(res.Notes, "\n"), "read as the start of its step") {
				t.Errorf("notes %q, start stamps %v", res.Notes, tt.startStamps)
			}
		})
	}
}

// TestStreamHDMErrorsInOrder: a block the adapter refuses does not hide a malformed row
// further on, which is the refusal ParseHDM then AdaptHDM gave; alone, it is the refusal.
func TestStreamHDMErrorsInOrder(t *testing.T) {
	refused := strings.Replace(hdmCurve, "W;\n", "W;trente\n", 1) // a bad step: the adapter's refusal, line 2
	malformed := refused + "Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;Etape metier;Unite;Pas en minutes\n" +
		"12345678901234;Courbe de charge;;;Energie active;Consommation;Comptage Brut;W;30\nHorodate;Valeur\n2021-01-02 00:30;1\n"
	for _, tt := range []struct {
		file    string
		line    int
		element string
	}{{refused, 2, "Pas en minutes"}, {malformed, 10, "Horodate"}} {
		_, err := FormatHDM().Parse(strings.NewReader(tt.file))
		ie, ok := err.(*importer.Error)
		if !ok || ie.Line != tt.line || ie.Element != tt.element {
			t.Errorf("error %v, want line %d, %s", err, tt.line, tt.element)
		}
	}
}
