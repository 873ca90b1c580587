package gate

import (
	"context"
	"runtime"
	"sync"
	"time"

	"selfdata/internal/store"
)

// logWriter commits the access-log entries of concurrent reads together: a group commit, as
// databases do for their write-ahead log. A read answers only once its entry is durable, but
// a hundred reads arriving while one transaction commits share the next one instead of
// queueing for a hundred (on SQLite every write transaction of every person waits for the
// one writer; on PostgreSQL each costs a commit).
//
// There is no goroutine to start or stop: the first request to find no commit under way
// leads — it takes what is pending, commits it, releases those requests, and hands the lead
// to the first request that arrived meanwhile. Entries of one instance keep their arrival
// order, since one process commits one batch at a time; several servers on one PostgreSQL
// database are serialized per instance by the head row each batch locks.
//
// A write of a person's data takes that person's pending entries along (take): it appends
// them in its own transaction, which holds the person's log head anyway, and releases them
// when it commits — one transaction on the head instead of two, where writes and reads of
// one store wait for each other.
type logWriter struct {
	data store.Data

	mu      sync.Mutex
	queue   []*pendingEntry
	leading bool // a request is committing; queue holds what the next batch takes
	// leader is the entry of the request that leads (or is about to): it commits its own
	// entry, which take leaves in the queue.
	leader *pendingEntry
	// lastBatch is the size of the last batch committed; only the leader uses it.
	lastBatch int
}

type pendingEntry struct {
	instance string
	entry    store.LogEntry
	// done receives the outcome: the entry's commit error, or lead when this request is to
	// commit the next batch.
	done chan outcome
}

type outcome struct {
	lead bool
	err  error
}

// maxBatch bounds one commit, so that one transaction stays short however deep the queue.
const maxBatch = 1000

// append writes e to the instance's log, together with whatever other requests are
// appending, and returns once it is committed. It waits for its batch even when ctx ends:
// the lead may pass to it, and the others' entries must not be left behind.
func (lw *logWriter) append(instance string, e store.LogEntry) error {
	me := &pendingEntry{instance: instance, entry: e, done: make(chan outcome, 1)}
	lw.mu.Lock()
	lw.queue = append(lw.queue, me)
	if lw.leading {
		lw.mu.Unlock()
		if o := <-me.done; !o.lead {
			return o.err
		}
	} else {
		lw.leading, lw.leader = true, me
		lw.mu.Unlock()
	}
	return lw.lead(me)
}

// lead commits the batch at the front of the queue, which holds me, releases its requests,
// and passes the lead on.
func (lw *logWriter) lead(me *pendingEntry) error {
	lw.gather()
	lw.mu.Lock()
	n := min(len(lw.queue), maxBatch)
	lw.lastBatch = n
	batch := make([]*pendingEntry, n)
	copy(batch, lw.queue)
	lw.queue = append(lw.queue[:0], lw.queue[n:]...)
	lw.mu.Unlock()

	errs := lw.commit(batch)
	var mine error
	for i, p := range batch {
		if p == me {
			mine = errs[i]
			continue
		}
		p.done <- outcome{err: errs[i]}
	}

	lw.mu.Lock()
	if len(lw.queue) == 0 {
		lw.leading = false
		lw.mu.Unlock()
		return mine
	}
	next := lw.queue[0]
	lw.leader = next
	lw.mu.Unlock()
	next.done <- outcome{lead: true}
	return mine
}

// take removes from the queue the pending entries of instance, for a write of that instance
// to append in its transaction; it leaves the leader's, which its request commits itself.
func (lw *logWriter) take(instance string) []*pendingEntry {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	var out []*pendingEntry
	kept := lw.queue[:0]
	for _, p := range lw.queue {
		if p.instance == instance && p != lw.leader && len(out) < maxBatch {
			out = append(out, p)
		} else {
			kept = append(kept, p)
		}
	}
	clear(lw.queue[len(kept):])
	lw.queue = kept
	return out
}

// settle releases entries a write took: committed with it when err is nil, else committed
// now on their own, since the write that carried them was rolled back.
func (lw *logWriter) settle(taken []*pendingEntry, err error) {
	if len(taken) == 0 {
		return
	}
	errs := make([]error, len(taken))
	if err != nil {
		errs = lw.commit(taken)
	}
	for i, p := range taken {
		p.done <- outcome{err: errs[i]}
	}
}

// commit writes the batch in one transaction and returns each entry's error. When that
// fails and the batch spans instances, each instance is tried alone, so that one person's
// broken log (a store deleted meanwhile, a head removed) fails only that person's reads.
// A batch serves many requests, so it runs under none of their contexts: one client going
// away must not fail the others' reads (SQLite's busy timeout bounds a wait for the lock).
func (lw *logWriter) commit(batch []*pendingEntry) []error {
	ctx := context.Background()
	logs := group(batch)
	errs := make([]error, len(batch))
	err := lw.data.AppendLogs(ctx, logs)
	if err == nil || len(logs) == 1 {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	failed := map[string]error{}
	for _, l := range logs {
		if err := lw.data.AppendLogs(ctx, []store.InstanceLog{l}); err != nil {
			failed[l.Instance] = err
		}
	}
	for i, p := range batch {
		errs[i] = failed[p.instance]
	}
	return errs
}

// group gathers the batch's entries per instance, in arrival order, and makes identical
// accesses one entry: the same principal reading as many records of the same doctype for
// the same purpose, committed together, is one line of the person's log that says how many
// times, with the time of the first. The log keeps every access, and a script or a service
// reading in a loop does not fill it (nor its database) with copies.
func group(batch []*pendingEntry) []store.InstanceLog {
	type key struct {
		instance string
		e        store.LogEntry // At left out
	}
	type place struct{ log, entry int }
	at := map[string]int{}
	same := map[key]place{}
	var logs []store.InstanceLog
	for _, p := range batch {
		k := key{p.instance, p.entry}
		k.e.At, k.e.Times = time.Time{}, 0
		if pl, ok := same[k]; ok {
			e := &logs[pl.log].Entries[pl.entry]
			e.Times = e.Occurrences() + p.entry.Occurrences()
			continue
		}
		i, ok := at[p.instance]
		if !ok {
			i = len(logs)
			at[p.instance] = i
			logs = append(logs, store.InstanceLog{Instance: p.instance})
		}
		same[k] = place{i, len(logs[i].Entries)}
		logs[i].Entries = append(logs[i].Entries, p.entry)
	}
	return logs
}

// gatherWait is how long a leader waits for more entries when reads are coming in together.
const gatherWait = 100 * time.Microsecond

// gather lets the requests that are running reach the queue before the leader takes it: a
// commit costs about as much for one entry as for ten. It yields while the queue grows, and
// when the last batch held several entries but fewer are waiting now — reads come in
// together, and more are on their way — waits gatherWait, as a database delays a commit
// when others are about to commit (PostgreSQL's commit_delay). A lone read, the last batch
// having been of one, does not wait.
func (lw *logWriter) gather() {
	for n, i := lw.pending(), 0; i < 8; i++ {
		runtime.Gosched()
		m := lw.pending()
		if m == n {
			break
		}
		n = m
	}
	if lw.lastBatch > 1 && lw.pending() < lw.lastBatch {
		time.Sleep(gatherWait)
	}
}

func (lw *logWriter) pending() int {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	return len(lw.queue)
}
