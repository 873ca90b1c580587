package chart

import (
	"html/template"
	"strings"
)

// markersUpTo: lines with at most this many points get a dot, with its tooltip, per point.
const markersUpTo = 60

// SVG draws the line chart, once wide and once narrow (see geom). The value axis fits the
// data (it need not start at zero); when the values cross zero, the zero line is darker.
func (c Line) SVG() template.HTML {
	_, _, ok := bounds(&c.Series, c.Compare)
	if !ok {
		return empty(c.ID, c.Title, c.Desc, c.Lang)
	}
	if c.Desc == "" {
		c.Desc = describe(c.Series, c.Unit, c.Lang, c.Decimals)
	}
	return twice(c.draw)
}

// draw draws the chart in one geometry.
func (c Line) draw(g geom) string {
	lo, hi, _ := bounds(&c.Series, c.Compare)
	head, top := heading(legendItems(c.Series, c.Compare, true, c.Lang), c.Unit, c.ID, g)
	n := slots(c.Series, c.Compare)
	const plotH, bottom, right = 200.0, 34.0, 12.0
	y := newScale(lo, hi, top+plotH, top)
	left := 12 + g.cw*float64(maxTickWidth(y, c.Lang))
	plotW := g.w - left - right

	var b svg
	b.open(c.ID, c.Title, c.Desc, top+plotH+bottom, g)
	b.WriteString(head)
	b.valueGrid(y, left, g.w-right, c.Lang, true)
	xAt := func(i int) float64 {
		if n == 1 {
			return left + plotW/2
		}
		return left + float64(i)*plotW/float64(n-1)
	}
	if c.Compare != nil {
		b.path(c.Compare, xAt, y, `stroke="`+colorCompare+`" stroke-width="2" stroke-dasharray="5 3"`)
	}
	b.path(&c.Series, xAt, y, `stroke="`+colorMain+`" stroke-width="2.5"`)
	if n <= markersUpTo {
		if c.Compare != nil {
			b.markers(c.Compare, xAt, y, c, true)
		}
		b.markers(&c.Series, xAt, y, c, false)
	}
	for _, i := range axisLabels(&c.Series, c.Compare, n, plotW, g.cw) {
		b.axisText(xAt(i), top+plotH+23, truncate(labelAt(&c.Series, c.Compare, i, true), 14), g)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// path draws the series as a line, broken where a value is missing.
func (b *svg) path(s *Series, xAt func(int) float64, y scale, attrs string) {
	var d strings.Builder
	pen := false
	for i, p := range s.Points {
		if !finite(p.Value) {
			pen = false
			continue
		}
		if pen {
			d.WriteString(" L")
		} else {
			if d.Len() > 0 {
				d.WriteByte(' ')
			}
			d.WriteString("M")
		}
		d.WriteString(num(xAt(i)) + " " + num(y.at(p.Value)))
		pen = true
	}
	if d.Len() > 0 {
		b.f(`<path d="%s" fill="none" stroke-linejoin="round" %s/>`, d.String(), attrs)
	}
}

// markers draws a dot per point, each with its value as a tooltip.
func (b *svg) markers(s *Series, xAt func(int) float64, y scale, c Line, hollow bool) {
	for i, p := range s.Points {
		if !finite(p.Value) {
			continue
		}
		fill, stroke := colorMain, colorMain
		if hollow {
			fill, stroke = "#fff", colorCompare
		}
		b.f(`<circle cx="%s" cy="%s" r="3" fill="%s" stroke="%s"><title>%s</title></circle>`,
			num(xAt(i)), num(y.at(p.Value)), fill, stroke, esc(tooltip(s.Name, p, c.Unit, c.Lang, c.Decimals)))
	}
}
