package web

import (
	"context"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/store"
)

// visitGap is the silence that separates two visits: reads of the person's own pages less
// than this apart belong to one visit, as web analytics count a session.
const visitGap = 30 * time.Minute

// visitPages and visitPage bound how far back the access log is read to find where the
// current visit began: a person who browsed more than that in one sitting is told nothing
// rather than something false.
const (
	visitPages = 5
	visitPage  = 200
)

// visit is what the home page knows of the person's previous visit.
type visit struct {
	// Known: the access log answered; when false, nothing is said about what is new.
	Known bool
	// Last is when the previous visit ended (its last read); zero when there was none.
	Last time.Time
}

// previousVisit finds, in the access log, when the person's previous visit ended.
//
// The store keeps no login history (a session is deleted when it ends), but every page the
// person opens reads through the gate, which logs it under "owner": the log is the honest
// record of when they looked. A visit is a run of the owner's reads with no silence longer
// than visitGap; the current one is the run that reaches now, and the previous visit ended
// at the first read before a longer silence. The owner's writes are left out: the demo's
// seeding and imports write as the owner without anyone looking. It must run before the
// page's own reads, which would otherwise count as the current visit's last.
func (s *Server) previousVisit(ctx context.Context, p gate.Principal, now time.Time) (visit, error) {
	q := store.LogQuery{Principal: string(gate.KindOwner), Limit: visitPage}
	after := now // the newest read seen so far of the current visit
	for range visitPages {
		entries, err := s.gate.AccessLog(ctx, p, q)
		if err != nil {
			return visit{}, err
		}
		if last, found := visitEnd(entries, &after); found {
			return visit{Known: true, Last: last}, nil
		}
		if len(entries) < visitPage {
			return visit{Known: true}, nil // the whole log is one visit: this is the first
		}
		oldest := entries[len(entries)-1].Seq
		if oldest <= 1 {
			return visit{Known: true}, nil // entries from before the log was numbered end the walk
		}
		q.Before = oldest
	}
	return visit{}, nil
}

// visitEnd walks owner entries, newest first, from after (the time of the newest read of the
// current visit, updated as the walk goes): the first read more than visitGap before the one
// after it ended the previous visit.
func visitEnd(entries []store.LogEntry, after *time.Time) (time.Time, bool) {
	for _, e := range entries {
		if e.Verb != string(gate.Read) || e.Refused {
			continue
		}
		if after.Sub(e.At) > visitGap {
			return e.At, true
		}
		*after = e.At
	}
	return time.Time{}, false
}
