package chart

import (
	"encoding/xml"
	"errors"
	"html/template"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
)

// wellFormed decodes the whole output as XML.
func wellFormed(t testing.TB, out string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(out))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
	}
}

func pts(vals ...float64) []Point {
	out := make([]Point, len(vals))
	for i, v := range vals {
		out[i] = Point{Label: "L" + Format(float64(i), 0, "en"), Value: v}
	}
	return out
}

func TestCharts(t *testing.T) {
	prev := Series{Name: "2024", Points: pts(100, 80)}
	tests := []struct {
		name     string
		svg      string
		contains []string
		absent   []string
	}{
		{
			name:     "bars with their numbers",
			svg:      string(Bar{ID: "e", Title: "Electricity", Unit: "kWh", Decimals: 1, Series: Series{Name: "2025", Points: pts(12.5, 250)}}.SVG()),
			contains: []string{`role="img"`, `aria-labelledby="e-title e-desc"`, `<title id="e-title">Electricity</title>`, "12.5\u00a0kWh", "250.0\u00a0kWh", `viewBox="0 0 480`, `width="100%"`},
		},
		{
			name:     "bars with a comparison",
			svg:      string(Bar{Title: "t", Unit: "L", Series: Series{Name: "2025", Points: pts(120, 130)}, Compare: &prev}.SVG()),
			contains: []string{"2024 — L0: 100\u00a0L", "2025 — L1: 130\u00a0L", `fill="#fff" stroke="#4a5360"`},
		},
		{
			name:     "French numbers",
			svg:      string(Bar{Title: "t", Lang: "fr", Decimals: 2, Series: Series{Points: pts(1234.5)}}.SVG()),
			contains: []string{"L0\u202f: 1\u202f234,50", "1 valeur\u202f: 1\u202f234,50 (L0)."},
		},
		{
			name:     "labels are escaped",
			svg:      string(Bar{Title: `<script>"x"&`, Desc: "a<b", Series: Series{Points: []Point{{Label: "</text><evil>", Value: 1}}}}.SVG()),
			contains: []string{"&lt;script&gt;&#34;x&#34;&amp;", "a&lt;b", "&lt;/text&gt;&lt;evil&gt;"},
			absent:   []string{"<script", "<evil"},
		},
		{
			name:     "empty bars",
			svg:      string(Bar{Title: "Nothing", Series: Series{}}.SVG()),
			contains: []string{"<title", "Nothing", "No data for this period."},
			absent:   []string{"<rect"},
		},
		{
			name:     "empty line in French",
			svg:      string(Line{Title: "Rien", Lang: "fr", Series: Series{Points: []Point{{Label: "a", Value: math.NaN()}}}}.SVG()),
			contains: []string{"Aucune donnée"},
			absent:   []string{"<path"},
		},
		{
			name:     "negative balance",
			svg:      string(Line{ID: "b", Title: "Balance", Unit: "€", Decimals: 2, Series: Series{Points: pts(150, -42.1, 20)}}.SVG()),
			contains: []string{"-42.10\u00a0€", ">-50<", ">0<", `stroke="#4a5360"/>`, "<path d=\"M"},
		},
		{
			name:     "negative bars go below zero",
			svg:      string(Bar{Title: "t", Horizontal: true, Series: Series{Points: pts(-30, 60)}}.SVG()),
			contains: []string{">-30<", ">60<"},
		},
		{
			name:     "a missing value breaks the line",
			svg:      string(Line{Title: "t", Series: Series{Points: pts(1, math.NaN(), 3, 4)}, Compare: &Series{Name: "before", Points: pts(2, 2, 2, 2)}}.SVG()),
			contains: []string{`stroke-dasharray="5 3"`, " M"},
		},
		{
			name:     "horizontal bars write their values",
			svg:      string(Bar{Title: "Spending", Horizontal: true, Decimals: 2, Series: Series{Points: []Point{{Label: "groceries", Value: 312.4}, {Label: "transport", Value: 45}}}}.SVG()),
			contains: []string{">groceries<", ">312.40<", ">45.00<"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wellFormed(t, tt.svg)
			if !strings.HasPrefix(tt.svg, "<svg") {
				t.Errorf("does not start with <svg: %.40s", tt.svg)
			}
			for _, c := range tt.contains {
				if !strings.Contains(tt.svg, c) {
					t.Errorf("lacks %q in %s", c, tt.svg)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(tt.svg, a) {
					t.Errorf("has %q in %s", a, tt.svg)
				}
			}
		})
	}
}

func TestTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		want   []float64
	}{
		{0, 250, []float64{0, 50, 100, 150, 200, 250}},
		{0, 1, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{0, 0, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{-42.1, 150, []float64{-50, 0, 50, 100, 150}},
		{12, 12, []float64{0, 2, 4, 6, 8, 10, 12}},
		{-7, -7, []float64{-8, -6, -4, -2, 0}},
		{0, 9321, []float64{0, 2000, 4000, 6000, 8000, 10000}},
		{1001, 1003, []float64{1001, 1001.5, 1002, 1002.5, 1003}},
		{math.NaN(), 3, []float64{0, 1}},
	}
	for _, tt := range tests {
		got := Ticks(tt.lo, tt.hi, 6)
		if len(got) != len(tt.want) {
			t.Errorf("Ticks(%v, %v) = %v, want %v", tt.lo, tt.hi, got, tt.want)
			continue
		}
		for i := range got {
			if math.Abs(got[i]-tt.want[i]) > 1e-9 {
				t.Errorf("Ticks(%v, %v) = %v, want %v", tt.lo, tt.hi, got, tt.want)
				break
			}
		}
	}
	for _, r := range [][2]float64{{-1e308, 1e308}, {1e-300, 2e-300}, {0, 1e-320}, {5, 3}} {
		got := Ticks(r[0], r[1], 6)
		if len(got) < 2 || len(got) > 52 || !slices.IsSorted(got) {
			t.Errorf("Ticks(%v, %v) = %v", r[0], r[1], got)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		v        float64
		decimals int
		lang     string
		want     string
	}{
		{250, 0, "en", "250"},
		{1234567.891, 2, "en", "1,234,567.89"},
		{1234567.891, 2, "fr", "1\u202f234\u202f567,89"},
		{-42.1, 2, "en", "-42.10"},
		{-0.001, 1, "en", "0.0"},
		{999, 0, "fr", "999"},
		{math.Inf(1), 0, "en", "–"},
	}
	for _, tt := range tests {
		if got := Format(tt.v, tt.decimals, tt.lang); got != tt.want {
			t.Errorf("Format(%v, %d, %s) = %q, want %q", tt.v, tt.decimals, tt.lang, got, tt.want)
		}
	}
}

func TestTooManyLabelsAreThinned(t *testing.T) {
	var ps []Point
	for i := range 365 {
		ps = append(ps, Point{Label: "2025-01-01 and a long label", Value: float64(i)})
	}
	out := string(Line{Title: "t", Series: Series{Points: ps}}.SVG())
	wellFormed(t, out)
	if n := strings.Count(out, ">2025-01-01 an…<"); n == 0 || n > 10 {
		t.Errorf("%d axis labels", n)
	}
	if strings.Contains(out, "<circle") {
		t.Error("markers on 365 points")
	}
}

func FuzzCharts(f *testing.F) {
	f.Add("Jan", "kWh", 1.5, -2.0, 3.0, uint8(3), "fr", true)
	f.Add("<&>\x00\xff", "€", math.Inf(1), math.NaN(), 0.0, uint8(0), "en", false)
	f.Add("", "", 1e308, -1e308, 5e-324, uint8(200), "", true)
	f.Fuzz(func(t *testing.T, label, unit string, a, b, c float64, n uint8, lang string, cmp bool) {
		vals := []float64{a, b, c}
		var ps []Point
		for i := range int(n) {
			ps = append(ps, Point{Label: label, Short: label[:len(label)/2], Value: vals[i%3] * float64(i)})
		}
		s := Series{Name: label, Points: ps}
		var comp *Series
		if cmp {
			comp = &Series{Name: unit, Points: ps[:len(ps)/2]}
		}
		for _, out := range []template.HTML{
			Bar{ID: label, Title: label, Unit: unit, Lang: lang, Decimals: int(n) % 12, Series: s, Compare: comp}.SVG(),
			Bar{Title: label, Unit: unit, Lang: lang, Series: s, Compare: comp, Horizontal: true}.SVG(),
			Line{ID: label, Title: label, Desc: unit, Unit: unit, Lang: lang, Series: s, Compare: comp}.SVG(),
		} {
			wellFormed(t, string(out))
		}
	})
}
