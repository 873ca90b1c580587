package formats

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"selfdata/internal/importer/samples"
)

// TestEveryFormatMayBeAsked: every format has a loose test, so that a file detection is not
// sure of can be offered to the person among the likely formats.
func TestEveryFormatMayBeAsked(t *testing.T) {
	for _, f := range All() {
		if f.Likely == nil {
			t.Errorf("%s has no Likely", f.Name)
		}
	}
}

// TestSamplesAreLikelyTheirFormat: each sample is likely of the format that claims it, so
// that, were its detection to miss (a header edited, an unusual first key), the person would
// still be offered the right format.
func TestSamplesAreLikelyTheirFormat(t *testing.T) {
	dir := samples.Dir(t)
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "README.md" || filepath.Base(filepath.Dir(path)) == "consent" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		head := b[:min(len(b), 8192)]
		for _, f := range All() {
			if f.Detect(head, d.Name()) && !f.Likely(head, d.Name()) {
				rel, _ := filepath.Rel(dir, path)
				t.Errorf("%s is %s but not likely of it", rel, f.Name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLikelyFormats: which formats a file none claims may be of — by its kind of content and
// its name; none for what no format is.
func TestLikelyFormats(t *testing.T) {
	for _, tt := range []struct {
		name, head string
		want       []string
	}{
		{"export.json", `{"unexpected": []}`, []string{"enedis.dataconnect", "fhir.r4", "google.location.records", "google.location.semantic", "google.location.timeline", "grdf.adict", "grdf.portal"}},
		{"export.json", "\xef\xbb\xbf  [1, 2]", []string{"enedis.dataconnect", "fhir.r4", "google.location.records", "google.location.semantic", "google.location.timeline", "grdf.adict", "grdf.portal"}},
		{"ride.gpx", `<trace version="2"/>`, []string{"gpx"}},
		{"statement.xml", `<?xml version="1.0"?><Doc/>`, []string{"camt.053", "greenbutton", "enedis.sge-soap"}},
		{"agenda.ics", "BEGIN:VCALENDAR\r\nX-ODD\r\n", []string{"icalendar"}},
		{"readings.csv", "a,b\n1,2\n", []string{"enedis.hdm", "water.csv"}},
		{"export.json", "not json", nil},
		{"photo.png", "\x89PNG\r\n\x1a\n\x00\x00", nil},
		{"export.csv", "\x89PNG\r\n\x1a\n\x00\x00", nil},
		{"notes.txt", "", nil},
	} {
		var got []string
		for _, f := range All() {
			if f.Likely([]byte(tt.head), tt.name) {
				got = append(got, f.Name)
			}
		}
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s %q: likely %v, want %v", tt.name, tt.head, got, want)
		}
	}
}

// TestOwnSniffOutranksExtension: a CSV of a bank's shape that no format claims is offered as
// a bank's export alone, not beside every format whose files end in .csv.
func TestOwnSniffOutranksExtension(t *testing.T) {
	head := []byte("Compte;FR76 3000\nJour;Texte;Somme\n03/02/2025;CB BOULANGERIE;-4,20\n04/02/2025;VIR LOYER;-650,00\n")
	var got []string
	for _, f := range All() {
		if f.Detect(head, "releve.csv") {
			t.Fatalf("%s claims it; the test wants a file none claims", f.Name)
		}
		if f.Likely(head, "releve.csv") {
			got = append(got, f.Name)
		}
	}
	if !slices.Equal(got, []string{"bank-csv"}) {
		t.Errorf("likely %v, want [bank-csv]", got)
	}
}
