package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"selfdata/internal/alert"
	"selfdata/internal/consent"
	"selfdata/internal/demo"
	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/services/energy"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

type checksEnv struct {
	st     store.Store
	g      *gate.Gate
	grants *consent.Grants
	alerts *alert.Alerts
	checks *energyChecks
}

func newChecksEnv(t *testing.T, now time.Time) *checksEnv {
	t.Helper()
	ctx := context.Background()
	st, reg := sqlitetest.Open(t)
	if err := services.Ensure(ctx, st, "https://selfdata.example/services"); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e := &checksEnv{st: st, g: gate.New(st, reg), grants: consent.NewGrants(st, reg), alerts: alert.New(st, reg, nil, log)}
	var err error
	if e.checks, err = newEnergyChecks(st, e.g, e.grants, e.alerts, log); err != nil {
		t.Fatal(err)
	}
	e.checks.now = func() time.Time { return now }
	return e
}

// person seeds the demo dataset ending at end into a new instance.
func (e *checksEnv) person(t *testing.T, name string, end time.Time) string {
	t.Helper()
	in, err := e.st.CreateInstance(context.Background(), name, "h")
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(context.Background(), e.g, in.ID, demo.Generate(end, 1)); err != nil {
		t.Fatal(err)
	}
	return in.ID
}

