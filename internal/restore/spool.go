package restore

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// Spooled is an upload copied to a temporary file as it arrives, hashed on the way, so that
// neither the upload nor its parsing holds the file in memory (an upload may be 100 MB; a
// zip must be read out of order) and no transaction stays open while a slow client sends it.
//
// The file lives in os.TempDir ($TMPDIR), as net/http's own multipart spooling does; it is
// unlinked at once where the system allows it (an open file needs no name), so that neither
// another process nor a crash leaves the person's file behind, and otherwise on Close.
type Spooled struct {
	f      *os.File
	name   string // still to remove on Close, "" once unlinked
	Size   int64
	SHA256 string // hex
}

// Spool copies r to a temporary file; it fails with r's own error (an HTTP body's size limit,
// a broken upload) when r does.
func Spool(r io.Reader) (*Spooled, error) {
	f, err := os.CreateTemp("", "selfdata-upload-*")
	if err != nil {
		return nil, fmt.Errorf("spool the upload: %w", err)
	}
	s := &Spooled{f: f, name: f.Name()}
	if os.Remove(f.Name()) == nil {
		s.name = ""
	}
	h := sha256.New()
	s.Size, err = io.Copy(io.MultiWriter(f, h), r)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.SHA256 = hex.EncodeToString(h.Sum(nil))
	return s, nil
}

// Reader reads the upload from its start; each call is independent of the others.
func (s *Spooled) Reader() io.Reader { return io.NewSectionReader(s.f, 0, s.Size) }

// ReadAt reads the upload out of order (a zip's directory, then its entries).
func (s *Spooled) ReadAt(p []byte, off int64) (int, error) { return s.f.ReadAt(p, off) }

// Head is the first n bytes of the upload (fewer if it is shorter).
func (s *Spooled) Head(n int) ([]byte, error) {
	b := make([]byte, min(int64(n), s.Size))
	_, err := s.f.ReadAt(b, 0)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("read the upload: %w", err)
	}
	return b, nil
}

// Close deletes the temporary file.
func (s *Spooled) Close() error {
	err := s.f.Close()
	if s.name != "" {
		os.Remove(s.name)
	}
	return err
}
