package signoflife

import (
	"time"

	"selfdata/internal/store"
)

// Data is the person's consumption by hour, per doctype, over the last weeks: what Load read
// and Evaluate says the signals from, as many times as there are relatives to tell.
type Data struct {
	now   time.Time
	loc   *time.Location
	chans map[string]*channel // by doctype
}

// channel is one doctype's consumption: the sum of its hourly (or finer) series.
type channel struct {
	days map[string]*dayProfile // by local date, YYYY-MM-DD
	last time.Time              // the end of the latest hour with readings
}

// dayProfile is one local day's use by hour of the day. On the day clocks go back, the two
// hours from 2:00 are summed in hour 2; on the day they go forward, hour 2 has nothing.
type dayProfile struct {
	v   [24]float64
	has [24]bool
}

func dayKey(t time.Time) string { return t.Format(time.DateOnly) }

// add merges one series' hourly buckets into its doctype's channel, if it is finer than
// daily: a daily total says nothing of a morning, and mixed with hourly series it would
// read as use in the first hour of the day.
func (d *Data) add(doctype string, bs []store.Bucket, scale float64) {
	days := map[string]*dayProfile{}
	fine := false
	var last time.Time
	for _, b := range bs {
		l := b.Start.In(d.loc)
		k := dayKey(l)
		dp := days[k]
		if dp == nil {
			dp = &dayProfile{}
			days[k] = dp
		}
		h := l.Hour()
		dp.v[h] += b.Value * scale
		dp.has[h] = true
		if dp.filled() >= fineHours {
			fine = true
		}
		last = latest(last, b.Start.Add(time.Hour))
	}
	if !fine {
		return
	}
	ch := d.chans[doctype]
	if ch == nil {
		ch = &channel{days: map[string]*dayProfile{}}
		d.chans[doctype] = ch
	}
	for k, dp := range days {
		into := ch.days[k]
		if into == nil {
			ch.days[k] = dp
			continue
		}
		for h := range dp.v {
			into.v[h] += dp.v[h]
			into.has[h] = into.has[h] || dp.has[h]
		}
	}
	ch.last = latest(ch.last, last)
}

// filled counts the hours with readings.
func (dp *dayProfile) filled() int {
	n := 0
	for _, h := range dp.has {
		if h {
			n++
		}
	}
	return n
}

// covered is the hour the day's readings reach: one past the latest hour that has any.
func (dp *dayProfile) covered() int {
	for h := 23; h >= 0; h-- {
		if dp.has[h] {
			return h + 1
		}
	}
	return 0
}

// night is the day's level at rest, which use must rise above to count: its least hour
// before MorningStart (the fridge, the standby, a heating that runs by itself, a leak),
// raised by restMargin for the play of the appliances that cycle, so that a day of nothing
// but those does not add up, hour after hour, to activity.
func (dp *dayProfile) night() (float64, bool) {
	level, ok := 0.0, false
	for h := range MorningStart {
		if dp.has[h] && (!ok || dp.v[h] < level) {
			level, ok = dp.v[h], true
		}
	}
	return level * (1 + restMargin), ok
}

// use is what the day used above night from hour `from` to hour `to` (excluded).
func (dp *dayProfile) use(night float64, from, to int) float64 {
	u := 0.0
	for h := from; h < min(to, 24); h++ {
		if dp.has[h] {
			u += max(0, dp.v[h]-night)
		}
	}
	return u
}

// until is where the readings end, no later than cutoff (the hour that holds cutoff is
// only partly read).
func (ch *channel) until(cutoff time.Time) time.Time {
	if ch.last.After(cutoff) {
		return cutoff
	}
	return ch.last
}

// pastDay is one day of the history with its night's level.
type pastDay struct {
	dp    *dayProfile
	night float64
}

// history is the HistoryDays before day that have readings at night.
func (ch *channel) history(day time.Time) []pastDay {
	var out []pastDay
	for i := 1; i <= HistoryDays; i++ {
		dp := ch.days[dayKey(day.AddDate(0, 0, -i))]
		if dp == nil {
			continue
		}
		if n, ok := dp.night(); ok {
			out = append(out, pastDay{dp, n})
		}
	}
	return out
}

// usualNight is the median night's level of the history, 0 without one.
func (ch *channel) usualNight(day time.Time) float64 {
	var ns []float64
	for _, p := range ch.history(day) {
		ns = append(ns, p.night)
	}
	return median(ns)
}

// activity is one meter's usual-activity signal of day, from the readings before cutoff.
func (ch *channel) activity(day, cutoff time.Time, expect int, floor float64) Signal {
	out := Signal{State: Unknown}
	dp := ch.days[dayKey(day)]
	hist := ch.history(day)
	if dp == nil || len(hist) < minHistory {
		return out
	}
	night, ok := dp.night()
	if !ok {
		night = ch.usualNight(day)
	}
	reach := dp.covered()
	compared := false
	for k := MorningStart + 1; k <= reach; k++ {
		var usual []float64
		for _, p := range hist {
			if p.dp.covered() >= k {
				usual = append(usual, p.dp.use(p.night, MorningStart, k))
			}
		}
		if len(usual) < minHistory {
			continue
		}
		compared = true
		if dp.use(night, MorningStart, k) >= max(floor, median(usual)/usualShare) {
			out.State, out.Since = Yes, hourOf(day, k-1)
			return out
		}
	}
	switch {
	case cutoff.Before(hourOf(day, expect)):
		out.State = NotYet // however quiet the morning so far, it is not over
	case reach >= expect && compared:
		out.State, out.Since = No, hourOf(day, expect)
	}
	return out
}
