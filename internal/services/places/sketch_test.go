package places

import "testing"

// TestLabel: a name goes to the right of its marker, to the left at the right edge, above or
// below when both sides are taken, and nowhere when there is no room; none covers a line.
func TestLabel(t *testing.T) {
	s := Sketch{Width: 480, Height: 320, Bar: Bar{XY: XY{12, 306}, Length: 60}, Markers: []Marker{
		{XY: XY{100, 100}, R: 10}, // free all round: right
		{XY: XY{470, 100}, R: 8},  // at the right edge: left
		{XY: XY{300, 200}, R: 10}, // its right crossed by a line: left
		{XY: XY{100, 250}, R: 10}, // its neighbours on both sides: above
		{XY: XY{60, 250}, R: 10},  // the left neighbour
		{XY: XY{140, 250}, R: 10}, // the right neighbour
		{XY: XY{240, 160}, R: 10}, // no text: no label
		{XY: XY{20, 300}, R: 6},   // above the scale bar, at the left edge: no room
	}, Lines: []Line{{Points: []XY{{330, 150}, {330, 250}}}}}
	s.Label([]string{"Domicile", "Bureau", "Parc", "Marché", "Gym", "Lidl", "", "Gare"})
	want := []struct {
		anchor string
		x, y   float64
	}{
		{"start", 114, 100 + 14*0.35},
		{"end", 458, 100 + 14*0.35},
		{"end", 286, 200 + 14*0.35},
		{"start", 100 - 6*7.7/2, 235},
		{"end", 46, 250 + 14*0.35},
		{"start", 154, 250 + 14*0.35},
		{"", 0, 0},
		{"", 0, 0},
	}
	for i, w := range want {
		m := s.Markers[i]
		if m.Anchor != w.anchor || !near(m.LabelAt.X, w.x, 0.01) || !near(m.LabelAt.Y, w.y, 0.01) {
			t.Errorf("marker %d: %q label at %.2f, %.2f (%s); want %.2f, %.2f (%s)", i, m.Label, m.LabelAt.X, m.LabelAt.Y, m.Anchor, w.x, w.y, w.anchor)
		}
	}
	long := Sketch{Width: 480, Height: 320, Markers: []Marker{{XY: XY{50, 50}, R: 5}}}
	long.Label([]string{"Une adresse bien trop longue pour la carte"})
	if r := []rune(long.Markers[0].Label); len(r) != labelChars || r[len(r)-1] != '…' {
		t.Errorf("long label %q", long.Markers[0].Label)
	}
}
