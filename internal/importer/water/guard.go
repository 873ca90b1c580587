package water

import (
	"errors"
	"io"

	"selfdata/internal/importer"
)

// lineGuard counts lines as they are read and fails on a line longer than
// importer.MaxLineBytes, which encoding/csv would otherwise buffer without limit.
type lineGuard struct {
	r    io.Reader
	line int // line of the next byte
	run  int // bytes since the last newline
	err  error
}

var errLineTooLong = errors.New("line too long")

func (g *lineGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	for i, c := range p[:n] {
		if c == '\n' {
			g.line++
			g.run = 0
			continue
		}
		g.run++
		if g.run > importer.MaxLineBytes {
			g.err = errLineTooLong
			return i, g.err
		}
	}
	return n, err
}

// guardErr reports the guard's own failure at its line; other errors pass through, or get
// a line when they have none (a read failure).
func guardErr(g *lineGuard, err error, line int) error {
	if errors.Is(err, errLineTooLong) {
		return importer.Errorf(g.line, "", "line longer than %d MiB", importer.MaxLineBytes>>20)
	}
	var e *importer.Error
	if errors.As(err, &e) {
		return e
	}
	return importer.Errorf(line, "", "reading the file: %v", err)
}
