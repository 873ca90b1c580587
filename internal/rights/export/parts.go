package export

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/store"
)

// Page sizes: large enough that a page costs little per item, small enough that memory
// stays flat whatever the store holds.
const (
	docsPage     = 500
	readingsPage = 20000
	logPage      = 2000
)

// create starts a compressed entry of the archive.
func (e *run) create(name string) (io.Writer, error) {
	return e.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: e.m.Exported})
}

// jsonl starts a JSON Lines entry: each Encode is one line.
func (e *run) jsonl(name string) (*json.Encoder, error) {
	w, err := e.create(name)
	if err != nil {
		return nil, err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc, nil
}

func (e *run) readme() error {
	w, err := e.create("README.md")
	if err == nil {
		_, err = io.WriteString(w, readmeText)
	}
	return err
}

// totals counts what will be written, for the progress, and finds the doctypes with data.
func (e *run) totals() error {
	for _, d := range e.reg.All() {
		if d.Kind != doctype.KindDocument {
			continue
		}
		n, err := e.r.CountDocs(e.ctx, e.in.ID, store.Query{Doctype: d.Name})
		if err != nil {
			return err
		}
		if n > 0 {
			e.m.Counts.ByDoctype[d.Name] = n
			e.present = append(e.present, d.Name)
			e.total += n
		}
	}
	return nil
}

// documents writes documents/<doctype>.jsonl, a page at a time.
func (e *run) documents() error {
	for _, dt := range slices.Clone(e.present) {
		enc, err := e.jsonl("documents/" + safeName(dt) + ".jsonl")
		if err != nil {
			return err
		}
		n, err := e.eachDoc(dt, func(d store.Doc) error {
			e.advance(1)
			return enc.Encode(d)
		})
		if err != nil {
			return fmt.Errorf("%s: %w", dt, err)
		}
		e.m.Counts.ByDoctype[dt] = n
		e.m.Counts.Documents += n
	}
	return nil
}

// eachDoc calls fn on every document of dt, in id order, a page at a time.
func (e *run) eachDoc(dt string, fn func(store.Doc) error) (int64, error) {
	var n int64
	q := store.Query{Doctype: dt, Limit: docsPage}
	for {
		page, err := e.r.Query(e.ctx, e.in.ID, q)
		if err != nil {
			return n, err
		}
		for _, d := range page.Items {
			if err := fn(d); err != nil {
				return n, err
			}
		}
		n += int64(len(page.Items))
		if page.Next == "" {
			return n, nil
		}
		q.Cursor = page.Next
	}
}

// series writes series.jsonl (each series' metadata) and series/<id>.csv (its readings).
func (e *run) series() error {
	all, err := e.r.ListSeries(e.ctx, e.in.ID, store.Visible{All: true})
	if err != nil {
		return err
	}
	enc, err := e.jsonl("series.jsonl")
	if err != nil {
		return err
	}
	for _, s := range all {
		e.total += s.Count
		if espiWritable(s) {
			e.total += s.Count // written again in standards/greenbutton/
		}
		if err := enc.Encode(s); err != nil {
			return err
		}
		if !slices.Contains(e.present, s.Doctype) {
			e.present = append(e.present, s.Doctype)
		}
	}
	for _, s := range all {
		if err := e.readings(s); err != nil {
			return fmt.Errorf("series %s: %w", s.ID, err)
		}
		e.m.Counts.Series++
	}
	return nil
}

// readings writes one series' CSV: the instant (RFC 3339, UTC) and the value at the
// series' precision. The readings are read and formatted on one goroutine while this one
// compresses what it made, so that the two overlap; the buffers go round between them, so
// memory stays a few of them whatever the series holds.
func (e *run) readings(s store.Series) error {
	w, err := e.create("series/" + safeName(s.ID) + ".csv")
	if err != nil {
		return err
	}
	full, free, stop := make(chan []byte, csvBuffers), make(chan []byte, csvBuffers), make(chan struct{})
	for range csvBuffers {
		free <- make([]byte, 0, csvBuffer+512)
	}
	errc := make(chan error, 1)
	go func() { errc <- e.formatReadings(s, full, free, stop) }()
	for buf := range full {
		if _, err := w.Write(buf); err != nil {
			close(stop)
			for range full { // until the formatter has seen stop and closed full
			}
			<-errc
			return err
		}
		free <- buf[:0]
	}
	return <-errc
}

// The CSV of a series is made in csvBuffers buffers of about csvBuffer bytes.
const (
	csvBuffers = 3
	csvBuffer  = 256 << 10
)

// formatReadings reads the series page by page and sends its CSV lines, buffer by buffer,
// on full, taking empty buffers from free, until the end or stop; it closes full.
func (e *run) formatReadings(s store.Series, full chan<- []byte, free <-chan []byte, stop <-chan struct{}) error {
	defer close(full)
	buf := append(<-free, "at,value\n"...)
	send := func() bool {
		select {
		case full <- buf:
		case <-stop:
			return false
		}
		select {
		case buf = <-free:
			return true
		case <-stop:
			return false
		}
	}
	var from time.Time
	var day instants
	for {
		rs, err := e.r.Readings(e.ctx, e.in.ID, s.ID, from, time.Time{}, readingsPage)
		if err != nil {
			return err
		}
		for _, r := range rs {
			buf = day.append(buf, r.At)
			buf = append(buf, ',')
			buf = AppendValue(buf, r.Value, s.Decimals)
			buf = append(buf, '\n')
			if len(buf) >= csvBuffer && !send() {
				return nil
			}
		}
		e.m.Counts.Readings += int64(len(rs))
		e.advance(int64(len(rs)))
		if len(rs) < readingsPage {
			send()
			return nil
		}
		from = rs[len(rs)-1].At.Add(time.Nanosecond)
	}
}

// fileMeta is what a file document says of its blob.
type fileMeta struct {
	Name      string `json:"name"`
	MediaType string `json:"mediaType"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
}

// fileLine is a line of files.jsonl: a file document's blob and where the archive holds it.
type fileLine struct {
	ID   string `json:"id"`
	Path string `json:"path"`
	fileMeta
}

// files writes files.jsonl, then files/<id>/<name>, each file's content as deposited: two
// passes over the file documents, so that nothing is kept from one to the other.
func (e *run) files() error {
	enc, err := e.jsonl("files.jsonl")
	if err != nil || !slices.Contains(e.present, "file") {
		return err
	}
	if _, err := e.eachFile(func(l fileLine, _ store.Doc) error { return enc.Encode(l) }); err != nil {
		return err
	}
	buf := make([]byte, 1<<20)
	_, err = e.eachFile(func(l fileLine, d store.Doc) error { return e.copyBlob(l, d.Created, buf) })
	return err
}

// eachFile calls fn on every file document with its line of files.jsonl.
func (e *run) eachFile(fn func(fileLine, store.Doc) error) (int64, error) {
	return e.eachDoc("file", func(d store.Doc) error {
		var m fileMeta
		if err := json.Unmarshal(d.Data, &m); err != nil {
			return fmt.Errorf("file %s: %w", d.ID, err)
		}
		return fn(fileLine{ID: d.ID, Path: "files/" + safeName(d.ID) + "/" + safeName(m.Name), fileMeta: m}, d)
	})
}

// copyBlob copies one file's blob into the archive as it is (not recompressed), checking
// that it is the content its document names.
func (e *run) copyBlob(l fileLine, at time.Time, buf []byte) error {
	src, err := e.r.OpenBlob(e.ctx, e.in.ID, l.SHA256)
	if err != nil {
		return fmt.Errorf("file %s: %w", l.ID, err)
	}
	defer src.Close()
	w, err := e.zw.CreateHeader(&zip.FileHeader{Name: l.Path, Method: zip.Store, Modified: at})
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.CopyBuffer(io.MultiWriter(w, h), src, buf)
	if err != nil {
		return fmt.Errorf("file %s: %w", l.ID, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != l.SHA256 {
		return fmt.Errorf("file %s: its content hashes to %s, not to the %s its document names", l.ID, got, l.SHA256)
	}
	e.m.Counts.Files++
	e.m.Counts.FileBytes += n
	return nil
}

// doctypes writes the declaration (schema, labels, index fields) of each doctype present.
func (e *run) doctypes() error {
	slices.Sort(e.present)
	for _, name := range e.present {
		d, ok := e.reg.Get(name)
		if !ok {
			return fmt.Errorf("doctype %q is in the store but not declared", name)
		}
		b, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return err
		}
		w, err := e.create("doctypes/" + safeName(name) + ".json")
		if err == nil {
			_, err = w.Write(append(b, '\n'))
		}
		if err != nil {
			return err
		}
		e.m.Counts.Doctypes++
	}
	return nil
}

// safeName keeps a name inside its folder of the archive: no separator, no "." or "..",
// nothing invisible.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < ' ' || r == 0x7f {
			return '_'
		}
		return r
	}, s)
	if s == "" || s == "." || s == ".." {
		return "_" + s
	}
	return s
}
