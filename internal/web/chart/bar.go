package chart

import (
	"html/template"
	"math"
	"unicode/utf8"
)

// SVG draws the bar chart, once wide and once narrow (see geom).
func (c Bar) SVG() template.HTML {
	lo, hi, ok := bounds(&c.Series, c.Compare)
	if !ok {
		return empty(c.ID, c.Title, c.Desc, c.Lang)
	}
	if c.Desc == "" {
		c.Desc = describe(c.Series, c.Unit, c.Lang, c.Decimals)
	}
	// Bars start from zero, so zero is always on the value axis.
	lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	items := legendItems(c.Series, c.Compare, false, c.Lang)
	n := slots(c.Series, c.Compare)
	return twice(func(g geom) string {
		var b svg
		head, top := heading(items, c.Unit, c.ID, g)
		if c.Horizontal {
			c.horizontal(&b, head, top, n, lo, hi, g)
		} else {
			c.vertical(&b, head, top, n, lo, hi, g)
		}
		b.WriteString(`</svg>`)
		return b.String()
	})
}

// start opens the drawing, with the hatch pattern when some bar needs it, and its heading.
func (c Bar) start(b *svg, head string, height float64, g geom) {
	b.open(c.ID, c.Title, c.Desc, height, g)
	if len(partialDays(c.Series)) > 0 {
		b.hatch(c.ID, g)
	}
	b.WriteString(head)
}

// vertical: categories along x, values up the y axis.
func (c Bar) vertical(b *svg, head string, top float64, n int, lo, hi float64, g geom) {
	const plotH, bottom, right = 200.0, 34.0, 8.0
	y := newScale(lo, hi, top+plotH, top)
	left := 8 + g.cw*float64(maxTickWidth(y, c.Lang))
	plotW := g.w - left - right
	c.start(b, head, top+plotH+bottom, g)
	b.valueGrid(y, left, g.w-right, c.Lang, false)

	slot := plotW / float64(n)
	zero := y.at(0)
	for i := range n {
		x := left + float64(i)*slot
		if c.Compare != nil {
			b.vbar(c.Compare, i, x+slot*0.12, slot*0.36, zero, y, c, true, g)
			b.vbar(&c.Series, i, x+slot*0.52, slot*0.36, zero, y, c, false, g)
		} else {
			b.vbar(&c.Series, i, x+slot*0.15, slot*0.7, zero, y, c, false, g)
		}
	}
	b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, num(left), num(zero), num(g.w-right), num(zero), colorAxis)
	for _, i := range axisLabels(&c.Series, c.Compare, n, plotW, g.cw) {
		b.axisText(left+(float64(i)+0.5)*slot, top+plotH+23, truncate(labelAt(&c.Series, c.Compare, i, true), 14), g)
	}
}

// vbar draws the i-th bar of s, if it has a value.
func (b *svg) vbar(s *Series, i int, x, w, zero float64, y scale, c Bar, outlined bool, g geom) {
	if i >= len(s.Points) || !finite(s.Points[i].Value) {
		return
	}
	p := s.Points[i]
	v := y.at(p.Value)
	top, h := math.Min(v, zero), math.Abs(v-zero)
	b.rect(x, top, w, h, barFill(p, outlined, c.ID, g), tooltip(s.Name, p, c.Unit, c.Lang, c.Decimals))
}

// barFill is how a bar is painted: outlined for the comparison, hatched when its period is
// partial, solid otherwise.
func barFill(p Point, outlined bool, id string, g geom) string {
	switch {
	case outlined:
		return `fill="#fff" stroke="` + colorCompare + `" stroke-width="1.5"`
	case p.Partial > 0:
		return `fill="url(#` + svgID(id, g) + `-hatch)" stroke="` + colorMain + `" stroke-width="1.5"`
	}
	return `fill="` + colorMain + `"`
}

func (b *svg) rect(x, y, w, h float64, paint, title string) {
	b.f(`<rect x="%s" y="%s" width="%s" height="%s" %s><title>%s</title></rect>`, num(x), num(y), num(w), num(h), paint, esc(title))
}

// horizontal: categories down the y axis, labels on the left, values to the right.
func (c Bar) horizontal(b *svg, head string, top float64, n int, lo, hi float64, g geom) {
	slot := 32.0
	if c.Compare != nil {
		slot = 46
	}
	longest := 4
	for i := range n {
		longest = max(longest, utf8.RuneCountInString(labelAt(&c.Series, c.Compare, i, false)))
	}
	longest = min(longest, 18)
	left := math.Min(g.w*0.4, float64(longest)*g.cw+12)
	labelRoom := max(4, int((left-12)/g.cw))
	// room for the value written after the longest bar
	right := 8 + g.cw*float64(len(Format(math.Max(math.Abs(lo), math.Abs(hi)), c.Decimals, c.Lang))+1)
	plotH := slot * float64(n)
	x := newScale(lo, hi, left, g.w-right)
	c.start(b, head, top+plotH+30, g)
	bottom := top + plotH
	for _, t := range x.ticks {
		xx := x.at(t)
		b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, num(xx), num(top), num(xx), num(bottom), colorGrid)
		b.axisText(xx, bottom+21, Format(t, x.tickDigits, c.Lang), g)
	}
	zero := x.at(0)
	for i := range n {
		yy := top + float64(i)*slot
		label := labelAt(&c.Series, c.Compare, i, false)
		b.text(left-6, yy+slot/2+5, "end", colorText, truncate(label, min(18, labelRoom)))
		if c.Compare != nil {
			b.hbar(c.Compare, i, yy+4, slot*0.4-2, zero, x, c, true, g)
			b.hbar(&c.Series, i, yy+slot*0.4+2, slot*0.4, zero, x, c, false, g)
		} else {
			b.hbar(&c.Series, i, yy+5, slot-10, zero, x, c, false, g)
		}
	}
	b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, num(zero), num(top), num(zero), num(bottom), colorAxis)
}

// hbar draws the i-th bar of s lying down, with its value written after it.
func (b *svg) hbar(s *Series, i int, y, h, zero float64, x scale, c Bar, outlined bool, g geom) {
	if i >= len(s.Points) || !finite(s.Points[i].Value) {
		return
	}
	p := s.Points[i]
	v := x.at(p.Value)
	left, w := math.Min(v, zero), math.Abs(v-zero)
	b.rect(left, y, w, h, barFill(p, outlined, c.ID, g), tooltip(s.Name, p, c.Unit, c.Lang, c.Decimals))
	if !outlined {
		anchor, tx := "start", math.Max(v, zero)+4
		if p.Value < 0 {
			anchor, tx = "end", math.Min(v, zero)-4
		}
		b.text(tx, y+h/2+5, anchor, colorText, Format(p.Value, c.Decimals, c.Lang))
	}
}

// valueGrid draws horizontal grid lines at the ticks of y, labelled on the left.
func (b *svg) valueGrid(y scale, left, right float64, lang string, zeroLine bool) {
	for _, t := range y.ticks {
		yy := y.at(t)
		stroke := colorGrid
		if zeroLine && t == 0 {
			stroke = colorAxis
		}
		b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, num(left), num(yy), num(right), num(yy), stroke)
		b.text(left-5, yy+5, "end", colorAxis, Format(t, y.tickDigits, lang))
	}
}

// maxTickWidth is the length in characters of the longest tick label.
func maxTickWidth(y scale, lang string) int {
	w := 1
	for _, t := range y.ticks {
		w = max(w, utf8.RuneCountInString(Format(t, y.tickDigits, lang)))
	}
	return w
}