func (e *checksEnv) switchOn(t *testing.T, instanceID string) {
	t.Helper()
	d, _ := services.Lookup(services.Energy)
	if _, err := e.grants.Grant(context.Background(), instanceID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
}

func (e *checksEnv) kinds(t *testing.T, instanceID string) []string {
	t.Helper()
	list, err := e.alerts.List(context.Background(), instanceID, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range list {
		if a.Service != services.Energy || a.ServiceName != "Home energy" || a.Params["series"] == "" {
			t.Errorf("alert %+v", a)
		}
		out = append(out, a.Kind)
	}
	slices.Sort(out)
	return out
}

// TestEnergyChecksDemo: the demo person's winter ends with a running cistern and a cold
// spell: once they switch Home energy on, the checks raise exactly a leak and a freeze,
// with their evidence, once however often they run; before, nothing is read or raised.
func TestEnergyChecksDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds two years of demo readings")
	}
	ctx := context.Background()
	end := time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)
	e := newChecksEnv(t, end)
	id := e.person(t, "camille", end)
	if err := e.checks.CheckInstance(ctx, id); err != nil {
		t.Fatal(err)
	}
	if k := e.kinds(t, id); len(k) != 0 {
		t.Fatalf("off, the service raised %v", k)
	}
	if es, _ := e.g.AccessLog(ctx, gate.Owner(id), store.LogQuery{Principal: string(gate.KindBuiltin), Limit: 10}); len(es) != 0 {
		t.Fatalf("off, the service read: %+v", es)
	}
	e.switchOn(t, id)
	for range 2 {
		if err := e.checks.CheckAll(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if k := e.kinds(t, id); !slices.Equal(k, []string{energy.KindFreeze, energy.KindLeak}) {
		t.Fatalf("alerts %v, want one freeze and one leak", k)
	}
	list, _ := e.alerts.List(ctx, id, false, 0)
	for _, a := range list {
		switch a.Kind {
		case energy.KindLeak:
			if a.Params["nights"] != "5" || a.Params["flow"] != "2.0" || a.Params["since"] != "2026-11-28" || a.Params["series"] != "eau-hourly-volume" {
				t.Errorf("leak evidence %v", a.Params)
			}
		case energy.KindFreeze:
			if a.Params["day"] != "2026-12-02" || a.Params["series"] != "eau-meter-temperature" || a.Params["min"] > "1.0" && a.Params["min"][0] != '-' {
				t.Errorf("freeze evidence %v", a.Params)
			}
		}
	}
	if es, _ := e.g.AccessLog(ctx, gate.Owner(id), store.LogQuery{Principal: string(gate.KindBuiltin), ActorID: services.Energy, Limit: 10}); len(es) == 0 {
		t.Error("the checks' reads are not in the access log under the service")
	}
}

// TestEnergyChecksSilencedAndSummer: a kind the person silenced is not raised; a demo that
// ends in summer has its leak and no freeze; new readings are checked at once through the
// gate's hook.
func TestEnergyChecksSilencedAndSummer(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds two years of demo readings")
	}
	ctx := context.Background()
	end := time.Date(2025, 6, 30, 8, 0, 0, 0, time.UTC)
	e := newChecksEnv(t, end)
	e.g.OnReadings = e.checks.ReadingsAdded
	id := e.person(t, "summer", end)
	e.switchOn(t, id)
	owner := gate.Owner(id)
	set := energy.Settings{Silenced: map[string]bool{energy.KindLeak: true}}
	if _, err := e.g.Create(ctx, owner, energy.SettingsDoctype, []gate.Input{{ID: energy.SettingsID, Data: set.JSON()}}, owner.Source("", e.g)); err != nil {
		t.Fatal(err)
	}
	if err := e.checks.CheckInstance(ctx, id); err != nil {
		t.Fatal(err)
	}
	if k := e.kinds(t, id); len(k) != 0 {
		t.Fatalf("the leak is silenced and summer has no freeze; raised %v", k)
	}
	set.Silenced = map[string]bool{}
	docs, err := e.g.Query(ctx, owner, store.Query{Doctype: energy.SettingsDoctype})
	if err != nil || len(docs.Items) != 1 {
		t.Fatal(docs, err)
	}
	if _, err := e.g.Update(ctx, owner, energy.SettingsDoctype, energy.SettingsID, docs.Items[0].Rev, set.JSON()); err != nil {
		t.Fatal(err)
	}
	// A reading of the next hour (the cistern still running) is deposited: the check runs.
	err = e.g.Write(ctx, owner, func(b *gate.Batch) error {
		_, err := b.AddReadings("eau-hourly-volume", []store.Reading{{At: time.Date(2025, 6, 29, 22, 0, 0, 0, time.UTC), Value: 2}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.checks.Wait()
	if k := e.kinds(t, id); !slices.Equal(k, []string{energy.KindLeak}) {
		t.Fatalf("after new readings: %v, want the leak", k)
	}
	var raw json.RawMessage = set.JSON()
	if string(raw) != "{}" {
		t.Errorf("settings without anything: %s", raw)
	}
}

// TestEnergyChecksDemoAllYear: whatever the day the demo is made, its checks raise the leak,
// and the freeze exactly when the year ends in winter (December to February) — never an
// excess.
func TestEnergyChecksDemoAllYear(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds two years of demo readings for each end")
	}
	for i, end := range []time.Time{
		time.Date(2025, 11, 5, 9, 0, 0, 0, time.UTC), time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC), time.Date(2025, 12, 21, 9, 0, 0, 0, time.UTC),
		time.Date(2026, 1, 3, 9, 0, 0, 0, time.UTC), time.Date(2026, 1, 16, 9, 0, 0, 0, time.UTC), time.Date(2026, 2, 12, 9, 0, 0, 0, time.UTC),
		time.Date(2026, 2, 27, 9, 0, 0, 0, time.UTC), time.Date(2026, 3, 28, 9, 0, 0, 0, time.UTC), time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC),
		time.Date(2026, 8, 14, 9, 0, 0, 0, time.UTC), time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC), time.Date(2026, 12, 29, 9, 0, 0, 0, time.UTC),
	} {
		t.Run(end.Format(time.DateOnly), func(t *testing.T) {
			e := newChecksEnv(t, end)
			id := e.person(t, "p"+string(rune('a'+i)), end)
			e.switchOn(t, id)
			if err := e.checks.CheckInstance(context.Background(), id); err != nil {
				t.Fatal(err)
			}
			want := []string{energy.KindLeak}
			if m := end.Month(); m == time.December || m <= time.February {
				want = []string{energy.KindFreeze, energy.KindLeak}
			}
			if k := e.kinds(t, id); !slices.Equal(k, want) {
				t.Errorf("alerts %v, want %v", k, want)
			}
		})
	}
}
