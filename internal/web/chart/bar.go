package chart

import (
	"html/template"
	"math"
	"unicode/utf8"
)

// SVG draws the bar chart.
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
	head, top, n := heading(c.Series, c.Compare, c.Unit, false)
	if c.Horizontal {
		return c.horizontal(head, top, n, lo, hi)
	}
	return c.vertical(head, top, n, lo, hi)
}

// vertical: categories along x, values up the y axis.
func (c Bar) vertical(head string, top float64, n int, lo, hi float64) template.HTML {
	const plotH, bottom, right = 200.0, 34.0, 8.0
	y := newScale(lo, hi, top+plotH, top)
	left := 8 + charWidth*float64(maxTickWidth(y, c.Lang))
	plotW := width - left - right
	var b svg
	b.open(c.ID, c.Title, c.Desc, top+plotH+bottom)
	b.WriteString(head)
	b.valueGrid(y, left, width-right, c.Lang, false)

	slot := plotW / float64(n)
	zero := y.at(0)
	for i := range n {
		x := left + float64(i)*slot
		if c.Compare != nil {
			b.vbar(c.Compare, i, x+slot*0.12, slot*0.36, zero, y, c, true)
			b.vbar(&c.Series, i, x+slot*0.52, slot*0.36, zero, y, c, false)
		} else {
			b.vbar(&c.Series, i, x+slot*0.15, slot*0.7, zero, y, c, false)
		}
	}
	b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, num(left), num(zero), num(width-right), num(zero), colorAxis)
	for _, i := range axisLabels(&c.Series, c.Compare, n, plotW) {
		b.text(left+(float64(i)+0.5)*slot, top+plotH+23, "middle", colorText, truncate(labelAt(&c.Series, c.Compare, i, true), 14))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// vbar draws the i-th bar of s, if it has a value.
func (b *svg) vbar(s *Series, i int, x, w, zero float64, y scale, c Bar, outlined bool) {
	if i >= len(s.Points) || !finite(s.Points[i].Value) {
		return
	}
	p := s.Points[i]
	v := y.at(p.Value)
	top, h := math.Min(v, zero), math.Abs(v-zero)
	b.rect(x, top, w, h, outlined, tooltip(s.Name, p, c.Unit, c.Lang, c.Decimals))
}

func (b *svg) rect(x, y, w, h float64, outlined bool, title string) {
	if outlined {
		b.f(`<rect x="%s" y="%s" width="%s" height="%s" fill="#fff" stroke="%s" stroke-width="1.5"><title>%s</title></rect>`,
			num(x), num(y), num(w), num(h), colorCompare, esc(title))
		return
	}
	b.f(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`, num(x), num(y), num(w), num(h), colorMain, esc(title))
}

// horizontal: categories down the y axis, labels on the left, values to the right.
func (c Bar) horizontal(head string, top float64, n int, lo, hi float64) template.HTML {
	slot := 32.0
	if c.Compare != nil {
		slot = 46
	}
	longest := 4
	for i := range n {
		longest = max(longest, utf8.RuneCountInString(labelAt(&c.Series, c.Compare, i, false)))
	}
	longest = min(longest, 18)
	left := math.Min(width*0.4, float64(longest)*charWidth+12)
	// room for the value written after the longest bar
	right := 8 + charWidth*float64(len(Format(math.Max(math.Abs(lo), math.Abs(hi)), c.Decimals, c.Lang))+1)
	plotH := slot * float64(n)
	x := newScale(lo, hi, left, width-right)
	var b svg
	b.open(c.ID, c.Title, c.Desc, top+plotH+30)
	b.WriteString(head)
	bottom := top + plotH
	for _, t := range x.ticks {
		xx := x.at(t)
		b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, num(xx), num(top), num(xx), num(bottom), colorGrid)
		b.text(xx, bottom+21, "middle", colorAxis, Format(t, x.tickDigits, c.Lang))
	}
	zero := x.at(0)
	for i := range n {
		yy := top + float64(i)*slot
		label := labelAt(&c.Series, c.Compare, i, false)
		b.text(left-6, yy+slot/2+5, "end", colorText, truncate(label, 18))
		if c.Compare != nil {
			b.hbar(c.Compare, i, yy+4, slot*0.4-2, zero, x, c, true)
			b.hbar(&c.Series, i, yy+slot*0.4+2, slot*0.4, zero, x, c, false)
		} else {
			b.hbar(&c.Series, i, yy+5, slot-10, zero, x, c, false)
		}
	}
	b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, num(zero), num(top), num(zero), num(bottom), colorAxis)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// hbar draws the i-th bar of s lying down, with its value written after it.
func (b *svg) hbar(s *Series, i int, y, h, zero float64, x scale, c Bar, outlined bool) {
	if i >= len(s.Points) || !finite(s.Points[i].Value) {
		return
	}
	p := s.Points[i]
	v := x.at(p.Value)
	left, w := math.Min(v, zero), math.Abs(v-zero)
	b.rect(left, y, w, h, outlined, tooltip(s.Name, p, c.Unit, c.Lang, c.Decimals))
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
