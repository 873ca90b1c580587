package importer

import (
	"io"
	"strings"
	"testing"
	"time"

	"selfdata/internal/store"
)

// TestCollect: Collect gathers a stream's batches into the Result Parse returns — records in
// order, one series per key with its readings in the order sent, what the stream kept after
// them — and a second reading of the file gets the bytes the first one read.
func TestCollect(t *testing.T) {
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	s1, s2 := Series{Key: "a", Unit: "W"}, Series{Key: "b", Unit: "Wh"}
	stream := func(open Open, sink Sink) (*Result, error) {
		first, err := io.ReadAll(open())
		if err != nil {
			return nil, err
		}
		again, err := io.ReadAll(open())
		if err != nil || string(again) != string(first) {
			return nil, Errorf(0, "", "read again %q, first %q (%v)", again, first, err)
		}
		buf := []store.Reading{{At: at, Value: 1}}
		steps := []error{
			sink.Records([]Record{{Doctype: "meter", Key: "m1"}}),
			sink.Readings(s1, buf),
			sink.Readings(s2, nil),
		}
		buf[0].Value = 2 // the stream reuses its slices
		steps = append(steps, sink.Readings(s1, buf), sink.Records([]Record{{Doctype: "meter", Key: "m2"}}))
		for _, err := range steps {
			if err != nil {
				return nil, err
			}
		}
		return &Result{Format: string(first), Records: []Record{{Doctype: "meter", Key: "kept"}}}, nil
	}
	res, err := Collect(strings.NewReader("the file"), stream)
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != "the file" || len(res.Records) != 3 || res.Records[0].Key != "m1" || res.Records[1].Key != "m2" || res.Records[2].Key != "kept" {
		t.Fatalf("records %+v", res.Records)
	}
	if len(res.Series) != 2 || res.Series[0].Key != "a" || res.Series[1].Key != "b" || len(res.Series[1].Readings) != 0 {
		t.Fatalf("series %+v", res.Series)
	}
	if rs := res.Series[0].Readings; len(rs) != 2 || rs[0].Value != 1 || rs[1].Value != 2 {
		t.Errorf("readings of a: %+v, want 1 then 2", rs)
	}
}
