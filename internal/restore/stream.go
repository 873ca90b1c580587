package restore

import (
	"context"
	"fmt"
	"io"
	"slices"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/importer"
	"selfdata/internal/input"
	"selfdata/internal/store"
)

// stream imports a file of a streaming format (importer.Format.Stream): the one transaction
// is opened first, the original stored, then the format's batches are validated and written
// as it reads them, so that the import holds one batch at a time. An error of the parse,
// even after batches were written, rolls the whole file back. Archives are not streamed:
// their files are merged first (parseArchive).
//
// The transaction stays open while the file is read: at most MaxFileBytes, a fraction of a
// second for a decade of half hours, during which the person's other writes wait.
func (im *Importer) stream(ctx context.Context, p gate.Principal, src store.Source, name string, f importer.Format, sp *Spooled, orig *Original, progress func(int64)) (*Report, error) {
	first := true
	open := func() io.Reader {
		if first { // the progress shown is the first pass's
			first = false
			return &counting{r: sp.Reader(), fn: progress}
		}
		return sp.Reader()
	}
	var rep *Report
	err := im.g.Write(ctx, p, func(b *gate.Batch) error {
		w := newWriter(ctx, b, im.g.Registry(), src, "", orig)
		w.noteEmpty = true
		res, err := f.Stream(open, w)
		if err != nil {
			return importer.InFormat(f.Name, importer.InFile(name, err))
		}
		if res.Format == "" {
			res.Format = f.Name
		}
		rep, err = w.finish(res)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// writer is the one write path of an import, a deposit and a pull, in their transaction:
// it validates and writes records and readings batch by batch, for a Result whole (Store)
// and for a streaming format as it reads (importer.Sink).
//
// A refusal does not stop it at once: it stops writing and goes on validating what comes,
// so that the error it ends with is the one a validation of the whole file before any write
// gives — the parse's, then the source's, then every bad record (indexed by its place in the
// file), then the store's, then every bad series, then the store's for series.
type writer struct {
	ctx context.Context
	b   *gate.Batch
	reg *doctype.Registry
	src store.Source
	rep *Report

	noteEmpty bool // say "the file holds no data" when it does
	records   int  // records received: the next one's index
	series    map[string]string
	nseries   int // series declared: the next one's index

	sourceErr  error
	badRecords []gate.RecordError
	storeErr   error // of the file or the records
	badSeries  []gate.RecordError
	seriesErr  error // of the store, for series
}

// newWriter starts the write of one batch of provenance src in b: the original file first,
// unless the source cannot be stored.
func newWriter(ctx context.Context, b *gate.Batch, reg *doctype.Registry, src store.Source, batch string, orig *Original) *writer {
	rep := &Report{ByDoctype: map[string]int{}}
	if orig != nil {
		rep.File = ID(src, "file", orig.SHA256)
		batch = rep.File
	}
	src.Batch, rep.Batch = batch, batch
	w := &writer{ctx: ctx, b: b, reg: reg, src: src, rep: rep, series: map[string]string{}}
	w.sourceErr = sourceError(src)
	if orig != nil && !w.failed() {
		w.storeErr = putOriginal(b, rep.File, orig, src)
	}
	return w
}

// putOriginal keeps the original file; the same content imported again keeps its first
// document (and name).
func putOriginal(b *gate.Batch, id string, orig *Original, src store.Source) error {
	has, err := b.HasFile(id)
	if err != nil || has {
		return err
	}
	_, err = b.PutFile(id, orig.Name, orig.MediaType, orig.Content, nil, src)
	return err
}

func (w *writer) failed() bool {
	return w.sourceErr != nil || w.badRecords != nil || w.storeErr != nil || w.badSeries != nil || w.seriesErr != nil
}

// Records validates a batch of records and, while nothing was refused, writes it.
func (w *writer) Records(recs []importer.Record) error {
	base := w.records
	w.records += len(recs)
	groups, order, bad := prepare(w.reg, w.src, recs, base)
	if bad != nil {
		w.badRecords = append(w.badRecords, bad...)
	}
	if w.failed() {
		return nil
	}
	for _, dt := range order {
		up, err := w.b.Upsert(dt, groups[dt], w.src)
		if err != nil {
			w.storeErr = err
			return nil
		}
		w.rep.Created, w.rep.Updated, w.rep.Unchanged = w.rep.Created+up.Created, w.rep.Updated+up.Updated, w.rep.Unchanged+up.Unchanged
		w.rep.ByDoctype[dt] += len(groups[dt])
	}
	return nil
}

// Readings declares the series on its key's first batch and adds the readings.
func (w *writer) Readings(s importer.Series, rs []store.Reading) error {
	id, ok := w.series[s.Key]
	if !ok {
		id = w.declare(s)
	}
	w.add(s.Key, id, rs)
	return nil
}

// declare validates a series and, while nothing was refused, creates it unless it exists.
func (w *writer) declare(s importer.Series) string {
	id := ID(w.src, "series", s.Key)
	w.series[s.Key] = id
	i := w.nseries
	w.nseries++
	w.rep.Series++
	if p := seriesProblem(i, s); p != nil {
		w.badSeries = append(w.badSeries, *p)
	}
	if w.failed() {
		return id
	}
	meter := ""
	if s.MeterKey != "" {
		meter = ID(w.src, "meter", s.MeterKey)
	}
	if _, err := w.b.EnsureSeries(store.Series{ID: id, Doctype: s.Doctype, Name: s.Name, Quantity: s.Quantity, Unit: s.Unit, Meter: meter, Source: w.src}); err != nil {
		w.seriesErr = fmt.Errorf("series %s: %w", input.Excerpt(s.Key), err)
	}
	return id
}

// add adds readings to a declared series, in batches of readingsBatch.
func (w *writer) add(key, id string, rs []store.Reading) {
	w.rep.ReadingsReceived += len(rs)
	if w.failed() {
		return
	}
	for part := range slices.Chunk(rs, readingsBatch) {
		n, err := w.b.AddReadings(id, part)
		if err != nil {
			w.seriesErr = fmt.Errorf("series %s: %w", input.Excerpt(key), err)
			return
		}
		w.rep.ReadingsAdded += n
	}
}

// finish sends what res still holds (all of a Result, what a stream kept), and ends with
// the first refusal in the order of writer, or the report of what was written.
func (w *writer) finish(res *importer.Result) (*Report, error) {
	if len(res.Records) > 0 {
		w.Records(res.Records)
	}
	for _, s := range res.Series {
		id := w.declare(s) // every series of a Result counts, as merged archives have them
		w.add(s.Key, id, s.Readings)
	}
	switch {
	case w.sourceErr != nil:
		return nil, w.sourceErr
	case w.badRecords != nil:
		return nil, &gate.BatchError{Records: w.badRecords}
	case w.storeErr != nil:
		return nil, w.storeErr
	case w.badSeries != nil:
		return nil, &gate.BatchError{Records: w.badSeries}
	case w.seriesErr != nil:
		return nil, w.seriesErr
	}
	rep := w.rep
	rep.Format, rep.Skipped, rep.Notes, rep.LeftOut, rep.LeftOutMore = res.Format, res.Skipped, res.Notes, res.LeftOut, res.LeftOutMore
	if w.noteEmpty && w.records == 0 && w.nseries == 0 && res.Skipped == 0 {
		rep.Notes = append(rep.Notes, "the file holds no data")
	}
	return rep, nil
}

var _ importer.Sink = (*writer)(nil)
