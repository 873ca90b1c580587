package greenbutton

import (
	"strings"
)

// graph finds, for each entry, the entries it refers to. ESPI links entries by URL; real
// feeds leave some links out, so each lookup falls back on the URL hierarchy (a MeterReading
// lives under its UsagePoint's URL) and then on the only candidate of its kind in the feed.
type graph struct {
	byResource map[string][]*Entry
}

func newGraph(f *Feed) *graph {
	g := &graph{byResource: map[string][]*Entry{}}
	for i := range f.Entries {
		e := &f.Entries[i]
		g.byResource[e.Resource] = append(g.byResource[e.Resource], e)
	}
	return g
}

func (g *graph) all(resource string) []*Entry { return g.byResource[resource] }

// usagePointOf is the UsagePoint a MeterReading belongs to, or nil.
func (g *graph) usagePointOf(mr *Entry) *Entry {
	ups := g.all("UsagePoint")
	for _, up := range ups {
		if mr.Up != "" && contains(up.Related, mr.Up) {
			return up
		}
	}
	for _, up := range ups {
		if under(mr.Self, up.Self) {
			return up
		}
	}
	if len(ups) == 1 {
		return ups[0]
	}
	return nil
}

// readingTypeOf is the ReadingType a MeterReading names, or nil.
func (g *graph) readingTypeOf(mr *Entry) *Entry {
	rts := g.all("ReadingType")
	for _, rt := range rts {
		if rt.Self != "" && contains(mr.Related, rt.Self) {
			return rt
		}
	}
	if len(rts) == 1 {
		return rts[0]
	}
	return nil
}

// localTimeOf is the LocalTimeParameters of a UsagePoint, or nil.
func (g *graph) localTimeOf(up *Entry) *Entry {
	lts := g.all("LocalTimeParameters")
	for _, lt := range lts {
		if lt.Self != "" && contains(up.Related, lt.Self) {
			return lt
		}
	}
	if len(lts) == 1 {
		return lts[0]
	}
	return nil
}

// blocksOf are the IntervalBlock entries of a MeterReading.
func (g *graph) blocksOf(mr *Entry) []*Entry {
	mrs := g.all("MeterReading")
	var out []*Entry
	for _, b := range g.all("IntervalBlock") {
		switch {
		case b.Up != "" && contains(mr.Related, b.Up):
		case under(b.Self, mr.Self):
		case len(mrs) == 1 && g.ownerless(b, mrs):
		default:
			continue
		}
		out = append(out, b)
	}
	return out
}

// ownerless tells whether no MeterReading claims the block by a link or by its URL.
func (g *graph) ownerless(b *Entry, mrs []*Entry) bool {
	for _, mr := range mrs {
		if b.Up != "" && contains(mr.Related, b.Up) || under(b.Self, mr.Self) {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if sameURL(x, s) {
			return true
		}
	}
	return false
}

// under tells whether URL child lies below URL parent ("…/UsagePoint/1/MeterReading/01" is
// under "…/UsagePoint/1").
func under(child, parent string) bool {
	if child == "" || parent == "" {
		return false
	}
	p := strings.TrimSuffix(parent, "/") + "/"
	return strings.HasPrefix(child, p)
}

func sameURL(a, b string) bool {
	return a != "" && strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/")
}
