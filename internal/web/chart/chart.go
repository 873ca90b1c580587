// Package chart draws bar and line charts as inline SVG, on the server, so that a page shows
// its numbers without JavaScript, a font or an image request. It knows nothing of HTTP or of
// the store: a page hands it labelled values and gets back markup to put in a template.
//
// Every chart is an <svg role="img"> named by its own <title> and <desc>, so a screen reader
// announces what it shows; the page is expected to give the same numbers in a <table> too.
// The colours have at least a 4.5:1 contrast against white, and the comparison series differs
// from the main one by shape (outlined bars, dashed line), not by colour alone.
//
// Each chart comes as two <svg>, a wide drawing then a narrow one (class chart-wide and
// chart-narrow), and the stylesheet shows the one that fits its .chart-figure: text scales
// with an SVG, so one drawing cannot keep its labels legible both on a phone and on a
// desktop. A bar whose period the data covers only in part (Point.Partial) is hatched.
package chart

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Point is one labelled value. Label is the full label (tooltips, description); Short, when
// set, is what the axis shows. A NaN or infinite Value means "no value" and draws nothing.
type Point struct {
	Label string
	Short string
	Value float64
	// Partial, when above zero, is how many days of its period the value covers: a week
	// of which the readings hold two days, a month of one. Bar charts hatch such a bar and
	// say so in their legend and tooltip, so that it does not read as a collapse.
	Partial int
}

// Series is a named run of points.
type Series struct {
	Name   string
	Points []Point
}

// Bar is a bar chart: one bar per point of Series, and, when Compare is set, an outlined bar
// beside it for the point of Compare with the same index (e.g. the same month a year earlier).
type Bar struct {
	ID         string  // prefix of the ids of the title and description; unique in the page
	Title      string  // what the chart shows, in a few words
	Desc       string  // a sentence with the key numbers; generated when empty
	Unit       string  // unit of the values, shown on the axis and in tooltips
	Lang       string  // "fr" or "en": number format and the few words the chart writes
	Decimals   int     // decimals of the values in tooltips and descriptions
	Series     Series  //
	Compare    *Series // optional
	Horizontal bool    // bars grow to the right, labels on the left (long category names)
}

// Line is a line chart: Series as a solid line and, when set, Compare as a dashed one.
type Line struct {
	ID, Title, Desc, Unit, Lang string
	Decimals                    int
	Series                      Series
	Compare                     *Series
}

// Colours, all at least 4.5:1 against white.
const (
	colorMain    = "#0b5cad" // 6.6:1
	colorCompare = "#4a5360" // 7.6:1
	colorAxis    = "#4a5360"
	colorGrid    = "#d9dde3" // grid lines only: decoration, the tick labels carry the values
	colorText    = "#1b1f24"
)

// maxTicks is about how many value ticks an axis gets.
const maxTicks = 6

// geom is the geometry of one drawing, in viewBox units. An SVG scales with its container,
// and its text with it: a single drawing either shrinks its labels on a phone or blows them
// up on a desktop. So each chart is drawn twice, a wide drawing and a narrow one (fewer axis
// labels, same text size), and the stylesheet shows the one that fits the container
// (.chart-figure is a size container): the labels stay about 12 to 17 px wherever shown.
type geom struct {
	w      float64 // viewBox width
	fs     float64 // font size
	cw     float64 // an estimate of the width of one character at fs
	suffix string  // appended to ids, which must stay unique in the page
	class  string  // chart-wide or chart-narrow, which the stylesheet toggles
}

var (
	// wideGeom is shown in containers from 34rem (544 px) on: 14 units are 12 to 16 px there.
	wideGeom = geom{w: 640, fs: 14, cw: 7.7, class: "chart-wide"}
	// narrowGeom is shown below: 13 units are about 12.8 px in the 324 px of a 390 px phone.
	narrowGeom = geom{w: 330, fs: 13, cw: 7.15, suffix: "-n", class: "chart-narrow"}
)

// twice draws a chart in both geometries, the wide one first.
func twice(draw func(g geom) string) template.HTML {
	return template.HTML(draw(wideGeom) + draw(narrowGeom))
}

// noData is what an empty chart says.
func noData(lang string) string {
	if lang == "fr" {
		return "Aucune donnée pour cette période."
	}
	return "No data for this period."
}

// finite reports whether v is a value to draw.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// limit keeps values in a range where sums and differences cannot overflow.
func limit(v float64) float64 { return math.Max(-1e300, math.Min(1e300, v)) }

// svg accumulates markup.
type svg struct{ strings.Builder }

func (b *svg) f(format string, args ...any) { fmt.Fprintf(b, format, args...) }

// num formats a coordinate.
func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// svgID is the id prefix of one drawing of a chart.
func svgID(id string, g geom) string {
	if id == "" {
		id = "chart"
	}
	return idSafe(id) + g.suffix
}

