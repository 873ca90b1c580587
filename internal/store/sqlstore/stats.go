package sqlstore

import (
	"context"
	"sync"
)

// PostgreSQL plans a query from statistics of the table it reads, which autovacuum renews
// about once a minute at best. A store that grows fast from empty — a new operator's first
// imports, a person's first deposits — has none for that minute: measured on a fresh
// database, the lookup of one document by its id then read a person's whole list of
// documents through another index (docs_holdings) for each request, the cost of both
// looking alike without statistics. statsKeeper asks for them itself, in the background,
// as the documents written since it last did reach a part of those there were: after 100
// documents, then 10% more each time, as autovacuum would if it looked at every write.
type statsKeeper struct {
	analyze string // the statement renewing the docs table's statistics ("" for none)

	mu       sync.Mutex
	written  int64 // documents written since the last renewal
	known    int64 // documents written when it was asked for
	renewing bool
}

// threshold is how many documents written since the last renewal call for the next.
func (k *statsKeeper) threshold() int64 { return 100 + k.known/10 }

// wrote counts n documents written, and renews the statistics when they are due.
func (db *DB) wrote(n int) {
	k := &db.stats
	if k.analyze == "" || n == 0 {
		return
	}
	k.mu.Lock()
	k.written += int64(n)
	if k.renewing || k.written < k.threshold() {
		k.mu.Unlock()
		return
	}
	k.renewing = true
	k.known += k.written
	k.written = 0
	k.mu.Unlock()
	go func() {
		// A failure costs only a plan: the next threshold asks again.
		db.w.ExecContext(context.Background(), k.analyze)
		k.mu.Lock()
		k.renewing = false
		k.mu.Unlock()
	}()
}
