package chunk

import (
	"math"
	"testing"
	"time"

	"selfdata/internal/store"
)

func TestDayKey(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	tests := []struct {
		t    time.Time
		want int64
	}{
		{time.Unix(0, 0), 0},
		{time.Unix(86399, 999_999_999), 0},
		{time.Unix(86400, 0), 86400},
		{time.Unix(-1, 0), -86400},
		{time.Unix(-86400, 0), -86400},
		{time.Unix(-86401, 0), -2 * 86400},
		{time.Unix(0, -1), -86400},
		// 00:30 in Paris is still the previous UTC day.
		{time.Date(2025, 6, 2, 0, 30, 0, 0, paris), time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC).Unix()},
	}
	for _, tt := range tests {
		if got := DayKey(tt.t); got != tt.want {
			t.Errorf("DayKey(%s) = %d, want %d", tt.t.Format(time.RFC3339Nano), got, tt.want)
		}
	}
}

func TestSplitByDay(t *testing.T) {
	day := func(s string) int64 {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			panic(err)
		}
		return d.Unix()
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	tests := []struct {
		name string
		in   []store.Reading
		want []Day
	}{
		{"empty", nil, nil},
		{"one", []store.Reading{rd("2025-01-02T10:00:00Z", 1)},
			[]Day{{day("2025-01-02"), []store.Reading{rd("2025-01-02T10:00:00Z", 1)}}}},
		{"midnight starts a day", []store.Reading{
			rd("2025-01-02T23:59:59.999Z", 1), rd("2025-01-03T00:00:00Z", 2), rd("2025-01-02T00:00:00Z", 3),
		}, []Day{
			{day("2025-01-02"), []store.Reading{rd("2025-01-02T00:00:00Z", 3), rd("2025-01-02T23:59:59.999Z", 1)}},
			{day("2025-01-03"), []store.Reading{rd("2025-01-03T00:00:00Z", 2)}},
		}},
		{"unsorted with duplicates, last wins", []store.Reading{
			rd("2025-01-03T01:00:00Z", 1), rd("2025-01-01T01:00:00Z", 2), rd("2025-01-03T01:00:00Z", 3),
			rd("2025-01-01T00:00:00Z", 4), rd("2025-01-03T01:00:00Z", 5), rd("2025-01-01T01:00:00Z", 6),
		}, []Day{
			{day("2025-01-01"), []store.Reading{rd("2025-01-01T00:00:00Z", 4), rd("2025-01-01T01:00:00Z", 6)}},
			{day("2025-01-03"), []store.Reading{rd("2025-01-03T01:00:00Z", 5)}},
		}},
		{"sorted duplicates", []store.Reading{rd("2025-01-01T00:00:00Z", 1), rd("2025-01-01T00:00:00Z", 2)},
			[]Day{{day("2025-01-01"), []store.Reading{rd("2025-01-01T00:00:00Z", 2)}}}},
		{"truncated to the millisecond, so the same instant", []store.Reading{
			rd("2025-01-01T00:00:00.0019Z", 1), rd("2025-01-01T00:00:00.001Z", 2), rd("2025-01-01T00:00:00.0011Z", 3),
		}, []Day{{day("2025-01-01"), []store.Reading{rd("2025-01-01T00:00:00.001Z", 3)}}}},
		{"local instants become UTC", []store.Reading{{At: time.Date(2025, 6, 2, 0, 30, 0, 0, paris), Value: 1}},
			[]Day{{day("2025-06-01"), []store.Reading{rd("2025-06-01T22:30:00Z", 1)}}}},
		{"before 1970", []store.Reading{rd("1969-12-31T23:59:59.999Z", 1), rd("1970-01-01T00:00:00Z", 2), rd("1969-12-31T00:00:00Z", 3)},
			[]Day{
				{day("1969-12-31"), []store.Reading{rd("1969-12-31T00:00:00Z", 3), rd("1969-12-31T23:59:59.999Z", 1)}},
				{day("1970-01-01"), []store.Reading{rd("1970-01-01T00:00:00Z", 2)}},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitByDay(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d days, want %d: %v", len(got), len(tt.want), got)
			}
			for i := range got {
				if got[i].Key != tt.want[i].Key {
					t.Errorf("day %d: key %d, want %d", i, got[i].Key, tt.want[i].Key)
				}
				if err := diffReadings(got[i].Readings, tt.want[i].Readings); err != nil {
					t.Errorf("day %d: %v", i, err)
				}
				if cap(got[i].Readings) != len(got[i].Readings) {
					t.Errorf("day %d: capacity %d reaches into the next day", i, cap(got[i].Readings))
				}
			}
		})
	}
}

func TestMerge(t *testing.T) {
	a := func(v ...float64) []store.Reading { // readings at minutes v[0], v[2]... with values v[1], v[3]...
		var rs []store.Reading
		for i := 0; i < len(v); i += 2 {
			rs = append(rs, store.Reading{At: ms(int64(v[i]) * 60_000), Value: v[i+1]})
		}
		return rs
	}
	tests := []struct {
		name      string
		old, add  []store.Reading
		want      []store.Reading
		wantAdded int
	}{
		{"both empty", nil, nil, nil, 0},
		{"into empty", nil, a(1, 10, 2, 20), a(1, 10, 2, 20), 2},
		{"nothing to add", a(1, 10), nil, a(1, 10), 0},
		{"disjoint after", a(1, 10, 2, 20), a(3, 30, 4, 40), a(1, 10, 2, 20, 3, 30, 4, 40), 2},
		{"disjoint before", a(3, 30, 4, 40), a(1, 10, 2, 20), a(1, 10, 2, 20, 3, 30, 4, 40), 2},
		{"interleaved", a(1, 10, 3, 30, 5, 50), a(2, 20, 4, 40, 6, 60), a(1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60), 3},
		{"replace all", a(1, 10, 2, 20), a(1, 11, 2, 21), a(1, 11, 2, 21), 0},
		{"overlap", a(1, 10, 2, 20, 3, 30), a(2, 22, 3, 33, 4, 44), a(1, 10, 2, 22, 3, 33, 4, 44), 1},
		{"replace by NaN", a(1, 10), a(1, math.NaN()), a(1, math.NaN()), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, added := Merge(tt.old, tt.add)
			sameReadings(t, got, tt.want)
			if added != tt.wantAdded {
				t.Errorf("added = %d, want %d", added, tt.wantAdded)
			}
		})
	}
}

func TestStatsOf(t *testing.T) {
	tests := []struct {
		name string
		rs   []store.Reading
		want Stats
	}{
		{"one", []store.Reading{{At: ms(5), Value: 3}}, Stats{N: 1, Sum: 3, Min: 3, Max: 3, First: ms(5), Last: ms(5)}},
		{"several", []store.Reading{{At: ms(1), Value: 2}, {At: ms(2), Value: -4}, {At: ms(9), Value: 7}},
			Stats{N: 3, Sum: 5, Min: -4, Max: 7, First: ms(1), Last: ms(9)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := StatsOf(tt.rs)
			if got.N != tt.want.N || got.Sum != tt.want.Sum || got.Min != tt.want.Min || got.Max != tt.want.Max ||
				!got.First.Equal(tt.want.First) || !got.Last.Equal(tt.want.Last) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
