package sqlite

// Benchmarks of the embedded backend on a real database in a temporary directory, at the sizes
// one person's store reaches: tens of thousands of bank operations and ten years of a
// half-hourly meter. They measure what a page or a deposit waits for, SQL and driver included,
// so that a regression in a query plan shows here and not only in the pure chunk benchmarks.
//
// Run: go test -run XXX -bench . -benchmem ./internal/store/sqlite/

import (
	"context"
	"fmt"
	"math/rand/v2"
	"selfdata/internal/doctype"
	"testing"
	"time"

	"selfdata/internal/store"
)

// benchReadings is ten years of half-hourly readings: the largest series a household meter
// produces.
const benchReadings = 10 * 365 * 48

var (
	dateField     = store.Field{Path: "date", Type: store.String}
	categoryField = store.Field{Path: "category", Type: store.String}
	benchSource   = store.Source{Kind: "organization", ID: "bank", Name: "Banque", Batch: "bench"}
)

// openBench opens a fresh store with one instance.
func openBench(b *testing.B) (*DB, string) {
	b.Helper()
	ctx := context.Background()
	db, err := Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	// The indexes the server creates at start-up for every declared index field, so that
	// writes pay for them as they do in production.
	reg, err := doctype.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	if err := db.EnsureIndexes(ctx, reg.Indexes()); err != nil {
		b.Fatal(err)
	}
	in, err := db.CreateInstance(ctx, "bench", "h")
	if err != nil {
		b.Fatal(err)
	}
	return db, in.ID
}

var categories = []string{"groceries", "transport", "housing", "energy", "telecom", "health", "leisure", "restaurants", "insurance", "transfer"}

// operation is a bank.operation-like document of about 200 bytes. Dates spread over ten years
// and categories cycle, so that an equality filter keeps a tenth of the documents.
func operation(i int) store.NewDoc {
	date := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*3650/50_000)
	data := fmt.Sprintf(`{"date":%q,"label":"CARTE X%04d %s LYON 3E","amount":%.2f,"currency":"EUR","account":"FR7630001007941234567890185","category":%q,"type":"card"}`,
		date.Format(time.DateOnly), i%10000, categories[i%len(categories)], -float64(i%9000)/100-1, categories[i%len(categories)])
	return store.NewDoc{ID: fmt.Sprintf("op-%06d", i), Data: []byte(data), Source: benchSource}
}

