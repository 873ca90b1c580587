package places

import "math"

// This file is the map projection: Web Mercator (EPSG:3857), the projection of the tiles every
// map server hands out, so that the drawing the server makes and the tiles an operator may lay
// under it line up without any reprojection.

// LatLon is a position in degrees (WGS 84).
type LatLon struct{ Lat, Lon float64 }

// maxLat is where Web Mercator stops: the square world of the tiles.
const maxLat = 85.05112878

// earthCircumference is the equator's length in metres, the width of the Mercator world.
const earthCircumference = 40075016.686

// World projects p onto the unit square of Web Mercator: (0, 0) is the top-left corner of
// tile 0/0/0 (180° W, 85.05° N), (1, 1) its bottom-right corner.
func World(p LatLon) (x, y float64) {
	lat := math.Max(-maxLat, math.Min(maxLat, p.Lat))
	x = (p.Lon + 180) / 360
	y = (1 - math.Asinh(math.Tan(lat*math.Pi/180))/math.Pi) / 2
	return x, y
}

// metresPerWorld is how many metres one unit of the Mercator world spans at latitude lat.
func metresPerWorld(lat float64) float64 {
	lat = math.Max(-maxLat, math.Min(maxLat, lat))
	return earthCircumference * math.Cos(lat*math.Pi/180)
}

// Frame places Mercator coordinates in a drawing of Width × Height units (an SVG viewBox).
type Frame struct {
	Width, Height float64
	scale         float64 // drawing units per world unit
	x0, y0        float64 // the world coordinates of the drawing's top-left corner
	lat           float64 // the latitude at the centre, for distances
}

// Fit is the frame that shows every point of pts inside a drawing of width × height with pad
// units of margin on each side, centred, at the same scale along both axes (a map is not
// stretched). So that one point, or points a few metres apart, do not zoom to the scale of a
// room, the frame spans at least minSpan metres across its narrower side. With no points it
// shows minSpan metres around (0, 0); every frame has a finite, positive scale.
func Fit(pts []LatLon, width, height, pad, minSpan float64) Frame {
	f := Frame{Width: width, Height: height}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		x, y := World(p)
		minX, maxX = math.Min(minX, x), math.Max(maxX, x)
		minY, maxY = math.Min(minY, y), math.Max(maxY, y)
	}
	if len(pts) == 0 {
		minX, maxX, minY, maxY = 0.5, 0.5, 0.5, 0.5
	}
	cx, cy := (minX+maxX)/2, (minY+maxY)/2
	f.lat = latOf(cy)
	innerW, innerH := math.Max(width-2*pad, 1), math.Max(height-2*pad, 1)
	span := math.Max(minSpan, 1) / metresPerWorld(f.lat) // the least world span of the narrower side
	dx, dy := maxX-minX, maxY-minY
	f.scale = math.Min(innerW/math.Max(dx, 1e-12), innerH/math.Max(dy, 1e-12))
	f.scale = math.Min(f.scale, math.Min(innerW, innerH)/span)
	f.x0 = cx - width/2/f.scale
	f.y0 = cy - height/2/f.scale
	return f
}

// latOf is the latitude of Mercator ordinate y.
func latOf(y float64) float64 {
	return math.Atan(math.Sinh(math.Pi*(1-2*y))) * 180 / math.Pi
}

// XY is where p falls in the drawing.
func (f Frame) XY(p LatLon) (x, y float64) {
	wx, wy := World(p)
	return (wx - f.x0) * f.scale, (wy - f.y0) * f.scale
}

// MetresPerUnit is the length one drawing unit stands for at the frame's centre.
func (f Frame) MetresPerUnit() float64 { return metresPerWorld(f.lat) / f.scale }

// ScaleBar is the length of a scale bar for the frame: the longest round distance (1, 2 or 5
// times a power of ten, in metres) drawn no longer than most units.
func (f Frame) ScaleBar(most float64) (units float64, metres int) {
	mpu := f.MetresPerUnit()
	best := 1.0
	for p := 1.0; p <= 1e7; p *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if m*p/mpu <= most {
				best = m * p
			}
		}
	}
	return best / mpu, int(best)
}

// Tile is one map tile laid in the drawing: Z/X/Y is its address on a tile server
// (X wrapped around the antimeridian), Left, Top and Size its square in drawing units.
type Tile struct {
	Z, X, Y         int
	Left, Top, Size float64
}

// maxZoom is the deepest zoom level tile servers commonly serve.
const maxZoom = 19

// Tiles are the tiles that cover the drawing, at the zoom level whose tiles are drawn between
// 128 and 256 units wide (a drawing about as wide as it is shown keeps them sharp), or none
// when more than most would be needed.
func (f Frame) Tiles(most int) []Tile {
	z := int(math.Ceil(math.Log2(f.scale / 256)))
	z = max(0, min(maxZoom, z))
	n := math.Exp2(float64(z))
	size := f.scale / n
	x1, y1 := f.x0+f.Width/f.scale, f.y0+f.Height/f.scale
	tx0, tx1 := int(math.Floor(f.x0*n)), int(math.Floor(x1*n))
	ty0, ty1 := int(math.Floor(math.Max(f.y0, 0)*n)), int(math.Floor(math.Min(y1, 1-1e-12)*n))
	if (tx1-tx0+1)*(ty1-ty0+1) > most || ty1 < ty0 {
		return nil
	}
	var out []Tile
	for ty := ty0; ty <= ty1; ty++ {
		for tx := tx0; tx <= tx1; tx++ {
			wrapped := ((tx % int(n)) + int(n)) % int(n)
			out = append(out, Tile{Z: z, X: wrapped, Y: ty,
				Left: (float64(tx)/n - f.x0) * f.scale, Top: (float64(ty)/n - f.y0) * f.scale, Size: size})
		}
	}
	return out
}

// Distance is the great-circle distance between a and b, in metres (haversine).
func Distance(a, b LatLon) float64 {
	const r = 6371008.8 // mean Earth radius
	rad := math.Pi / 180
	dLat, dLon := (b.Lat-a.Lat)*rad, (b.Lon-a.Lon)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Sqrt(math.Min(1, h)))
}
