package restore

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"

	"selfdata/internal/importer"
	"selfdata/internal/importer/archive"
	"selfdata/internal/store"
)

// zipBuilder writes an archive in a test. Raw entries are compressed once and written as
// many times as needed, so that a bomb of a gigabyte costs the test a megabyte.
type zipBuilder struct {
	t   *testing.T
	buf bytes.Buffer
	zw  *zip.Writer
}

func newZip(t *testing.T) *zipBuilder {
	z := &zipBuilder{t: t}
	z.zw = zip.NewWriter(&z.buf)
	return z
}

// file adds an entry, deflated.
func (z *zipBuilder) file(name string, content []byte) *zipBuilder {
	w, err := z.zw.Create(name)
	if err != nil {
		z.t.Fatal(err)
	}
	w.Write(content)
	return z
}

// raw adds an entry of already deflated bytes, declaring the given expanded size and CRC
// (which a hostile archive is free to lie about).
func (z *zipBuilder) raw(name string, d deflated, declared uint64) *zipBuilder {
	w, err := z.zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: d.crc, CompressedSize64: uint64(len(d.data)), UncompressedSize64: declared})
	if err != nil {
		z.t.Fatal(err)
	}
	w.Write(d.data)
	return z
}

func (z *zipBuilder) bytes() []byte {
	if err := z.zw.Close(); err != nil {
		z.t.Fatal(err)
	}
	return z.buf.Bytes()
}

type deflated struct {
	data []byte
	crc  uint32
	size uint64 // what it truly expands to
}

// deflate compresses n bytes made by fill, one block at a time.
func deflate(t *testing.T, n int, block []byte) deflated {
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	h := crc32.NewIEEE()
	for left := n; left > 0; left -= len(block) {
		b := block[:min(left, len(block))]
		fw.Write(b)
		h.Write(b)
	}
	fw.Close()
	return deflated{data: buf.Bytes(), crc: h.Sum32(), size: uint64(n)}
}

