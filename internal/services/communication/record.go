// Package communication is "My communication time" (after the MesInfos pilot's Optime): how
// long the person spends on the phone, read from the call detail records their operator
// restores (doctype telecom.record), by day, by week and by hour of the day, the text
// messages and mobile data beside it, how this week compares with the weeks before, and a
// gentle idea when calls take more time than usual.
//
// It is plain Go over documents: Read takes them through the service's Reader, Summarize
// adds them up. Every sum is exact (durations in whole time.Duration, bytes in int64): the
// page's totals are the records' totals.
package communication

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"selfdata/internal/services"
	"selfdata/internal/store"
)

// Doctype is what the service reads.
const Doctype = "telecom.record"

// The kinds of record (the doctype's enum).
const (
	Call = "call"
	SMS  = "sms"
	Data = "data"
)

// Record is one telecom.record as the service uses it.
type Record struct {
	ID            string
	Kind          string
	At            time.Time
	Duration      time.Duration // a call's length (or a data session's, which is not time on the phone)
	Bytes         int64         // a data session's volume
	Direction     string        // "in", "out" or ""
	Correspondent string        // masked number, as the operator shows it
	Roaming       bool
	Operator      string // the network the record went through ("Movistar" abroad)
	Source        store.Source
}

// maxCall bounds a call's length: a record claiming more than a day is a mistake of its
// source, and splitting it into quarter hours would cost without telling anything true.
const maxCall = 24 * time.Hour

// maxBytes bounds a data session's volume (a petabyte) for the same reason.
const maxBytes = 1 << 50

// raw is the part of a telecom.record the service reads.
type raw struct {
	Kind          string   `json:"kind"`
	At            string   `json:"at"`
	Duration      *float64 `json:"durationSeconds"`
	Bytes         *float64 `json:"bytes"`
	Direction     string   `json:"direction"`
	Correspondent string   `json:"correspondent"`
	Roaming       bool     `json:"roaming"`
	Operator      string   `json:"operator"`
}

// Parse reads documents of telecom.record. A document it cannot read (no instant, an
// unknown kind, a negative or absurd duration or volume) is counted in unreadable and left
// out, never guessed at: the page says how many.
func Parse(docs []store.Doc) (recs []Record, unreadable int) {
	recs = make([]Record, 0, len(docs))
	for _, d := range docs {
		r, err := parse(d)
		if err != nil {
			unreadable++
			continue
		}
		recs = append(recs, r)
	}
	return recs, unreadable
}

func parse(d store.Doc) (Record, error) {
	var x raw
	if err := json.Unmarshal(d.Data, &x); err != nil {
		return Record{}, err
	}
	at, err := time.Parse(time.RFC3339, x.At)
	if err != nil {
		return Record{}, fmt.Errorf("at: %w", err)
	}
	r := Record{ID: d.ID, Kind: x.Kind, At: at, Direction: x.Direction, Correspondent: x.Correspondent, Roaming: x.Roaming, Operator: x.Operator, Source: d.Source}
	switch x.Kind {
	case Call, SMS, Data:
	default:
		return Record{}, fmt.Errorf("kind %q", x.Kind)
	}
	if x.Duration != nil {
		s := *x.Duration
		if math.IsNaN(s) || s < 0 || s > maxCall.Seconds() {
			return Record{}, fmt.Errorf("durationSeconds %v", s)
		}
		r.Duration = time.Duration(math.Round(s * float64(time.Second)))
	}
	if x.Bytes != nil {
		b := *x.Bytes
		if math.IsNaN(b) || b < 0 || b > maxBytes {
			return Record{}, fmt.Errorf("bytes %v", b)
		}
		r.Bytes = int64(math.Round(b))
	}
	return r, nil
}

// Read reads every record the service may read.
func Read(ctx context.Context, rd services.Reader) (recs []Record, unreadable int, err error) {
	docs, err := rd.Docs(ctx, Doctype)
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", Doctype, err)
	}
	recs, unreadable = Parse(docs)
	return recs, unreadable, nil
}
