package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"selfdata/internal/auth"
	"selfdata/internal/rights/move"
)

// instanceImport: selfdata instance import FILE [--as NAME] — a person's store brought from
// another server as the archive `instance export` wrote there (internal/rights/move),
// restored into a new instance here with its access log still verifiable. The passphrase is
// read from stdin or generated, as for `instance create`: the person's old one is not in
// the archive. Nothing is left of the instance when the import fails.
func instanceImport(ctx context.Context, args []string, e env) error {
	fs := newFlags("instance import", e)
	var sf storeFlags
	sf.register(fs, "data")
	as := fs.String("as", "", "the new instance's name (the archive's when not given)")
	generate := fs.Bool("generate", false, "generate the passphrase and print it instead of reading it from stdin")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("use: selfdata instance import FILE [--as NAME]")
	}
	if *as != "" && !validName.MatchString(*as) {
		return fmt.Errorf("instance name %q: use 1 to 63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit", *as)
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	pass, generated, err := passphrase(e, *generate)
	if err != nil {
		return err
	}
	hash, err := auth.HashPassphrase(pass)
	if err != nil {
		return err
	}
	st, reg, err := sf.openIndexed(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	bar := newExportBar(e.stderr)
	bar.verb = "importing"
	im := &move.Importer{Store: st, Registry: reg}
	rep, err := im.Import(ctx, f, fi.Size(), move.Options{Name: *as, PassphraseHash: hash, Progress: bar.update})
	bar.done()
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	if !validName.MatchString(rep.Instance.Name) {
		fmt.Fprintf(e.stderr, "warning: the name %q is not one this server gives; the person logs in with it all the same\n", rep.Instance.Name)
	}
	fmt.Fprintf(e.stdout, "imported %s as %s (%s): %d documents, %d series (%d readings), %d files (%d bytes), %d grants, %d access-log entries\n",
		pos[0], rep.Instance.Name, rep.Instance.ID, rep.Documents, rep.Series, rep.Readings, rep.Files, rep.FileBytes, rep.Grants, rep.LogEntries)
	if len(rep.Ended) > 0 {
		var ids []string
		for _, g := range rep.Ended {
			ids = append(ids, g.Service)
		}
		fmt.Fprintf(e.stdout, "%d grants ended: their service is not in this server's catalog (%s)\n", len(rep.Ended), strings.Join(ids, ", "))
	}
	for old, id := range rep.Renamed {
		fmt.Fprintf(e.stdout, "grant %s is %s here: its id was taken\n", old, id)
	}
	if generated {
		fmt.Fprintf(e.stdout, "passphrase: %s\n(shown once: give it to the person; it is stored only as a hash)\n", pass)
	}
	return nil
}