// digits is n pseudo-random decimal digits and newlines: data that deflates about 2 times.
func digits(n int) []byte {
	r := rand.New(rand.NewPCG(7, 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
		if i%32 == 31 {
			b[i] = '\n'
		}
	}
	return b
}

// allocated is how many bytes fn allocated: a refusal from the central directory allocates
// next to nothing, an expansion at least what it expands.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestArchiveBombs: archives past a bound are refused with an error naming the entry and the
// bound, write nothing, and — except where only expanding can tell — are refused from their
// central directory, before anything is expanded (what they allocate shows it). Each archive
// also holds a good water CSV, so that only the bound can refuse it.
func TestArchiveBombs(t *testing.T) {
	good, err := os.ReadFile("../importer/water/testdata/eau-du-grand-lyon.csv")
	if err != nil {
		t.Fatal(err)
	}
	const mib = 1 << 20
	zeros := make([]byte, mib)
	inner := newZip(t).file("eau.csv", good).bytes()
	tests := []struct {
		name      string
		zip       func(t *testing.T) []byte
		entry     string // prefix of the entry the refusal names; "" for the archive as a whole
		reason    string
		expanding bool // only expanding can tell: allocations are not bounded by the directory
	}{
		{"the probe's bomb: 1,000 entries of 1 MiB of zeros", func(t *testing.T) []byte {
			z, d := newZip(t).file("eau.csv", good), deflate(t, mib, zeros)
			for i := range 1000 {
				z.raw(fmt.Sprintf("zeros-%04d.csv", i), d, d.size)
			}
			return z.bytes()
		}, "zeros-0000.csv", "at most 100 times", false},
		{"entries of an ordinary ratio adding up past the total", func(t *testing.T) []byte {
			z, d := newZip(t).file("eau.csv", good), deflate(t, 128<<10, digits(128<<10))
			for i := range 100 { // 12.5 MiB, in 5.7 MB
				z.raw(fmt.Sprintf("part-%04d.txt", i), d, d.size)
			}
			return z.bytes()
		}, "part-", fmt.Sprintf("at most %d MiB", archive.MaxTotalBytes>>20), false},
		{"small entries of a huge ratio, each under the ratio floor", func(t *testing.T) []byte {
			z, d := newZip(t).file("eau.csv", good), deflate(t, 32<<10, zeros)
			for i := range 150 { // 4.7 MiB
				z.raw(fmt.Sprintf("small-%04d.csv", i), d, d.size)
			}
			return z.bytes()
		}, "", "the archive expands", false},
		{"one entry of a huge ratio", func(t *testing.T) []byte {
			d := deflate(t, 256*mib, zeros)
			return newZip(t).file("eau.csv", good).raw("zeros.csv", d, d.size).bytes()
		}, "zeros.csv", "at most 100 times", false},
		{"a header lying about the expanded size", func(t *testing.T) []byte {
			d := deflate(t, 64*mib, zeros)
			return newZip(t).file("eau.csv", good).raw("more.csv", d, 1000).bytes()
		}, "more.csv", "more than the 1000 bytes its header declares", true},
		{"a zip in the zip", func(t *testing.T) []byte {
			return newZip(t).file("eau.csv", good).file("inner.zip", inner).bytes()
		}, "inner.zip", "archives are opened 1 level deep", false},
		{"a zip in the zip under another name", func(t *testing.T) []byte {
			return newZip(t).file("eau.csv", good).file("releves.csv", inner).bytes()
		}, "releves.csv", "archives are opened 1 level deep", true},
		{"more entries than allowed", func(t *testing.T) []byte {
			z := newZip(t).file("eau.csv", good)
			for i := range archive.MaxEntries {
				z.file(fmt.Sprintf("e%d", i), nil)
			}
			return z.bytes()
		}, "", fmt.Sprintf("at most %d are accepted", archive.MaxEntries), false},
		{"a directory too large to list", func(t *testing.T) []byte {
			// 64,500 entries named in 5 bytes: a directory of 3.3 MB in an archive of 5.5 MB.
			z := newZip(t).file("eau.csv", good)
			for i := range 64_500 {
				if _, err := z.zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("%05x", i), Method: zip.Store}); err != nil {
					t.Fatal(err)
				}
			}
			return z.bytes()
		}, "", "list of files is larger than", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, db, p := setup(t)
			content := tt.zip(t)
			var err error
			n := allocated(func() {
				_, err = im.File(ctx, p, upload("export.zip"), "export.zip", bytes.NewReader(content), "", nil)
			})
			var ie *importer.Error
			if !errors.As(err, &ie) || ie.File != "export.zip" || !strings.HasPrefix(ie.Element, tt.entry) || (tt.entry == "") != (ie.Element == "") || !strings.Contains(ie.Reason, tt.reason) {
				t.Fatalf("error = %#v (%v); want file export.zip, entry %q, reason with %q", ie, err, tt.entry, tt.reason)
			}
			if hs, _ := db.Holdings(ctx, p.Instance, store.Visible{All: true}); len(hs) != 0 {
				t.Fatalf("a refused archive wrote %+v", hs)
			}
			t.Logf("refused after allocating %d KiB: %v", n>>10, err)
			if limit := uint64(32 << 20); !tt.expanding && n > limit {
				t.Errorf("refusing it allocated %d MiB: more than listing a directory takes (%d MiB)", n>>20, limit>>20)
			}
		})
	}
}

// TestArchiveAtTheBounds: an archive just inside every bound is imported, its office
// documents (zips inside, documents to the person) left out rather than taken for nested
// archives, and a record two of its files hold (the same meter) kept once.
func TestArchiveAtTheBounds(t *testing.T) {
	good, err := os.ReadFile("../importer/water/testdata/eau-du-grand-lyon.csv")
	if err != nil {
		t.Fatal(err)
	}
	im, _, p := setup(t)
	sheet := newZip(t).file("xl/workbook.xml", []byte("<workbook/>")).bytes()
	z := newZip(t).file("2024/eau.csv", good).file("2025/eau.csv", good).file("releve.xlsx", sheet)
	filler := deflate(t, 1<<20, digits(1<<20))
	for i := range archive.MaxTotalBytes>>20 - 1 {
		z.raw(fmt.Sprintf("filler-%02d.txt", i), filler, filler.size)
	}
	rep, err := im.File(ctx, p, upload("export.zip"), "export.zip", bytes.NewReader(z.bytes()), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(rep.Notes, "|")
	if rep.Created != 1 || rep.ReadingsAdded != 179 || !strings.Contains(notes, "releve.xlsx: not in a format") || !strings.Contains(notes, "filler-00.txt") {
		t.Fatalf("report %+v", rep)
	}
}
