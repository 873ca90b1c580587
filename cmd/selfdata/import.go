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

	"selfdata/internal/gate"
	"selfdata/internal/importer/formats"
	"selfdata/internal/restore"
	"selfdata/internal/store"
)

// importCmd: selfdata import --instance NAME [--format F] FILE...
func importCmd(ctx context.Context, args []string, e env) error {
	fs := newFlags("import", e)
	var sf storeFlags
	sf.register(fs, "data")
	instance := fs.String("instance", "", "name of the instance to import into")
	format := fs.String("format", "", "format of the files (detected from their content when not given): "+strings.Join(formatNames(), ", "))
	columns := fs.String("columns", "", "for a bank's CSV export (--format bank-csv): which column holds what, 0-based, e.g. date=0,label=2,amount=4 (or debit=3,credit=4), with value_date, label2, balance, and the settings header=ROW, comma=semicolon|,|tab||, layout=02/01/2006, decimal=comma|point, currency=EUR, account=...; what is not named is guessed")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *instance == "" || len(files) == 0 {
		return errors.New("usage: selfdata import --instance NAME [--format F] [--columns date=0,label=1,amount=2] FILE...")
	}
	cf, err := parseColumns(*columns)
	if err != nil {
		return err
	}
	if len(cf) > 0 && *format == "" {
		*format = restore.MappingFormat
	}
	st, reg, err := sf.openIndexed(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	in, err := st.Instance(ctx, *instance)
	if err != nil {
		return err
	}
	im := restore.NewImporter(gate.New(st, reg), formats.All())
	// The operator imports on the person's behalf: the access log says so.
	p := gate.Operator(in.ID, "selfdata import")
	failed := 0
	for _, name := range files {
		if err := importOne(ctx, im, p, name, *format, cf, e); err != nil {
			fmt.Fprintf(e.stderr, "%s: refused, nothing written: %v\n", name, explainQuestion(err))
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files refused", failed, len(files))
	}
	return nil
}

func importOne(ctx context.Context, im *restore.Importer, p gate.Principal, name, format string, cf columnFlags, e env) error {
	opt := restore.Options{Format: format}
	if len(cf) > 0 {
		m, err := cf.mapping(name)
		if err != nil {
			return err
		}
		opt.Mapping = m
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	bar := newProgress(e.stderr, filepath.Base(name), size)
	src := store.Source{Kind: "upload", Name: filepath.Base(name), At: time.Now()}
	rep, err := im.FileWith(ctx, p, src, name, f, opt, bar.update)
	bar.done()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %s — %d new, %d updated, %d unchanged records", name, rep.Format, rep.Created, rep.Updated, rep.Unchanged)
	if rep.Series > 0 {
		fmt.Fprintf(e.stdout, "; %d readings in %d series (%d new)", rep.ReadingsReceived, rep.Series, rep.ReadingsAdded)
	}
	if n := rep.Skipped - len(rep.LeftOut) - rep.LeftOutMore; n > 0 { // the records left out are listed below
		fmt.Fprintf(e.stdout, "; %d empty values skipped", n)
	}
	fmt.Fprintln(e.stdout)
	for _, n := range rep.Notes {
		fmt.Fprintf(e.stdout, "  note: %s\n", n)
	}
	if n := len(rep.LeftOut) + rep.LeftOutMore; n > 0 {
		fmt.Fprintf(e.stdout, "  %d record(s) left out, nothing of them written:\n", n)
	}
	for _, l := range rep.LeftOut {
		fmt.Fprintf(e.stdout, "    %s: %s (%s)\n", l.Position(), l.Text, l.Reason)
	}
	if rep.LeftOutMore > 0 {
		fmt.Fprintf(e.stdout, "    and %d more, not listed\n", rep.LeftOutMore)
	}
	return nil
}

func formatNames() []string {
	var out []string
	for _, f := range formats.All() {
		out = append(out, f.Name)
	}
	return out
}

// progress draws a one-line bar for files over 1 MiB when stderr is a terminal.
type progress struct {
	w     io.Writer
	name  string
	size  int64
	last  time.Time
	shown bool
}

func newProgress(w io.Writer, name string, size int64) *progress {
	p := &progress{w: w, name: name, size: size}
	if f, ok := w.(*os.File); !ok || size < 1<<20 {
		p.w = nil
	} else if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		p.w = nil
	}
	return p
}

func (p *progress) update(n int64) {
	if p.w == nil || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last, p.shown = time.Now(), true
	pct := float64(n) / float64(p.size)
	width := 30
	filled := min(width, int(pct*float64(width)))
	fmt.Fprintf(p.w, "\rreading %s [%s%s] %3.0f%%", p.name, strings.Repeat("#", filled), strings.Repeat(" ", width-filled), pct*100)
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 50+len(p.name)))
	}
}
