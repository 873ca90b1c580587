package export

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/store"
	"selfdata/internal/store/chunk"
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
// series' precision, page by page.
func (e *run) readings(s store.Series) error {
	w, err := e.create("series/" + safeName(s.ID) + ".csv")
	if err != nil {
		return err
	}
	buf := []byte("at,value\n")
	var from time.Time
	for {
		rs, err := e.r.Readings(e.ctx, e.in.ID, s.ID, from, time.Time{}, readingsPage)
		if err != nil {
			return err
		}
		for _, r := range rs {
			buf = r.At.UTC().AppendFormat(buf, time.RFC3339Nano)
			buf = append(buf, ',')
			buf = AppendValue(buf, r.Value, s.Decimals)
			buf = append(buf, '\n')
			if len(buf) > 64<<10 {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
		e.m.Counts.Readings += int64(len(rs))
		e.advance(int64(len(rs)))
		if len(rs) < readingsPage {
			_, err := w.Write(buf)
			return err
		}
		from = rs[len(rs)-1].At.Add(time.Nanosecond)
	}
}

// AppendValue writes a reading as its source gave it: with the series' decimals, or, for a
// series finer than chunk.MaxDecimals, at the shortest that reads back as the same float64.
func AppendValue(buf []byte, v float64, decimals int) []byte {
	if decimals < 0 || decimals > chunk.MaxDecimals || math.IsInf(v, 0) || math.IsNaN(v) {
		return strconv.AppendFloat(buf, v, 'f', -1, 64)
	}
	return strconv.AppendFloat(buf, v, 'f', decimals, 64)
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

// files writes files/<id>/<name>, each file's content as deposited, and files.jsonl.
func (e *run) files() error {
	if !slices.Contains(e.present, "file") {
		_, err := e.jsonl("files.jsonl")
		return err
	}
	var lines []fileLine // one short line per file: the metadata, never the content
	_, err := e.eachDoc("file", func(d store.Doc) error {
		var m fileMeta
		if err := json.Unmarshal(d.Data, &m); err != nil {
			return fmt.Errorf("file %s: %w", d.ID, err)
		}
		l := fileLine{ID: d.ID, Path: "files/" + safeName(d.ID) + "/" + safeName(m.Name), fileMeta: m}
		lines = append(lines, l)
		return e.copyBlob(l, d.Created)
	})
	if err != nil {
		return err
	}
	enc, err := e.jsonl("files.jsonl")
	if err != nil {
		return err
	}
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return nil
}

// copyBlob copies one file's blob into the archive as it is (not recompressed), checking
// that it is the content its document names.
func (e *run) copyBlob(l fileLine, at time.Time) error {
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
	n, err := io.CopyBuffer(io.MultiWriter(w, h), src, make([]byte, 1<<20))
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
