package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/doctype"
	"selfdata/internal/gate"
)

func tokenCmd(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return errors.New("give a subcommand: create, list or revoke")
	}
	fs := newFlags("token "+args[0], e)
	var sf storeFlags
	sf.register(fs, "data")
	instance := fs.String("instance", "", "name of the instance")
	scope := fs.String("scope", "", "create: DOCTYPE:VERBS[,DOCTYPE:VERBS...], e.g. '*:read' or 'bill:read+write'")
	label := fs.String("label", "", "create: what the token is for, shown in the access log")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
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
	switch {
	case args[0] == "create" && len(pos) == 0:
		reg, err := doctype.Builtin()
		if err != nil {
			return err
		}
		scopes, err := gate.ParseScopes(*scope, func(dt string) bool { _, ok := reg.Get(dt); return ok })
		if err != nil {
			return err
		}
		svc, err := auth.NewService(st, 0)
		if err != nil {
			return err
		}
		secret, t, err := svc.CreateToken(ctx, in.ID, gate.FormatScopes(scopes), *label)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, secret)
		fmt.Fprintf(e.stderr, "token %s for %s with scope %s (shown once; stored only as a hash)\n", t.ID, in.Name, t.Scopes)
		return nil
	case args[0] == "list" && len(pos) == 0:
		list, err := st.ListTokens(ctx, in.ID)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSCOPES\tLABEL\tCREATED\tREVOKED")
		for _, t := range list {
			revoked := "-"
			if t.Revoked != nil {
				revoked = t.Revoked.Format("2006-01-02 15:04")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.ID, t.Scopes, t.Label, t.Created.Format("2006-01-02 15:04"), revoked)
		}
		return tw.Flush()
	case args[0] == "revoke" && len(pos) == 1:
		if err := st.RevokeToken(ctx, in.ID, pos[0], time.Now()); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "revoked token %s\n", pos[0])
		return nil
	}
	return fmt.Errorf("unknown use of token %s; see selfdata help", strings.Join(args, " "))
}
