package export

import (
	"bytes"
	"errors"
	"testing"
)

// TestAsyncWriter: what goes in comes out whole and in order, across buffers; a failed write
// is reported, by Write once the goroutine has met it and by Close in any case.
func TestAsyncWriter(t *testing.T) {
	var want, got bytes.Buffer
	a := newAsyncWriter(&got)
	for i := range 3000 {
		p := bytes.Repeat([]byte{byte(i)}, i) // 4.5 MB in all, across several buffers
		want.Write(p)
		if _, err := a.Write(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Close(); err != nil || !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("Close = %v; %d bytes out of %d, equal: %v", err, got.Len(), want.Len(), bytes.Equal(got.Bytes(), want.Bytes()))
	}

	full := errors.New("disk full")
	a = newAsyncWriter(failing{full})
	var werr error
	for range 64 { // 64 MiB: far more than the buffers hold, so Write must see the failure
		if _, werr = a.Write(make([]byte, 1<<20)); werr != nil {
			break
		}
	}
	if !errors.Is(werr, full) {
		t.Errorf("Write after a failed write = %v, want %v", werr, full)
	}
	if err := a.Close(); !errors.Is(err, full) {
		t.Errorf("Close = %v, want %v", err, full)
	}
}

type failing struct{ err error }

func (f failing) Write([]byte) (int, error) { return 0, f.err }
