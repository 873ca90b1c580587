package move

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/rights/export"
	"selfdata/internal/store"
)

// Batch sizes: each batch is one transaction, short enough that the server's other writers
// hardly wait, long enough that a transaction costs little per item.
const (
	docsBatch     = 500
	readingsBatch = 20000
	logBatch      = 2000
)

// documents restores documents/<doctype>.jsonl, for each doctype the manifest names, in
// batches; each document is checked against its doctype as any write is.
func (r *run) documents() error {
	dts := make([]string, 0, len(r.a.m.Counts.ByDoctype))
	for dt := range r.a.m.Counts.ByDoctype {
		dts = append(dts, dt)
	}
	slices.Sort(dts)
	named := map[string]bool{}
	for _, dt := range dts {
		name := "documents/" + export.SafeName(dt) + ".jsonl"
		named[name] = true
		n, err := r.doctype(dt, name)
		if err != nil {
			return err
		}
		if want := r.a.m.Counts.ByDoctype[dt]; n != want {
			return fmt.Errorf("%s: %d documents, the manifest says %d", name, n, want)
		}
	}
	for name := range r.a.entries {
		if entryUnder(name, "documents/") && !named[name] {
			return fmt.Errorf("%s: a doctype the manifest does not count", name)
		}
	}
	return nil
}

// doctype restores one doctype's documents and returns how many.
func (r *run) doctype(dt, name string) (int64, error) {
	d, ok := r.im.Registry.Get(dt)
	if !ok || d.Kind != doctype.KindDocument {
		return 0, fmt.Errorf("%s: doctype %q is not declared on this server", name, dt)
	}
	var n int64
	batch := make([]store.RestoredDoc, 0, docsBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := r.im.Store.Restore(r.ctx, r.in.ID, func(w store.Restorer) error { return w.InsertDocs(r.ctx, dt, batch) })
		if err != nil {
			return fmt.Errorf("%s, the %d documents up to line %d: %w", name, len(batch), n, err)
		}
		r.advance(int64(len(batch)))
		batch = batch[:0]
		return nil
	}
	err := r.a.lines(name, func(_ int, line []byte) error {
		var doc store.Doc
		if err := decode(line, &doc); err != nil {
			return err
		}
		if doc.Doctype != dt {
			return fmt.Errorf("document %q is a %q in the file of %q", doc.ID, doc.Doctype, dt)
		}
		v, err := r.im.Registry.Check(dt, doc.Data)
		if err != nil {
			return fmt.Errorf("document %q: %w", doc.ID, err)
		}
		doc.Data = v.Data()
		if dt == "file" {
			if err := r.fileDoc(doc); err != nil {
				return err
			}
		}
		batch = append(batch, store.RestoredDoc{Doc: doc, Period: v.Period()})
		n++
		if len(batch) == docsBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	r.rep.Documents += n
	return n, err
}

// fileDoc notes the content a file document names, for its blob (files).
func (r *run) fileDoc(doc store.Doc) error {
	var m struct {
		SHA256 string `json:"sha256"`
	}
	if err := json.Unmarshal(doc.Data, &m); err != nil || m.SHA256 == "" {
		return fmt.Errorf("file %q names no content (sha256)", doc.ID)
	}
	if r.fileDocs == nil {
		r.fileDocs = map[string]string{}
	}
	r.fileDocs[doc.ID] = m.SHA256
	return nil
}

// series restores series.jsonl and each series' readings from series/<id>.csv.
func (r *run) series() error {
	var all []store.Series
	err := r.a.lines("series.jsonl", func(_ int, line []byte) error {
		var s store.Series
		if err := decode(line, &s); err != nil {
			return err
		}
		d, ok := r.im.Registry.Get(s.Doctype)
		if !ok || d.Kind != doctype.KindSeries {
			return fmt.Errorf("series %q: doctype %q is not a series declared on this server", s.ID, s.Doctype)
		}
		if err := r.im.Store.Restore(r.ctx, r.in.ID, func(w store.Restorer) error { return w.InsertSeries(r.ctx, s) }); err != nil {
			return fmt.Errorf("series %q: %w", s.ID, err)
		}
		all = append(all, store.Series{ID: s.ID, Count: s.Count})
		return nil
	})
	if err != nil {
		return err
	}
	named := map[string]bool{}
	for _, s := range all {
		name := "series/" + export.SafeName(s.ID) + ".csv"
		named[name] = true
		n, err := r.readings(s.ID, name)
		if err != nil {
			return err
		}
		if n != s.Count {
			return fmt.Errorf("%s: %d readings, series.jsonl says %d", name, n, s.Count)
		}
		r.rep.Series++
	}
	for name := range r.a.entries {
		if entryUnder(name, "series/") && !named[name] {
			return fmt.Errorf("%s: readings of a series series.jsonl does not list", name)
		}
	}
	return nil
}

// readings restores one series' CSV, "at,value" lines after that header, in batches.
func (r *run) readings(id, name string) (int64, error) {
	rc, err := r.a.open(name)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<16)
	var n int64
	line := 0
	batch := make([]store.Reading, 0, readingsBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := r.im.Store.Restore(r.ctx, r.in.ID, func(w store.Restorer) error {
			_, err := w.AddReadings(r.ctx, id, batch)
			return err
		})
		if err != nil {
			return fmt.Errorf("%s, the %d readings up to line %d: %w", name, len(batch), line, err)
		}
		r.advance(int64(len(batch)))
		batch = batch[:0]
		return nil
	}
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if line == 1 {
			if string(b) != "at,value" {
				return n, fmt.Errorf("%s line 1: %q, not the header at,value", name, b)
			}
			continue
		}
		at, v, err := reading(b)
		if err != nil {
			return n, fmt.Errorf("%s line %d: %w", name, line, err)
		}
		batch = append(batch, store.Reading{At: at, Value: v})
		n++
		if len(batch) == readingsBatch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return n, fmt.Errorf("%s line %d: %w", name, line+1, err)
	}
	if line == 0 {
		return n, fmt.Errorf("%s is empty: it has not even its header", name)
	}
	r.rep.Readings += n
	return n, flush()
}

