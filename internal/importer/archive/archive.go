// Package archive opens the zip files organizations hand out (a Google Takeout, a bank's
// export of several statements) so that a hostile archive stays harmless. Its central
// directory is checked against the bounds below before a byte is expanded: no entry may name
// a path outside the archive, and the number of entries, the expanded size, the compression
// ratio of each entry and of the whole, and nesting are bounded. The same bounds are then
// enforced on the bytes actually inflated, because a directory can lie about sizes: an entry
// stops at the size it declares, the archive at its total.
package archive

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"selfdata/internal/importer"
)

// The bounds of an archive. An archive is parsed whole into one import, held in memory until
// its transaction commits, so what it may expand to is what one import may hold; the ratios
// tell a bomb from data, whatever its size.
const (
	// MaxEntries is the most files an archive may list: a bank's monthly statements over
	// decades, or a Takeout folder of exports, hold hundreds. Each listed file costs about
	// 250 bytes of memory while the archive is open.
	MaxEntries = 10_000
	// MaxDirectoryBytes bounds the central directory, which archive/zip reads whole into
	// memory before anyone can count its entries (about five times its size, at 46 bytes per
	// entry at least): 3 MiB is MaxEntries with names and extras of 270 bytes each, and
	// costs at most about 16 MiB to list.
	MaxDirectoryBytes = 3 << 20
	// MaxTotalBytes is the most all files of an archive may expand to, declared and inflated:
	// the expanded files are parsed into one import, held in memory until it commits, so an
	// archive may expand to what one file may be (importer.MaxFileBytes, where the numbers
	// are).
	MaxTotalBytes = importer.MaxFileBytes
	// MaxRatio is the most an entry, or the archive as a whole, may expand per compressed
	// byte. Real exports deflate 2 to 35 times (the most is a GRDF JSON of daily readings, at
	// its best compression); deflate's own ceiling is about 1,030 (zeros), which is what a
	// bomb is made of. 100 leaves real data three times the room it needs.
	MaxRatio = 100
	// RatioFloor is the size under which ratios are not judged: a few kilobytes of repeated
	// headers or blank lines compress hundreds of times and harm no one. Small entries still
	// count towards the whole archive's ratio, once the archive passes the floor.
	RatioFloor = 64 << 10
	// MaxDepth is how deep archives are opened: an archive inside the archive (the classic
	// way to multiply a bomb) is refused, not expanded.
	MaxDepth = 1
)

// IsZip tells whether content starts like a zip archive.
func IsZip(head []byte) bool { return bytes.HasPrefix(head, []byte("PK\x03\x04")) }

// Archive is a zip archive whose central directory is within the bounds.
type Archive struct {
	files []*zip.File // the regular files, in the directory's order
}

// Open reads the central directory of the zip archive r (size bytes) and checks it against
// the bounds; nothing is expanded yet.
func Open(r io.ReaderAt, size int64) (*Archive, error) {
	budget := &directoryBudget{r: r, left: MaxDirectoryBytes + directoryEndBytes}
	zr, err := zip.NewReader(budget, size)
	budget.left = -1 // what follows reads entries, bounded by their own checks
	if budget.exceeded {
		return nil, limitError("", Bound{Name: BoundDirectory, Limit: MaxDirectoryBytes >> 20}, fmt.Sprintf("the archive's list of files is larger than %d MiB; at most %d MiB (about %d files) is accepted", MaxDirectoryBytes>>20, MaxDirectoryBytes>>20, MaxEntries))
	}
	if err != nil {
		return nil, &importer.Error{Reason: "the zip archive is damaged: " + err.Error()}
	}
	if len(zr.File) > MaxEntries {
		return nil, limitError("", Bound{Name: BoundEntries, Limit: MaxEntries}, fmt.Sprintf("the archive lists %d files; at most %d are accepted", len(zr.File), MaxEntries))
	}
	a := &Archive{}
	var total, compressed uint64
	for _, f := range zr.File {
		if err := checkName(f.Name); err != nil {
			return nil, err
		}
		if f.FileInfo().IsDir() {
			continue
		}
		if err := checkEntry(f); err != nil {
			return nil, err
		}
		total += f.UncompressedSize64
		compressed += f.CompressedSize64
		if total > MaxTotalBytes {
			return nil, limitError(f.Name, Bound{Name: BoundTotal, Limit: MaxTotalBytes >> 20}, fmt.Sprintf("with this file the archive expands to more than %d MiB; at most %d MiB is accepted", MaxTotalBytes>>20, MaxTotalBytes>>20))
		}
		a.files = append(a.files, f)
	}
	if r := ratio(total, compressed); total >= RatioFloor && r > MaxRatio {
		return nil, limitError("", Bound{Name: BoundRatio, Limit: MaxRatio}, fmt.Sprintf("the archive expands %d times its compressed size; at most %d times is accepted (more is the mark of a compression bomb)", r, MaxRatio))
	}
	return a, nil
}

// checkEntry applies the bounds of one entry that its directory record shows.
func checkEntry(f *zip.File) error {
	if isArchiveName(f.Name) {
		return nestedError(f.Name)
	}
	if r := ratio(f.UncompressedSize64, f.CompressedSize64); f.UncompressedSize64 >= RatioFloor && r > MaxRatio {
		return limitError(f.Name, Bound{Name: BoundRatio, Limit: MaxRatio}, fmt.Sprintf("this file expands %d times its compressed size; at most %d times is accepted (more is the mark of a compression bomb)", r, MaxRatio))
	}
	return nil
}

