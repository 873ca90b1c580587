package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// kind is a kind of request of a scenario.
type kind int

const (
	kindGet kind = iota
	kindAggregate
	kindWriteDoc
	kindWriteReading
	numKinds
)

func (k kind) String() string {
	switch k {
	case kindGet:
		return "get"
	case kindAggregate:
		return "aggregate"
	case kindWriteDoc:
		return "write-doc"
	case kindWriteReading:
		return "write-reading"
	}
	return "kind" + strconv.Itoa(int(k))
}

// weights are the relative frequencies of the kinds of request in the mix.
type weights [numKinds]int

// parseWeights reads "get=40,aggregate=20,write-doc=20,write-reading=20"; a kind left out
// weighs 0.
func parseWeights(s string) (weights, error) {
	var w weights
	total := 0
	for part := range strings.SplitSeq(s, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(val)
		if !ok || err != nil || n < 0 || n > 1000 {
			return w, fmt.Errorf("-weights: %q is not KIND=N with N from 0 to 1000", part)
		}
		k := slices.IndexFunc([]kind{kindGet, kindAggregate, kindWriteDoc, kindWriteReading}, func(k kind) bool { return k.String() == name })
		if k < 0 {
			return w, fmt.Errorf("-weights: unknown kind %q; the kinds are get, aggregate, write-doc and write-reading", name)
		}
		w[k] = n
		total += n
	}
	if total == 0 {
		return w, fmt.Errorf("-weights %q: give at least one kind a weight above 0", s)
	}
	return w, nil
}

// pick chooses a kind by weight; r is uniform in [0, sum of the weights).
func (w weights) pick(r int) kind {
	for k, n := range w {
		if r < n {
			return kind(k)
		}
		r -= n
	}
	return kindGet // not reached while r is in range
}

func (w weights) sum() int {
	s := 0
	for _, n := range w {
		s += n
	}
	return s
}

// errKey is a row of the error table.
type errKey struct {
	kind   kind
	reason string
}

// recorder collects what one simulated client saw; each client has its own, merged at the
// end, so that recording takes no lock in the measured loop.
type recorder struct {
	lat  [numKinds][]time.Duration // of the requests that succeeded
	errs map[errKey]int
}

func newRecorder() *recorder { return &recorder{errs: map[errKey]int{}} }

func (r *recorder) observe(k kind, d time.Duration, err error) {
	if err != nil {
		r.errs[errKey{k, reason(err)}]++
		return
	}
	r.lat[k] = append(r.lat[k], d)
}

func (r *recorder) merge(o *recorder) {
	for k := range r.lat {
		r.lat[k] = append(r.lat[k], o.lat[k]...)
	}
	for key, n := range o.errs {
		r.errs[key] += n
	}
}

// percentile is the nearest-rank percentile p (0 < p <= 100) of sorted durations; 0 for none.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// kindStats is one row of the latency table; durations are in milliseconds.
type kindStats struct {
	Kind      string  `json:"kind"`
	Requests  int     `json:"requests"`
	Errors    int     `json:"errors"`
	PerSecond float64 `json:"per_second"`
	P50       float64 `json:"p50_ms"`
	P95       float64 `json:"p95_ms"`
	P99       float64 `json:"p99_ms"`
	Max       float64 `json:"max_ms"`
}

func statsOf(name string, lat []time.Duration, errs int, elapsed time.Duration) kindStats {
	lat = slices.Clone(lat)
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return math.Round(float64(d)/1e4) / 100 }
	n := len(lat) + errs
	return kindStats{Kind: name, Requests: n, Errors: errs, PerSecond: math.Round(float64(n)/elapsed.Seconds()*10) / 10,
		P50: ms(percentile(lat, 50)), P95: ms(percentile(lat, 95)), P99: ms(percentile(lat, 99)), Max: ms(percentile(lat, 100))}
}

