package restore

import (
	"bytes"
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
	return importer.Format{}, &importer.Error{File: name, Reason: "the format of this file is not one selfdata reads (" + strings.Join(im.Formats(), ", ") + "); if it is one of them, name it with --format"}
}

func (im *Importer) byName(name string) (importer.Format, error) {
	for _, f := range im.formats {
		if f.Name == name {
			return f, nil
		}
	}
	return importer.Format{}, fmt.Errorf("%w: unknown format %q; known formats: %s", store.ErrInvalid, name, strings.Join(im.Formats(), ", "))
}

// File imports one file for p, from src (an organization, or the person's upload). format
// may be empty to detect it. progress, if set, is told how many bytes the parser has read.
func (im *Importer) File(ctx context.Context, p gate.Principal, src store.Source, name string, r io.Reader, format string, progress func(int64)) (*Report, error) {
	content, err := io.ReadAll(importer.LimitReader(r))
	if err != nil {
		return nil, importer.InFile(name, err)
	}
	var res *importer.Result
	if archive.IsZip(content) && format == "" {
		res, err = im.parseArchive(name, content, progress)
	} else {
		res, err = im.parse(name, content, format, progress)
	}
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 && len(res.Series) == 0 && res.Skipped == 0 {
		res.Notes = append(res.Notes, "the file holds no data")
	}
	mt := mime.TypeByExtension(filepath.Ext(name))
	if mt == "" {
		mt = "application/octet-stream"
	}
	base := filepath.Base(name)
	if src.Name == "" {
		src.Name = base
	}
	rep, err := Store(ctx, im.g, p, src, "", res, &Original{Name: base, MediaType: mt, Content: content})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// parse detects (unless format is given) and parses one file.
func (im *Importer) parse(name string, content []byte, format string, progress func(int64)) (*importer.Result, error) {
	var f importer.Format
	var err error
	if format != "" {
		f, err = im.byName(format)
	} else {
		f, err = im.Detect(content[:min(len(content), 8192)], name)
	}
	if err != nil {
		return nil, err
	}
	res, err := f.Parse(&counting{r: bytes.NewReader(content), fn: progress})
	if err != nil {
		return nil, importer.InFile(name, err)
	}
	if res.Format == "" {
		res.Format = f.Name
	}
	return res, nil
}

// parseArchive parses every file of a zip archive that is in a known format and merges
// what they hold, so that the archive is imported whole or not at all.
func (im *Importer) parseArchive(name string, content []byte, progress func(int64)) (*importer.Result, error) {
	entries, err := archive.Open(content)
	if err != nil {
		return nil, importer.InFile(name, err)
	}
	all := &importer.Result{Format: "zip"}
	var formats []string
	for _, e := range entries {
		res, err := im.parse(name+"/"+e.Name, e.Content, "", nil)
		var unknown *importer.Error
		if errors.As(err, &unknown) && strings.HasPrefix(unknown.Reason, "the format of this file") {
			all.Notes = append(all.Notes, e.Name+": not in a format selfdata reads; left out")
			continue
		}
		if err != nil {
			return nil, err
		}
		formats = append(formats, res.Format)
		all.Records = append(all.Records, res.Records...)
		all.Series = append(all.Series, res.Series...)
		all.Skipped += res.Skipped
		all.Notes = append(all.Notes, res.Notes...)
	}
	if progress != nil {
		progress(int64(len(content)))
	}
	if len(formats) == 0 {
		return nil, &importer.Error{File: name, Reason: "no file of this archive is in a format selfdata reads"}
	}
	all.Format = "zip (" + strings.Join(formats, ", ") + ")"
	return all, nil
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
