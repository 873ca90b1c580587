package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"selfdata/internal/store"
)

// auditCmd: selfdata audit verify — checks that an access log is what the gate wrote: the
// hash chain of its entries has no altered, inserted or removed entry.
func auditCmd(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return errors.New("give a subcommand: verify --instance NAME")
	}
	fs := newFlags("audit "+args[0], e)
	var sf storeFlags
	sf.register(fs, "data")
	instance := fs.String("instance", "", "name of the instance whose access log to verify")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if args[0] != "verify" || len(pos) != 0 {
		return fmt.Errorf("unknown use of audit %s; see selfdata help", strings.Join(args, " "))
	}
	if *instance == "" {
		return errors.New("--instance NAME is required")
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	in, err := st.Instance(ctx, *instance)
	if err != nil {
		return err
	}
	v, err := st.VerifyLog(ctx, in.ID)
	if err != nil {
		return err
	}
	older := ""
	if v.Unchained > 0 {
		older = fmt.Sprintf(" (%d older entries, written before the log was chained, are not covered)", v.Unchained)
	}
	n := int64(len(v.Problems)) + v.Omitted
	problems := fmt.Sprintf("%d problems", n)
	if n == 1 {
		problems = "1 problem"
	}
	if n == 0 {
		fmt.Fprintf(e.stdout, "access log of %s: %d entries, chain intact%s\n", in.Name, v.Entries, older)
		if v.Head != "" {
			fmt.Fprintf(e.stdout, "head %s (note it elsewhere: it shows a later rewrite of the whole log)\n", v.Head)
		}
		return nil
	}
	fmt.Fprintf(e.stdout, "access log of %s: %d entries, %s%s\n", in.Name, v.Entries, problems, older)
	for _, p := range v.Problems {
		where := fmt.Sprintf("entry %d (position %d)", p.ID, p.Pos)
		switch {
		case p.Kind == store.LogHead:
			where = "the head"
		case p.Kind == store.LogRemoved:
			where = fmt.Sprintf("position %d", p.Pos)
		case p.Pos == 0:
			where = fmt.Sprintf("entry %d", p.ID)
		}
		fmt.Fprintf(e.stdout, "%s: %s: %s\n", where, p.Kind, p.Detail)
	}
	if v.Omitted > 0 {
		fmt.Fprintf(e.stdout, "... and %d more\n", v.Omitted)
	}
	return fmt.Errorf("the access log of %s is not intact: %s", in.Name, problems)
}
