package requests

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"selfdata/internal/alert"
	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/store"
	"selfdata/internal/store/postgres"
	"selfdata/internal/store/postgres/pgtest"
	"selfdata/internal/store/sqlite/sqlitetest"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// backends runs a test on a real SQLite store and, when SELFDATA_TEST_POSTGRES_URL is set,
// on a real PostgreSQL one.
func backends(t *testing.T, run func(t *testing.T, db store.Store, reg *doctype.Registry)) {
	t.Run("sqlite", func(t *testing.T) {
		db, reg := sqlitetest.Open(t)
		run(t, db, reg)
	})
	t.Run("postgres", func(t *testing.T) {
		db, err := postgres.Open(context.Background(), pgtest.URL(t), pgtest.Key)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		reg, err := doctype.Builtin()
		if err != nil {
			t.Fatal(err)
		}
		run(t, db, reg)
	})
}

func TestLifecycle(t *testing.T) { backends(t, testLifecycle) }

func testLifecycle(t *testing.T, db store.Store, reg *doctype.Registry) {
	ctx := context.Background()
	in, err := db.CreateInstance(ctx, "camille", "h")
	if err != nil {
		t.Fatal(err)
	}
	g := gate.New(db, reg)
	p := gate.Owner(in.ID)
	org := store.Organization{ID: "org-ev", Name: "Énergie Verte"}
	if _, err := Record(ctx, g, p, org, "deletion", day("2026-01-31")); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("an unknown kind: err = %v", err)
	}
	r, err := Record(ctx, g, p, org, Erasure, day("2026-01-31"))
	if err != nil {
		t.Fatal(err)
	}
	if r.DueAt != "2026-02-28" || r.Status != Sent || r.OrgName != org.Name || r.ID == "" {
		t.Errorf("recorded %+v", r)
	}
	if _, err := Answer(ctx, g, p, r.ID, day("2026-01-30"), "oui"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("an answer before the request: err = %v", err)
	}
	if _, err := Answer(ctx, g, p, r.ID, day("2026-02-10"), "  "); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("an empty answer: err = %v", err)
	}
	a, err := Answer(ctx, g, p, r.ID, day("2026-02-10"), "Vos données sont effacées.")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := List(ctx, g, p)
	if err != nil || len(rs) != 1 {
		t.Fatalf("list %v, %v", rs, err)
	}
	if rs[0] != a || a.Status != Answered || a.AnsweredAt != "2026-02-10" || a.Answer != "Vos données sont effacées." {
		t.Errorf("answered %+v, listed %+v", a, rs[0])
	}
	log, err := db.AccessLog(ctx, in.ID, store.LogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	writes := 0
	for _, e := range log {
		if e.Doctype == Doctype && e.Verb == string(gate.Write) {
			writes++
		}
	}
	if writes < 2 {
		t.Errorf("the access log holds %d writes of requests, want the record and the answer: %+v", writes, log)
	}
}

func TestReminderRaisesOneAlertPastDue(t *testing.T) { backends(t, testReminder) }

func testReminder(t *testing.T, db store.Store, reg *doctype.Registry) {
	ctx := context.Background()
	in, err := db.CreateInstance(ctx, "camille", "h")
	if err != nil {
		t.Fatal(err)
	}
	g := gate.New(db, reg)
	p := gate.Owner(in.ID)
	late, err := Record(ctx, g, p, store.Organization{ID: "o1", Name: "Télécom Exemple"}, Access, day("2026-01-10"))
	if err != nil {
		t.Fatal(err)
	}
	answered, _ := Record(ctx, g, p, store.Organization{ID: "o2", Name: "Banque"}, Portability, day("2026-01-05"))
	if _, err := Answer(ctx, g, p, answered.ID, day("2026-01-20"), "archive envoyée"); err != nil {
		t.Fatal(err)
	}
	if _, err := Record(ctx, g, p, store.Organization{ID: "o3", Name: "Assureur"}, Objection, day("2026-02-01")); err != nil {
		t.Fatal(err)
	}
	now := day("2026-02-10").Add(23 * time.Hour) // the last day of the first request's month
	m := &Reminder{Gate: g, Instances: db, Alerts: alert.New(db, reg, nil, slog.New(slog.DiscardHandler)), Now: func() time.Time { return now }, Loc: time.UTC}
	for _, c := range []struct {
		at     time.Time
		raised int
	}{
		{day("2026-02-10").Add(23 * time.Hour), 0}, // due today: not yet late
		{day("2026-02-11"), 1},
		{day("2026-02-12"), 0}, // once per request
		{day("2026-02-20"), 0},
	} {
		now = c.at
		n, err := m.Check(ctx, in.ID)
		if err != nil || n != c.raised {
			t.Errorf("at %v: raised %d (%v), want %d", c.at, n, err, c.raised)
		}
	}
	if err := m.CheckAll(ctx); err != nil {
		t.Fatal(err)
	}
	als, err := db.ListAlerts(ctx, in.ID, false, 0)
	if err != nil || len(als) != 1 {
		t.Fatalf("alerts %+v, %v: want exactly one", als, err)
	}
	if al := als[0]; al.Kind != AlertOverdue || al.Params["request"] != late.ID || al.ServiceName != "Télécom Exemple" || al.Params["dueAt"] != "2026-02-10" {
		t.Errorf("alert %+v", al)
	}
	got, err := Get(ctx, g, p, late.ID)
	if err != nil || got.Status != Overdue {
		t.Errorf("the late request is %+v (%v), want overdue", got, err)
	}
}
