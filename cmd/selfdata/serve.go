package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/consent"
	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/importer/formats"
	"selfdata/internal/jobs"
	"selfdata/internal/oauth"
	"selfdata/internal/pull"
	"selfdata/internal/restore"
	"selfdata/internal/rights/export"
	"selfdata/internal/rights/requests"
	"selfdata/internal/services"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite"
	"selfdata/internal/web"
)

// serverFlags are the flags of serve and demo.
type serverFlags struct {
	storeFlags
	addr    string
	admin   string
	secure  bool
	maxBody int64
	maxFile int64
	debug   bool
	flight  int64
	proxies string         // --trusted-proxies as given
	trusted []netip.Prefix // parsed by check
	pull    pullFlags
	smtp    smtpFlags
	tiles   string // --map-tiles (serve only)
	zone    string // --time-zone: the zone pages show times in
	regFile string // --register: the register of processing activities (serve only)
}

// pullFlags configure the pull connectors (serve only): a provider is on when it has a
// client id; its client secret comes from SELFDATA_<NAME>_CLIENT_SECRET, kept off the
// command line.
type pullFlags struct {
	publicURL string
	interval  time.Duration
	providers []pull.Provider
}

func (f *pullFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.publicURL, "public-url", "", "address people reach selfdata at (e.g. https://selfdata.example.org); organizations send them back there, and the OAuth server names itself by it")
	fs.DurationVar(&f.interval, "pull-interval", 6*time.Hour, "how often data is pulled from connected organizations")
	f.providers = pull.DefaultProviders()
	for i := range f.providers {
		p := &f.providers[i]
		n := p.Connector
		fs.StringVar(&p.ClientID, n+"-client-id", "", "selfdata's OAuth2 client id at "+n+" (pulling from "+n+" is off without it)")
		fs.StringVar(&p.APIBase, n+"-api", p.APIBase, n+" API address")
		fs.StringVar(&p.AuthURL, n+"-authorize-url", p.AuthURL, n+" OAuth2 authorization endpoint")
		fs.StringVar(&p.TokenURL, n+"-token-url", p.TokenURL, n+" OAuth2 token endpoint")
		p.ClientSecret = os.Getenv("SELFDATA_" + strings.ToUpper(n) + "_CLIENT_SECRET")
	}
}

// service builds the pull connectors on the runner when a provider is configured (nil
// otherwise): their jobs are registered on it, to run once it starts.
func (f *pullFlags) service(r *jobs.Runner, st store.Store, g *gate.Gate, addr string, log *slog.Logger) (*pull.Service, error) {
	var on []pull.Provider
	for _, p := range f.providers {
		if p.ClientID != "" {
			on = append(on, p)
		}
	}
	if len(on) == 0 {
		return nil, nil
	}
	return pull.New(r, st, g, pull.Config{Providers: on, PublicURL: cmp.Or(f.publicURL, "http://"+addr), Interval: f.interval, Logger: log})
}

// startJobs opens the job queue in the store's own database (the store's SQLite file, or its
// PostgreSQL URL), registers on it all the background work of the server, and starts it.
// Everything that runs in the background is registered here, before Start: the pulls (the
// pull service is nil when no provider is configured) and the periodic checks, each as
// runner.Every(name, interval, fn). The caller stops the runner when it ends.
func startJobs(ctx context.Context, f serverFlags, st store.Store, g *gate.Gate, checks *energyChecks, log *slog.Logger) (*jobs.Runner, *pull.Service, error) {
	cfg := jobs.Config{Logger: log}
	var runner *jobs.Runner
	var err error
	if f.db != "" {
		runner, err = jobs.OpenPostgres(ctx, f.db, cfg)
	} else {
		runner, err = jobs.OpenSQLite(ctx, sqlite.File(f.data), cfg)
	}
	if err != nil {
		return nil, nil, err
	}
	// Sign of life: each relative's notice, once the hour the person expects activity by
	// has come; CheckAll decides a day once, so a run again after a restart sends nothing twice.
	sol, err := newSignOfLife(f, st, g, log)
	if err != nil {
		runner.Stop(ctx)
		return nil, nil, err
	}
	runner.Every("selfdata.signoflife.check", signOfLifeEvery, sol.CheckAll)
	runner.Every("selfdata.energy.check", 24*time.Hour, checks.CheckAll)
	// Requests to organizations: one alert for each past its due day unanswered.
	reminder := &requests.Reminder{Gate: g, Instances: st, Alerts: checks.alerts, Now: time.Now, Loc: checks.loc}
	runner.Every("selfdata.requests.remind", requestsRemindEvery, reminder.CheckAll)
	pulls, err := f.pull.service(runner, st, g, f.addr, log)
	if err == nil {
		err = runner.Start(ctx)
	}
	if err != nil {
		runner.Stop(ctx)
		return nil, nil, err
	}
	return runner, pulls, nil
}

