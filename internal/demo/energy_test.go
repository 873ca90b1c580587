package demo

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestLoadCurve runs over ends with and without a leap day, in and out of summer time: two
// years of half hours, each year's energy that of a small flat heated by convectors.
func TestLoadCurve(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	for _, end := range []time.Time{
		testEnd,
		time.Date(2024, 3, 31, 12, 0, 0, 0, paris), // the day summer time starts
		time.Date(2024, 12, 31, 23, 30, 0, 0, paris),
		time.Date(2025, 10, 26, 1, 0, 0, 0, time.UTC), // the day summer time ends
	} {
		t.Run(end.Format(time.DateOnly), func(t *testing.T) {
			ds := dataset(t, end)
			curve := series(t, ds, "enedis-load-curve")
			e := end.In(paris)
			last := time.Date(e.Year(), e.Month(), e.Day(), 0, 0, 0, 0, paris)
			first := last.AddDate(-meterYears, 0, 0)
			if want := int(last.Sub(first) / (30 * time.Minute)); len(curve) != want {
				t.Errorf("%d readings, want %d", len(curve), want)
			}
			if !curve[0].At.Equal(first) {
				t.Errorf("first reading at %v, want %v", curve[0].At, first)
			}
			year := map[bool]float64{}
			for i, r := range curve {
				if r.At.Location() != time.UTC || r.At.Nanosecond()%1e6 != 0 {
					t.Fatalf("reading %d at %v: not UTC with ms precision", i, r.At)
				}
				if i > 0 && r.At.Sub(curve[i-1].At) != 30*time.Minute {
					t.Fatalf("reading %d at %v follows %v", i, r.At, curve[i-1].At)
				}
				if r.Value <= 0 || r.Value > 2500 || r.Value != float64(int64(r.Value)) {
					t.Fatalf("reading %d: %v Wh in half an hour", i, r.Value)
				}
				year[!r.At.Before(last.AddDate(-1, 0, 0))] += r.Value
			}
			for last, wh := range year {
				if kwh := wh / 1000; kwh < 2000 || kwh > 4500 {
					t.Errorf("%.0f kWh in the year (the last: %v), want 2,000..4,500", kwh, last)
				}
			}
		})
	}
}

func TestDailyIndex(t *testing.T) {
	ds := dataset(t, testEnd)
	curve, index := series(t, ds, "enedis-load-curve"), series(t, ds, "enedis-daily-index")
	if len(index) != 731+1 { // 1 July 2023 to 30 June 2025, a leap day in it, and the closing index
		t.Fatalf("%d index readings, want 732 (each midnight of the two years and the closing one)", len(index))
	}
	c := 0
	for i := 1; i < len(index); i++ {
		var sum float64
		for ; c < len(curve) && curve[c].At.Before(index[i].At); c++ {
			sum += curve[c].Value
		}
		if got := index[i].Value - index[i-1].Value; got != sum {
			t.Fatalf("day %v: index +%v Wh, load curve %v Wh", index[i-1].At, got, sum)
		}
	}
	if c != len(curve) {
		t.Errorf("load curve readings after the last index: %d", len(curve)-c)
	}
}

