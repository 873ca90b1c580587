package places

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// TestLoad reads what the person wrote, through the service's own grant, from a real store:
// places with a text or a structured address, stays and points of the trace; a visit that
// ends before it starts is counted out; another person's visits are not read.
func TestLoad(t *testing.T) {
	ctx := context.Background()
	db, reg := sqlitetest.Open(t)
	g := gate.New(db, reg)
	write := func(instance, doctype string, docs map[string]string) {
		t.Helper()
		owner := gate.Owner(instance)
		err := g.Write(ctx, owner, func(b *gate.Batch) error {
			var in []gate.Input
			for id, d := range docs {
				in = append(in, gate.Input{ID: id, Data: json.RawMessage(d)})
			}
			checked, err := g.Check(doctype, in)
			if err != nil {
				return err
			}
			_, err = b.Create(doctype, checked, owner.Source("", g))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	alice, _ := db.CreateInstance(ctx, "alice", "h")
	bob, _ := db.CreateInstance(ctx, "bob", "h")
	write(alice.ID, "place", map[string]string{
		"home":  `{"name":"Domicile","category":"home","lat":45.7589,"lon":4.8475,"address":"18 rue Paul Bert, 69003 Lyon"}`,
		"baker": `{"name":"Boulangerie","lat":45.7620,"lon":4.8480,"address":{"street":"1 rue X","city":"Lyon"}}`,
	})
	write(alice.ID, "visit", map[string]string{
		"v1": `{"start":"2025-03-04T07:00:00Z","end":"2025-03-04T08:00:00Z","lat":45.7589,"lon":4.8475,"place":"home"}`,
		"v2": `{"start":"2025-03-04T08:10:00Z","lat":45.7620,"lon":4.8480,"name":"Boulangerie"}`,
		"p1": `{"start":"2025-03-04T08:05:00.5Z","lat":45.7605,"lon":4.8478,"accuracyMeters":8}`,
		"v3": `{"start":"2025-03-04T10:00:00Z","end":"2025-03-04T09:00:00Z","lat":45.7589,"lon":4.8475}`,
	})
	write(bob.ID, "visit", map[string]string{"b1": `{"start":"2025-03-04T07:00:00Z","lat":1,"lon":2}`})

	d, _ := services.Lookup(services.Map)
	rd := services.Through(g, gate.BuiltIn(alice.ID, d.ID, d.Name, d.Purpose, []gate.Scope{{Doctype: "place", Read: true}, {Doctype: "visit", Read: true}}))
	in, err := Load(ctx, rd)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Known) != 2 || len(in.Records) != 4 || in.Unreadable != 0 {
		t.Fatalf("read %+v", in)
	}
	byID := map[string]Record{}
	for _, r := range in.Records {
		byID[r.ID] = r
	}
	if v := byID["v1"]; v.Place != "home" || !v.End.Equal(time.Date(2025, 3, 4, 8, 0, 0, 0, time.UTC)) || v.At != (LatLon{45.7589, 4.8475}) {
		t.Errorf("v1 %+v", v)
	}
	if p := byID["p1"]; !p.End.IsZero() || p.Name != "" || p.Place != "" || p.Start.Nanosecond() != 5e8 {
		t.Errorf("p1 %+v", p)
	}
	for _, k := range in.Known {
		if k.ID == "home" && (k.Address != "18 rue Paul Bert, 69003 Lyon" || k.Category != "home") || k.ID == "baker" && k.Address != "" {
			t.Errorf("place %+v", k)
		}
	}
	l := Compute(in, paris)
	if l.Unreadable != 1 || len(l.Places) != 2 || l.Places[0].Name != "Domicile" || l.Places[1].Name != "Boulangerie" || len(l.Journeys) != 1 || len(l.Journeys[0].Path) != 3 {
		t.Errorf("computed %d unreadable, places %+v, journeys %+v", l.Unreadable, l.Places, l.Journeys)
	}
	// Without the grant's doctypes the reader reads nothing and says so.
	if _, err := Load(ctx, services.Through(g, gate.BuiltIn(alice.ID, d.ID, d.Name, d.Purpose, []gate.Scope{{Doctype: "place", Read: true}}))); err == nil {
		t.Error("read visits without a grant to them")
	}
}