// stopJobs stops the runner at the end of serve: the jobs under way get the runner's
// StopTimeout to finish, with a margin for River to record them.
func stopJobs(runner *jobs.Runner, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := runner.Stop(ctx); err != nil {
		log.Error("job queue stop", "err", err)
	}
}

func (f *serverFlags) register(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
	Int64Var(*int64, string, int64, string)
}, addr string) {
	fs.StringVar(&f.addr, "addr", addr, "address to listen on")
	fs.StringVar(&f.admin, "admin-addr", "", "address of the operator's admin API (loopback only, e.g. 127.0.0.1:8081; off when empty)")
	fs.BoolVar(&f.secure, "secure-cookies", false, "mark cookies Secure (when a TLS proxy is in front)")
	fs.Int64Var(&f.maxBody, "max-body", web.DefaultConfig.MaxBodyBytes, "largest JSON request body, in bytes")
	fs.Int64Var(&f.maxFile, "max-file", web.DefaultConfig.MaxFileBytes, "largest file upload, in bytes")
	fs.BoolVar(&f.debug, "debug", false, "log every request")
	fs.Int64Var(&f.flight, "max-in-flight", web.DefaultMaxInFlight, "requests served at once; the others wait their turn, in order")
	fs.StringVar(&f.zone, "time-zone", "Europe/Paris", "time zone the pages show times in (an IANA name such as Europe/Paris)")
	fs.StringVar(&f.proxies, "trusted-proxies", "", "reverse proxies whose X-Forwarded-For names the client, as networks or addresses separated by commas (e.g. 127.0.0.1,10.0.0.0/8); without it the header is ignored")
}

// check validates the flags that need more than their type, before anything is opened, so
// that a typo stops the start with a clear message.
func (f *serverFlags) check() error {
	var err error
	if f.flight < 0 || f.flight > 100_000 {
		return fmt.Errorf("--max-in-flight %d: give a number of requests from 1 to 100000 (0: %d)", f.flight, web.DefaultMaxInFlight)
	}
	if f.trusted, err = web.ParseTrustedProxies(f.proxies); err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	if err := web.SetTimeZone(f.zone); err != nil {
		return fmt.Errorf("--time-zone: %w", err)
	}
	return nil
}

// Timeouts of both servers' connections (the bodies' own are in web.Config): headers must
// come within readHeaderTimeout, and an idle keep-alive connection is closed after
// idleTimeout.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 2 * time.Minute
)

func serveCmd(ctx context.Context, args []string, e env) error {
	fs := newFlags("serve", e)
	var f serverFlags
	f.storeFlags.register(fs, "data")
	f.register(fs, "127.0.0.1:8080")
	f.pull.register(fs)
	f.smtp.register(fs)
	fs.StringVar(&f.regFile, "register", "", "JSON file of the operator's register of processing activities (GDPR Art. 30), shown on /register (the built-in register when empty; see 'selfdata register export')")
	fs.StringVar(&f.tiles, "map-tiles", "", "address of a map tile server whose tiles the map service lays under its maps, e.g. https://tile.example/{z}/{x}/{y}.png (people's browsers then load them from it; off when empty)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := f.check(); err != nil {
		return err
	}
	if _, err := web.CheckMapTiles(f.tiles); err != nil {
		return fmt.Errorf("--map-tiles: %w", err)
	}
	st, reg, err := f.openIndexed(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "selfdata serving on http://%s\n", ln.Addr())
	return serve(ctx, ln, st, reg, f, e)
}

