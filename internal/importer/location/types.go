package location

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"selfdata/internal/input"
)

// Number is a number the 2024 Timeline writes as a JSON number on Android and as a string
// on the iPhone ("probability": "0.85", "distanceMeters": "1234.5").
type Number float64

// UnmarshalJSON takes a number or a string holding one.
func (n *Number) UnmarshalJSON(b []byte) error {
	if s := string(b); s != "" && s[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	f, err := strconv.ParseFloat(string(bytes.TrimSpace(b)), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("%s is not a number", input.Excerpt(string(b)))
	}
	*n = Number(f)
	return nil
}

// LatLng is a position as the 2024 Timeline writes it: a string ("48.8566°, 2.3522°" on
// Android, "geo:48.8566,2.3522" on the iPhone), or Android's object {"latLng": "..."}.
// Read it with latLng.
type LatLng string

// UnmarshalJSON takes a string, an object with a latLng string, or null.
func (l *LatLng) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*l = LatLng(s)
		return nil
	}
	var o struct {
		LatLng string `json:"latLng"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return fmt.Errorf("a position is a string or an object with a latLng, not %s", input.Excerpt(string(b)))
	}
	*l = LatLng(o.LatLng)
	return nil
}
