package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"selfdata/internal/store"
)

// The concurrent cases write from many goroutines at once what real clients write at once:
// fifty of them posting one reading each to the same meter on the same day, organizations
// depositing overlapping batches. PostgreSQL runs them in parallel, so a read-modify-write
// that is not locked loses what another transaction wrote; every case checks that every
// write the store acknowledged is there afterwards.

const (
	writers      = 50
	eachOfWriter = 20
)

// day is the UTC day every concurrent reading falls on: one chunk for all of them.
var day = time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)

func testReadingsConcurrent(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	b := newInstance(t, s, "bob") // another person writing meanwhile, to the same series id
	for _, in := range []store.Instance{a, b} {
		mustUpdate(t, s, in.ID, func(w store.Writer) error {
			_, err := w.CreateSeries(ctx, store.Series{ID: "meter", Doctype: "reading.water", Name: "Eau", Quantity: "volume", Unit: "L", Source: src("organization", "eau")})
			return err
		})
	}
	acked := make(chan store.Reading, writers*eachOfWriter)
	var wg sync.WaitGroup
	for g := range writers {
		inst := a.ID
		if g%10 == 9 {
			inst = b.ID
		}
		wg.Go(func() {
			for i := range eachOfWriter {
				r := store.Reading{At: day.Add(time.Duration(g*eachOfWriter+i) * time.Second), Value: float64(g*1000 + i)}
				var added int
				err := s.Update(ctx, inst, func(w store.Writer) error {
					var err error
					added, err = w.AddReadings(ctx, "meter", []store.Reading{r})
					return err
				})
				if err != nil {
					t.Errorf("AddReadings: %v", err)
					continue
				}
				if added != 1 {
					t.Errorf("AddReadings of a new instant added %d", added)
				}
				if inst == a.ID {
					acked <- r
				}
			}
		})
	}
	wg.Wait()
	close(acked)
	got, err := s.Readings(ctx, a.ID, "meter", time.Time{}, time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	present := map[time.Time]float64{}
	for _, r := range got {
		present[r.At] = r.Value
	}
	n := 0
	for r := range acked {
		n++
		if v, ok := present[r.At]; !ok || v != r.Value {
			t.Errorf("acknowledged reading %s = %v is missing (present: %v, %v)", r.At.Format(time.RFC3339), r.Value, v, ok)
		}
	}
	if len(got) != n || n != writers*eachOfWriter*9/10 {
		t.Errorf("%d readings acknowledged, %d present; want %d", n, len(got), writers*eachOfWriter*9/10)
	}
	ser, err := s.Series(ctx, a.ID, "meter")
	if err != nil {
		t.Fatal(err)
	}
	if ser.Count != int64(n) {
		t.Errorf("the series counts %d readings, want %d", ser.Count, n)
	}
}

// testEnsureSeriesConcurrent: organizations' deposits create the series they name when it
// is missing; two first deposits at once must both land, the second finding the series the
// first created.
func testEnsureSeriesConcurrent(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	const n = 8
	var wg sync.WaitGroup
	created := make(chan bool, n)
	for g := range n {
		wg.Go(func() {
			err := s.Update(ctx, a.ID, func(w store.Writer) error {
				se, isNew, err := w.EnsureSeries(ctx, store.Series{ID: "gas", Doctype: "reading.gas", Name: "Gaz", Quantity: "energy", Unit: "kWh", Source: src("organization", "grdf")})
				if err != nil {
					return err
				}
				if se.ID != "gas" || se.Unit != "kWh" {
					return fmt.Errorf("EnsureSeries returned %+v", se)
				}
				created <- isNew
				_, err = w.AddReadings(ctx, "gas", []store.Reading{{At: day.Add(time.Duration(g) * time.Hour), Value: float64(g)}})
				return err
			})
			if err != nil {
				t.Errorf("deposit %d: %v", g, err)
			}
		})
	}
	wg.Wait()
	close(created)
	news := 0
	for c := range created {
		if c {
			news++
		}
	}
	if news != 1 {
		t.Errorf("%d deposits say they created the series, want 1", news)
	}
	if ser, err := s.Series(ctx, a.ID, "gas"); err != nil || ser.Count != n {
		t.Errorf("series after %d first deposits: %+v, %v; want %d readings", n, ser, err, n)
	}
	// An existing series keeps its metadata: EnsureSeries does not rewrite it.
	mustUpdate(t, s, a.ID, func(w store.Writer) error {
		se, isNew, err := w.EnsureSeries(ctx, store.Series{ID: "gas", Doctype: "reading.gas", Name: "Autre", Quantity: "energy", Unit: "kWh", Source: src("organization", "grdf")})
		if err == nil && (isNew || se.Name != "Gaz") {
			err = fmt.Errorf("EnsureSeries on an existing series: %+v, new %v", se, isNew)
		}
		return err
	})
	// A series of another doctype under the same id is a conflict, not a silent reuse.
	err := s.Update(ctx, a.ID, func(w store.Writer) error {
		_, _, err := w.EnsureSeries(ctx, store.Series{ID: "gas", Doctype: "reading.water", Name: "Eau", Quantity: "volume", Unit: "L", Source: src("organization", "grdf")})
		return err
	})
	if !errors.Is(err, store.ErrExists) {
		t.Errorf("EnsureSeries of another doctype on an existing id: %v, want ErrExists", err)
	}
}

// testUpsertConcurrent: organizations depositing overlapping batches at once (a retry racing
// the first attempt, two pulls of overlapping periods). Every document ends with the data of
// one of the batches, the revisions count the changes, and the change feed holds each once.
func testUpsertConcurrent(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	const batches, size, overlap = 10, 30, 10
	var wg sync.WaitGroup
	for bn := range batches {
		wg.Go(func() {
			docs := make([]store.NewDoc, size)
			for i := range docs {
				id := fmt.Sprintf("op-%03d", bn*(size-overlap)+i)
				docs[i] = store.NewDoc{ID: id, Data: json.RawMessage(fmt.Sprintf(`{"id":%q,"batch":%d}`, id, bn)), Source: src("organization", "bank")}
			}
			err := s.Update(ctx, a.ID, func(w store.Writer) error {
				_, err := w.UpsertDocs(ctx, "bank.operation", docs)
				return err
			})
			if err != nil {
				t.Errorf("batch %d: %v", bn, err)
			}
		})
	}
	wg.Wait()
	want := (batches-1)*(size-overlap) + size
	n, err := s.CountDocs(ctx, a.ID, store.Query{Doctype: "bank.operation"})
	if err != nil || n != int64(want) {
		t.Fatalf("%d documents after overlapping deposits (%v), want %d", n, err, want)
	}
	changes, err := s.Changes(ctx, a.ID, 0, 10000, everything)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range changes.Items {
		if seen[c.ID] {
			t.Errorf("%s appears twice in the change feed", c.ID)
		}
		seen[c.ID] = true
	}
	if len(seen) != want {
		t.Errorf("the change feed holds %d documents, want %d", len(seen), want)
	}
}

func mustUpdate(t *testing.T, s store.Store, inst string, fn func(store.Writer) error) {
	t.Helper()
	if err := s.Update(ctx, inst, fn); err != nil {
		t.Fatal(err)
	}
}

// testWriteAfterOtherDeletes: a store remembers the instances it wrote to; one deleted by
// another process since (here directly in the database) still refuses a write with
// ErrNotFound, and nothing is written.
func testWriteAfterOtherDeletes(t *testing.T, s store.Store) {
	raw, ok := s.(Raw)
	if !ok {
		t.Skip("the store gives no raw access to its database (storetest.Raw)")
	}
	a := newInstance(t, s, "alice")
	write := func() error {
		return s.Update(ctx, a.ID, func(w store.Writer) error {
			_, err := w.CreateDocs(ctx, "bill", []store.NewDoc{{Data: json.RawMessage(`{}`), Source: src("owner", "")}})
			return err
		})
	}
	if err := write(); err != nil {
		t.Fatal(err)
	}
	if err := raw.ExecRaw(ctx, `DELETE FROM instances WHERE id = ?`, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := write(); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a write to an instance deleted meanwhile: %v, want ErrNotFound", err)
	}
	if err := s.Update(ctx, a.ID, func(store.Writer) error { return nil }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("then an empty write: %v, want ErrNotFound", err)
	}
}
