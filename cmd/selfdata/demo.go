package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"selfdata/internal/alert"
	"selfdata/internal/auth"
	"selfdata/internal/consent"
	"selfdata/internal/demo"
	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/restore"
	"selfdata/internal/services"
	"selfdata/internal/services/signoflife"
	"selfdata/internal/store"
)

// demoPassphrase is printed by the demo; the demo is for trying selfdata, not for real data.
const (
	demoName       = "demo"
	demoPassphrase = "demo-lyon-2026"
)

func demoCmd(ctx context.Context, args []string, e env) error {
	fs := newFlags("demo", e)
	var f serverFlags
	f.storeFlags.register(fs, filepath.Join(os.TempDir(), "selfdata-demo"))
	f.register(fs, "127.0.0.1:8080")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := f.check(); err != nil {
		return err
	}
	st, reg, err := f.openIndexed(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := seedDemo(ctx, st, reg, e); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("%w (another server on this address? use --addr 127.0.0.1:8081)", err)
	}
	fmt.Fprintf(e.stdout, "\nselfdata demo is running: open http://%s/\n  name:       %s\n  passphrase: %s\n  data:       %s\n",
		ln.Addr(), demoName, demoPassphrase, where(f.storeFlags))
	if _, err := st.RelativeByLogin(ctx, demoRelativeLogin); err == nil {
		fmt.Fprintf(e.stdout, "their relative, at http://%s/relative/login\n  login:      %s\n  passphrase: %s\n", ln.Addr(), demoRelativeLogin, demoRelativePassphrase)
	}
	fmt.Fprintf(e.stdout, "Stop with Ctrl+C.\n")
	return serve(ctx, ln, st, reg, f, e)
}

func where(f storeFlags) string {
	if f.db != "" {
		return "PostgreSQL"
	}
	return f.data
}

