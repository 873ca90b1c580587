package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"selfdata/internal/consent"
	"selfdata/internal/store"
)

// serviceCmd: selfdata service add|list|show|remove — the catalog of services (re-users)
// that people may grant access to.
func serviceCmd(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return errors.New("give a subcommand: add, list, show ID or remove ID")
	}
	fs := newFlags("service "+args[0], e)
	var sf storeFlags
	sf.register(fs, "data")
	var s store.Service
	var doctypes, verbs string
	fs.StringVar(&s.ID, "id", "", "add: short identifier, also the OAuth client id, e.g. watt")
	fs.StringVar(&s.Name, "name", "", "add: name shown to people")
	fs.StringVar(&s.Company, "company", "", "add: who runs the service (company, association, city)")
	fs.StringVar(&s.Description, "description", "", "add: what the service does for the person, in plain English words")
	fs.StringVar(&s.DescriptionFR, "description-fr", "", "add: the same in French")
	fs.StringVar(&s.PrivacyPolicy, "privacy-policy", "", "add: address of its privacy policy (https)")
	fs.Func("redirect-uri", "add: OAuth redirect URI (https, or http on 127.0.0.1/localhost); repeat or separate by ','", func(v string) error {
		s.RedirectURIs = append(s.RedirectURIs, split(v, ",")...)
		return nil
	})
	fs.StringVar(&doctypes, "doctypes", "", "add: doctypes it asks for, separated by ','")
	fs.StringVar(&verbs, "verbs", "", "add: read, write or read,write")
	fs.StringVar(&s.Access.Purpose, "purpose", "", "add: DPV purpose: "+strings.Join(consent.Purposes, ", "))
	fs.StringVar(&s.Access.LegalBasis, "legal-basis", "", "add: GDPR Art. 6 basis: "+strings.Join(store.LegalBases, ", "))
	fs.StringVar(&s.Access.Retention, "retention", "", "add: how long it keeps what it reads, in English, e.g. 'until the account is closed'")
	fs.StringVar(&s.Access.RetentionFR, "retention-fr", "", "add: the same in French, e.g. 'jusqu'à la clôture du compte'")
	fs.IntVar(&s.Access.RetentionDays, "retention-days", 0, "add: the same in days, when it can be said in days")
	fs.BoolVar(&s.Access.LeavesStore, "leaves-store", false, "add: the data is copied out of the person's store")
	fs.BoolVar(&s.Public, "public", false, "add: a public client (an app on the person's device): no secret, PKCE only")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	st, reg, err := sf.openIndexed(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	services := consent.NewServices(st, reg)
	switch {
	case args[0] == "add" && len(pos) == 0:
		s.Access.Doctypes = split(doctypes, ",")
		s.Access.Verbs = split(verbs, ",")
		if err := untranslated(s.Untranslated()); err != nil {
			return err
		}
		added, secret, err := services.Add(ctx, s)
		if err != nil {
			return err
		}
		if added.Public {
			fmt.Fprintf(e.stderr, "service %s added as a public client: no secret, PKCE only; its client id is %s\n", added.ID, added.ID)
			return nil
		}
		fmt.Fprintln(e.stdout, secret)
		fmt.Fprintf(e.stderr, "service %s added; its client id is %s and its client secret (above) is shown once and stored only as a hash\n", added.ID, added.ID)
		return nil
	case args[0] == "list" && len(pos) == 0:
		list, err := services.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tCOMPANY\tPURPOSE\tVERBS\tDOCTYPES\tCLIENT")
		for _, s := range list {
			client := "confidential"
			if s.Public {
				client = "public"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, s.Name, s.Company, s.Access.Purpose,
				strings.Join(s.Access.Verbs, ","), strings.Join(s.Access.Doctypes, ","), client)
		}
		return tw.Flush()
	case args[0] == "show" && len(pos) == 1:
		s, err := services.Get(ctx, pos[0])
		if err != nil {
			return err
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			store.Service
			ClientID string `json:"client_id"`
		}{s, s.ID})
	case args[0] == "remove" && len(pos) == 1:
		if err := services.Remove(ctx, pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "removed service %s from the catalog\n", pos[0])
		return nil
	}
	return fmt.Errorf("unknown use of service %s; see selfdata help", strings.Join(args, " "))
}
