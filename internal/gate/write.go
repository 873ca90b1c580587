package gate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"selfdata/internal/doctype"
	"selfdata/internal/store"
)

// Input is a document to create; ID may be empty.
type Input struct {
	ID   string
	Data json.RawMessage
}

// RecordError says why one record of a batch was refused.
type RecordError struct {
	Index    int               `json:"index"`
	ID       string            `json:"id,omitempty"`
	Doctype  string            `json:"doctype"`
	Problems []doctype.Problem `json:"problems"`
}

// BatchError lists every refused record of a batch; nothing of the batch was written.
type BatchError struct{ Records []RecordError }

func (e *BatchError) Error() string {
	var parts []string
	for _, r := range e.Records {
		var ps []string
		for _, p := range r.Problems {
			ps = append(ps, strings.TrimPrefix(p.Path+": ", ": ")+p.Message)
		}
		parts = append(parts, fmt.Sprintf("record %d: %s", r.Index, strings.Join(ps, "; ")))
	}
	return "invalid data: " + strings.Join(parts, " | ")
}

// Batch is a set of writes that land together or not at all, logged per doctype.
type Batch struct {
	ctx     context.Context
	g       *Gate
	p       Principal
	w       store.Writer
	written map[string]int
	// refused is the first attempt of a service the gate refused in this batch, to be
	// logged once the batch's transaction is over (a refusal usually rolls it back).
	refused *store.LogEntry
	// taken are the entries of reads this batch appends with its own (logWriter.take).
	taken []*pendingEntry
	// readings counts the readings added, for OnReadings.
	readings int
}

// Write runs fn in one transaction; the access log gets one entry per doctype written, in
// the same transaction, so that no write exists without its trace. A service's refused
// attempt is logged after the transaction, in its own.
func (g *Gate) Write(ctx context.Context, p Principal, fn func(b *Batch) error) error {
	var refused *store.LogEntry
	var taken []*pendingEntry
	readings := 0
	err := g.data.Update(ctx, p.Instance, func(w store.Writer) error {
		b := &Batch{ctx: ctx, g: g, p: p, w: w, written: map[string]int{}}
		err := b.run(fn)
		refused, taken, readings = b.refused, b.taken, b.readings
		return err
	})
	g.trail.settle(taken, err)
	g.logRefusal(ctx, p, refused)
	if err == nil && readings > 0 && g.OnReadings != nil {
		g.OnReadings(ctx, p.Instance)
	}
	return err
}

// run runs fn and appends one log entry per doctype it wrote, after the entries of reads
// of the same person waiting to be committed (logWriter.take).
func (b *Batch) run(fn func(b *Batch) error) error {
	if err := fn(b); err != nil {
		return err
	}
	if len(b.written) == 0 {
		return nil
	}
	b.taken = b.g.trail.take(b.p.Instance)
	var es []store.LogEntry
	for _, l := range group(b.taken) {
		es = append(es, l.Entries...)
	}
	dts := make([]string, 0, len(b.written))
	for dt := range b.written {
		dts = append(dts, dt)
	}
	sort.Strings(dts)
	for _, dt := range dts {
		es = append(es, b.g.entry(b.p, dt, Write, b.written[dt]))
	}
	return b.w.AppendLog(b.ctx, es...)
}

// check is Gate.check within the batch: a service's first refused attempt is kept to be
// logged when the batch ends.
func (b *Batch) check(dt string, kind string, v Verb) error {
	_, err := b.g.check(b.p, dt, kind, v)
	if err != nil && b.refused == nil {
		b.refused = b.g.refusal(b.p, dt, v, err)
	}
	return err
}

// Source is the provenance of what the principal writes itself.
func (p Principal) Source(batch string, g *Gate) store.Source {
	return store.Source{Kind: string(p.Kind), ID: p.ActorID, Name: p.ActorName, Batch: batch, At: g.now()}
}

// Doc is a document checked against its doctype, ready to write; ID may be empty for a
// new document whose id the store assigns. Check makes them.
type Doc struct {
	ID string
	doctype.Valid
}

// Check validates every input as a document of doctype dt: all of them become Docs, or
// the error lists each invalid one (a *BatchError), so that the person can mend them all at
// once. Each is decoded once, here; the writes that take a Doc do not look at it again.
func (g *Gate) Check(dt string, in []Input) ([]Doc, error) {
	var bad []RecordError
	docs := make([]Doc, len(in))
	for i, d := range in {
		v, err := g.reg.Check(dt, d.Data)
		if errors.Is(err, doctype.ErrUnknown) {
			return nil, err
		}
		if err != nil {
			bad = append(bad, recordError(i, d.ID, dt, err))
		}
		docs[i] = Doc{ID: d.ID, Valid: v}
	}
	if bad != nil {
		return nil, &BatchError{Records: bad}
	}
	return docs, nil
}

