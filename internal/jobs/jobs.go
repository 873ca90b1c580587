// Package jobs runs selfdata's background work — the pulls from organizations, the periodic
// checks of the built-in services, the notices, the exports — on the one River client of the
// process. The jobs live in the store's own database (River's SQLite or PostgreSQL driver,
// River's own migrations), so they survive a restart, a backup holds them with the data, and
// servers sharing one PostgreSQL database share the work: each job runs on one of them.
//
// main opens the Runner (OpenSQLite, OpenPostgres), every feature registers on it what it
// runs (Register for typed River workers, Every for a periodic func), then main starts it
// and stops it at the end. Features never build a River client of their own: one client
// means one set of connections, one leader election and one graceful stop.
package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Config tunes the runner; zero fields take the defaults said.
type Config struct {
	// Workers is how many jobs of the default queue run at once (4). A feature whose jobs
	// are slow or many gets a queue of its own (AddQueue) so they never hold up the others.
	Workers int
	// PollInterval is how often River looks for due jobs without being told (1 s): the
	// longest a job that is due waits when no insert of this process woke the workers.
	PollInterval time.Duration
	// JobTimeout is the longest one try of a job may take before its context is cancelled
	// (10 minutes), so a hung call to an organization cannot hold a worker for good.
	JobTimeout time.Duration
	// MaxAttempts is how many times a failing job is tried before River gives it up, for the
	// jobs inserted without their own (8). River waits about n⁴ seconds before the nth retry,
	// so 8 tries span a little over an hour: long enough for a passing outage, shorter than
	// a daily period.
	MaxAttempts int
	// StopTimeout is how long Stop lets the jobs under way finish before cancelling them
	// (30 s); a cancelled job is tried again at the next start.
	StopTimeout time.Duration
	// TestOnly starts River without the jittered pauses that suit production (leader
	// election, maintenance), so tests see jobs run at once.
	TestOnly bool
	// Logger receives River's logs and the runner's (discarded when nil).
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	c.Workers = cmp.Or(c.Workers, 4)
	c.PollInterval = cmp.Or(c.PollInterval, time.Second)
	c.JobTimeout = cmp.Or(c.JobTimeout, 10*time.Minute)
	c.MaxAttempts = cmp.Or(c.MaxAttempts, 8)
	c.StopTimeout = cmp.Or(c.StopTimeout, 30*time.Second)
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// client is the part of a River client the runner uses; river.Client[TTx] has it for any
// driver, which keeps River's driver generics out of the Runner's API.
type client interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error)
}

// Runner owns the process's River client. Registrations (Register, AddQueue, Every) come
// first; the client is built on the first Insert, JobGet or Start, after which the set of
// workers is fixed — River's is — and a late registration panics, as a wiring mistake.
type Runner struct {
	cfg       Config
	newClient func(*river.Config) (client, error)
	closeDB   func()

	mu       sync.Mutex
	workers  *river.Workers
	queues   map[string]river.QueueConfig
	periodic []*river.PeriodicJob
	every    map[string]func(ctx context.Context) error
	client   client // nil until built
	started  bool
	stopped  bool
}

func newRunner(cfg Config, newClient func(*river.Config) (client, error), closeDB func()) *Runner {
	r := &Runner{
		cfg: cfg, newClient: newClient, closeDB: closeDB,
		workers: river.NewWorkers(),
		queues:  map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		every:   map[string]func(context.Context) error{},
	}
	river.AddWorker(r.workers, &everyWorker{r: r})
	return r
}

// Register adds a typed River worker to the runner, before it is used. Its jobs are inserted
// with Insert, on the queue their InsertOpts name (the default queue otherwise).
func Register[T river.JobArgs](r *Runner, w river.Worker[T]) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mustBeOpen("Register " + (*new(T)).Kind())
	river.AddWorker(r.workers, w)
}

// AddQueue adds a queue that runs up to workers jobs at once, before the runner is used. Jobs
// go to it by InsertOpts.Queue.
func (r *Runner) AddQueue(name string, workers int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mustBeOpen("AddQueue " + name)
	if _, dup := r.queues[name]; dup {
		panic(fmt.Sprintf("jobs: queue %s added twice", name))
	}
	r.queues[name] = river.QueueConfig{MaxWorkers: workers}
}