// open writes the <svg> element with its title and description.
func (b *svg) open(id, title, desc string, height float64, g geom) {
	id = svgID(id, g)
	b.f(`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="%s-title %s-desc" viewBox="0 0 %s %s" width="100%%" class="chart-svg %s" font-family="system-ui, sans-serif" font-size="%s">`,
		id, id, num(g.w), num(height), g.class, num(g.fs))
	b.f(`<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, esc(title), id, esc(desc))
}

// axisText writes a label centred on x but kept inside the drawing, so that the first and
// last labels of an axis are not cut at its edges.
func (b *svg) axisText(x, y float64, s string, g geom) {
	half := float64(utf8.RuneCountInString(s)) * g.cw / 2
	x = math.Max(2+half, math.Min(x, g.w-2-half))
	b.text(x, y, "middle", colorText, s)
}

// text writes a text element.
func (b *svg) text(x, y float64, anchor, fill, s string) {
	b.f(`<text x="%s" y="%s" text-anchor="%s" fill="%s">%s</text>`, num(x), num(y), anchor, fill, esc(s))
}

// empty is a chart without values: its frame and a sentence.
func empty(id, title, desc, lang string) template.HTML {
	if desc == "" {
		desc = noData(lang)
	}
	return twice(func(g geom) string {
		var b svg
		b.open(id, title, desc, 80, g)
		b.text(g.w/2, 45, "middle", colorText, noData(lang))
		b.WriteString(`</svg>`)
		return b.String()
	})
}

// idSafe keeps the characters an XML id may hold.
func idSafe(s string) string {
	var out strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf && (r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			out.WriteRune(r)
		}
	}
	if out.Len() == 0 || !(out.String()[0] >= 'a' && out.String()[0] <= 'z' || out.String()[0] >= 'A' && out.String()[0] <= 'Z') {
		return "c" + out.String()
	}
	return out.String()
}

// esc escapes text for XML, replacing what XML cannot hold (control characters, invalid
// UTF-8) by U+FFFD, so that any label gives well-formed markup.
func esc(s string) string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r < 0xD800 || r > 0xDFFF && r < 0xFFFE || r > 0xFFFF && r <= 0x10FFFF:
			b.WriteRune(r)
		default:
			b.WriteRune('\uFFFD')
		}
	}
	return b.String()
}

// truncate shortens s to n characters with an ellipsis.
func truncate(s string, n int) string {
	if n < 2 {
		n = 2
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Format writes a number the way the language does: "1,234.5" in English, "1 234,5" in French
// (with a narrow no-break space). A value that is not finite is a dash.
func Format(v float64, decimals int, lang string) string {
	if !finite(v) {
		return "–"
	}
	decimals = max(0, min(decimals, 9))
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	sep, dec := ",", "."
	if lang == "fr" {
		sep, dec = "\u202f", ","
	}
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(dec)
		b.WriteString(frac)
	}
	return b.String()
}

// withUnit joins a formatted value and its unit.
func withUnit(v float64, decimals int, unit, lang string) string {
	s := Format(v, decimals, lang)
	if unit == "" || !finite(v) {
		return s
	}
	return s + "\u00a0" + unit
}

// Ticks returns round values (1, 2 or 5 times a power of ten apart) that span [lo, hi] in at
// most about n steps; the first is ≤ lo and the last ≥ hi. Equal bounds get a span around them.
func Ticks(lo, hi float64, n int) []float64 {
	if !finite(lo) || !finite(hi) {
		return []float64{0, 1}
	}
	lo, hi = limit(lo), limit(hi)
	if lo > hi {
		lo, hi = hi, lo
	}
	if lo == hi {
		switch {
		case lo == 0:
			hi = 1
		case lo > 0:
			lo = 0
		default:
			hi = 0
		}
	}
	n = max(2, min(n, 20))
	step := niceStep((hi - lo) / float64(n))
	if !finite(step) || step <= 0 {
		return []float64{lo, hi}
	}
	first, last := math.Floor(lo/step), math.Ceil(hi/step)
	if !finite(first) || !finite(last) || last-first > 50 || last <= first {
		return []float64{lo, hi}
	}
	var out []float64
	for i := first; i <= last; i++ {
		v := i * step
		if v == 0 {
			v = 0 // no negative zero
		}
		out = append(out, v)
	}
	return out
}

// niceStep rounds x up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if !(x > 0) || !finite(x) {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	if p == 0 || !finite(p) {
		return 0
	}
	switch f := x / p; {
	case f <= 1:
		return p
	case f <= 2:
		return 2 * p
	case f <= 5:
		return 5 * p
	}
	return 10 * p
}

// tickDecimals is how many decimals tick labels need at this step.
func tickDecimals(ticks []float64) int {
	if len(ticks) < 2 {
		return 0
	}
	step := math.Abs(ticks[1] - ticks[0])
	if !(step > 0) || step >= 1 {
		return 0
	}
	return min(9, int(math.Ceil(-math.Log10(step)-1e-9)))
}

// scale maps values to one axis of the plot.
type scale struct {
	lo, hi     float64 // value range
	from, to   float64 // coordinates of lo and hi
	ticks      []float64
	tickDigits int
}

func newScale(lo, hi, from, to float64) scale {
	t := Ticks(lo, hi, maxTicks)
	return scale{lo: t[0], hi: t[len(t)-1], from: from, to: to, ticks: t, tickDigits: tickDecimals(t)}
}

func (s scale) at(v float64) float64 {
	if s.hi == s.lo {
		return s.from
	}
	return s.from + (limit(v)-s.lo)/(s.hi-s.lo)*(s.to-s.from)
}

// bounds returns the least and greatest finite values of the series, and whether any.
func bounds(series ...*Series) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range series {
		if s == nil {
			continue
		}
		for _, p := range s.Points {
			if finite(p.Value) {
				lo, hi, ok = math.Min(lo, p.Value), math.Max(hi, p.Value), true
			}
		}
	}
	return lo, hi, ok
}

// labelAt is the label of the i-th category, from the main series or else the comparison.
func labelAt(main, cmp *Series, i int, short bool) string {
	for _, s := range []*Series{main, cmp} {
		if s != nil && i < len(s.Points) {
			if short && s.Points[i].Short != "" {
				return s.Points[i].Short
			}
			if s.Points[i].Label != "" {
				return s.Points[i].Label
			}
		}
	}
	return ""
}

// axisLabels picks which of n category labels to show so that they do not overlap in room
// units: those with a Short label if any has one, else all, thinned to every k-th.
func axisLabels(main, cmp *Series, n int, room, charWidth float64) []int {
	var cands []int
	hasShort := false
	for _, s := range []*Series{main, cmp} {
		if s == nil {
			continue
		}
		for _, p := range s.Points {
			hasShort = hasShort || p.Short != ""
		}
	}
	longest := 1
	for i := range n {
		l := labelAt(main, cmp, i, true)
		if l == "" || hasShort && !hasShortAt(main, cmp, i) {
			continue
		}
		cands = append(cands, i)
		longest = max(longest, utf8.RuneCountInString(l))
	}
	if len(cands) == 0 {
		return nil
	}
	fit := max(1, int(room/(float64(min(longest, 14))*charWidth+8)))
	k := (len(cands) + fit - 1) / fit
	var out []int
	for j := 0; j < len(cands); j += k {
		out = append(out, cands[j])
	}
	return out
}

func hasShortAt(main, cmp *Series, i int) bool {
	for _, s := range []*Series{main, cmp} {
		if s != nil && i < len(s.Points) && s.Points[i].Short != "" {
			return true
		}
	}
	return false
}

// slots is how many categories a chart has: the length of the longer series.
func slots(main Series, cmp *Series) int {
	if cmp != nil {
		return max(len(main.Points), len(cmp.Points))
	}
	return len(main.Points)
}

// Marks of legend entries.
const (
	markBar     = "bar"
	markCompare = "compare"
	markPartial = "partial"
	markLine    = "line"
	markDashed  = "dashed"
)

// legendItem is one entry of a legend: a mark and its name.
type legendItem struct{ name, mark string }

// legendItems are the entries of a chart's legend: the two series when there is a
// comparison, and the partial periods when there are some. A lone series needs none: the
// chart's title names it.
func legendItems(main Series, cmp *Series, line bool, lang string) []legendItem {
	first, second := markBar, markCompare
	if line {
		first, second = markLine, markDashed
	}
	var out []legendItem
	if cmp != nil {
		out = append(out, legendItem{main.Name, first}, legendItem{cmp.Name, second})
	}
	if days := partialDays(main); len(days) > 0 {
		if cmp == nil {
			out = append(out, legendItem{main.Name, first})
		}
		n := 0
		if len(days) == 1 {
			n = days[0]
		}
		out = append(out, legendItem{PartialLabel(n, lang), markPartial})
	}
	return named(out)
}

// named drops the entries without a name.
func named(items []legendItem) []legendItem {
	var out []legendItem
	for _, it := range items {
		if it.name != "" {
			out = append(out, it)
		}
	}
	return out
}

// heading draws what stands above a chart's plot — the legend, then the unit — and returns
// it with the y where the plot starts.
func heading(items []legendItem, unit, id string, g geom) (string, float64) {
	var head svg
	top := 8 + head.legend(items, 20, id, g)
	if unit != "" {
		top += 22
		head.text(8, top-6, "start", colorAxis, unit)
	}
	return head.String(), top + 8
}

// legend draws the entries with their marks, from y, wrapping them to the width.
// It returns the height it took.
func (b *svg) legend(items []legendItem, y float64, id string, g geom) float64 {
	if len(items) == 0 {
		return 0
	}
	x, row := 8.0, 0.0
	for _, it := range items {
		w := 22 + float64(utf8.RuneCountInString(it.name))*g.cw
		if x > 8 && x+w > g.w {
			x, row = 8, row+22
		}
		yy := y + row
		switch it.mark {
		case markDashed:
			b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2" stroke-dasharray="5 3"/>`, num(x), num(yy-4), num(x+16), num(yy-4), colorCompare)
		case markLine:
			b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="3"/>`, num(x), num(yy-4), num(x+16), num(yy-4), colorMain)
		case markCompare:
			b.f(`<rect x="%s" y="%s" width="12" height="12" fill="#fff" stroke="%s" stroke-width="1.5"/>`, num(x+1), num(yy-11), colorCompare)
		case markPartial:
			b.f(`<rect x="%s" y="%s" width="12" height="12" fill="url(#%s-hatch)" stroke="%s" stroke-width="1.5"/>`, num(x+1), num(yy-11), svgID(id, g), colorMain)
		default:
			b.f(`<rect x="%s" y="%s" width="12" height="12" fill="%s"/>`, num(x+1), num(yy-11), colorMain)
		}
		b.text(x+20, yy, "start", colorText, it.name)
		x += w + 16
	}
	return row + 26
}

// partialDays lists, once each, the day counts of the series' partial points.
func partialDays(s Series) []int {
	var out []int
	for _, p := range s.Points {
		if p.Partial > 0 && finite(p.Value) && !slices.Contains(out, p.Partial) {
			out = append(out, p.Partial)
		}
	}
	return out
}

// PartialLabel names a period that the data covers only in part: "partial period (2 days)",
// "période incomplète (2 jours)"; without a day count (days ≤ 0), only the words. Pages use
// it in their tables so that they say what the chart shows, in the same words.
func PartialLabel(days int, lang string) string {
	word, unit := "partial period", "days"
	if lang == "fr" {
		word, unit = "période incomplète", "jours"
	}
	switch {
	case days <= 0:
		return word
	case days == 1:
		unit = strings.TrimSuffix(unit, "s")
	}
	return fmt.Sprintf("%s (%d %s)", word, days, unit)
}

// hatch defines the pattern that fills partial bars: stripes of the main colour on white,
// so that a partial bar reads as "less than the period" by its texture, not by colour alone.
func (b *svg) hatch(id string, g geom) {
	b.f(`<defs><pattern id="%s-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><rect width="3" height="6" fill="%s"/></pattern></defs>`,
		svgID(id, g), colorMain)
}

