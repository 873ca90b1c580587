package restore

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"path/filepath"
	"strings"

	"selfdata/internal/gate"
	"selfdata/internal/importer"
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
	return importer.Format{}, fmt.Errorf("unknown format %q; known formats: %s", name, strings.Join(im.Formats(), ", "))
}

// File imports one file for p, from src (an organization, or the person's upload). format
// may be empty to detect it. progress, if set, is told how many bytes the parser has read.
func (im *Importer) File(ctx context.Context, p gate.Principal, src store.Source, name string, r io.Reader, format string, progress func(int64)) (*Report, error) {
	content, err := io.ReadAll(importer.LimitReader(r))
	if err != nil {
		return nil, importer.InFile(name, err)
	}
	var f importer.Format
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
	if rep.Format == "" {
		rep.Format = f.Name
	}
	return rep, nil
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
