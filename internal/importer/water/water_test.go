package water

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/importer/samples"
)

const sample = "testdata/eau-du-grand-lyon.csv"

func z(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestSample checks values read by hand in testdata/eau-du-grand-lyon.csv: 60 days from
// 2024-03-01 to 2024-04-29 of meter C22FA045678, the temperature of 2024-03-17 empty.
func TestSample(t *testing.T) {
	f, err := os.Open(sample)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := Format().Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != Name || res.Skipped != 1 || len(res.Notes) != 0 || len(res.Records) != 1 || len(res.Series) != 3 {
		t.Fatalf("format %q skipped %d notes %q records %d series %d", res.Format, res.Skipped, res.Notes, len(res.Records), len(res.Series))
	}
	m := res.Records[0]
	if m.Doctype != "meter" || m.Key != "C22FA045678" || m.Data["kind"] != "water" || m.Data["identifier"] != "C22FA045678" ||
		m.Data["provider"] != "Eau du Grand Lyon" || m.Data["timeZone"] != "Europe/Paris" {
		t.Errorf("meter %+v", m)
	}
	tests := []struct {
		key, quantity, unit string
		n                   int
		first, last         time.Time
		firstV, lastV, sum  float64
	}{
		// Midnight CET is 23:00Z the day before; from 2024-04-01 (after the change on
		// 03-31 at 02:00) midnight CEST is 22:00Z.
		{"water:C22FA045678:index", "index", "m3", 60, z("2024-02-29T23:00:00Z"), z("2024-04-28T22:00:00Z"), 1234.845, 1252.167, -1},
		{"water:C22FA045678:daily-volume", "volume", "L", 60, z("2024-02-29T23:00:00Z"), z("2024-04-28T22:00:00Z"), 278, 327, 17600},
		{"water:C22FA045678:temperature", "temperature", "degC", 59, z("2024-02-29T23:00:00Z"), z("2024-04-28T22:00:00Z"), 9.0, 12.7, 638.1},
	}
	for i, w := range tests {
		s := res.Series[i]
		if s.Key != w.key || s.Doctype != "reading.water" || s.Quantity != w.quantity || s.Unit != w.unit || s.MeterKey != "C22FA045678" || s.Name == "" {
			t.Errorf("series %d: %s %s %s %s %s", i, s.Key, s.Doctype, s.Quantity, s.Unit, s.MeterKey)
		}
		rs := s.Readings
		if len(rs) != w.n || !rs[0].At.Equal(w.first) || !rs[len(rs)-1].At.Equal(w.last) || rs[0].Value != w.firstV || rs[len(rs)-1].Value != w.lastV {
			t.Fatalf("%s: %d readings, first %v, last %v", w.key, len(rs), rs[0], rs[len(rs)-1])
		}
		sum := 0.0
		for _, r := range rs {
			sum += r.Value
		}
		if w.sum >= 0 && math.Abs(sum-w.sum) > 1e-9 {
			t.Errorf("%s: sum %v, want %v", w.key, sum, w.sum)
		}
	}
	// The days around the DST change, and the index of 2024-03-31 ("1244,026").
	idx := res.Series[0].Readings
	if !idx[30].At.Equal(z("2024-03-30T23:00:00Z")) || idx[30].Value != 1244.026 || !idx[31].At.Equal(z("2024-03-31T22:00:00Z")) {
		t.Errorf("around DST: %v %v", idx[30], idx[31])
	}
	// 2024-03-17 has no temperature: the 16th is followed by the 18th.
	temp := res.Series[2].Readings
	if !temp[15].At.Equal(z("2024-03-15T23:00:00Z")) || !temp[16].At.Equal(z("2024-03-17T23:00:00Z")) || temp[16].Value != 9.9 {
		t.Errorf("around the empty temperature: %v %v", temp[15], temp[16])
	}
}

const hdr = Header + "\n"

// TestVariants: BOM, CRLF, decimal point, default provider, two meters, rows out of order,
// a disagreement and a gap.
func TestVariants(t *testing.T) {
	in := "\ufeff# export du 2024-05-01\r\n# Fournisseur : Régie des eaux\r\n" + strings.ReplaceAll(hdr, "\n", "\r\n") +
		"A1;2024-01-02;10.300;300;\r\n" +
		"A1;2024-01-01;10.000;250;4.5\r\n" +
		"B2;2024-01-01;5;0;-1,25\r\n" +
		"A1;2024-01-03;10.600;298,5;\r\n" + // rose 300 L: 1.5 L off -> a note
		"A1;2024-01-05;11.000;999;\r\n" + // after a gap: not compared
		"B2;2024-01-02;5,0005;0,5;\r\n" //
	res, err := Format().Parse(strings.NewReader(in))
	if err == nil || !strings.Contains(err.Error(), "line 9: index_m3:") {
		t.Fatalf("want a decimals error at line 9, got %v", err)
	}
	in = strings.Replace(in, "5,0005", "5,001", 1)
	if res, err = Format().Parse(strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 2 || res.Records[0].Key != "A1" || res.Records[1].Key != "B2" || res.Records[0].Data["provider"] != "Régie des eaux" {
		t.Fatalf("records %+v", res.Records)
	}
	want := "meter A1, 2024-01-03 (line 7): consumption 298.5 L but the index rose by 300 L since the day before"
	if len(res.Notes) != 1 || res.Notes[0] != want {
		t.Errorf("notes %q", res.Notes)
	}
	if res.Skipped != 4 || len(res.Series) != 6 { // three empty temperatures of A1, one of B2
		t.Fatalf("skipped %d series %d", res.Skipped, len(res.Series))
	}
	a := res.Series[0].Readings
	if len(a) != 4 || a[0].Value != 10 || !a[0].At.Equal(z("2023-12-31T23:00:00Z")) || a[3].Value != 11 {
		t.Errorf("A1 index %v", a)
	}
	if b := res.Series[5]; b.Key != "water:B2:temperature" || b.Readings[0].Value != -1.25 {
		t.Errorf("B2 temperature %+v", b)
	}
	if v := res.Series[4].Readings; v[1].Value != 0.5 {
		t.Errorf("B2 volume %v", v)
	}
	res, err = Format().Parse(strings.NewReader(hdr + "X;2024-01-01;1;1;\n"))
	if err != nil || res.Records[0].Data["provider"] != DefaultProvider || len(res.Series) != 2 {
		t.Errorf("default provider: %v %+v", err, res)
	}
}

func TestMalformed(t *testing.T) {
	row := "M1;2024-03-01;12,345;300;10,5\n"
	tests := []struct {
		name, in string
		line     int
		element  string
		reason   string
	}{
		{"empty", "", 1, "", "the file is empty"},
		{"only comments", "# fournisseur: X\n", 2, "", "the file is empty"},
		{"wrong header", "compteur,date,index_m3,consommation_l,temperature_c\n" + row, 1, "", "the header must be"},
		{"missing column in header", "# fournisseur: X\ncompteur;date;index_m3;consommation_l\n", 2, "", "the header must be"},
		{"bad date", hdr + row + "M1;2024-02-30;12,645;300;\n", 3, "date", `"2024-02-30" is not a date YYYY-MM-DD`},
		{"french date", hdr + "M1;01/03/2024;12,345;300;\n", 2, "date", "not a date"},
		{"bad index", hdr + row + "M1;2024-03-02;12,6x;300;\n", 3, "index_m3", `"12,6x" is not a number`},
		{"thousands separator", hdr + "M1;2024-03-02;1 234,5;300;\n", 2, "index_m3", "is not a number"},
		{"empty index", hdr + "M1;2024-03-02;;300;\n", 2, "index_m3", "empty"},
		{"negative consumption", hdr + "M1;2024-03-02;12;-3;\n", 2, "consommation_l", "is not a number"},
		{"bad temperature", hdr + "M1;2024-03-02;12;3;chaud\n", 2, "temperature_c", `"chaud" is not a number`},
		{"columns", hdr + row + "M1;2024-03-02;12,645;300\n", 3, "", "4 columns, expected 5"},
		{"empty serial", hdr + ";2024-03-02;12;3;\n", 2, "compteur", "empty meter serial"},
		{"duplicate day", hdr + row + "M2;2024-03-01;1;1;\n" + "M1;2024-03-01;12,645;300;\n", 4, "date", "date 2024-03-01 appears twice for meter M1 (lines 2 and 4)"},
		{"bad quote", hdr + row + "M1;\"2024-03-02;12;3;\n", 3, "", "malformed CSV"},
		{"huge line", hdr + row + "M1;" + strings.Repeat("9", importer.MaxLineBytes) + "\n", 3, "", "line longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Format().Parse(strings.NewReader(tt.in))
			var e *importer.Error
			if !errors.As(err, &e) || res != nil {
				t.Fatalf("got %v, %v; want an *importer.Error", res, err)
			}
			if e.Line != tt.line || e.Element != tt.element || !strings.Contains(e.Reason, tt.reason) {
				t.Errorf("got line %d element %q reason %q; want line %d element %q reason ~%q", e.Line, e.Element, e.Reason, tt.line, tt.element, tt.reason)
			}
		})
	}
}

// TestDetect claims our sample and no file of the shared samples folder.
func TestDetect(t *testing.T) {
	head := func(path string) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b[:min(len(b), 8<<10)]
	}
	if !Detect(head(sample), "releves.csv") || !Detect([]byte("\ufeff"+strings.ToUpper(hdr)), "") || Detect([]byte("compteur;date\n"), "") {
		t.Error("Detect misses our own format")
	}
	dir := samples.Dir(t)
	seen := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		seen++
		if Detect(head(path), d.Name()) {
			t.Errorf("Detect claims %s", path)
		}
		return nil
	})
	if err != nil || seen < 30 {
		t.Fatalf("walked %d files: %v", seen, err)
	}
}