// newDocs turns checked documents of doctype dt into the store's, or refuses one checked
// against another doctype (or not at all: the zero Valid), which is a programming error.
func newDocs(dt string, docs []Doc, src store.Source) ([]store.NewDoc, error) {
	out := make([]store.NewDoc, len(docs))
	for i, d := range docs {
		if d.Doctype() != dt {
			return nil, fmt.Errorf("gate: document %d was checked as %q, not as %s", i, d.Doctype(), dt)
		}
		out[i] = store.NewDoc{ID: d.ID, Data: d.Data(), Source: src, Period: d.Period()}
	}
	return out, nil
}

// Create creates checked documents.
func (b *Batch) Create(dt string, docs []Doc, src store.Source) ([]store.Doc, error) {
	if err := b.check(dt, doctype.KindDocument, Write); err != nil {
		return nil, err
	}
	nd, err := newDocs(dt, docs, src)
	if err != nil {
		return nil, err
	}
	out, err := b.w.CreateDocs(b.ctx, dt, nd)
	if err == nil {
		b.written[dt] += len(out)
	}
	return out, err
}

func recordError(i int, id, dt string, err error) RecordError {
	re := RecordError{Index: i, ID: id, Doctype: dt}
	if ve, ok := err.(*doctype.ValidationError); ok {
		re.Problems = ve.Problems
	} else {
		re.Problems = []doctype.Problem{{Message: err.Error()}}
	}
	return re
}

// Upsert creates the checked documents whose id is new and rewrites the changed ones; it is
// how deposits and imports stay idempotent. Every id must be given.
func (b *Batch) Upsert(dt string, docs []Doc, src store.Source) (store.Upserted, error) {
	if err := b.check(dt, doctype.KindDocument, Write); err != nil {
		return store.Upserted{}, err
	}
	nd, err := newDocs(dt, docs, src)
	if err != nil {
		return store.Upserted{}, err
	}
	res, err := b.w.UpsertDocs(b.ctx, dt, nd)
	if err == nil && res.Created+res.Updated > 0 {
		b.written[dt] += res.Created + res.Updated
	}
	return res, err
}

// Update replaces a document's data at revision rev with a checked document, as the
// principal: what it changes of another source's document is kept as a correction, beside
// the source's value.
func (b *Batch) Update(id, rev string, v doctype.Valid) (store.Doc, error) {
	dt := v.Doctype()
	if err := b.check(dt, doctype.KindDocument, Write); err != nil {
		return store.Doc{}, err
	}
	d, err := b.w.UpdateDocAs(b.ctx, dt, id, rev, v.Data(), v.Period(), b.p.Source("", b.g))
	if err != nil {
		return d, b.hideRevision(dt, id, err)
	}
	b.written[dt]++
	return d, nil
}

// Delete deletes a document at revision rev; a file's content goes with it when no other
// document names it.
func (b *Batch) Delete(dt, id, rev string) error {
	if err := b.check(dt, doctype.KindDocument, Write); err != nil {
		return err
	}
	var file store.Doc
	if dt == "file" {
		var err error
		if file, err = b.w.Doc(b.ctx, dt, id); err != nil {
			return b.hideRevision(dt, id, err)
		}
	}
	if err := b.w.DeleteDoc(b.ctx, dt, id, rev); err != nil {
		return b.hideRevision(dt, id, err)
	}
	b.written[dt]++
	if dt == "file" {
		return b.dropFileContent(file)
	}
	return nil
}

// CreateSeries creates a series of a declared series doctype.
func (b *Batch) CreateSeries(s store.Series) (store.Series, error) {
	if err := b.checkSeries(s); err != nil {
		return s, err
	}
	out, err := b.w.CreateSeries(b.ctx, s)
	if err == nil {
		b.written[s.Doctype]++
	}
	return out, err
}

// EnsureSeries creates the series unless it exists, as a deposit naming its meter does every
// time; concurrent first deposits both succeed.
func (b *Batch) EnsureSeries(s store.Series) (store.Series, error) {
	if err := b.checkSeries(s); err != nil {
		return s, err
	}
	out, created, err := b.w.EnsureSeries(b.ctx, s)
	if err == nil && created {
		b.written[s.Doctype]++
	}
	return out, err
}

func (b *Batch) checkSeries(s store.Series) error {
	if err := b.check(s.Doctype, doctype.KindSeries, Write); err != nil {
		return err
	}
	if s.Name == "" || s.Quantity == "" || s.Unit == "" {
		return &BatchError{Records: []RecordError{{Doctype: s.Doctype, Problems: []doctype.Problem{{Path: "/name", Message: "a series needs a name, a quantity and a unit"}}}}}
	}
	return nil
}