// ratio is expanded/compressed, rounded down, with an empty compressed size counted as 1.
func ratio(expanded, compressed uint64) uint64 { return expanded / max(compressed, 1) }

// Expand calls fn with each file of the archive in turn, as a reader of its expanded bytes.
// The reader fails with an *importer.Error naming the file once the file passes the size its
// directory record declares, once the archive passes MaxTotalBytes, or when it turns out to
// be an archive itself; fn returning an error stops the expansion with it. fn need not read
// a file to its end.
func (a *Archive) Expand(fn func(name string, r io.Reader) error) error {
	var total uint64
	for _, f := range a.files {
		if err := expandOne(f, &total, fn); err != nil {
			return err
		}
	}
	return nil
}

// expandOne hands one file to fn. A bound passed while fn reads is the error returned, even
// if fn, which saw it as a read error, reported it otherwise (as a parser's "line 12: ...").
func expandOne(f *zip.File, total *uint64, fn func(name string, r io.Reader) error) error {
	rc, err := f.Open()
	if err != nil {
		return &importer.Error{Element: f.Name, Reason: "this file of the archive cannot be read: " + err.Error()}
	}
	defer rc.Close()
	b := &bounded{r: rc, name: f.Name, declared: f.UncompressedSize64, total: total}
	br := bufio.NewReader(b)
	if head, _ := br.Peek(4); IsZip(head) && !isDocumentName(f.Name) {
		return nestedError(f.Name)
	}
	err = fn(f.Name, br)
	if b.err != nil {
		return b.err
	}
	return err
}

// bounded counts the bytes inflated from one entry and stops at its bounds: the size the
// entry declares (so a lying header is caught at the first byte past it, not at the end of
// the bomb) and what is left of the archive's total.
type bounded struct {
	r        io.Reader
	name     string
	declared uint64
	n        uint64  // bytes of this entry so far
	total    *uint64 // bytes of the whole archive so far
	err      error   // the bound passed, once it is
}

func (b *bounded) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	// Ask for at most one byte past the nearer bound, so that passing it is seen at once.
	room := min(b.declared-b.n, MaxTotalBytes-*b.total) + 1
	if uint64(len(p)) > room {
		p = p[:room]
	}
	n, err := b.r.Read(p)
	b.n += uint64(n)
	*b.total += uint64(n)
	switch {
	case b.n > b.declared, errors.Is(err, zip.ErrFormat): // archive/zip's own size check
		b.err = limitError(b.name, Bound{Name: BoundDeclared, Limit: int64(b.declared)}, fmt.Sprintf("this file expands to more than the %d bytes its header declares: refused", b.declared))
	case *b.total > MaxTotalBytes:
		b.err = limitError(b.name, Bound{Name: BoundTotal, Limit: MaxTotalBytes >> 20}, fmt.Sprintf("with this file the archive expands to more than %d MiB; at most %d MiB is accepted", MaxTotalBytes>>20, MaxTotalBytes>>20))
	}
	if b.err != nil {
		return 0, b.err
	}
	if err != nil && err != io.EOF {
		return n, &importer.Error{Element: b.name, Reason: "this file of the archive is damaged: " + err.Error()}
	}
	return n, err
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

// isArchiveName tells the names of zip archives, which are refused before anything is
// expanded; an archive under another name is caught by its first bytes while expanding.
func isArchiveName(name string) bool { return strings.EqualFold(ext(name), ".zip") }

// isDocumentName tells office documents and e-books: zip files inside, but documents to the
// person (a statement as a spreadsheet), never opened here, left to the formats to refuse.
func isDocumentName(name string) bool {
	switch strings.ToLower(ext(name)) {
	case ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".epub":
		return true
	}
	return false
}

func ext(name string) string { return path.Ext(strings.ReplaceAll(name, "\\", "/")) }

func nestedError(name string) error {
	return limitError(name, Bound{Name: BoundDepth, Limit: MaxDepth}, fmt.Sprintf("this file is itself an archive; archives are opened %d level deep, so extract it and import its files", MaxDepth))
}

// Bound is the bound an archive went past, carried by the refusal's *importer.Error (as its
// Err) so that a page can say it in the person's language; Limit is the bound in the unit
// the refusal speaks of (MiB for sizes, times for ratios, bytes for a declared size).
type Bound struct {
	Name  string
	Limit int64
}

// The bounds, by name.
const (
	BoundEntries   = "entries"
	BoundDirectory = "directory"
	BoundTotal     = "total"
	BoundRatio     = "ratio"
	BoundDeclared  = "declared" // an entry expanding past the size its header declares
	BoundDepth     = "depth"
)

func (b *Bound) Error() string { return fmt.Sprintf("past the archive bound %q (%d)", b.Name, b.Limit) }

// limitError is the refusal of an archive for going past a bound, naming the entry
// concerned ("" for the archive as a whole).
func limitError(entry string, b Bound, reason string) error {
	return &importer.Error{Element: entry, Reason: reason, Err: &b}
}
