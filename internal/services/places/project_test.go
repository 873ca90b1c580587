package places

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestWorld(t *testing.T) {
	tests := []struct {
		p    LatLon
		x, y float64
	}{
		{LatLon{0, 0}, 0.5, 0.5},
		{LatLon{maxLat, -180}, 0, 0},
		{LatLon{-maxLat, 180}, 1, 1},
		{LatLon{89.9, 90}, 0.75, 0}, // beyond the square world: on its edge
		// the slippy-map formula, y = (1 - ln(tan φ + sec φ) / π) / 2, written otherwise
		{LatLon{48.8566, 2.3522}, 182.3522 / 360, (1 - math.Log(math.Tan(48.8566*math.Pi/180)+1/math.Cos(48.8566*math.Pi/180))/math.Pi) / 2},
	}
	for _, tt := range tests {
		if x, y := World(tt.p); !near(x, tt.x, 1e-9) || !near(y, tt.y, 1e-9) {
			t.Errorf("World(%v) = %.9f, %.9f; want %.9f, %.9f", tt.p, x, y, tt.x, tt.y)
		}
	}
	// Paris is in tile 10/518/352.
	if x, y := World(LatLon{48.8566, 2.3522}); int(x*1024) != 518 || int(y*1024) != 352 {
		t.Errorf("Paris in tile 10/%d/%d, want 10/518/352", int(x*1024), int(y*1024))
	}
}

func TestFit(t *testing.T) {
	lyon := LatLon{45.7589, 4.8475}
	tests := []struct {
		name string
		pts  []LatLon
		// where pts[i] must land, and the metres one unit stands for
		want []XY
		mpu  float64
	}{
		// a single point does not divide by zero: it is in the middle, and the frame spans the
		// least span (600 m) across the narrower inner side (320 - 2 × 28 = 264 units)
		{"one point", []LatLon{lyon}, []XY{{240, 160}}, 600.0 / 264},
		{"the same point twice", []LatLon{lyon, lyon}, []XY{{240, 160}, {240, 160}}, 600.0 / 264},
		// twenty degrees of longitude on the equator fill the width inside the margins
		{"along the equator", []LatLon{{0, -10}, {0, 10}}, []XY{{28, 160}, {452, 160}}, 20 * 111319.49 / 424},
		// and two degrees of latitude the height: the narrower side sets the scale
		{"along a meridian", []LatLon{{1, 0}, {-1, 0}}, []XY{{240, 28}, {240, 292}}, 2 * 111319.49 / 264},
		{"nothing", nil, nil, 600.0 / 264},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Fit(tt.pts, 480, 320, 28, 600)
			for i, p := range tt.pts {
				if x, y := f.XY(p); !near(x, tt.want[i].X, 0.05) || !near(y, tt.want[i].Y, 0.05) {
					t.Errorf("%v lands at %.2f, %.2f; want %.2f, %.2f", p, x, y, tt.want[i].X, tt.want[i].Y)
				}
			}
			if mpu := f.MetresPerUnit(); math.IsNaN(mpu) || math.IsInf(mpu, 0) || !near(mpu, tt.mpu, tt.mpu*1e-3) {
				t.Errorf("%.4f m per unit, want %.4f", mpu, tt.mpu)
			}
		})
	}
}

func TestScaleBar(t *testing.T) {
	tests := []struct {
		mpu    float64 // metres per unit
		metres int
	}{
		{600.0 / 264, 200}, // 120 units stand for 272 m: 200 m is the longest round length
		{10, 1000},
		{1.9, 200},
		{0.3, 20},
		{4000, 200_000},
	}
	for _, tt := range tests {
		f := Fit([]LatLon{{0, 0}}, 480, 320, 28, tt.mpu*264)
		units, metres := f.ScaleBar(120)
		if metres != tt.metres || !near(units, float64(metres)/f.MetresPerUnit(), 1e-9) || units > 120 {
			t.Errorf("%.2f m/unit: bar of %d m in %.1f units, want %d m", tt.mpu, metres, units, tt.metres)
		}
	}
}

func TestTiles(t *testing.T) {
	// 35 km across 264 units at Paris's latitude is a scale of about 199,000 units per world:
	// zoom 10, tiles of 194 units, and the tile under the centre is 10/518/352.
	paris := LatLon{48.8566, 2.3522}
	f := Fit([]LatLon{paris}, 480, 320, 28, 35000)
	tiles := f.Tiles(30)
	if len(tiles) == 0 || len(tiles) > 12 {
		t.Fatalf("%d tiles", len(tiles))
	}
	found := false
	for _, tl := range tiles {
		if tl.Z != 10 || tl.Size <= 128 || tl.Size > 256 {
			t.Errorf("tile %+v: want zoom 10, between 128 and 256 units", tl)
		}
		if tl.Left <= 240 && 240 < tl.Left+tl.Size && tl.Top <= 160 && 160 < tl.Top+tl.Size {
			found = tl.X == 518 && tl.Y == 352
		}
		if tl.Left > 480 || tl.Top > 320 || tl.Left+tl.Size < 0 || tl.Top+tl.Size < 0 {
			t.Errorf("tile %+v lies outside the drawing", tl)
		}
	}
	if !found {
		t.Errorf("no tile 10/518/352 under the centre: %+v", tiles)
	}
	// Across the antimeridian the tile numbers wrap round.
	for _, tl := range Fit([]LatLon{{0, 179.999}}, 480, 320, 28, 600).Tiles(30) {
		if n := 1 << tl.Z; tl.X < 0 || tl.X >= n || tl.Y < 0 || tl.Y >= n {
			t.Errorf("tile %+v is not on the zoom's grid", tl)
		}
	}
	// A frame that would need too many tiles gets none.
	if n := len(Fit([]LatLon{{0, 0}}, 480, 320, 28, 600).Tiles(2)); n != 0 {
		t.Errorf("%d tiles, want none past the limit", n)
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b LatLon
		m    float64
		tol  float64
	}{
		{LatLon{0, 0}, LatLon{0, 1}, 111195, 1},
		{LatLon{45, 4}, LatLon{45, 4}, 0, 0},
		{LatLon{48.8566, 2.3522}, LatLon{45.7640, 4.8357}, 392_000, 1000}, // Paris–Lyon
	}
	for _, tt := range tests {
		if d := Distance(tt.a, tt.b); !near(d, tt.m, tt.tol) {
			t.Errorf("Distance(%v, %v) = %.0f m, want %.0f", tt.a, tt.b, d, tt.m)
		}
	}
}
