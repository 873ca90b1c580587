package pull

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"golang.org/x/oauth2"

	"selfdata/internal/gate"
	"selfdata/internal/jobs"
	"selfdata/internal/store"
)

// Store is what the pull connectors need from storage: grants and runs, and the registry of
// organizations and connections. Personal data goes through the gate, never through it.
type Store interface {
	store.Pulls
	store.Organizations
}

// Config tunes the service; zero fields take the defaults said.
type Config struct {
	Providers []Provider
	// PublicURL is where people reach selfdata (https://selfdata.example.org): the
	// providers send them back to PublicURL/connect/{org}/callback.
	PublicURL string
	// Interval is how often every grant is pulled (6 hours).
	Interval time.Duration
	// MaxAttempts is how many times one pull is tried before River gives it up (8); the
	// next tick of the schedule starts afresh.
	MaxAttempts int
	// Backoff is the wait before the nth retry (n from 1); nil keeps River's default, about
	// n⁴ seconds with jitter (1 s, 16 s, 81 s, 4 min, 10 min...).
	Backoff func(n int) time.Duration
	// Workers is how many pulls run at once (4), on a queue of their own: a pull may take
	// minutes, and the other jobs of the runner do not wait behind it.
	Workers int
	// HTTPClient calls the providers (a client with a 1-minute timeout).
	HTTPClient *http.Client
	// Now is the clock that decides which days to fetch (time.Now).
	Now    func() time.Time
	Logger *slog.Logger
}

// provider is a configured Provider with its connector and OAuth2 client.
type provider struct {
	Provider
	conn  connector
	oauth *oauth2.Config
}

// Service authorizes connections to providers, schedules pulls and runs them.
type Service struct {
	st        Store
	gate      *gate.Gate
	providers map[string]*provider // by organization id
	jobs      *jobs.Runner
	http      *http.Client
	log       *slog.Logger
	now       func() time.Time
	cfg       Config
}

// queueName is the runner's queue of the pulls.
const queueName = "pull"

// pullArgs is the job that pulls one connection. Uniqueness by connection over the waiting
// and running states keeps a schedule tick from piling a second pull on one that is still
// retrying.
type pullArgs struct {
	Connection string `json:"connection" river:"unique"`
}

func (pullArgs) Kind() string { return "selfdata.pull" }

// New builds the service and registers its jobs on the runner, which main starts after: the
// pulls, on a queue of their own, and the schedule that enqueues them every Interval.
func New(r *jobs.Runner, st Store, g *gate.Gate, cfg Config) (*Service, error) {
	cfg.Interval = cmp.Or(cfg.Interval, 6*time.Hour)
	cfg.MaxAttempts = cmp.Or(cfg.MaxAttempts, 8)
	cfg.Workers = cmp.Or(cfg.Workers, 4)
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: time.Minute}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{st: st, gate: g, jobs: r, providers: map[string]*provider{}, http: cfg.HTTPClient, log: cfg.Logger, now: cfg.Now, cfg: cfg}
	for _, p := range cfg.Providers {
		conn, err := connectorFor(p.Connector)
		if err != nil {
			return nil, err
		}
		p.Org = cmp.Or(p.Org, p.Connector)
		if p.ClientID == "" || p.AuthURL == "" || p.TokenURL == "" || p.APIBase == "" {
			return nil, fmt.Errorf("pull provider %s: a client id and the authorize, token and API addresses are needed", p.Org)
		}
		if _, dup := s.providers[p.Org]; dup {
			return nil, fmt.Errorf("pull provider %s configured twice", p.Org)
		}
		p.APIBase = strings.TrimSuffix(p.APIBase, "/")
		s.providers[p.Org] = &provider{Provider: p, conn: conn, oauth: &oauth2.Config{
			ClientID: p.ClientID, ClientSecret: p.ClientSecret, Scopes: p.Scopes,
			Endpoint:    oauth2.Endpoint{AuthURL: p.AuthURL, TokenURL: p.TokenURL, AuthStyle: oauth2.AuthStyleInParams},
			RedirectURL: strings.TrimSuffix(cfg.PublicURL, "/") + "/connect/" + p.Org + "/callback",
		}}
	}
	r.AddQueue(queueName, cfg.Workers)
	jobs.Register(r, &pullWorker{s: s})
	r.Every("selfdata.pull.schedule", cfg.Interval, func(ctx context.Context) error {
		_, err := s.Schedule(ctx)
		return err
	})
	return s, nil
}

// Enqueue asks for a pull of a connection now. It says false when a pull of it is already
// waiting or running, which is not doubled.
func (s *Service) Enqueue(ctx context.Context, connection string) (bool, error) {
	res, err := s.jobs.Insert(ctx, pullArgs{Connection: connection}, s.pullOpts())
	if err != nil {
		return false, fmt.Errorf("enqueue pull of %s: %w", connection, err)
	}
	return !res.UniqueSkippedAsDuplicate, nil
}

func (s *Service) pullOpts() *river.InsertOpts {
	return &river.InsertOpts{Queue: queueName, MaxAttempts: s.cfg.MaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: jobs.Unfinished()}}
}

// Providers lists the organization ids people may connect.
func (s *Service) Providers() []string {
	out := make([]string, 0, len(s.providers))
	for id := range s.providers {
		out = append(out, id)
	}
	return out
}

// Runs lists the runs of a person's connections, newest first.
func (s *Service) Runs(ctx context.Context, instanceID string, limit int) ([]store.PullRun, error) {
	return s.st.ListPullRuns(ctx, instanceID, limit)
}

// principal is the organization writing into the person's store for a connection: write on
// the connection's doctypes, as a deposit credential would give it (restore.Orgs.Depositor).
func principal(c store.Connection, org store.Organization) gate.Principal {
	return gate.Organization(c.Instance, org.ID, org.Name, strings.Join(org.Declaration.Purposes, "; "), c.Doctypes)
}

// Schedule enqueues a pull of every grant that can be pulled (an active connection, a grant
// that does not wait for the person, a configured provider) and says how many were new: a
// connection whose pull is still waiting or retrying is not enqueued twice.
func (s *Service) Schedule(ctx context.Context) (int, error) {
	grants, err := s.st.ListPullGrants(ctx, store.GrantOK)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, g := range grants {
		if _, ok := s.providers[g.Org]; !ok {
			continue
		}
		res, err := s.jobs.Insert(ctx, pullArgs{Connection: g.Connection}, s.pullOpts())
		if err != nil {
			return n, fmt.Errorf("enqueue pull of %s: %w", g.Connection, err)
		}
		if !res.UniqueSkippedAsDuplicate {
			n++
		}
	}
	s.log.Info("pull schedule", "grants", len(grants), "enqueued", n)
	return n, nil
}