// reading parses "at,value".
func reading(b []byte) (time.Time, float64, error) {
	i := bytes.IndexByte(b, ',')
	if i < 0 {
		return time.Time{}, 0, fmt.Errorf("%q is not at,value", b)
	}
	at, err := time.Parse(time.RFC3339Nano, string(b[:i]))
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("instant %q: %w", b[:i], err)
	}
	v, err := strconv.ParseFloat(string(b[i+1:]), 64)
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("value %q is not a number", b[i+1:])
	}
	return at, v, nil
}

// fileLine is a line of files.jsonl (export's fileLine).
type fileLine struct {
	ID        string `json:"id"`
	Path      string `json:"path"`
	Name      string `json:"name"`
	MediaType string `json:"mediaType"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
}

// files restores each file's content from files/<id>/<name>, checking it against the
// sha256 and size files.jsonl and its document name.
func (r *run) files() error {
	named := map[string]bool{}
	err := r.a.lines("files.jsonl", func(_ int, line []byte) error {
		var l fileLine
		if err := decode(line, &l); err != nil {
			return err
		}
		want := "files/" + export.SafeName(l.ID) + "/" + export.SafeName(l.Name)
		if l.Path != want {
			return fmt.Errorf("file %q: its path %q is not %q", l.ID, l.Path, want)
		}
		doc, ok := r.fileDocs[l.ID]
		switch {
		case !ok:
			return fmt.Errorf("file %q: no file document of that id in documents/file.jsonl", l.ID)
		case doc != l.SHA256:
			return fmt.Errorf("file %q: sha256 %s, its document names %s", l.ID, l.SHA256, doc)
		}
		named[l.Path] = true
		return r.blob(l)
	})
	if err != nil {
		return err
	}
	for name := range r.a.entries {
		if entryUnder(name, "files/") && !named[name] {
			return fmt.Errorf("%s: a file files.jsonl does not list", name)
		}
	}
	if len(named) != len(r.fileDocs) {
		return fmt.Errorf("files.jsonl lists %d files for %d file documents", len(named), len(r.fileDocs))
	}
	return nil
}

// blob stores one file's content, checked as it streams into the store.
func (r *run) blob(l fileLine) error {
	rc, err := r.a.open(l.Path)
	if err != nil {
		return err
	}
	defer rc.Close()
	return r.im.Store.Restore(r.ctx, r.in.ID, func(w store.Restorer) error {
		sha, size, err := w.PutBlob(r.ctx, rc)
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF):
			return fmt.Errorf("%s: cut short: %w", l.Path, err)
		case err != nil:
			return fmt.Errorf("%s: %w", l.Path, err)
		case sha != l.SHA256:
			return fmt.Errorf("%s: its content hashes to %s, not to the %s files.jsonl names: it was changed", l.Path, sha, l.SHA256)
		case size != l.Size:
			return fmt.Errorf("%s: %d bytes, files.jsonl says %d", l.Path, size, l.Size)
		}
		r.rep.Files++
		r.rep.FileBytes += size
		r.advance(1)
		return nil
	})
}
