package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"selfdata/internal/store"
	"selfdata/internal/store/chunk"
)

// maxBuckets bounds the size of an aggregation answer (about 22 years of hours).
const maxBuckets = 200_000

// fastPathBuckets: up to this many buckets, whole chunks are aggregated by the database from
// their stats and only the chunks cut by a bucket boundary are decoded. With more buckets
// (hours, or days over years) almost every chunk is cut anyway, so one range scan is cheaper.
const fastPathBuckets = 500

// Aggregate groups the readings of [a.From, a.To) into buckets of a.Step in a.Location.
func (db *DB) Aggregate(ctx context.Context, instance, seriesID string, a store.Aggregation) ([]store.Bucket, error) {
	first, last, decimals, err := db.span(ctx, instance, seriesID)
	if err != nil || !first.Valid {
		return nil, err
	}
	loc := a.Location
	if loc == nil {
		loc = time.UTC
	}
	from, to := a.From, a.To
	if from.IsZero() {
		from = time.UnixMilli(first.Int64).UTC()
	}
	if to.IsZero() {
		to = time.UnixMilli(last.Int64 + 1).UTC()
	}
	bounds, err := chunk.Boundaries(from, to, a.Step, loc, maxBuckets)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", store.ErrInvalid, err)
	}
	// edges are the bucket limits clipped to [from, to), in Unix milliseconds.
	edges := make([]int64, len(bounds))
	for i, b := range bounds {
		edges[i] = b.UnixMilli()
	}
	edges[0], edges[len(edges)-1] = max(edges[0], from.UnixMilli()), min(edges[len(edges)-1], to.UnixMilli())
	accs := make([]chunk.Acc, len(edges)-1)
	if a.Step == store.Hour || len(accs) > fastPathBuckets {
		err = db.aggregateScan(ctx, instance, seriesID, edges, accs)
	} else {
		err = db.aggregateStats(ctx, instance, seriesID, edges, accs)
	}
	if errors.Is(err, errHugeSums) {
		clear(accs)
		err = db.aggregateScan(ctx, instance, seriesID, edges, accs)
	}
	if err != nil {
		return nil, fmt.Errorf("aggregate series %q: %w", seriesID, err)
	}
	var out []store.Bucket
	for i, acc := range accs {
		if acc.N == 0 {
			continue
		}
		v, err := acc.Exact(a.Fn, decimals)
		if err != nil {
			return nil, fmt.Errorf("the %s of the readings from %s is %w; ask for a smaller step", fnWords[a.Fn], bounds[i].In(loc).Format(time.RFC3339), err)
		}
		out = append(out, store.Bucket{Start: bounds[i], Value: v, Count: acc.N})
	}
	return out, nil
}

// fnWords names the aggregates that can overflow, for a person.
var fnWords = map[store.AggFn]string{store.Sum: "sum", store.Avg: "mean"}

// span returns the first and last instants of a series' readings in Unix milliseconds, NULL
// when it has none, and the series' precision (store.Series.Decimals). Aggregate needs only
// these, not the count that Series sums over every chunk.
func (db *DB) span(ctx context.Context, instance, seriesID string) (first, last sql.NullInt64, decimals int, err error) {
	err = db.r.QueryRowContext(ctx, db.q(`SELECT (`+firstInstant+`), (`+lastInstant+`), s.decimals FROM series s WHERE s.instance = ? AND s.id = ?`),
		instance, seriesID).Scan(&first, &last, &decimals)
	if errors.Is(err, sql.ErrNoRows) {
		return first, last, 0, notFound(fmt.Sprintf("series %q", seriesID))
	}
	if err != nil {
		return first, last, 0, fmt.Errorf("read series %q: %w", seriesID, err)
	}
	return first, last, decimals, nil
}