func TestGasAndWater(t *testing.T) {
	ds := dataset(t, testEnd)
	energy, volume := series(t, ds, "grdf-daily-energy"), series(t, ds, "grdf-daily-volume")
	if len(energy) != 731 || len(volume) != 731 {
		t.Fatalf("%d energy, %d volume readings, want 731", len(energy), len(volume))
	}
	byMonth := map[time.Month]float64{}
	for i := range energy {
		if !energy[i].At.Equal(volume[i].At) {
			t.Fatalf("reading %d: energy at %v, volume at %v", i, energy[i].At, volume[i].At)
		}
		if volume[i].Value > 0.05 {
			if k := energy[i].Value / volume[i].Value; k < 11.0 || k > 11.4 {
				t.Errorf("%v: conversion coefficient %.3f kWh/m3", energy[i].At, k)
			}
		}
		byMonth[energy[i].At.Month()] += energy[i].Value
	}
	if byMonth[time.January] < 5*byMonth[time.July] {
		t.Errorf("gas not seasonal: January %.0f kWh, July %.0f kWh", byMonth[time.January], byMonth[time.July])
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	daily, hourly := series(t, ds, "eau-daily-volume"), series(t, ds, "eau-hourly-volume")
	h := 0
	for _, r := range daily {
		if r.Value < 0 || r.Value > 250 {
			t.Errorf("%v: %v L of water", r.At, r.Value)
		}
		sum := 0.0
		next := r.At.In(paris).AddDate(0, 0, 1)
		for ; h < len(hourly) && hourly[h].At.Before(next); h++ {
			sum += hourly[h].Value
		}
		if sum != r.Value {
			t.Fatalf("%v: %v L in the day, %v in its hours", r.At, r.Value, sum)
		}
	}
	if h != len(hourly) {
		t.Errorf("%d hourly readings after the last day", len(hourly)-h)
	}
	for _, r := range series(t, ds, "eau-meter-temperature") {
		if r.Value < -2 || r.Value > 24 {
			t.Errorf("%v: %v °C at the water meter", r.At, r.Value)
		}
	}
}

// TestBillsUseTheLastYear: each monthly electricity bill says the kWh the load curve holds
// for its month, now that the curve holds two years.
func TestBillsUseTheLastYear(t *testing.T) {
	ds := dataset(t, testEnd)
	paris, _ := time.LoadLocation("Europe/Paris")
	curve := series(t, ds, "enedis-load-curve")
	n := 0
	for _, f := range ds.Files {
		if !strings.HasPrefix(f.ID, "file-bill-edf-electricity-") {
			continue
		}
		month, err := time.ParseInLocation("2006-01", strings.TrimPrefix(f.ID, "file-bill-edf-electricity-"), paris)
		if err != nil {
			t.Fatal(err)
		}
		var wh float64
		for _, r := range curve {
			if !r.At.Before(month) && r.At.Before(month.AddDate(0, 1, 0)) {
				wh += r.Value
			}
		}
		if want := fmt.Sprintf("Enedis : %d kWh", (int64(wh)+500)/1000); !strings.Contains(string(f.Content), want) {
			t.Errorf("%s does not say %q", f.ID, want)
		}
		n++
	}
	if n < 11 {
		t.Errorf("%d electricity bills", n)
	}
}

// TestLeakAndColdSpell: water never stops flowing in the last five nights; the year that
// ends in winter ends with a cold spell that takes the meter to 1 °C or below, and the
// ones that end in spring or summer do not.
func TestLeakAndColdSpell(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	for _, tt := range []struct {
		end    time.Time
		freeze bool
	}{{time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC), true}, {time.Date(2025, 2, 10, 8, 0, 0, 0, time.UTC), true}, {time.Date(2025, 3, 20, 8, 0, 0, 0, time.UTC), false}, {testEnd, false}} {
		t.Run(tt.end.Format(time.DateOnly), func(t *testing.T) {
			ds := dataset(t, tt.end)
			e := tt.end.In(paris)
			last := time.Date(e.Year(), e.Month(), e.Day(), 0, 0, 0, 0, paris)
			night := map[string]float64{}
			for _, r := range series(t, ds, "eau-hourly-volume") {
				l := r.At.In(paris)
				if l.Hour() >= 1 && l.Hour() < 5 && r.At.After(last.AddDate(0, 0, -8)) {
					k := l.Format(time.DateOnly)
					if v, ok := night[k]; !ok || r.Value < v {
						night[k] = r.Value
					}
				}
			}
			for d := -7; d < 0; d++ {
				k := last.AddDate(0, 0, d).Format(time.DateOnly)
				if leak := d >= -leakDaysBefore+1; leak != (night[k] >= LeakLitresPerHour) {
					t.Errorf("night of %s: at least %v L every hour; leak %v", k, night[k], leak)
				}
			}
			temps := series(t, ds, "eau-meter-temperature")
			if got := temps[len(temps)-1].Value <= 1; got != tt.freeze {
				t.Errorf("last meter temperature %v °C; want freezing %v", temps[len(temps)-1].Value, tt.freeze)
			}
		})
	}
}
