package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"selfdata/internal/restore"
	"selfdata/internal/store"
)

// orgCmd: selfdata org add|list|show|remove — the organizations that restore data.
func orgCmd(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return errors.New("give a subcommand: add, list, show ID or remove ID")
	}
	fs := newFlags("org "+args[0], e)
	var sf storeFlags
	sf.register(fs, "data")
	var o store.Organization
	var purposes, purposesFR, doctypes, recipients, recipientsFR string
	fs.StringVar(&o.ID, "id", "", "add: short identifier, e.g. enedis")
	fs.StringVar(&o.Name, "name", "", "add: name shown to people")
	fs.StringVar(&o.Website, "website", "", "add: website")
	fs.StringVar(&o.Contact, "contact", "", "add: contact address")
	fs.StringVar(&o.DPO, "dpo", "", "add: data protection officer's contact")
	fs.StringVar(&purposes, "purposes", "", "add: purposes of the processing, in English, separated by ';'")
	fs.StringVar(&purposesFR, "purposes-fr", "", "add: the same purposes in French, in the same order")
	fs.StringVar(&o.Declaration.LegalBasis, "legal-basis", "", "add: GDPR Art. 6 basis: "+strings.Join(store.LegalBases, ", "))
	fs.StringVar(&doctypes, "doctypes", "", "add: doctypes it restores, separated by ','")
	fs.StringVar(&o.Declaration.Retention, "retention", "", "add: how long it keeps the data, in English, e.g. '3 years after the end of the contract'")
	fs.StringVar(&o.Declaration.RetentionFR, "retention-fr", "", "add: the same in French, e.g. '3 ans après la fin du contrat'")
	fs.StringVar(&recipients, "recipients", "", "add: who else receives the data, in English, separated by ';'")
	fs.StringVar(&recipientsFR, "recipients-fr", "", "add: the same recipients in French, in the same order")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	st, reg, err := sf.openIndexed(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	orgs := restore.NewOrgs(st, reg)
	switch {
	case args[0] == "add" && len(pos) == 0:
		o.Declaration.Purposes, o.Declaration.PurposesFR = split(purposes, ";"), split(purposesFR, ";")
		o.Declaration.Doctypes = split(doctypes, ",")
		o.Declaration.Recipients, o.Declaration.RecipientsFR = split(recipients, ";"), split(recipientsFR, ";")
		if err := untranslated(o.Untranslated()); err != nil {
			return err
		}
		key, err := orgs.Add(ctx, o)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, key)
		fmt.Fprintf(e.stderr, "organization %s added; its key (above) is shown once and stored only as a hash\n", o.ID)
		return nil
	case args[0] == "list" && len(pos) == 0:
		list, err := orgs.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tLEGAL BASIS\tDOCTYPES")
		for _, o := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", o.ID, o.Name, o.Declaration.LegalBasis, strings.Join(o.Declaration.Doctypes, ","))
		}
		return tw.Flush()
	case args[0] == "show" && len(pos) == 1:
		o, err := orgs.Get(ctx, pos[0])
		if err != nil {
			return err
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(o)
	case args[0] == "remove" && len(pos) == 1:
		if err := orgs.Remove(ctx, pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "removed organization %s and its connections (the data it restored stays with the people it belongs to)\n", pos[0])
		return nil
	}
	return fmt.Errorf("unknown use of org %s; see selfdata help", strings.Join(args, " "))
}

func split(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// untranslated refuses a registration whose texts for people are given in one language
// only, naming the flag of each one missing. People read these texts on pages in French
// or English, so the operator gives both (the admin API asks the same, see web.untranslated).
func untranslated(gaps []store.TextGap) error {
	var msgs []string
	for _, g := range gaps {
		field := g.Path[strings.LastIndex(g.Path, "/")+1:]
		msgs = append(msgs, "--"+strings.ReplaceAll(field, "_", "-")+": "+g.Message)
	}
	if len(msgs) == 0 {
		return nil
	}
	return errors.New("texts people read are given in English and French; " + strings.Join(msgs, "; "))
}
