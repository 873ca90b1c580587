package move

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"selfdata/internal/rights/export"
	"selfdata/internal/store"
)

// maxLine bounds a line of a JSON Lines entry: a document far larger than any the store
// takes is a broken archive, not something to hold in memory.
const maxLine = 64 << 20

// archive is an export being read: its entries by name and its manifest.
type archive struct {
	entries map[string]*zip.File
	m       export.Manifest
}

// openArchive indexes the entries and reads the manifest, refusing what this server cannot
// read: another format, a later version, an entry named twice.
func openArchive(zr *zip.Reader) (*archive, error) {
	a := &archive{entries: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		if _, dup := a.entries[f.Name]; dup {
			return nil, fmt.Errorf("the archive holds %s twice", f.Name)
		}
		a.entries[f.Name] = f
	}
	f, ok := a.entries["manifest.json"]
	if !ok {
		return nil, errors.New("the archive has no manifest.json: it is not a selfdata export")
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	defer rc.Close()
	if err := json.NewDecoder(io.LimitReader(rc, 1<<20)).Decode(&a.m); err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	if a.m.Format != Format {
		return nil, fmt.Errorf("manifest.json: format %q, not %q: it is not a selfdata export", a.m.Format, Format)
	}
	if a.m.Version != Version {
		return nil, fmt.Errorf("manifest.json: version %d of the format; this server reads version %d", a.m.Version, Version)
	}
	if a.m.Instance.ID == "" {
		return nil, errors.New("manifest.json: the instance has no id")
	}
	return a, nil
}

// chainID is the id the archive's log is hashed under: the manifest says it (an instance
// moved before); an archive from before it did is hashed under the instance's id.
func (a *archive) chainID() string {
	if a.m.AccessLog.Chain != "" {
		return a.m.AccessLog.Chain
	}
	return a.m.Instance.ID
}

// has tells whether the archive holds the entry.
func (a *archive) has(name string) bool {
	_, ok := a.entries[name]
	return ok
}

// open opens an entry: reading it to its end checks its CRC-32.
func (a *archive) open(name string) (io.ReadCloser, error) {
	f, ok := a.entries[name]
	if !ok {
		return nil, fmt.Errorf("the archive has no %s", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return rc, nil
}

// lines calls fn on each line of a JSON Lines entry with its number (from 1), streaming; an
// error of fn is returned as that line's.
func (a *archive) lines(name string, fn func(n int, line []byte) error) error {
	rc, err := a.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 256<<10)
	var long []byte
	for n := 1; ; n++ {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) { // a long line: gather it
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
				if len(long) > maxLine {
					return fmt.Errorf("%s line %d: longer than %d bytes", name, n, maxLine)
				}
			}
			line = long
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("%s line %d: %w", name, n, err)
		}
		if len(bytes.TrimSpace(line)) > 0 {
			if ferr := fn(n, line); ferr != nil {
				return fmt.Errorf("%s line %d: %w", name, n, ferr)
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
}

// decode decodes one line strictly: a field this version does not know is a sign of an
// archive it cannot restore whole.
func decode(line []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// verifyChain reads the access log alone, before anything is written, and checks that it is
// the chain the gate wrote and that it ends on the manifest's head: a tampered archive is
// refused with the position where its chain breaks.
func (a *archive) verifyChain() error {
	const name = "access-log.jsonl"
	chainID := a.chainID()
	var entries, last int64
	var prev string
	chained := false
	err := a.lines(name, func(_ int, line []byte) error {
		var c store.ChainedEntry
		if err := decode(line, &c); err != nil {
			return err
		}
		entries++
		if c.Seq <= 0 {
			if chained || c.Hash != "" {
				return fmt.Errorf("position %d: an entry from before the chain after chained ones, or with a hash", c.Seq)
			}
			return nil
		}
		chained = true
		switch {
		case c.Seq != last+1:
			return fmt.Errorf("position %d follows position %d: entries are missing or out of order", c.Seq, last)
		case c.Prev != prev:
			return fmt.Errorf("position %d: its previous hash is not the hash of the entry before it", c.Seq)
		case c.At.UnixMicro() != c.AtMicros:
			return fmt.Errorf("position %d: its time %s is not its at_us %d", c.Seq, c.At.Format("2006-01-02T15:04:05.999999Z07:00"), c.AtMicros)
		case store.ChainHash(chainID, c.Seq, c.Prev, c.AtMicros, c.LogEntry) != c.Hash:
			return fmt.Errorf("position %d: the entry does not match its hash: it was changed", c.Seq)
		}
		last, prev = c.Seq, c.Hash
		return nil
	})
	if err != nil {
		return err
	}
	h := a.m.AccessLog
	switch {
	case entries != h.Entries:
		return fmt.Errorf("%s: %d entries, the manifest says %d", name, entries, h.Entries)
	case last != h.Seq || prev != h.Hash:
		return fmt.Errorf("%s: the chain ends at position %d (%s), not on the manifest's head, position %d (%s): entries were cut or added",
			name, last, short(prev), h.Seq, short(h.Hash))
	}
	return nil
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12] + "…"
	}
	if hash == "" {
		return "none"
	}
	return hash
}

// entryUnder tells whether name is an entry of the folder dir (documents/, series/...).
func entryUnder(name, dir string) bool { return strings.HasPrefix(name, dir) }
