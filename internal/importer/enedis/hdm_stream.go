package enedis

import (
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/store"
)

// curveStamps follows a load curve's stamps to give each row its step, which needs the row
// after it (derivedStep), and keeps what decides the convention of the stamps
// (startStamps): the first stamp, the last one and its step.
type curveStamps struct {
	fixed    time.Duration // the header's step, 0 to derive each row's
	n        int           // rows seen
	prev     stepped       // the last row seen, its step not known yet
	prevEnd  time.Time     // the stamp of the row before it
	prevStep time.Duration // and that row's step
	first    time.Time
	lastEnd  time.Time
	lastStep time.Duration
	// decided tells that the convention is known (starts); until it is, the readings are
	// held, at most a batch of them (overflow: the curve is read again).
	decided, starts, overflow bool
	held                      []stepped
}

// stepped is a row of a load curve: its end stamp, its step once known, its value if it has one.
type stepped struct {
	end  time.Time
	step time.Duration
	v    float64
	ok   bool
}

// reading is the row's reading: at its stamp if stamps are starts, else at its stamp minus
// its step.
func (r stepped) reading(starts bool) store.Reading {
	if starts {
		return store.Reading{At: r.end.UTC(), Value: r.v}
	}
	return store.Reading{At: r.end.Add(-r.step).UTC(), Value: r.v}
}

// next takes a row and returns the one before it, whose step the new row's stamp tells;
// false for the first row.
func (c *curveStamps) next(end time.Time, v float64, ok bool) (stepped, bool) {
	c.n++
	cur := stepped{end: end, v: v, ok: ok}
	if c.n == 1 {
		c.first, c.prev = end, cur
		return stepped{}, false
	}
	r := c.prev
	r.step = c.stepOf(c.n == 2, r.end, end.Sub(r.end))
	c.prevEnd, c.prevStep, c.prev = r.end, r.step, cur
	return r, true
}

// last returns the last row, with its step (no row after it); false for a curve of no row.
func (c *curveStamps) last() (stepped, bool) {
	if c.n == 0 {
		return stepped{}, false
	}
	r := c.prev
	r.step = c.stepOf(c.n == 1, r.end, 0)
	c.lastEnd, c.lastStep = r.end, r.step
	return r, true
}

// stepOf is the step of the row stamped end, after is the time to the next row's stamp (0
// for the last row).
func (c *curveStamps) stepOf(first bool, end time.Time, after time.Duration) time.Duration {
	if c.fixed != 0 {
		return c.fixed
	}
	var before time.Duration
	if !first {
		before = end.Sub(c.prevEnd)
	}
	return derivedStep(first, before, after, c.prevStep)
}

// derivedStep is the step of a row of a curve without a fixed one: the time since the
// previous stamp, unless that time is longer than the previous row's step: then either the
// curve coarsened (the next row confirms it by coming as far after) or rows are missing, and
// the step is the shorter of the previous step and the time to the next row — which also
// catches a curve that resumes at a finer step after a gap. Missing rows do not lengthen a
// step. before and after are the times from the previous stamp and to the next one (0 for
// the first and the last row), prev the previous row's step.
func derivedStep(first bool, before, after, prev time.Duration) time.Duration {
	const fallback = 30 * time.Minute
	switch {
	case first && after > 0:
		return after
	case before <= 0 && prev > 0: // a repeated or backward stamp: keep the step
		return prev
	case before <= 0:
		return fallback
	case before <= prev || prev == 0:
		return before
	case after == before:
		return before
	case after > 0:
		return min(prev, after)
	}
	return prev
}

// emitter hands a block's readings to the sink in batches, at most importer.StreamReadings
// held at once across the block's series, and each PRM's meter record before its first
// series.
type emitter struct {
	sink     importer.Sink
	prm      string
	series   []importer.Series // the current block's, by column
	bufs     [][]store.Reading // their readings not sent yet, reused
	held     int
	keys     map[string]bool // series declared
	declared int
	prms     map[string]bool // meters sent
	meters   int
}

func newEmitter(sink importer.Sink) *emitter {
	return &emitter{sink: sink, keys: map[string]bool{}, prms: map[string]bool{}}
}

// begin starts a block of PRM prm whose columns go to series.
func (e *emitter) begin(prm string, series []importer.Series) {
	e.prm, e.series = prm, series
	for len(e.bufs) < len(series) {
		e.bufs = append(e.bufs, nil)
	}
}

// add adds a reading to the column j's series.
func (e *emitter) add(j int, r store.Reading) error {
	e.bufs[j] = append(e.bufs[j], r)
	e.held++
	if e.held >= importer.StreamReadings {
		return e.flush()
	}
	return nil
}

// flush sends what is held, series by series in the order of the columns.
func (e *emitter) flush() error {
	for j := range e.series {
		if len(e.bufs[j]) == 0 {
			continue
		}
		if err := e.send(j, e.bufs[j]); err != nil {
			return err
		}
		e.bufs[j] = e.bufs[j][:0]
	}
	e.held = 0
	return nil
}

// send hands readings of column j to the sink, its meter first if it is new.
func (e *emitter) send(j int, rs []store.Reading) error {
	s := e.series[j]
	if !e.keys[s.Key] {
		e.keys[s.Key] = true
		e.declared++
		if !e.prms[e.prm] {
			e.prms[e.prm] = true
			e.meters++
			if err := e.sink.Records([]importer.Record{meterRecord(e.prm)}); err != nil {
				return err
			}
		}
	}
	return e.sink.Readings(s, rs)
}

// end ends a block: what is held is sent and, with declareEmpty, a series that got no
// reading is declared all the same (a table of empty rows still makes its series).
func (e *emitter) end(declareEmpty bool) error {
	if err := e.flush(); err != nil {
		return err
	}
	if declareEmpty {
		for j, s := range e.series {
			if !e.keys[s.Key] {
				if err := e.send(j, nil); err != nil {
					return err
				}
			}
		}
	}
	e.series = nil
	return nil
}

// startStamps is stampsAreStarts for a curve of at least two rows, told its first and last
// stamps and the last row's step under the end convention.
func startStamps(first, last time.Time, step time.Duration) bool {
	if step <= 0 || step >= 24*time.Hour {
		return false
	}
	loc := paris()
	first, last = first.In(loc), last.In(loc)
	return isLocalMidnight(first) && !isLocalMidnight(last) && isLocalMidnight(last.Add(step))
}