// aggregateScan decodes every chunk of the range and folds each reading into its bucket.
func (db *DB) aggregateScan(ctx context.Context, instance, seriesID string, edges []int64, accs []chunk.Acc) error {
	lo, hi := chunk.DayKey(time.UnixMilli(edges[0])), chunk.DayKey(time.UnixMilli(edges[len(edges)-1]-1))
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT data FROM chunks WHERE instance = ? AND series = ? AND day >= ? AND day <= ? ORDER BY day`),
		instance, seriesID, lo, hi)
	if err != nil {
		return err
	}
	defer rows.Close()
	var buf []store.Reading
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return err
		}
		if buf, err = chunk.AppendDecode(buf[:0], data); err != nil {
			return err
		}
		fold(buf, edges, accs)
	}
	return rows.Err()
}

// fold adds sorted readings to the buckets delimited by edges, ignoring those outside.
func fold(rs []store.Reading, edges []int64, accs []chunk.Acc) {
	i := -1
	for _, r := range rs {
		ms := r.At.UnixMilli()
		if ms < edges[0] || ms >= edges[len(edges)-1] {
			continue
		}
		if i < 0 || ms < edges[i] {
			i = bucketOf(ms, edges)
		}
		for ms >= edges[i+1] {
			i++
		}
		accs[i].Add(r.Value)
	}
}

// bucketOf returns the bucket holding instant ms, or -1 outside the edges.
func bucketOf(ms int64, edges []int64) int {
	if ms < edges[0] || ms >= edges[len(edges)-1] {
		return -1
	}
	return sort.Search(len(edges), func(i int) bool { return edges[i] > ms }) - 1
}

// hugeSum bounds the chunk sums the database adds up: PostgreSQL's SUM fails when finite
// values add up past the largest float64 (SQLite's gives infinity). Under 1e300, no sum of
// fewer than 1.7e8 chunks — 470,000 years of days — gets there.
const hugeSum = "CAST(1e300 AS DOUBLE PRECISION)"

// errHugeSums says a bucket holds a chunk whose sum is at least hugeSum: such a series
// (readings near 1e308, which no meter gives) is aggregated from its readings instead, where
// Acc.Result sees an overflow.
var errHugeSums = errors.New("a chunk's sum is too large for the database to add up")

// aggregateStats lets the database sum the stats of the chunks that lie wholly inside one
// bucket, then decodes only the chunks cut by a bucket edge.
//
// The buckets are joined with CROSS JOIN because SQLite then keeps them as the outer loop and
// reads one index range of chunks per bucket. With a plain JOIN it chose, beyond a few dozen
// buckets, to scan every chunk and test it against every bucket: 26 ms instead of 2 ms for ten
// years by month. PostgreSQL plans a CROSS JOIN as any other join.
func (db *DB) aggregateStats(ctx context.Context, instance, seriesID string, edges []int64, accs []chunk.Acc) error {
	var values strings.Builder
	for i := range accs {
		if i > 0 {
			values.WriteByte(',')
		}
		fmt.Fprintf(&values, "(%d, %d, %d, %d, %d)", i, edges[i], edges[i+1],
			chunk.DayKey(time.UnixMilli(edges[i])), chunk.DayKey(time.UnixMilli(edges[i+1]-1)))
	}
	rows, err := db.r.QueryContext(ctx, db.q(`WITH b (i, lo, hi, dlo, dhi) AS (VALUES `+values.String()+`)
		SELECT b.i, CAST(SUM(c.n) AS BIGINT), SUM(CASE WHEN ABS(c.sum) < `+hugeSum+` THEN c.sum ELSE 0 END), MIN(c.min), MAX(c.max),
		MAX(CASE WHEN ABS(c.sum) < `+hugeSum+` THEN 0 ELSE 1 END) FROM b CROSS JOIN chunks c
		WHERE c.instance = ? AND c.series = ? AND c.day >= b.dlo AND c.day <= b.dhi AND c.first >= b.lo AND c.last < b.hi
		GROUP BY b.i`), instance, seriesID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var i, huge int
		var st chunk.Stats
		if err := rows.Scan(&i, &st.N, &st.Sum, &st.Min, &st.Max, &huge); err != nil {
			return err
		}
		if huge > 0 {
			return errHugeSums
		}
		accs[i].Merge(st)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return db.aggregateCut(ctx, instance, seriesID, edges, accs)
}

// aggregateCut decodes the chunks of the days on which an edge falls, skipping those that
// lie wholly inside one bucket (the database already counted them).
func (db *DB) aggregateCut(ctx context.Context, instance, seriesID string, edges []int64, accs []chunk.Acc) error {
	days := map[int64]bool{}
	for _, e := range edges {
		days[chunk.DayKey(time.UnixMilli(e))] = true
		days[chunk.DayKey(time.UnixMilli(e-1))] = true
	}
	list := make([]string, 0, len(days))
	for d := range days {
		list = append(list, fmt.Sprint(d))
	}
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT first, last, data FROM chunks WHERE instance = ? AND series = ? AND day IN (`+strings.Join(list, ",")+`)`),
		instance, seriesID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var buf []store.Reading
	for rows.Next() {
		var first, last int64
		var data []byte
		if err := rows.Scan(&first, &last, &data); err != nil {
			return err
		}
		if i := bucketOf(first, edges); i >= 0 && last < edges[i+1] {
			continue
		}
		if buf, err = chunk.AppendDecode(buf[:0], data); err != nil {
			return err
		}
		fold(buf, edges, accs)
	}
	return rows.Err()
}