// seedDemo creates the demo person with a year of data ending today, once.
func seedDemo(ctx context.Context, st store.Store, reg *doctype.Registry, e env) error {
	if _, err := st.Instance(ctx, demoName); err == nil {
		fmt.Fprintf(e.stdout, "the demo person already exists; keeping its data\n")
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	start := time.Now()
	fmt.Fprintf(e.stdout, "seeding one year of data for the demo person... ")
	hash, err := auth.HashPassphrase(demoPassphrase)
	if err != nil {
		return err
	}
	in, err := st.CreateInstance(ctx, demoName, hash)
	if err != nil {
		return err
	}
	ds := demo.Generate(time.Now(), 1)
	if err := connectDemo(ctx, restore.NewOrgs(st, reg), in.ID); err != nil {
		st.DeleteInstance(ctx, demoName)
		return err
	}
	if err := demo.Seed(ctx, gate.New(st, reg), in.ID, ds); err != nil {
		st.DeleteInstance(ctx, demoName) // do not leave a half-seeded demo behind
		return err
	}
	if err := letServicesIn(ctx, st, reg, in.ID); err != nil {
		st.DeleteInstance(ctx, demoName)
		return err
	}
	docs, readings := 0, 0
	for _, b := range ds.Docs {
		docs += len(b.Docs)
	}
	for _, s := range ds.Series {
		readings += len(s.Readings)
	}
	fmt.Fprintf(e.stdout, "%d documents, %d readings, %d files in %s\n", docs, readings, len(ds.Files), time.Since(start).Round(time.Millisecond))
	return nil
}

// connectDemo registers the demo's organizations (once per data directory) and the demo
// person's approved connections to them, so the pages show what each one declares.
func connectDemo(ctx context.Context, orgs *restore.Orgs, instanceID string) error {
	for _, o := range demo.Organizations() {
		if _, err := orgs.Add(ctx, o); err != nil && !errors.Is(err, store.ErrExists) {
			return fmt.Errorf("register %s: %w", o.Name, err)
		}
		org, err := orgs.Get(ctx, o.ID)
		if err != nil {
			return err
		}
		c, err := orgs.Request(ctx, org, demoName, org.Declaration.Doctypes)
		if err != nil {
			return err
		}
		if err := orgs.Decide(ctx, instanceID, c.ID, "approve"); err != nil {
			return err
		}
	}
	return nil
}

// letServicesIn registers the demo's services (once per data directory), gives each the
// demo person's consent for its whole request, and lets it read through the gate as it
// would with its token, so that its reads show in the access log and raise the alert of a
// first access.
func letServicesIn(ctx context.Context, st store.Store, reg *doctype.Registry, instanceID string) error {
	catalog, grants, g := consent.NewServices(st, reg), consent.NewGrants(st, reg), gate.New(st, reg)
	al := alert.New(st, reg, nil, slog.Default())
	g.OnServiceRead, g.OnRefused = al.ServiceRead, al.Refused // the alerts of a first access and of a refused attempt, as serve raises them
	// The built-in services, switched on by the demo person so that each page shows something.
	if err := services.Ensure(ctx, st, "http://127.0.0.1/services"); err != nil {
		return err
	}
	for _, d := range services.Catalog() {
		if _, err := grants.Grant(ctx, instanceID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
			return fmt.Errorf("switch on %s: %w", d.Name, err)
		}
	}
	if err := inviteDemoRelative(ctx, st, instanceID); err != nil {
		return err
	}
	for _, svc := range demo.Services() {
		if _, _, err := catalog.Add(ctx, svc); err != nil && !errors.Is(err, store.ErrExists) {
			return fmt.Errorf("register %s: %w", svc.Name, err)
		}
		grant, err := grants.Grant(ctx, instanceID, svc.ID, svc.Access.Doctypes, svc.Access.Verbs, 0)
		if err != nil {
			return err
		}
		p, err := grants.Principal(ctx, instanceID, grant.ID)
		if err != nil {
			return err
		}
		if err := readAsService(ctx, g, p, reg); err != nil {
			return fmt.Errorf("%s reads: %w", svc.Name, err)
		}
	}
	return nil
}

// The demo person's relative, who sees their signs of life (Sign of life).
const (
	demoRelativeLogin      = "dominique"
	demoRelativePassphrase = "dominique-lyon-2026"
)

// inviteDemoRelative invites Dominique Martin to see the demo person's signs of life, and has
// them accept with the login and passphrase the demo prints.
func inviteDemoRelative(ctx context.Context, st store.Store, instanceID string) error {
	rel, err := auth.NewRelativeAuth(st, auth.Config{})
	if err != nil {
		return err
	}
	code, _, err := rel.Invite(ctx, instanceID, auth.Invitation{Name: "Dominique Martin", PersonName: "Camille", Expect: signoflife.DefaultExpect, Signals: signoflife.Kinds()})
	if err != nil {
		return fmt.Errorf("invite the demo's relative: %w", err)
	}
	_, err = rel.Redeem(ctx, auth.Redemption{Code: code, Login: demoRelativeLogin, Passphrase: demoRelativePassphrase})
	return err
}

// readAsService reads what p may: a page of each document doctype, and the last month of
// each series.
func readAsService(ctx context.Context, g *gate.Gate, p gate.Principal, reg *doctype.Registry) error {
	for _, sc := range p.Scopes {
		if d, ok := reg.Get(sc.Doctype); ok && d.Kind == doctype.KindDocument {
			if _, err := g.Query(ctx, p, store.Query{Doctype: sc.Doctype, Limit: 50}); err != nil {
				return err
			}
		}
	}
	series, err := g.ListSeries(ctx, p)
	if err != nil {
		return err
	}
	for _, s := range series {
		if _, err := g.Readings(ctx, p, s.ID, time.Now().AddDate(0, -1, 0), time.Now(), 5000); err != nil {
			return err
		}
	}
	return nil
}
