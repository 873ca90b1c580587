package restore

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"path/filepath"
	"strings"

	"selfdata/internal/gate"
	"selfdata/internal/importer"
	"selfdata/internal/importer/archive"
	"selfdata/internal/input"
	"selfdata/internal/store"
)

// Importer reads files in the known formats and stores what they hold.
type Importer struct {
	g       *gate.Gate
	formats []importer.Format
}

// NewImporter returns an importer trying formats in order.
func NewImporter(g *gate.Gate, formats []importer.Format) *Importer {
	return &Importer{g: g, formats: formats}
}

// Formats lists the names of the known formats.
func (im *Importer) Formats() []string {
	names := make([]string, len(im.formats))
	for i, f := range im.formats {
		names[i] = f.Name
	}
	return names
}

// Detect picks the format of a file from its first bytes and its name.
func (im *Importer) Detect(head []byte, name string) (importer.Format, error) {
	for _, f := range im.formats {
		if f.Detect(head, name) {
			return f, nil
		}
	}
	return importer.Format{}, &importer.Error{File: name, Kind: importer.KindUnknownFormat, Reason: "the format of this file is not one selfdata reads (" + strings.Join(im.Formats(), ", ") + "); if it is one of them, name it with --format"}
}

func (im *Importer) byName(name string) (importer.Format, error) {
	for _, f := range im.formats {
		if f.Name == name {
			return f, nil
		}
	}
	return importer.Format{}, fmt.Errorf("%w: unknown format %q; known formats: %s", store.ErrInvalid, name, strings.Join(im.Formats(), ", "))
}

// FileWith imports one file for p, from src (an organization, or the person's upload), as
// opt says (choose.go). progress, if set, is told how many bytes the parser has read.
//
// An import keeps the original file as a file document, so a principal that may not write
// files (a read-only token, a service granted reading) is refused, as the gate would refuse
// it, before a byte of r is read: parsing, and expanding an archive, would cost the server
// for nothing. The file is copied to a temporary file as it is read (Spool), so that it is
// in memory neither whole nor twice.
func (im *Importer) FileWith(ctx context.Context, p gate.Principal, src store.Source, name string, r io.Reader, opt Options, progress func(int64)) (*Report, error) {
	if err := im.g.MayWrite(ctx, p, "file"); err != nil {
		return nil, err
	}
	sp, err := Spool(importer.LimitReader(r))
	if err != nil {
		return nil, importer.InFile(name, err) // r's own error stays within (an HTTP body's size limit)
	}
	defer sp.Close()
	if sp.Size == 0 {
		return nil, &importer.Error{File: name, Kind: importer.KindEmpty, Reason: "the file is empty"}
	}
	head, err := sp.Head(detectBytes)
	if err != nil {
		return nil, err
	}
	var res *importer.Result
	var cols *SavedColumns
	if archive.IsZip(head) && opt.Format == "" {
		res, err = im.parseArchive(name, sp, progress)
	} else {
		var f importer.Format
		if f, err = im.chooseFor(ctx, p, name, head, opt.Format); err != nil {
			return nil, err
		}
		switch {
		case f.Name == MappingFormat:
			res, cols, err = im.parseBank(ctx, p, name, head, sp, opt.Mapping, progress)
		case f.Stream != nil:
			return im.stream(ctx, p, named(src, name), name, f, sp, original(name, sp), progress)
		default:
			res, err = parseAs(f, name, sp.Reader(), progress)
		}
	}
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 && len(res.Series) == 0 && res.Skipped == 0 {
		res.Notes = append(res.Notes, "the file holds no data")
	}
	rep, err := Store(ctx, im.g, p, named(src, name), "", res, original(name, sp))
	if rep != nil {
		rep.Columns = cols
	}
	return rep, err
}

// original is the spooled file kept as the import's file document.
func original(name string, sp *Spooled) *Original {
	mt := mime.TypeByExtension(filepath.Ext(name))
	if mt == "" {
		mt = "application/octet-stream"
	}
	return &Original{Name: filepath.Base(name), MediaType: mt, SHA256: sp.SHA256, Content: sp.Reader()}
}

