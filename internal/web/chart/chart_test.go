package chart

import (
	"encoding/xml"
	"errors"
	"html/template"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
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
			contains: []string{`role="img"`, `aria-labelledby="e-title e-desc"`, `<title id="e-title">Electricity</title>`, "12.5\u00a0kWh", "250.0\u00a0kWh", `viewBox="0 0 640`, `viewBox="0 0 330`, `width="100%"`, `class="chart-svg chart-wide"`, `class="chart-svg chart-narrow"`, `<title id="e-n-title">`},
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

// textRE finds the x and the text of the SVG's text elements.
var textRE = regexp.MustCompile(`<text x="([-0-9.]+)" y="[-0-9.]+" text-anchor="(\w+)"[^>]*>([^<]*)</text>`)

// drawings splits a chart's output into its wide and narrow drawings.
func drawings(t *testing.T, out string) (wide, narrow string) {
	t.Helper()
	wide, narrow, ok := strings.Cut(out, `</svg>`)
	if !ok || !strings.Contains(wide, "chart-wide") || !strings.Contains(narrow, "chart-narrow") {
		t.Fatalf("not a wide then a narrow drawing: %.200s", out)
	}
	return wide + `</svg>`, narrow
}

// viewWidth is the width of a drawing's viewBox.
func viewWidth(t *testing.T, svg string) float64 {
	t.Helper()
	m := regexp.MustCompile(`viewBox="0 0 ([0-9.]+) `).FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no viewBox in %.200s", svg)
	}
	w, _ := strconv.ParseFloat(m[1], 64)
	return w
}

// TestLabelsStayInside: no centred label of either drawing reaches past its edges (the
// last month of a line chart used to be cut in half), with the geometry's own estimate.
func TestLabelsStayInside(t *testing.T) {
	months := []string{"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	var ps []Point
	for i, m := range months {
		ps = append(ps, Point{Label: m + " 2025", Short: m + " 2025", Value: float64(100 + i)})
	}
	for name, out := range map[string]template.HTML{
		"line":     Line{Title: "t", Unit: "€", Series: Series{Points: ps}}.SVG(),
		"bars":     Bar{Title: "t", Series: Series{Points: ps}}.SVG(),
		"sideways": Bar{Title: "t", Horizontal: true, Series: Series{Points: ps[:3]}}.SVG(),
	} {
		wide, narrow := drawings(t, string(out))
		for _, d := range []struct {
			svg string
			g   geom
		}{{wide, wideGeom}, {narrow, narrowGeom}} {
			w := viewWidth(t, d.svg)
			for _, m := range textRE.FindAllStringSubmatch(d.svg, -1) {
				if m[2] != "middle" {
					continue
				}
				x, _ := strconv.ParseFloat(m[1], 64)
				half := float64(utf8.RuneCountInString(m[3])) * d.g.cw / 2
				if x-half < 0 || x+half > w {
					t.Errorf("%s, %s: label %q at %v reaches past 0–%v", name, d.g.class, m[3], x, w)
				}
			}
		}
	}
}

// TestNarrowDrawingThinsLabels: the narrow drawing keeps its text size and shows fewer
// axis labels instead; both sizes are legible where they are shown.
func TestNarrowDrawingThinsLabels(t *testing.T) {
	var ps []Point
	for i := range 31 {
		ps = append(ps, Point{Label: "day " + strconv.Itoa(i+1), Short: strconv.Itoa(i+1) + " Jan", Value: float64(i)})
	}
	wide, narrow := drawings(t, string(Bar{Title: "t", Series: Series{Points: ps}}.SVG()))
	count := func(s string) int { return strings.Count(s, " Jan</text>") }
	if cw, cn := count(wide), count(narrow); cn == 0 || cn >= cw {
		t.Errorf("narrow drawing has %d axis labels, wide %d: want fewer, but some", cn, cw)
	}
	// Shown at 324 px (a 390 px phone's card) and from 544 px on: at least 12 px.
	if px := narrowGeom.fs * 324 / narrowGeom.w; px < 12 {
		t.Errorf("narrow labels at %.1f px on a phone", px)
	}
	if px := wideGeom.fs * 544 / wideGeom.w; px < 11.5 {
		t.Errorf("wide labels at %.1f px in the narrowest container that shows them", px)
	}
}

// TestPartialBars: a bar whose period the data covers in part is hatched, its tooltip and
// the legend say "partial period (N days)", and a chart without one has no hatch.
func TestPartialBars(t *testing.T) {
	full := []Point{{Label: "November", Value: 300}, {Label: "December", Value: 10, Partial: 1}}
	weeks := []Point{{Label: "w1", Value: 70, Partial: 2}, {Label: "w2", Value: 70}, {Label: "w3", Value: 20, Partial: 2}}
	tests := []struct {
		name     string
		c        Bar
		contains []string
		absent   []string
	}{
		{"a one-day December", Bar{ID: "m", Title: "t", Unit: "kWh", Series: Series{Name: "This period", Points: full}},
			[]string{`<pattern id="m-hatch"`, `<pattern id="m-n-hatch"`, `fill="url(#m-hatch)"`, `fill="url(#m-n-hatch)"`,
				"December: 10\u00a0kWh — partial period (1 day)<", ">partial period (1 day)</text>", ">This period</text>"}, nil},
		{"two partial weeks, in French, with a comparison", Bar{ID: "w", Title: "t", Lang: "fr", Series: Series{Name: "Cette période", Points: weeks},
			Compare: &Series{Name: "Un an plus tôt", Points: pts(1, 2, 3)}},
			[]string{">période incomplète (2 jours)</text>", "w1\u202f: 70 — période incomplète (2 jours)", ">Un an plus tôt</text>"}, nil},
		{"complete periods", Bar{ID: "c", Title: "t", Series: Series{Name: "x", Points: pts(1, 2)}}, nil,
			[]string{"hatch", "partial", ">x</text>"}},
		{"a partial period without a value is not announced", Bar{ID: "e", Title: "t", Series: Series{Points: []Point{{Label: "a", Value: 1}, {Label: "b", Value: math.NaN(), Partial: 3}}}}, nil,
			[]string{"hatch", "partial"}},
		{"lying bars hatch too", Bar{ID: "h", Title: "t", Horizontal: true, Series: Series{Points: full}},
			[]string{`fill="url(#h-hatch)"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := string(tt.c.SVG())
			wellFormed(t, out)
			for _, c := range tt.contains {
				if !strings.Contains(out, c) {
					t.Errorf("lacks %q in %s", c, out)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(out, a) {
					t.Errorf("has %q", a)
				}
			}
		})
	}
}

func TestPartialLabel(t *testing.T) {
	for _, tt := range []struct {
		days int
		lang string
		want string
	}{
		{2, "en", "partial period (2 days)"},
		{1, "en", "partial period (1 day)"},
		{0, "en", "partial period"},
		{2, "fr", "période incomplète (2 jours)"},
		{1, "fr", "période incomplète (1 jour)"},
		{-1, "fr", "période incomplète"},
	} {
		if got := PartialLabel(tt.days, tt.lang); got != tt.want {
			t.Errorf("PartialLabel(%d, %s) = %q, want %q", tt.days, tt.lang, got, tt.want)
		}
	}
}