// serve wires the pieces and serves until ctx ends.
func serve(ctx context.Context, ln net.Listener, st store.Store, reg *doctype.Registry, f serverFlags, e env) error {
	level := slog.LevelInfo
	if f.debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	cfg := web.DefaultConfig
	cfg.SecureCookies, cfg.MaxBodyBytes, cfg.MaxFileBytes, cfg.PublicURL = f.secure, f.maxBody, f.maxFile, f.pull.publicURL
	cfg.TrustedProxies, cfg.MaxInFlight = f.trusted, int(f.flight)
	cfg.MapTiles = f.tiles
	a, err := auth.NewService(st, cfg.SessionTTL)
	if err != nil {
		return err
	}
	g := gate.New(st, reg)
	g.Log = log
	alerts, err := newAlerts(f.smtp, st, reg, log)
	if err != nil {
		return err
	}
	defer alerts.Wait() // let the alert emails under way go
	g.OnServiceRead = alerts.ServiceRead
	g.OnRefused = alerts.Refused
	if err := services.Ensure(ctx, st, strings.TrimRight(cmp.Or(f.pull.publicURL, "http://"+f.addr), "/")+"/services"); err != nil {
		return err
	}
	deps := web.Deps{Gate: g, Auth: a, Orgs: restore.NewOrgs(st, reg), Importer: restore.NewImporter(g, formats.All()), Consent: consent.NewGrants(st, reg), Alerts: alerts}
	if deps.Register, err = registerFile(f.regFile); err != nil {
		return err
	}
	deps.Export = &export.Exporter{Gate: g, Grants: deps.Consent, Instances: st}
	deps.Erase = st
	// The relatives people share signs of life with, and the service's daily check, which
	// the job runner runs (startJobs).
	if deps.Relatives, err = auth.NewRelativeAuth(st, auth.Config{SessionTTL: cfg.SessionTTL}); err != nil {
		return err
	}
	if deps.SignOfLife, err = newSignOfLife(f, st, g, log); err != nil {
		return err
	}
	ocfg := oauth.DefaultConfig
	ocfg.Log = log
	if deps.OAuth, err = oauth.New(ctx, ocfg, st, deps.Consent); err != nil {
		return err
	}
	checks, err := newEnergyChecks(st, g, deps.Consent, alerts, log)
	if err != nil {
		return err
	}
	g.OnReadings = checks.ReadingsAdded // new readings are checked at once, and every person daily
	defer checks.Wait()
	runner, pulls, err := startJobs(ctx, f, st, g, checks, log)
	if err != nil {
		return err
	}
	defer stopJobs(runner, log) // after the HTTP servers, whose handlers insert jobs
	deps.Pull = pulls
	srv, err := web.New(cfg, deps, log)
	if err != nil {
		return err
	}
	defer srv.Close() // after the HTTP server's Shutdown: its handlers keep uploads there
	hs := httpServer(srv.Handler(), log)
	errc := make(chan error, 2)
	go func() { errc <- hs.Serve(ln) }()
	if f.admin != "" {
		if err := web.CheckAdminAddr(f.admin); err != nil {
			return err
		}
		aln, err := net.Listen("tcp", f.admin)
		if err != nil {
			return err
		}
		as := httpServer(web.NewAdmin(cfg, deps.Orgs, consent.NewServices(st, reg), log).Handler(), log)
		go func() { errc <- as.Serve(aln) }()
		defer as.Close()
		fmt.Fprintf(e.stdout, "admin API on http://%s/admin/v1/\n", aln.Addr())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// httpServer is the main server's and the admin API's http.Server. No ReadTimeout nor
// WriteTimeout: an upload or a download of 100 MB on a slow line takes long; the bodies are
// held to a minimum rate instead (web.Config.BodyMinRate).
func httpServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