// named is src named after the file when it has no name of its own.
func named(src store.Source, name string) store.Source {
	if src.Name == "" {
		src.Name = filepath.Base(name)
	}
	return src
}

// detectBytes is how much of a file format detection looks at.
const detectBytes = 8192

// parse detects (unless format is given) and parses one file; head is its first bytes.
func (im *Importer) parse(name string, head []byte, r io.Reader, format string, progress func(int64)) (*importer.Result, error) {
	f, err := im.pick(head, name, format)
	if err != nil {
		return nil, err
	}
	return parseAs(f, name, r, progress)
}

// pick is the format named, or else the one detected from the file's head.
func (im *Importer) pick(head []byte, name, format string) (importer.Format, error) {
	if format != "" {
		return im.byName(format)
	}
	return im.Detect(head, name)
}

// parseAs parses one file as the format f.
func parseAs(f importer.Format, name string, r io.Reader, progress func(int64)) (*importer.Result, error) {
	res, err := f.Parse(&counting{r: r, fn: progress})
	if err != nil {
		return nil, importer.InFormat(f.Name, importer.InFile(name, err))
	}
	if res.Format == "" {
		res.Format = f.Name
	}
	return res, nil
}

// parseArchive parses every file of a zip archive that is in a known format and merges
// what they hold, so that the archive is imported whole or not at all. Each file is parsed as
// it is expanded, never held whole.
func (im *Importer) parseArchive(name string, sp *Spooled, progress func(int64)) (*importer.Result, error) {
	a, err := archive.Open(sp, sp.Size)
	if err != nil {
		return nil, importer.InFile(name, err)
	}
	m := newMerge()
	err = a.Expand(func(entry string, r io.Reader) error {
		br := bufio.NewReaderSize(r, detectBytes)
		head, err := br.Peek(detectBytes)
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		res, err := im.parse(name+"/"+entry, head, br, "", nil)
		var unknown *importer.Error
		if errors.As(err, &unknown) && unknown.Kind == importer.KindUnknownFormat {
			m.all.Notes = append(m.all.Notes, entry+": not in a format selfdata reads; left out")
			return nil
		}
		if err != nil {
			return err
		}
		for i := range res.LeftOut {
			res.LeftOut[i].File = input.CutMessage(entry) // a record's place names its file in the archive
		}
		m.add(res)
		return nil
	})
	if err != nil {
		var located *importer.Error
		if errors.As(err, &located) && located.File != "" {
			return nil, err // a file of the archive, already named archive/file
		}
		return nil, importer.InFile(name, err)
	}
	if progress != nil {
		progress(sp.Size)
	}
	if len(m.formats) == 0 {
		return nil, &importer.Error{File: name, Kind: importer.KindUnknownFormat, Format: "zip", Reason: "no file of this archive is in a format selfdata reads"}
	}
	m.all.Format = "zip (" + strings.Join(m.formats, ", ") + ")"
	return m.all, nil
}

// merge gathers the results of an archive's files into one. A record that several files
// hold (the same meter in two years' exports) is kept once, as the last file has it, which
// is what importing the files one after the other would leave.
type merge struct {
	all     *importer.Result
	formats []string
	at      map[[2]string]int // doctype and key → index in all.Records
}

func newMerge() *merge {
	return &merge{all: &importer.Result{Format: "zip"}, at: map[[2]string]int{}}
}

func (m *merge) add(res *importer.Result) {
	m.formats = append(m.formats, res.Format)
	for _, r := range res.Records {
		k := [2]string{r.Doctype, r.Key}
		if i, ok := m.at[k]; ok && r.Key != "" {
			m.all.Records[i] = r
			continue
		}
		m.at[k] = len(m.all.Records)
		m.all.Records = append(m.all.Records, r)
	}
	m.all.Series = append(m.all.Series, res.Series...)
	m.all.Skipped += res.Skipped
	m.all.Notes = append(m.all.Notes, res.Notes...)
	for _, l := range res.LeftOut {
		m.all.Leave(l)
	}
	m.all.LeftOutMore += res.LeftOutMore
}

// counting reports the bytes read so far.
type counting struct {
	r  io.Reader
	n  int64
	fn func(int64)
}

func (c *counting) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.fn != nil {
		c.fn(c.n)
	}
	return n, err
}
