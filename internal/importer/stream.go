package importer

import (
	"bytes"
	"io"

	"selfdata/internal/store"
)

// Sink receives what a streaming format reads (Format.Stream), in bounded batches, as it
// reads it, so that an import holds a batch at a time rather than the whole file's records
// and readings. The restore package's sink validates and writes each batch in the import's
// one transaction; Collect's gathers them into a Result.
//
// A sink may not keep the slices it is given after it returns: the format reuses them.
type Sink interface {
	// Records receives at most StreamRecords records, in the order of the file.
	Records(rs []Record) error
	// Readings receives at most StreamReadings readings of the series s, whose Readings
	// field is nil. The first call for a key declares the series (rs may then be empty);
	// later calls for that key repeat its fields.
	Readings(s Series, rs []store.Reading) error
}

// The bounds of a batch handed to a Sink.
const (
	StreamRecords  = 10_000
	StreamReadings = 50_000
)

// Open gives the file from its start, a new reader at each call. A streaming format calls it
// once, or again only once it has read the file to its end (the Enedis HDM curve whose
// stamps' convention is only known at its last row is read twice).
type Open func() io.Reader

// StreamFunc reads a whole file as Parse does, but hands its records and readings to sink
// as it reads them. The Result it returns carries what was not sent: Format, Skipped, Notes,
// LeftOut, and any records or series the format kept.
//
// A malformed file is still refused whole: an error returned after batches were sent makes
// the import that sent them roll back (restore writes them all in one transaction), so
// nothing of the file is written. An error the sink returns stops the stream, and is
// returned as it is.
type StreamFunc func(open Open, sink Sink) (*Result, error)

// Collect runs stream over r into one Result holding everything, as Parse returns it: it is
// the Parse of a streaming format, so that both forms have one code path. A second pass reads
// the file again from what the first one read.
func Collect(r io.Reader, stream StreamFunc) (*Result, error) {
	var buf bytes.Buffer
	first := true
	open := func() io.Reader {
		if first {
			first = false
			return io.TeeReader(r, &buf)
		}
		return bytes.NewReader(buf.Bytes())
	}
	c := &collector{at: map[string]int{}}
	res, err := stream(open, c)
	if err != nil {
		return nil, err
	}
	res.Records = append(c.records, res.Records...)
	res.Series = append(c.series, res.Series...)
	return res, nil
}

// collector is the Sink of Collect: the records in order, one series per key in the order
// they were declared, each holding its readings in the order sent.
type collector struct {
	records []Record
	series  []Series
	at      map[string]int // key → index in series
}

func (c *collector) Records(rs []Record) error {
	c.records = append(c.records, rs...)
	return nil
}

func (c *collector) Readings(s Series, rs []store.Reading) error {
	i, ok := c.at[s.Key]
	if !ok {
		i = len(c.series)
		c.at[s.Key] = i
		s.Readings = nil
		c.series = append(c.series, s)
	}
	c.series[i].Readings = append(c.series[i].Readings, rs...)
	return nil
}
