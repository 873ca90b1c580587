package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// runID names what one run creates, so that runs against the same store do not mix.
func runID() string { return time.Now().UTC().Format("20060102T150405.000000") }

// instantKey names an acknowledged reading in the report: its instant.
func instantKey(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano) }

// sameSeries: every client writes readings one at a time into the same day chunk of one
// series; then the series is read back.
func sameSeries(ctx context.Context, c *client, cfg config, out io.Writer) (*report, error) {
	rep := &report{Scenario: cfg.scenario, URL: c.base, Clients: cfg.clients, LoadBefore: loadAverage()}
	series := "loadtest-same-" + runID()
	if err := c.createSeries(ctx, series); err != nil {
		return nil, fmt.Errorf("creating series %s: %w", series, err)
	}
	total := cfg.clients * cfg.perClient
	step := time.Duration(secondsPerDay/total) * time.Second // distinct instants of one UTC day
	day := time.Now().UTC().Truncate(24 * time.Hour)
	recs := make([]*recorder, cfg.clients)
	acked := make([][]int64, cfg.clients)
	prog := startProgress(out, cfg.scenario, total)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range cfg.clients {
		recs[i] = newRecorder()
		wg.Go(func() {
			for j := range cfg.perClient {
				if ctx.Err() != nil {
					return
				}
				n := i*cfg.perClient + j
				at := day.Add(time.Duration(n) * step)
				t0 := time.Now()
				err := c.addReadings(ctx, series, []reading{{At: at, Value: float64(n)}})
				recs[i].observe(kindWriteReading, time.Since(t0), err)
				prog.count(err)
				if err == nil {
					acked[i] = append(acked[i], at.UnixMilli())
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	prog.stop()
	rep.summarize(mergeAll(recs), elapsed, []kind{kindWriteReading})
	rep.checkReadings(ctx, c, series, day, day.Add(24*time.Hour), acked)
	rep.LoadAfter = loadAverage()
	return rep, nil
}

// mixSeed is what the mix reads, made before the clients start.
type mixSeed struct {
	run, series string
	docs        []string  // bills, read by id
	from, to    time.Time // the month of hourly readings that aggregates cover
	writesFrom  time.Time // the run's readings go one every readingStep from here, after the month
}

// readingStep spaces the mix's readings as a 10-minute load curve does (144 a day): the
// day chunks they go into are the size a meter's are. (same-series piles readings into one
// day on purpose, to race on one chunk.)
const readingStep = 10 * time.Minute

// seedMix creates the bills and the series with a month of readings, through the API.
func seedMix(ctx context.Context, c *client, cfg config) (mixSeed, error) {
	s := mixSeed{run: runID()}
	s.series = "loadtest-mix-" + s.run
	s.from = time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -60)
	s.to = s.from.AddDate(0, 0, 30)
	s.writesFrom = s.to
	if err := c.createSeries(ctx, s.series); err != nil {
		return s, fmt.Errorf("seeding: creating series %s: %w", s.series, err)
	}
	var rs []reading
	for at := s.from; at.Before(s.to); at = at.Add(time.Hour) {
		rs = append(rs, reading{At: at, Value: float64(at.Hour() % 7)})
	}
	if err := c.addReadings(ctx, s.series, rs); err != nil {
		return s, fmt.Errorf("seeding: %d readings: %w", len(rs), err)
	}
	for first := 0; first < cfg.seedDocs; first += 100 {
		ids, err := c.createBills(ctx, s.run, first, min(100, cfg.seedDocs-first))
		if err != nil {
			return s, fmt.Errorf("seeding: bills: %w", err)
		}
		s.docs = append(s.docs, ids...)
	}
	return s, nil
}

// mixClient is what one client of the mix saw and had acknowledged.
type mixClient struct {
	rec      *recorder
	docs     []string
	readings []int64
}

// mix: clients in a closed loop for the duration, each request of a kind drawn by weight;
// then every acknowledged write is looked for.
func mix(ctx context.Context, c *client, cfg config, out io.Writer) (*report, error) {
	rep := &report{Scenario: cfg.scenario, URL: c.base, Clients: cfg.clients, LoadBefore: loadAverage()}
	seed, err := seedMix(ctx, c, cfg)
	if err != nil {
		return nil, err
	}
	var issued, seq atomic.Int64
	clients := make([]mixClient, cfg.clients)
	prog := startProgress(out, cfg.scenario, 0)
	start := time.Now()
	stopAt := start.Add(cfg.duration)
	var wg sync.WaitGroup
	for i := range clients {
		mc := &clients[i]
		mc.rec = newRecorder()
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(stopAt) && issued.Add(1) <= int64(cfg.maxRequests) {
				k := cfg.weights.pick(rand.IntN(cfg.weights.sum()))
				t0 := time.Now()
				err := mc.one(ctx, c, seed, k, &seq)
				mc.rec.observe(k, time.Since(t0), err)
				prog.count(err)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	prog.stop()
	recs := make([]*recorder, len(clients))
	var docs []string
	readings := make([][]int64, len(clients))
	for i, mc := range clients {
		recs[i], readings[i] = mc.rec, mc.readings
		docs = append(docs, mc.docs...)
	}
	rep.summarize(mergeAll(recs), elapsed, []kind{kindGet, kindAggregate, kindWriteDoc, kindWriteReading})
	rep.checkDocs(ctx, c, docs, min(cfg.clients, 32))
	rep.checkReadings(ctx, c, seed.series, seed.writesFrom, seed.writesFrom.Add(time.Duration(seq.Load()+1)*readingStep), readings)
	rep.LoadAfter = loadAverage()
	return rep, nil
}

// one makes one request of kind k and keeps what was acknowledged.
func (mc *mixClient) one(ctx context.Context, c *client, seed mixSeed, k kind, seq *atomic.Int64) error {
	switch k {
	case kindGet:
		found, err := c.getBill(ctx, seed.docs[rand.IntN(len(seed.docs))])
		if err == nil && !found {
			err = &statusError{status: 404, detail: "a seeded bill is not found"}
		}
		return err
	case kindAggregate:
		return c.aggregate(ctx, seed.series, seed.from, seed.to)
	case kindWriteDoc:
		id, err := c.createBill(ctx, seed.run, int(seq.Add(1)))
		if err == nil {
			mc.docs = append(mc.docs, id)
		}
		return err
	default:
		at := seed.writesFrom.Add(time.Duration(seq.Add(1)) * readingStep)
		err := c.addReadings(ctx, seed.series, []reading{{At: at, Value: 1}})
		if err == nil {
			mc.readings = append(mc.readings, at.UnixMilli())
		}
		return err
	}
}

func mergeAll(recs []*recorder) *recorder {
	all := newRecorder()
	for _, r := range recs {
		all.merge(r)
	}
	return all
}

// checkReadings reads the series back over [from, to) and looks for every acknowledged
// instant. A failed read is an error of the report, not a loss.
func (rep *report) checkReadings(ctx context.Context, c *client, series string, from, to time.Time, acked [][]int64) {
	present, err := c.instants(ctx, series, from, to)
	if err != nil {
		rep.Errors = append(rep.Errors, errorCount{Kind: "check-readings", Reason: reason(err), Count: 1})
		return
	}
	var keys []string
	found := map[string]bool{}
	for _, list := range acked {
		for _, ms := range list {
			keys = append(keys, instantKey(ms))
			found[instantKey(ms)] = present[ms]
		}
	}
	rep.check("readings", keys, found)
}

// checkDocs reads every acknowledged document by id, with a few workers.
func (rep *report) checkDocs(ctx context.Context, c *client, ids []string, workers int) {
	var mu sync.Mutex
	found := map[string]bool{}
	failed := map[string]int{}
	next := make(chan string)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for id := range next {
				ok, err := c.getBill(ctx, id)
				mu.Lock()
				found[id] = ok
				if err != nil {
					failed[reason(err)]++
				}
				mu.Unlock()
			}
		})
	}
	for _, id := range ids {
		next <- id
	}
	close(next)
	wg.Wait()
	for r, n := range failed {
		rep.Errors = append(rep.Errors, errorCount{Kind: "check-docs", Reason: r, Count: n})
	}
	rep.check("documents", ids, found)
}

// progress prints a line on stderr while the clients run: a run of a minute must show
// that it is alive, and how it goes.
type progress struct {
	w           io.Writer
	label       string
	total       int // 0 when not known in advance
	tty         bool
	start       time.Time
	done, errs  atomic.Int64
	quit, ended chan struct{}
}

func startProgress(w io.Writer, label string, total int) *progress {
	p := &progress{w: w, label: label, total: total, start: time.Now(), quit: make(chan struct{}), ended: make(chan struct{})}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	go p.loop()
	return p
}

func (p *progress) count(err error) {
	p.done.Add(1)
	if err != nil {
		p.errs.Add(1)
	}
}

func (p *progress) stop() {
	close(p.quit)
	<-p.ended
}

// loop redraws the line every second on a terminal, and writes one every 5 s elsewhere.
func (p *progress) loop() {
	defer close(p.ended)
	every := 5 * time.Second
	if p.tty {
		every = time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			p.print()
		case <-p.quit:
			p.print()
			if p.tty {
				fmt.Fprintln(p.w)
			}
			return
		}
	}
}

func (p *progress) print() {
	el := time.Since(p.start)
	n := p.done.Load()
	of := ""
	if p.total > 0 {
		of = fmt.Sprintf(" of %d", p.total)
	}
	line := fmt.Sprintf("%s: %4.0fs, %d%s requests (%.0f/s), %d errors", p.label, el.Seconds(), n, of, float64(n)/el.Seconds(), p.errs.Load())
	if p.tty {
		fmt.Fprintf(p.w, "\r%-70s", line)
		return
	}
	fmt.Fprintln(p.w, line)
}
