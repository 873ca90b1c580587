package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"selfdata/internal/consent"
	"selfdata/internal/gate"
	"selfdata/internal/rights/export"
)

// instanceExport: selfdata instance export NAME -o FILE — the person's whole store as one zip
// archive (internal/rights/export), for the operator to hand over. It is the person's own
// read of everything, and their access log says so. The archive is written beside FILE and
// renamed when complete, so that a failed export never leaves a file that looks whole.
func instanceExport(ctx context.Context, args []string, e env) error {
	fs := newFlags("instance export", e)
	var sf storeFlags
	sf.register(fs, "data")
	out := fs.String("o", "", "the zip file to write")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		return errors.New("use: selfdata instance export NAME -o FILE")
	}
	st, reg, err := sf.openIndexed(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	in, err := st.Instance(ctx, pos[0])
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), "."+filepath.Base(*out)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, nothing is there any more
	bar := newExportBar(e.stderr)
	x := &export.Exporter{Gate: gate.New(st, reg), Grants: consent.NewGrants(st, reg), Instances: st}
	m, err := x.Write(ctx, gate.Owner(in.ID), tmp, bar.update)
	bar.done()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), *out)
	}
	if err != nil {
		return err
	}
	c := m.Counts
	fmt.Fprintf(e.stdout, "exported %s to %s: %d documents, %d series (%d readings), %d files (%d bytes), %d access-log entries (head %s)\n",
		in.Name, *out, c.Documents, c.Series, c.Readings, c.Files, c.FileBytes, c.LogEntries, m.AccessLog.Hash)
	return nil
}

// exportBar draws a one-line bar of the records exported when stderr is a terminal.
type exportBar struct {
	w     io.Writer
	verb  string // what the bar shows it is doing: "exporting" when empty
	last  time.Time
	shown bool
}

func newExportBar(w io.Writer) *exportBar {
	if f, ok := w.(*os.File); !ok {
		return &exportBar{}
	} else if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return &exportBar{}
	}
	return &exportBar{w: w}
}

func (b *exportBar) update(done, total int64) {
	if b.w == nil || total == 0 || time.Since(b.last) < 100*time.Millisecond {
		return
	}
	b.last, b.shown = time.Now(), true
	pct := float64(done) / float64(total)
	const width = 30
	filled := min(width, int(pct*width))
	verb := b.verb
	if verb == "" {
		verb = "exporting"
	}
	fmt.Fprintf(b.w, "\r%s [%s%s] %3.0f%%", verb, strings.Repeat("#", filled), strings.Repeat(" ", width-filled), pct*100)
}

func (b *exportBar) done() {
	if b.shown {
		fmt.Fprintf(b.w, "\r%s\r", strings.Repeat(" ", 50))
	}
}
