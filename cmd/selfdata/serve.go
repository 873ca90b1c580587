package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/importer/formats"
	"selfdata/internal/restore"
	"selfdata/internal/store"
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
}

func serveCmd(ctx context.Context, args []string, e env) error {
	fs := newFlags("serve", e)
	var f serverFlags
	f.storeFlags.register(fs, "data")
	f.register(fs, "127.0.0.1:8080")
	if _, err := parse(fs, args); err != nil {
		return err
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
	cfg.SecureCookies, cfg.MaxBodyBytes, cfg.MaxFileBytes = f.secure, f.maxBody, f.maxFile
	a, err := auth.NewService(st, cfg.SessionTTL)
	if err != nil {
		return err
	}
	g := gate.New(st, reg)
	deps := web.Deps{Gate: g, Auth: a, Orgs: restore.NewOrgs(st, reg), Importer: restore.NewImporter(g, formats.All())}
	srv, err := web.New(cfg, deps, log)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
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
		as := &http.Server{Handler: web.NewAdmin(deps.Orgs, log).Handler(), ReadHeaderTimeout: 10 * time.Second}
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