// errorCount is one row of the error table.
type errorCount struct {
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

// writeCheck compares what the server acknowledged with what it gives back.
type writeCheck struct {
	What         string   `json:"what"`
	Acknowledged int      `json:"acknowledged"`
	Present      int      `json:"present"`
	Missing      []string `json:"missing,omitempty"` // the first few
}

// report is the outcome of a run.
type report struct {
	Scenario   string       `json:"scenario"`
	URL        string       `json:"url"`
	Clients    int          `json:"clients"`
	Seconds    float64      `json:"seconds"` // of the load, without seeding and checking
	Requests   int          `json:"requests"`
	PerSecond  float64      `json:"per_second"`
	Kinds      []kindStats  `json:"kinds"` // per kind, then "all"
	Errors     []errorCount `json:"errors"`
	Writes     []writeCheck `json:"writes"`
	Lost       int          `json:"lost_writes"`
	LoadBefore string       `json:"load_average_before,omitempty"`
	LoadAfter  string       `json:"load_average_after,omitempty"`
}

// summarize fills the tables from the merged recorder.
func (rep *report) summarize(rec *recorder, elapsed time.Duration, kinds []kind) {
	rep.Seconds = math.Round(elapsed.Seconds()*100) / 100
	errsOf := map[kind]int{}
	for key, n := range rec.errs {
		errsOf[key.kind] += n
		rep.Errors = append(rep.Errors, errorCount{Kind: key.kind.String(), Reason: key.reason, Count: n})
	}
	slices.SortFunc(rep.Errors, func(a, b errorCount) int { return strings.Compare(a.Kind+a.Reason, b.Kind+b.Reason) })
	var all []time.Duration
	allErrs := 0
	for _, k := range kinds {
		rep.Kinds = append(rep.Kinds, statsOf(k.String(), rec.lat[k], errsOf[k], elapsed))
		all = append(all, rec.lat[k]...)
		allErrs += errsOf[k]
	}
	total := statsOf("all", all, allErrs, elapsed)
	rep.Kinds = append(rep.Kinds, total)
	rep.Requests, rep.PerSecond = total.Requests, total.PerSecond
}

// check records how many acknowledged writes are present; keys name them (an id, an
// instant) for the report, which names the first missing ones in order.
func (rep *report) check(what string, acknowledged []string, present map[string]bool) {
	wc := writeCheck{What: what, Acknowledged: len(acknowledged)}
	for _, key := range slices.Sorted(slices.Values(acknowledged)) {
		if present[key] {
			wc.Present++
		} else if len(wc.Missing) < 10 {
			wc.Missing = append(wc.Missing, key)
		}
	}
	rep.Lost += wc.Acknowledged - wc.Present
	rep.Writes = append(rep.Writes, wc)
}

// clean is a run without errors and without lost writes.
func (rep *report) clean() bool { return len(rep.Errors) == 0 && rep.Lost == 0 }

func (rep *report) write(w io.Writer, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "%s against %s: %d clients, %d requests in %.1fs = %.1f req/s; load average %s before, %s after\n",
		rep.Scenario, rep.URL, rep.Clients, rep.Requests, rep.Seconds, rep.PerSecond, orNone(rep.LoadBefore), orNone(rep.LoadAfter))
	fmt.Fprintln(tw, "kind\trequests\terrors\treq/s\tp50 ms\tp95 ms\tp99 ms\tmax ms\t")
	for _, k := range rep.Kinds {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t\n", k.Kind, k.Requests, k.Errors, k.PerSecond, k.P50, k.P95, k.P99, k.Max)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(w, "error: %s %s × %d\n", e.Kind, e.Reason, e.Count)
	}
	for _, c := range rep.Writes {
		fmt.Fprintf(w, "%s: %d acknowledged, %d present", c.What, c.Acknowledged, c.Present)
		if len(c.Missing) > 0 {
			fmt.Fprintf(w, ", %d missing (first: %s)", c.Acknowledged-c.Present, strings.Join(c.Missing, ", "))
		}
		fmt.Fprintln(w)
	}
	verdict := "OK: no errors, 0 lost writes"
	if !rep.clean() {
		verdict = fmt.Sprintf("FAIL: %d errors, %d lost writes", rep.errorCount(), rep.Lost)
	}
	_, err := fmt.Fprintln(w, verdict)
	return err
}

// errorCount is the number of failed requests, of the load and of the checks.
func (rep *report) errorCount() int {
	n := 0
	for _, e := range rep.Errors {
		n += e.Count
	}
	return n
}

func orNone(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// loadAverage is the 1, 5 and 15 minute load average (Linux), or "" where unknown: the
// figures of a shared machine mean little without it.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
