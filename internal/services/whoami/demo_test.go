package whoami

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"selfdata/internal/demo"
	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// demoStore seeds the demo person's year into a real SQLite store and returns the gate,
// the instance and the generated dataset.
func demoStore(t *testing.T) (*gate.Gate, string, *demo.Dataset) {
	t.Helper()
	ctx := context.Background()
	db, reg := sqlitetest.Open(t)
	if err := db.EnsureIndexes(ctx, reg.Indexes()); err != nil {
		t.Fatal(err)
	}
	g := gate.New(db, reg)
	in, err := db.CreateInstance(ctx, "demo", "not a passphrase hash: nobody logs in here")
	if err != nil {
		t.Fatal(err)
	}
	ds := demo.Generate(demoEnd, 1)
	if err := demo.Seed(ctx, g, in.ID, ds); err != nil {
		t.Fatal(err)
	}
	return g, in.ID, ds
}

var demoEnd = time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)

// asService is the service's reader under a grant of doctypes, and the allowed function
// the page derives from the same grant.
func asService(g *gate.Gate, instance string, doctypes []string) (services.Reader, func(string) bool) {
	def, _ := services.Lookup(services.WhoAmI)
	var scopes []gate.Scope
	for _, dt := range doctypes {
		scopes = append(scopes, gate.Scope{Doctype: dt, Read: true})
	}
	p := gate.BuiltIn(instance, def.ID, def.Name, def.Purpose, scopes)
	return services.Through(g, p), func(dt string) bool { return slices.Contains(doctypes, dt) }
}

// dump writes a portrait in a form a test failure can show.
func dump(p Portrait) string {
	var b strings.Builder
	for _, s := range p.Sections {
		fmt.Fprintf(&b, "%s (missing %v)\n", s.Category, s.Missing)
		for _, st := range s.Statements {
			fmt.Fprintf(&b, "  %s", st.Key)
			for _, a := range st.Args {
				switch a.Kind {
				case Money:
					fmt.Fprintf(&b, " [%s %s]", a.Amount, a.Currency)
				case Count:
					fmt.Fprintf(&b, " [%d %s]", a.N, a.Noun)
				case Date, Month:
					fmt.Fprintf(&b, " [%s]", a.Time.Format(time.DateOnly))
				case Duration:
					fmt.Fprintf(&b, " [%s]", a.Duration)
				case List, Enums:
					fmt.Fprintf(&b, " %q", a.List)
				case Slot:
					fmt.Fprintf(&b, " [%s part %d]", time.Weekday(a.N), a.Part)
				case Part:
					fmt.Fprintf(&b, " [part %d]", a.Part)
				case Percent:
					fmt.Fprintf(&b, " [%d %%]", a.N)
				case Hour:
					fmt.Fprintf(&b, " [%d h]", a.N)
				default:
					fmt.Fprintf(&b, " %q", a.Text)
				}
			}
			for _, e := range st.Evidence {
				fmt.Fprintf(&b, " <%s/%s %d by %s>", e.Doctype, e.ID, e.Count, e.Source.Name)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// TestDemo: the demo person's portrait says something in every category, and every
// statement rests on records that exist, held by the source it names.
func TestDemo(t *testing.T) {
	ctx := context.Background()
	g, in, _ := demoStore(t)
	def, _ := services.Lookup(services.WhoAmI)
	// The catalog's doctypes, and the load curve that tells when the home is lived in.
	rd, allowed := asService(g, in, append(slices.Clone(def.Doctypes), Electricity))
	p, err := Build(ctx, rd, allowed, demoEnd, paris)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + dump(p))
	for _, key := range []string{"habits.empty", "habits.home"} {
		if _, ok := statement(p, key); !ok {
			t.Errorf("no %s from the load curve", key)
		}
	}
	series, err := rd.Series(ctx)
	if err != nil {
		t.Fatal(err)
	}
	owner := gate.Owner(in)
	for _, s := range p.Sections {
		if len(s.Statements) == 0 {
			t.Errorf("%s: nothing said", s.Category)
		}
		for _, st := range s.Statements {
			if len(st.Evidence) == 0 {
				t.Errorf("%s: rests on nothing", st.Key)
			}
			for _, e := range st.Evidence {
				if !slices.Contains(s.Doctypes, e.Doctype) {
					t.Errorf("%s rests on %s, not one of its category's doctypes %v", st.Key, e.Doctype, s.Doctypes)
				}
				if e.Series {
					i := slices.IndexFunc(series, func(sr store.Series) bool { return sr.ID == e.ID })
					if i < 0 || series[i].Doctype != e.Doctype || series[i].Source.Name != e.Source.Name {
						t.Errorf("%s rests on series %s of %s, which is not there", st.Key, e.ID, e.Source.Name)
					}
					continue
				}
				if e.ID != "" {
					d, err := g.Get(ctx, owner, e.Doctype, e.ID)
					if err != nil {
						t.Errorf("%s: %s/%s: %v", st.Key, e.Doctype, e.ID, err)
					} else if d.Source.Kind != e.Source.Kind || d.Source.ID != e.Source.ID || d.Source.Name != e.Source.Name {
						t.Errorf("%s: %s/%s is held by %+v, the statement says %+v", st.Key, e.Doctype, e.ID, d.Source, e.Source)
					}
					continue
				}
				n := 0
				docs, err := rd.Docs(ctx, e.Doctype)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range docs {
					if d.Source.Kind == e.Source.Kind && d.Source.ID == e.Source.ID {
						n++
					}
				}
				if n == 0 || e.Count > n {
					t.Errorf("%s: rests on %d %s records of %s, which holds %d", st.Key, e.Count, e.Doctype, e.Source.Name, n)
				}
			}
		}
	}
	if len(p.NotAllowed) != 0 || p.Unreadable != 0 {
		t.Errorf("not allowed %v, unreadable %d", p.NotAllowed, p.Unreadable)
	}
}

// TestDemoNarrowed: with health unticked on the consent screen, the service never asks the
// gate for health records (no read, no refused attempt in the log), says nothing of health,
// and names what it was not allowed to read.
func TestDemoNarrowed(t *testing.T) {
	ctx := context.Background()
	g, in, _ := demoStore(t)
	def, _ := services.Lookup(services.WhoAmI)
	kept := slices.DeleteFunc(slices.Clone(def.Doctypes), func(dt string) bool { return dt == "health.claim" })
	rd, allowed := asService(g, in, kept)
	p, err := Build(ctx, rd, allowed, demoEnd, paris)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.NotAllowed, []string{"health.claim"}) {
		t.Errorf("not allowed %v", p.NotAllowed)
	}
	if s := p.Sections[len(p.Sections)-1]; s.Category != Health || len(s.Statements) != 0 {
		t.Errorf("health: %+v", s)
	}
	log, err := g.AccessLog(ctx, gate.Owner(in), store.LogQuery{Principal: string(gate.KindBuiltin), ActorID: def.ID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) == 0 {
		t.Fatal("no read logged")
	}
	for _, e := range log {
		if e.Doctype == "health.claim" || e.Refused || e.Doctype != "*" && !slices.Contains(kept, e.Doctype) { // "*": the list of series
			t.Errorf("logged: %s on %s (refused %v)", e.ActorName, e.Doctype, e.Refused)
		}
	}
}
