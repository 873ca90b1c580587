package chunk

import (
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"selfdata/internal/store"
)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	nan := math.Float64frombits(0x7ff8_dead_beef_0001) // a NaN with a payload
	tests := []struct {
		name string
		rs   []store.Reading
	}{
		{"empty", nil},
		{"one reading", []store.Reading{{At: ms(1_700_000_000_123), Value: 42.5}}},
		{"zero values", []store.Reading{{At: ms(0), Value: 0}, {At: ms(1), Value: 0}}},
		{"negative values", []store.Reading{{At: ms(1000), Value: -1.5}, {At: ms(2000), Value: -1e300}, {At: ms(3000), Value: -0.0}}},
		{"special values", []store.Reading{
			{At: ms(1), Value: nan}, {At: ms(2), Value: math.NaN()}, {At: ms(3), Value: math.Inf(1)},
			{At: ms(4), Value: math.Inf(-1)}, {At: ms(5), Value: math.SmallestNonzeroFloat64}, {At: ms(6), Value: math.MaxFloat64},
		}},
		{"before 1970", []store.Reading{{At: ms(-86_400_001), Value: 1}, {At: ms(-1), Value: 2}, {At: ms(0), Value: 3}, {At: ms(1), Value: 4}}},
		{"large deltas", []store.Reading{{At: ms(math.MinInt64), Value: 1}, {At: ms(0), Value: 2}, {At: ms(math.MaxInt64), Value: 3}}},
		{"repeated values", []store.Reading{{At: ms(10), Value: 7}, {At: ms(20), Value: 7}, {At: ms(30), Value: 7}}},
		{"decimal kWh", []store.Reading{{At: ms(10), Value: 0.617}, {At: ms(20), Value: 0.123456789}, {At: ms(30), Value: 1.1}}},
		{"a day of half hours", halfHourly(48)},
		{"ten years of half hours", halfHourly(175_200)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Encode(tt.rs)
			got, err := Decode(b)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			sameReadings(t, got, tt.rs)
		})
	}
}

func TestEncodeDecodeRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 200 {
		rs := make([]store.Reading, n)
		at := r.Int64N(1<<42) - 1<<41
		for i := range rs {
			at += 1 + r.Int64N(1<<uint(r.IntN(40)))
			var v float64
			switch r.IntN(4) {
			case 0:
				v = math.Float64frombits(r.Uint64())
			case 1:
				v = float64(r.IntN(5000))
			case 2:
				v = r.NormFloat64() * 1000
			default:
				if i > 0 {
					v = rs[i-1].Value
				}
			}
			rs[i] = store.Reading{At: ms(at), Value: v}
		}
		got, err := Decode(Encode(rs))
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		sameReadings(t, got, rs)
	}
}

func TestEncodeIsCompact(t *testing.T) {
	rs := halfHourly(48)
	b := Encode(rs)
	// 3 bytes a delta and a few bytes a value, against 16 bytes for a plain instant and value.
	if perReading := float64(len(b)) / float64(len(rs)); perReading > 8 {
		t.Errorf("%.1f bytes a reading, want at most 8", perReading)
	}
}

func TestEncodePanicsOnUnsorted(t *testing.T) {
	for name, rs := range map[string][]store.Reading{
		"unsorted":          {{At: ms(2)}, {At: ms(1)}},
		"duplicate":         {{At: ms(1)}, {At: ms(1)}},
		"same ms":           {{At: ms(1)}, {At: ms(1).Add(time.Microsecond)}},
		"last out of order": {{At: ms(1)}, {At: ms(3)}, {At: ms(2)}},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Encode did not panic")
				}
			}()
			Encode(rs)
		})
	}
}

func TestAppendDecode(t *testing.T) {
	a, b := halfHourly(3), halfHourly(5)[3:]
	dst, err := AppendDecode(nil, Encode(a))
	if err != nil {
		t.Fatal(err)
	}
	dst, err = AppendDecode(dst, Encode(b))
	if err != nil {
		t.Fatal(err)
	}
	sameReadings(t, dst, halfHourly(5))

	// A failure leaves dst as it was.
	dst, err = AppendDecode(dst, []byte{version, 2, 0, 1})
	if err == nil {
		t.Fatal("no error on a truncated chunk")
	}
	sameReadings(t, dst, halfHourly(5))
}

func TestDecodeErrors(t *testing.T) {
	good := Encode(halfHourly(4))
	uv := func(b []byte, v uint64) []byte { return binary.AppendUvarint(b, v) }
	tests := []struct {
		name string
		b    []byte
	}{
		{"nil", nil},
		{"version only", []byte{version}},
		{"unknown version", append([]byte{2}, good[1:]...)},
		{"version zero", []byte{0, 0}},
		{"count truncated", []byte{version, 0x80}},
		{"count overlong", []byte{version, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}},
		{"huge count", uv([]byte{version}, math.MaxUint64)},
		{"count larger than bytes", append(uv([]byte{version}, 1<<40), 0, 0, 0, 0)},
		{"count just too large", []byte{version, 2, 0, 1, 0}},
		{"empty chunk with trailing byte", []byte{version, 0, 0}},
		{"first instant truncated", []byte{version, 1, 0x80, 0x80}},
		{"zero delta", []byte{version, 2, 0, 0, 0, 0}},
		{"delta overflow", append(uv(binary.AppendVarint([]byte{version, 2}, math.MaxInt64-5), 6), make([]byte, 10)...)},
		{"delta overlong", append([]byte{version, 2, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, make([]byte, 10)...)},
		{"delta truncated", []byte{version, 2, 0, 0x80, 0x80, 0x80}},
		{"bad control byte", []byte{version, 1, 0, 0x19, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
		{"control byte past 8", []byte{version, 1, 0, 0x90}},
		{"value truncated", []byte{version, 1, 0, 0x08, 1, 2, 3}},
		{"missing value", good[:len(good)-1]},
		{"truncated", good[:len(good)/2]},
		{"trailing byte", append(append([]byte{}, good...), 0)},
		{"garbage", []byte("not a chunk at all, just text")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.b)
			if err == nil {
				t.Fatalf("no error, got %d readings", len(got))
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("error %v does not wrap ErrCorrupt", err)
			}
		})
	}
}

func TestDecodeEveryTruncation(t *testing.T) {
	good := Encode(halfHourly(30))
	for i := range len(good) {
		if _, err := Decode(good[:i]); err == nil {
			t.Errorf("prefix of %d of %d bytes decoded", i, len(good))
		}
	}
}