// Every runs fn every interval, and once shortly after Start (River's RunOnStart), so that a
// server restarted more often than the interval still runs it. It is registered before the
// runner is used; name (e.g. "selfdata.energy.check") is unique among the Every jobs.
//
// A run is unique by name while it waits, runs or retries: only River's elected leader
// enqueues periodic jobs, and a tick (or a start of another server on the same PostgreSQL
// database) that finds a run not done does not add a second one. A failing fn is retried
// with backoff, up to Config.MaxAttempts tries, on the default queue. fn may run again after
// a restart, and a failed run is tried again whole: fn must be safe to run twice (e.g. note
// what it already sent).
func (r *Runner) Every(name string, interval time.Duration, fn func(ctx context.Context) error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mustBeOpen("Every " + name)
	if _, dup := r.every[name]; dup || name == "" || interval <= 0 || fn == nil {
		panic(fmt.Sprintf("jobs: Every(%q, %v): a new name, an interval above zero and a func are needed", name, interval))
	}
	r.every[name] = fn
	opts := &river.InsertOpts{MaxAttempts: r.cfg.MaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: Unfinished()}}
	r.periodic = append(r.periodic, river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return everyArgs{Name: name}, opts },
		&river.PeriodicJobOpts{ID: name, RunOnStart: true}))
}

// Unfinished lists the states of a job that is not done: waiting (available, pending,
// scheduled), running, or retrying. As UniqueOpts.ByState it keeps a job from being doubled
// while one like it is on its way, yet lets a new one in once the last is done.
func Unfinished() []rivertype.JobState {
	return []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled}
}

// mustBeOpen panics when the client is built: River fixes its workers, queues and periodic
// jobs then. r.mu is held.
func (r *Runner) mustBeOpen(what string) {
	if r.client != nil || r.stopped {
		panic("jobs: " + what + " after the runner was put to use: register before Insert and Start")
	}
}

// riverClient builds the client on first use.
func (r *Runner) riverClient() (client, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return nil, errors.New("job queue stopped")
	}
	if r.client != nil {
		return r.client, nil
	}
	c, err := r.newClient(&river.Config{
		Queues:            r.queues,
		Workers:           r.workers,
		PeriodicJobs:      r.periodic,
		FetchPollInterval: r.cfg.PollInterval,
		FetchCooldown:     min(r.cfg.PollInterval, 100*time.Millisecond),
		MaxAttempts:       r.cfg.MaxAttempts,
		JobTimeout:        r.cfg.JobTimeout,
		// A job still marked running an hour past the longest a try may take was left by a
		// server that died: it is put back to be tried again.
		RescueStuckJobsAfter: r.cfg.JobTimeout + time.Hour,
		SoftStopTimeout:      r.cfg.StopTimeout,
		Logger:               r.cfg.Logger,
		TestOnly:             r.cfg.TestOnly,
	})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	r.client = c
	return c, nil
}

// Insert adds a job; it runs once a worker of its queue is free (Start must have been called
// in some process on the database). The result says whether a unique job was skipped as a
// duplicate (UniqueSkippedAsDuplicate). A job may be inserted before Start: it waits.
func (r *Runner) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	c, err := r.riverClient()
	if err != nil {
		return nil, err
	}
	return c.Insert(ctx, args, opts)
}

// JobGet reads a job's row: its state, attempts and errors.
func (r *Runner) JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	c, err := r.riverClient()
	if err != nil {
		return nil, err
	}
	return c.JobGet(ctx, id)
}

// Start runs the workers and the periodic jobs until Stop. The end of ctx does not stop the
// runner (only its values are kept): Stop is the one way to stop, so that the jobs under way
// get their graceful StopTimeout whatever context started them.
func (r *Runner) Start(ctx context.Context) error {
	c, err := r.riverClient()
	if err != nil {
		return err
	}
	if err := c.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	r.mu.Lock()
	r.started = true
	r.mu.Unlock()
	return nil
}

// Stop stops fetching jobs, lets the ones under way finish (cancelling them after
// Config.StopTimeout), and releases the database connections. It is the end of the runner,
// started or not; calling it again does nothing. It returns early with ctx's error if ctx
// ends first.
func (r *Runner) Stop(ctx context.Context) error {
	r.mu.Lock()
	if r.stopped {
		r.mu.Unlock()
		return nil
	}
	r.stopped = true
	c, started := r.client, r.started
	r.mu.Unlock()
	var err error
	if started {
		err = c.Stop(ctx)
	}
	r.closeDB()
	return err
}

// everyArgs is the job of one Every run. All Every jobs share this kind and are told apart
// by name, so a periodic func needs no JobArgs type of its own.
type everyArgs struct {
	Name string `json:"name" river:"unique"`
}

func (everyArgs) Kind() string { return "selfdata.every" }

// everyWorker runs the func registered under the job's name.
type everyWorker struct {
	river.WorkerDefaults[everyArgs]
	r *Runner
}

func (w *everyWorker) Work(ctx context.Context, job *river.Job[everyArgs]) error {
	w.r.mu.Lock()
	fn := w.r.every[job.Args.Name]
	w.r.mu.Unlock()
	if fn == nil {
		// Left by a server that had this periodic job (another version): nothing here runs it.
		return river.JobCancel(fmt.Errorf("no periodic job %q on this server", job.Args.Name))
	}
	return fn(ctx)
}
