package location

import (
	"strconv"
	"strings"
)

// placeInfo is what one part of a file tells about a place.
type placeInfo struct {
	name, address, category string
	lat, lon                float64
}

func newPlace(name, address, category string, lat, lon float64) placeInfo {
	return placeInfo{
		name:     strings.TrimSpace(name),
		address:  strings.TrimSpace(address),
		category: category,
		lat:      lat,
		lon:      lon,
	}
}

// title is the place's name, or, since the doctype requires one and exports often give none
// (the 2024 Timeline never does), the first line of its address, what it is to the person
// ("Home", "Work"), or its coordinates.
func (p placeInfo) title() (name string, real bool) {
	switch {
	case p.name != "":
		return p.name, true
	case p.address != "":
		first, _, _ := strings.Cut(p.address, "\n")
		return strings.TrimSpace(first), false
	case p.category == "home":
		return "Home", false
	case p.category == "work":
		return "Work", false
	}
	return strconv.FormatFloat(p.lat, 'f', -1, 64) + ", " + strconv.FormatFloat(p.lon, 'f', -1, 64), false
}

// place adds the place record the first time the place is met, and completes it when a later
// part of the file tells more: a real name, an address, or that it is home or work.
func (b *builder) place(key string, p placeInfo) error {
	i, ok := b.places[key]
	if !ok {
		name, real := p.title()
		data := map[string]any{"name": name, "lat": p.lat, "lon": p.lon, "category": p.category}
		setIf(data, "address", p.address)
		if !real {
			b.unnamed[key] = true
		}
		return b.add("place", key, data)
	}
	data := b.res.Records[i].Data
	if _, has := data["address"]; !has {
		setIf(data, "address", p.address)
	}
	if data["category"] == "other" && p.category != "other" {
		data["category"] = p.category
	}
	if b.unnamed[key] {
		known := newPlace(p.name, str(data["address"]), str(data["category"]), p.lat, p.lon)
		known.lat, known.lon = data["lat"].(float64), data["lon"].(float64)
		name, real := known.title()
		data["name"] = name
		b.unnamed[key] = !real
	}
	return nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