// describe is the generated description: how many values, the highest and the lowest.
func describe(s Series, unit, lang string, decimals int) string {
	var hiP, loP *Point
	n := 0
	for i := range s.Points {
		p := &s.Points[i]
		if !finite(p.Value) {
			continue
		}
		n++
		if hiP == nil || p.Value > hiP.Value {
			hiP = p
		}
		if loP == nil || p.Value < loP.Value {
			loP = p
		}
	}
	if n == 0 {
		return noData(lang)
	}
	if n == 1 { // the plural form "one" of both languages, once 0 is told apart
		if lang == "fr" {
			return fmt.Sprintf("1 valeur\u202f: %s (%s).", withUnit(hiP.Value, decimals, unit, lang), hiP.Label)
		}
		return fmt.Sprintf("1 value: %s (%s).", withUnit(hiP.Value, decimals, unit, lang), hiP.Label)
	}
	if lang == "fr" {
		return fmt.Sprintf("%d valeurs\u202f; la plus haute %s (%s), la plus basse %s (%s).", n,
			withUnit(hiP.Value, decimals, unit, lang), hiP.Label, withUnit(loP.Value, decimals, unit, lang), loP.Label)
	}
	return fmt.Sprintf("%d values; highest %s (%s), lowest %s (%s).", n,
		withUnit(hiP.Value, decimals, unit, lang), hiP.Label, withUnit(loP.Value, decimals, unit, lang), loP.Label)
}

// tooltip is the text of one mark: "label: value unit".
func tooltip(name string, p Point, unit, lang string, decimals int) string {
	s := p.Label + "\u202f: " + withUnit(p.Value, decimals, unit, lang)
	if lang != "fr" {
		s = p.Label + ": " + withUnit(p.Value, decimals, unit, lang)
	}
	if name != "" {
		s = name + " — " + s
	}
	if p.Partial > 0 {
		s += " — " + PartialLabel(p.Partial, lang)
	}
	return s
}
