package archive

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

func zipOf(t *testing.T, files map[string]string, method uint16) []byte {
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
		{"bomb", map[string]string{"zeros.json": strings.Repeat("0", 4<<20)}, "compression bomb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, err := Open(zipOf(t, tt.files, zip.Deflate))
			if tt.want == "" {
				if err != nil || len(entries) != len(tt.files) {
					t.Fatalf("Open = %d entries, %v", len(entries), err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open error = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := Open([]byte("PK\x03\x04garbage")); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("damaged zip: %v", err)
	}
	// Stored (uncompressed) large entries are not bombs.
	if _, err := Open(zipOf(t, map[string]string{"big.csv": strings.Repeat("x", 2<<20)}, zip.Store)); err != nil {
		t.Fatalf("stored entry: %v", err)
	}
	if !IsZip(zipOf(t, map[string]string{"a": "b"}, zip.Store)) || IsZip([]byte("OFXHEADER")) {
		t.Fatal("IsZip")
	}
}

func FuzzOpen(f *testing.F) {
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, err := Open(b)
		if err != nil {
			return
		}
		for _, e := range entries {
			if checkName(e.Name) != nil {
				t.Fatalf("accepted unsafe name %q", e.Name)
			}
		}
	})
}
