package archive

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"strings"
	"testing"

	"selfdata/internal/importer"
)

func zipOf(t testing.TB, files map[string]string, method uint16) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	zw.Close()
	return buf.Bytes()
}

func open(b []byte) (*Archive, error) { return Open(bytes.NewReader(b), int64(len(b))) }

func (a *Archive) names() []string {
	var out []string
	for _, f := range a.files {
		out = append(out, f.Name)
	}
	return out
}

// expandAll expands every file to its end and returns the bytes each gave.
func expandAll(a *Archive) (map[string]int, error) {
	got := map[string]int{}
	err := a.Expand(func(name string, r io.Reader) error {
		n, err := io.Copy(io.Discard, r)
		got[name] = int(n)
		return err
	})
	return got, err
}

func TestOpen(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string // error substring, or "" for success
	}{
		{"plain", map[string]string{"Takeout/Records.json": `{"locations":[]}`, "a/b.ics": "BEGIN:VCALENDAR"}, ""},
		{"climbing out", map[string]string{"../../etc/passwd": "x"}, "outside the archive"},
		{"climbing out deep", map[string]string{"a/../../b": "x"}, "outside the archive"},
		{"absolute", map[string]string{"/etc/passwd": "x"}, "outside the archive"},
		{"windows drive", map[string]string{"C:\\Windows\\x": "x"}, "outside the archive"},
		{"bomb", map[string]string{"zeros.json": strings.Repeat("0", 4<<20)}, "at most 100 times"},
		{"nested", map[string]string{"a/inner.ZIP": "PK\x03\x04"}, "opened 1 level deep"},
		{"small and repetitive", map[string]string{"blank.csv": strings.Repeat(" ", RatioFloor-1)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := open(zipOf(t, tt.files, zip.Deflate))
			if tt.want == "" {
				if err != nil || len(a.names()) != len(tt.files) {
					t.Fatalf("Open = %v, %v", a, err)
				}
				got, err := expandAll(a)
				for name, body := range tt.files {
					if got[name] != len(body) {
						t.Errorf("%s expanded to %d bytes, want %d (%v)", name, got[name], len(body), err)
					}
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open error = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := open([]byte("PK\x03\x04garbage")); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("damaged zip: %v", err)
	}
	// Stored (uncompressed) large entries are not bombs.
	if _, err := open(zipOf(t, map[string]string{"big.csv": strings.Repeat("x", 2<<20)}, zip.Store)); err != nil {
		t.Fatalf("stored entry: %v", err)
	}
	if !IsZip(zipOf(t, map[string]string{"a": "b"}, zip.Store)) || IsZip([]byte("OFXHEADER")) {
		t.Fatal("IsZip")
	}
}

// TestExpandStopsAtTheBound: an entry whose header declares less than it inflates to is
// cut at the declared size: the reader hands out no byte past it, however big the bomb
// behind, and the error names the entry and the size it declared.
func TestExpandStopsAtTheBound(t *testing.T) {
	var raw bytes.Buffer
	fw, _ := flate.NewWriter(&raw, flate.BestCompression)
	zeros := make([]byte, 1<<20)
	h := crc32.NewIEEE()
	for range 32 {
		fw.Write(zeros)
		h.Write(zeros)
	}
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "liar.csv", Method: zip.Deflate, CRC32: h.Sum32(), CompressedSize64: uint64(raw.Len()), UncompressedSize64: 5000})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw.Bytes())
	zw.Close()
	a, err := open(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var got int64
	err = a.Expand(func(name string, r io.Reader) error {
		got, err = io.Copy(io.Discard, r)
		return errors.New("the parser's own words for a read error")
	})
	var ie *importer.Error
	if !errors.As(err, &ie) || ie.Element != "liar.csv" || !strings.Contains(ie.Reason, "more than the 5000 bytes its header declares") {
		t.Fatalf("error = %v", err)
	}
	if got > 5000 {
		t.Fatalf("the reader handed out %d bytes past the 5000 declared", got)
	}
}

// FuzzOpen: whatever the bytes, Open and Expand never accept an unsafe name nor hand out
// more than an entry declares or the archive's total.
func FuzzOpen(f *testing.F) {
	f.Add([]byte("PK\x03\x04"))
	f.Add(zipOf(f, map[string]string{"a.csv": "compteur;date\n", "b/c.json": "{}"}, zip.Deflate))
	f.Add(zipOf(f, map[string]string{"x.csv": strings.Repeat("0", 1<<16)}, zip.Store))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := open(b)
		if err != nil {
			return
		}
		for _, name := range a.names() {
			if checkName(name) != nil {
				t.Fatalf("accepted unsafe name %q", name)
			}
		}
		declared := map[string]uint64{}
		for _, f := range a.files {
			declared[f.Name] = max(declared[f.Name], f.UncompressedSize64)
		}
		total := 0
		a.Expand(func(name string, r io.Reader) error {
			n, err := io.Copy(io.Discard, r)
			if uint64(n) > declared[name] {
				t.Fatalf("%s gave %d bytes, more than the %d it declares", name, n, declared[name])
			}
			total += int(n)
			return err
		})
		if total > MaxTotalBytes {
			t.Fatalf("expanded %d bytes in all", total)
		}
	})
}
