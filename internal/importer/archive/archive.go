// Package archive opens the zip files organizations hand out (a Google Takeout, a bank's
// export of several statements) with limits that keep a hostile archive harmless: no entry
// may name a path outside the archive, and the uncompressed size, the compression ratio and
// the number of entries are bounded, so that a compression bomb is refused before it is
// expanded.
package archive

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"selfdata/internal/importer"
)

// Limits of what an archive may expand to.
const (
	MaxEntries    = 10_000
	MaxTotalBytes = 1 << 30 // 1 GiB uncompressed in all
	MaxRatio      = 200     // uncompressed/compressed, for entries over 1 MiB
)

// Entry is one file of an archive.
type Entry struct {
	Name    string
	Content []byte
}

// IsZip tells whether content starts like a zip archive.
func IsZip(head []byte) bool { return bytes.HasPrefix(head, []byte("PK\x03\x04")) }

// Open lists the files of a zip archive, refusing unsafe names and bombs.
func Open(content []byte) ([]Entry, error) {
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return nil, &importer.Error{Reason: "the zip archive is damaged: " + err.Error()}
	}
	if len(zr.File) > MaxEntries {
		return nil, &importer.Error{Reason: fmt.Sprintf("the archive holds %d files; at most %d are accepted", len(zr.File), MaxEntries)}
	}
	var out []Entry
	var total uint64
	for _, f := range zr.File {
		if err := checkName(f.Name); err != nil {
			return nil, err
		}
		if f.FileInfo().IsDir() {
			continue
		}
		total += f.UncompressedSize64
		if total > MaxTotalBytes {
			return nil, &importer.Error{Element: f.Name, Reason: fmt.Sprintf("the archive expands to more than %d MiB; refused", MaxTotalBytes>>20)}
		}
		if f.UncompressedSize64 > 1<<20 && f.UncompressedSize64 > MaxRatio*max(f.CompressedSize64, 1) {
			return nil, &importer.Error{Element: f.Name, Reason: "this entry is compressed more than 200 times: refused as a likely compression bomb"}
		}
		b, err := read(f)
		if err != nil {
			return nil, &importer.Error{Element: f.Name, Reason: err.Error()}
		}
		out = append(out, Entry{Name: f.Name, Content: b})
	}
	return out, nil
}

// checkName refuses absolute paths and paths climbing out of the archive.
func checkName(name string) error {
	n := strings.ReplaceAll(name, "\\", "/")
	drive := len(n) > 1 && n[1] == ':'
	if strings.HasPrefix(n, "/") || drive || slices.Contains(strings.Split(n, "/"), "..") {
		return &importer.Error{Element: name, Reason: "an entry's path points outside the archive: refused"}
	}
	return nil
}

// read expands one entry, never past the size it declares (a lying header is caught).
func read(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, int64(f.UncompressedSize64)+1))
	if err != nil {
		return nil, err
	}
	if uint64(len(b)) > f.UncompressedSize64 {
		return nil, fmt.Errorf("the entry is larger than its header says: refused")
	}
	return b, nil
}
