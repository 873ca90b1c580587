// Command loadtest measures a running selfdata server, so that anyone can rerun a
// measurement on their machine and see whether a change lost writes or time.
// It counts what the server acknowledged and then reads it back: "no lost writes" is
// checked, never assumed. It only talks to a server on this machine (a loopback address),
// and every run is bounded in clients, requests and time.
//
// Two scenarios:
//
//	loadtest same-series [-clients 50] [-n 20]
//	    C clients each POST N readings, one request at a time and one reading per request,
//	    all to one new series on one day (distinct instants), then read the series back and
//	    compare acknowledged with present. A read-modify-write of the day's chunk that is
//	    not locked loses readings here.
//
//	loadtest mix [-clients 1000] [-duration 60s] [-weights get=40,aggregate=20,write-doc=20,write-reading=20]
//	    seed documents and a series with a month of readings, then K clients in a closed
//	    loop (no think time) for D: GET a document by id, GET a daily aggregate over the
//	    month, POST a bill, POST a reading; then check every acknowledged write is present.
//
// Both print a table (or -json) with throughput, latency p50/p95/p99/max per kind, errors
// by kind and status, acknowledged and present writes, and the load average before and
// after; the exit code is 1 on any error or lost write, 2 on a usage error.
//
// Set-up, SQLite (data directory; the key file kept apart, as an operator would):
//
//	go build -o /tmp/selfdata ./cmd/selfdata && go build -o /tmp/loadtest ./cmd/loadtest
//	D=$(mktemp -d) K=$(mktemp -d)/secret.key
//	/tmp/selfdata instance create load --generate --data "$D" --key-file "$K"
//	export SELFDATA_TOKEN=$(/tmp/selfdata token create --data "$D" --key-file "$K" --instance load --scope '*:read+write')
//	/tmp/selfdata serve --data "$D" --key-file "$K" --addr 127.0.0.1:8080 &
//	/tmp/loadtest same-series; /tmp/loadtest mix
//
// Set-up, PostgreSQL (a scratch schema, dropped afterwards):
//
//	psql 'postgres://postgres@127.0.0.1:5432/test' -c 'CREATE SCHEMA loadtest'
//	DB='postgres://postgres@127.0.0.1:5432/test?sslmode=disable&search_path=loadtest' K=$(mktemp -d)/secret.key
//	/tmp/selfdata instance create load --generate --db "$DB" --key-file "$K"
//	export SELFDATA_TOKEN=$(/tmp/selfdata token create --db "$DB" --key-file "$K" --instance load --scope '*:read+write')
//	/tmp/selfdata serve --db "$DB" --key-file "$K" --addr 127.0.0.1:8080 &
//	/tmp/loadtest same-series; /tmp/loadtest mix
//	kill %1; psql 'postgres://postgres@127.0.0.1:5432/test' -c 'DROP SCHEMA loadtest CASCADE'
//
// The token is read from SELFDATA_TOKEN (or -token, which other users of the machine can
// see in the process list). Each run writes into a new series, so runs do not mix.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Bounds of the flags: a typo must not turn a measurement into a flood.
const (
	maxClients     = 2000
	maxPerClient   = 10000
	maxDuration    = 10 * time.Minute
	maxRequests    = 10_000_000
	maxSeedDocs    = 10000
	minTimeout     = 100 * time.Millisecond
	maxTimeout     = 2 * time.Minute
	secondsPerDay  = 24 * 60 * 60
	usageText      = "usage: loadtest same-series|mix [flags]; loadtest same-series -h for the flags"
	defaultWeights = "get=40,aggregate=20,write-doc=20,write-reading=20"
)

// config is one run, as the flags gave it.
type config struct {
	scenario    string
	base        *url.URL
	token       string
	clients     int
	perClient   int           // same-series: readings each client writes
	duration    time.Duration // mix: how long the clients run
	maxRequests int           // mix: stop after that many requests, even before duration
	timeout     time.Duration // one request, so that a stuck server shows as errors
	weights     weights
	seedDocs    int
	json        bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run parses the command line, runs the scenario and returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := parseArgs(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return 2
	}
	rep, err := runScenario(ctx, cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return 1
	}
	if err := rep.write(stdout, cfg.json); err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return 1
	}
	if !rep.clean() {
		return 1
	}
	return 0
}

func runScenario(ctx context.Context, cfg config, progress io.Writer) (*report, error) {
	c := newClient(cfg.base, cfg.token, cfg.clients, cfg.timeout)
	defer c.close()
	// A hard limit over the whole run: seeding and checking are bounded by counts, the
	// load by duration, and this catches whatever was not foreseen.
	ctx, cancel := context.WithTimeout(ctx, cfg.duration+15*time.Minute)
	defer cancel()
	if cfg.scenario == "same-series" {
		return sameSeries(ctx, c, cfg, progress)
	}
	return mix(ctx, c, cfg, progress)
}