// putOperations stores operations [from, to) in transactions of 1,000.
func putOperations(b *testing.B, db *DB, inst string, from, to int) {
	b.Helper()
	ctx := context.Background()
	for lo := from; lo < to; lo += 1000 {
		docs := make([]store.NewDoc, 0, 1000)
		for i := lo; i < min(lo+1000, to); i++ {
			docs = append(docs, operation(i))
		}
		err := db.Update(ctx, inst, func(w store.Writer) error {
			_, err := w.CreateDocs(ctx, "bank.operation", docs)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDocPut is one document per transaction: a form the person submits, a file upload.
// It is bound by the commit, not by the insert.
func BenchmarkDocPut(b *testing.B) {
	db, inst := openBench(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		docs := []store.NewDoc{operation(i)}
		i++
		err := db.Update(ctx, inst, func(w store.Writer) error {
			_, err := w.CreateDocs(ctx, "bank.operation", docs)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkDocPutBatch is a deposit or an import: 1,000 documents in one transaction.
func BenchmarkDocPutBatch(b *testing.B) {
	const batch = 1000
	db, inst := openBench(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		docs := make([]store.NewDoc, batch)
		for k := range docs {
			docs[k] = operation(i)
			i++
		}
		err := db.Update(ctx, inst, func(w store.Writer) error {
			_, err := w.CreateDocs(ctx, "bank.operation", docs)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkDocGet reads documents by id, as a detail page does.
func BenchmarkDocGet(b *testing.B) {
	const stored = 10_000
	db, inst := openBench(b)
	putOperations(b, db, inst, 0, stored)
	ctx := context.Background()
	rnd := rand.New(rand.NewPCG(1, 2))
	for b.Loop() {
		id := fmt.Sprintf("op-%06d", rnd.IntN(stored))
		if _, err := db.Doc(ctx, inst, "bank.operation", id); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDocQuery is the first page of a list over 50,000 operations (about fifteen years of
// a busy account): filtered by category or by a date range, newest first.
func BenchmarkDocQuery(b *testing.B) {
	const stored = 50_000
	db, inst := openBench(b)
	putOperations(b, db, inst, 0, stored)
	ctx := context.Background()
	for _, bc := range []struct {
		name    string
		filters []store.Filter
	}{
		{"eq+sort", []store.Filter{{Field: categoryField, Op: store.Eq, Value: "groceries"}}},
		{"range+sort", []store.Filter{
			{Field: dateField, Op: store.Gte, Value: "2020-01-01"},
			{Field: dateField, Op: store.Lt, Value: "2020-04-01"},
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			q := store.Query{Doctype: "bank.operation", Filters: bc.filters, Sort: dateField, Desc: true, Limit: 50}
			for b.Loop() {
				p, err := db.Query(ctx, inst, q)
				if err != nil {
					b.Fatal(err)
				}
				if len(p.Items) != 50 {
					b.Fatalf("got %d documents, want 50", len(p.Items))
				}
			}
		})
	}
}

// meterReadings is n half-hourly readings from 2015-01-01 UTC, with values in Wh that vary as
// a household's do (integral, mostly close to their neighbour).
func meterReadings(n int) []store.Reading {
	start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	rs := make([]store.Reading, n)
	for i := range rs {
		rs[i] = store.Reading{At: start.Add(time.Duration(i) * 30 * time.Minute), Value: float64(150 + (i*37)%250 + (i/48)%90)}
	}
	return rs
}

func meterSeries(id string) store.Series {
	return store.Series{ID: id, Doctype: "reading.electricity", Name: "Compteur", Quantity: "energy", Unit: "Wh",
		Source: store.Source{Kind: "organization", ID: "enedis", Name: "Enedis"}}
}

// BenchmarkSeriesIngest is the first deposit of a meter's whole history: ten years of readings
// into a new series, in one transaction. Target: at least 1,000,000 readings/s.
func BenchmarkSeriesIngest(b *testing.B) {
	db, inst := openBench(b)
	rs := meterReadings(benchReadings)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		id := fmt.Sprintf("meter-%d", i)
		i++
		err := db.Update(ctx, inst, func(w store.Writer) error {
			if _, err := w.CreateSeries(ctx, meterSeries(id)); err != nil {
				return err
			}
			n, err := w.AddReadings(ctx, id, rs)
			if err == nil && n != len(rs) {
				err = fmt.Errorf("added %d readings, want %d", n, len(rs))
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchReadings*b.N)/b.Elapsed().Seconds(), "readings/s")
}

// aggregateBench stores ten years of readings in one series and times one aggregation of it,
// checking the number of buckets so that a wrong answer cannot pass for a fast one.
func aggregateBench(b *testing.B, a store.Aggregation, wantBuckets int) {
	db, inst := openBench(b)
	ctx := context.Background()
	err := db.Update(ctx, inst, func(w store.Writer) error {
		if _, err := w.CreateSeries(ctx, meterSeries("meter")); err != nil {
			return err
		}
		_, err := w.AddReadings(ctx, "meter", meterReadings(benchReadings))
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		bs, err := db.Aggregate(ctx, inst, "meter", a)
		if err != nil {
			b.Fatal(err)
		}
		if len(bs) != wantBuckets {
			b.Fatalf("got %d buckets, want %d", len(bs), wantBuckets)
		}
	}
}

func paris(b *testing.B) *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		b.Skipf("no time zone data: %v", err)
	}
	return loc
}

// BenchmarkAggregateMonth is the yearly-overview chart: ten years by month in the person's
// zone. Target: at most 5 ms.
func BenchmarkAggregateMonth(b *testing.B) {
	// 2015-01-01 00:00 UTC is 01:00 in Paris and the last reading falls on 2024-12-28: 120 months.
	aggregateBench(b, store.Aggregation{Step: store.Month, Fn: store.Sum, Location: paris(b)}, 120)
}

// BenchmarkAggregateDay is ten years by day: more buckets than the stats path takes, so every
// chunk is decoded.
func BenchmarkAggregateDay(b *testing.B) {
	// The last reading is at 23:30 UTC on 2024-12-28, 00:30 in Paris on the 29th: one more day.
	aggregateBench(b, store.Aggregation{Step: store.Day, Fn: store.Sum, Location: paris(b)}, 3651)
}

// BenchmarkAggregateHourOneMonth is a month's power curve, March 2020 with its 23-hour day.
func BenchmarkAggregateHourOneMonth(b *testing.B) {
	loc := paris(b)
	aggregateBench(b, store.Aggregation{
		From: time.Date(2020, 3, 1, 0, 0, 0, 0, loc), To: time.Date(2020, 4, 1, 0, 0, 0, 0, loc),
		Step: store.Hour, Fn: store.Sum, Location: loc,
	}, 31*24-1)
}

// BenchmarkAppendLogs is the gate's group commit of reads' log entries: one transaction
// per batch, of 1, 10 or 100 entries; it reports the cost per entry.
func BenchmarkAppendLogs(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			db, inst := openBench(b)
			ctx := context.Background()
			es := make([]store.LogEntry, n)
			for i := range es {
				es[i] = store.LogEntry{At: time.Now(), Principal: "token", ActorID: "tok1", ActorName: "backup script", Doctype: "bill", Verb: "read", Count: 1}
			}
			logs := []store.InstanceLog{{Instance: inst, Entries: es}}
			for b.Loop() {
				if err := db.AppendLogs(ctx, logs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/entry")
		})
	}
}