// AddReadings adds readings to a series; values must be finite numbers.
func (b *Batch) AddReadings(seriesID string, rs []store.Reading) (int, error) {
	s, err := b.w.Series(b.ctx, seriesID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, noSeries(seriesID)
	}
	if err != nil {
		return 0, err
	}
	if err := b.check(s.Doctype, doctype.KindSeries, Write); err != nil {
		if !b.p.Allows(s.Doctype, Read) {
			return 0, noSeries(seriesID) // what it may neither read nor write is not there
		}
		return 0, err
	}
	var bad []RecordError
	for i, r := range rs {
		if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) || r.At.IsZero() {
			bad = append(bad, RecordError{Index: i, Doctype: s.Doctype, Problems: []doctype.Problem{{Path: "/value", Message: "a reading needs an instant and a finite value"}}})
		}
	}
	if bad != nil {
		return 0, &BatchError{Records: bad}
	}
	n, err := b.w.AddReadings(b.ctx, seriesID, rs)
	if err == nil {
		b.written[s.Doctype] += len(rs)
		b.readings += n
	}
	return n, err
}

// FileRef names a document a file belongs to.
type FileRef struct {
	Doctype string `json:"doctype"`
	ID      string `json:"id"`
}

// PutFile stores a file's content and its metadata document (doctype "file"). With an id,
// storing the same file again changes nothing.
func (b *Batch) PutFile(id, name, mediaType string, r io.Reader, refs []FileRef, src store.Source) (store.Doc, error) {
	if err := b.check("file", doctype.KindDocument, Write); err != nil {
		return store.Doc{}, err
	}
	sha, size, err := b.w.PutBlob(b.ctx, r)
	if err != nil {
		return store.Doc{}, err
	}
	if refs == nil {
		refs = []FileRef{}
	}
	meta, err := json.Marshal(map[string]any{"name": name, "mediaType": mediaType, "size": size, "sha256": sha, "documents": refs})
	if err != nil {
		return store.Doc{}, err
	}
	docs, err := b.g.Check("file", []Input{{ID: id, Data: meta}})
	if err != nil {
		return store.Doc{}, err
	}
	if id != "" {
		if _, err := b.Upsert("file", docs, src); err != nil {
			return store.Doc{}, err
		}
		return store.Doc{ID: id, Doctype: "file", Data: meta, Source: src}, nil
	}
	created, err := b.Create("file", docs, src)
	if err != nil {
		return store.Doc{}, err
	}
	return created[0], nil
}

// HasFile tells whether a file document exists; writers use it to keep an original file
// they already stored as it is. It reveals nothing but the existence of an id the writer
// derived itself.
func (b *Batch) HasFile(id string) (bool, error) {
	_, err := b.w.Doc(b.ctx, "file", id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Create creates documents in one batch: the permission first, so that a principal that may
// not write the doctype is refused before its data is looked at, then every document
// checked.
func (g *Gate) Create(ctx context.Context, p Principal, dt string, in []Input, src store.Source) ([]store.Doc, error) {
	var out []store.Doc
	err := g.Write(ctx, p, func(b *Batch) error {
		if err := b.check(dt, doctype.KindDocument, Write); err != nil {
			return err
		}
		docs, err := g.Check(dt, in)
		if err != nil {
			return err
		}
		out, err = b.Create(dt, docs, src)
		return err
	})
	return out, err
}

// Update replaces one document.
func (g *Gate) Update(ctx context.Context, p Principal, dt, id, rev string, data json.RawMessage) (store.Doc, error) {
	var out store.Doc
	err := g.Write(ctx, p, func(b *Batch) error {
		if err := b.check(dt, doctype.KindDocument, Write); err != nil {
			return err
		}
		docs, err := g.Check(dt, []Input{{ID: id, Data: data}})
		if err != nil {
			return err
		}
		out, err = b.Update(id, rev, docs[0].Valid)
		return err
	})
	return out, err
}

// Delete deletes one document.
func (g *Gate) Delete(ctx context.Context, p Principal, dt, id, rev string) error {
	return g.Write(ctx, p, func(b *Batch) error { return b.Delete(dt, id, rev) })
}

// hideRevision keeps from a principal that may not read dt what a refused write would tell
// of the document: whether it exists, and its revision. Absent and stale give one answer.
func (b *Batch) hideRevision(dt, id string, err error) error {
	if b.p.Allows(dt, Read) || !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrConflict) {
		return err
	}
	return fmt.Errorf("%s %q: %w", dt, id, store.ErrNotFound)
}