// parseArgs reads the scenario and its flags and checks them against the bounds.
func parseArgs(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	if len(args) == 0 || (args[0] != "same-series" && args[0] != "mix") {
		return config{}, errors.New(usageText)
	}
	cfg := config{scenario: args[0]}
	fs := flag.NewFlagSet("loadtest "+cfg.scenario, flag.ContinueOnError)
	fs.SetOutput(stderr)
	rawURL := fs.String("url", "http://127.0.0.1:8080", "selfdata server, on a loopback address")
	fs.StringVar(&cfg.token, "token", "", "personal access token with scope *:read+write (default $SELFDATA_TOKEN, which stays out of the process list)")
	fs.DurationVar(&cfg.timeout, "timeout", 30*time.Second, fmt.Sprintf("time limit of one request (%v to %v)", minTimeout, maxTimeout))
	fs.BoolVar(&cfg.json, "json", false, "print the report as JSON")
	rawWeights := defaultWeights
	if cfg.scenario == "same-series" {
		fs.IntVar(&cfg.clients, "clients", 50, fmt.Sprintf("concurrent clients (1 to %d)", maxClients))
		fs.IntVar(&cfg.perClient, "n", 20, fmt.Sprintf("readings each client writes (1 to %d; clients × n at most %d, one a second of the day)", maxPerClient, secondsPerDay))
	} else {
		fs.IntVar(&cfg.clients, "clients", 1000, fmt.Sprintf("concurrent clients (1 to %d)", maxClients))
		fs.DurationVar(&cfg.duration, "duration", 60*time.Second, fmt.Sprintf("how long the clients run (1s to %v)", maxDuration))
		fs.IntVar(&cfg.maxRequests, "max-requests", 1_000_000, fmt.Sprintf("stop after this many requests (1 to %d)", maxRequests))
		fs.IntVar(&cfg.seedDocs, "seed-docs", 200, fmt.Sprintf("bills created before the run, read by id during it (1 to %d)", maxSeedDocs))
		fs.StringVar(&rawWeights, "weights", defaultWeights, "relative weights of the kinds of request")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q; %s", fs.Arg(0), usageText)
	}
	var err error
	if cfg.base, err = loopbackURL(*rawURL); err != nil {
		return config{}, err
	}
	if cfg.weights, err = parseWeights(rawWeights); err != nil {
		return config{}, err
	}
	if cfg.token == "" {
		cfg.token = getenv("SELFDATA_TOKEN")
	}
	if cfg.token == "" {
		return config{}, errors.New("no token: set SELFDATA_TOKEN (or -token) to one made by selfdata token create --instance NAME --scope '*:read+write'")
	}
	return cfg, cfg.checkBounds()
}

// checkBounds refuses a run larger than the caps.
func (cfg config) checkBounds() error {
	switch {
	case cfg.clients < 1 || cfg.clients > maxClients:
		return fmt.Errorf("-clients %d: give 1 to %d", cfg.clients, maxClients)
	case cfg.timeout < minTimeout || cfg.timeout > maxTimeout:
		return fmt.Errorf("-timeout %v: give %v to %v", cfg.timeout, minTimeout, maxTimeout)
	}
	if cfg.scenario == "same-series" {
		switch {
		case cfg.perClient < 1 || cfg.perClient > maxPerClient:
			return fmt.Errorf("-n %d: give 1 to %d", cfg.perClient, maxPerClient)
		case cfg.clients*cfg.perClient > secondsPerDay:
			return fmt.Errorf("-clients × -n = %d: at most %d readings fit one day at one a second", cfg.clients*cfg.perClient, secondsPerDay)
		}
		return nil
	}
	switch {
	case cfg.duration < time.Second || cfg.duration > maxDuration:
		return fmt.Errorf("-duration %v: give 1s to %v", cfg.duration, maxDuration)
	case cfg.maxRequests < 1 || cfg.maxRequests > maxRequests:
		return fmt.Errorf("-max-requests %d: give 1 to %d", cfg.maxRequests, maxRequests)
	case cfg.seedDocs < 1 || cfg.seedDocs > maxSeedDocs:
		return fmt.Errorf("-seed-docs %d: give 1 to %d", cfg.seedDocs, maxSeedDocs)
	}
	return nil
}

// loopbackURL parses the server's address and refuses any host that is not a loopback
// address: a load test sends its traffic to this machine only. A name other than
// localhost is refused rather than resolved, since what it resolves to can change; the
// dialer checks every connection again (client.go).
func loopbackURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("-url %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("-url %q: give an http:// or https:// address", raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		return u, nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("-url %q: %q is not a loopback address; loadtest only loads a server on this machine (127.0.0.1, [::1] or localhost)", raw, host)
	}
	return u, nil
}
