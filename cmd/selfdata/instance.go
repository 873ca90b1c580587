package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"text/tabwriter"

	"selfdata/internal/auth"
)

// validName: instance names are what people type to log in; keep them simple.
var validName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

func instanceCmd(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return errors.New("give a subcommand: create NAME, list, erase NAME, export NAME -o FILE or import FILE [--as NAME]")
	}
	if args[0] == "export" {
		return instanceExport(ctx, args[1:], e)
	}
	if args[0] == "import" {
		return instanceImport(ctx, args[1:], e)
	}
	fs := newFlags("instance "+args[0], e)
	var sf storeFlags
	sf.register(fs, "data")
	generate := fs.Bool("generate", false, "create: generate the passphrase and print it instead of reading it from stdin")
	yes := fs.Bool("yes", false, "erase: do not ask to type the name again")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	switch {
	case args[0] == "create" && len(pos) == 1:
		name := pos[0]
		if !validName.MatchString(name) {
			return fmt.Errorf("instance name %q: use 1 to 63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit", name)
		}
		pass, generated, err := passphrase(e, *generate)
		if err != nil {
			return err
		}
		hash, err := auth.HashPassphrase(pass)
		if err != nil {
			return err
		}
		in, err := st.CreateInstance(ctx, name, hash)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "created instance %s (%s)\n", in.Name, in.ID)
		if generated {
			fmt.Fprintf(e.stdout, "passphrase: %s\n(shown once: give it to the person; it is stored only as a hash)\n", pass)
		}
		return nil
	case args[0] == "list" && len(pos) == 0:
		list, err := st.ListInstances(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tID\tCREATED")
		for _, in := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", in.Name, in.ID, in.Created.Format("2006-01-02 15:04"))
		}
		return tw.Flush()
	case (args[0] == "erase" || args[0] == "delete") && len(pos) == 1:
		return instanceErase(ctx, st, pos[0], *yes, e)
	}
	return fmt.Errorf("unknown use of instance %s; see selfdata help", strings.Join(args, " "))
}

// passphrase reads the passphrase from stdin (first line) when it is not a terminal, and
// generates one otherwise or when asked, so that nothing secret appears in a command line.
func passphrase(e env, generate bool) (pass string, generated bool, err error) {
	if f, ok := e.stdin.(*os.File); ok && !generate {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			generate = true
		}
	}
	if generate {
		p, err := auth.GeneratePassphrase()
		return p, true, err
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", false, errors.New("no passphrase on stdin (pipe one line, or use --generate)")
	}
	pass = strings.TrimRight(line, "\r\n")
	return pass, false, auth.CheckPassphrase(pass)
}
