package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"selfdata/internal/jobs"
	"selfdata/internal/store/postgres/pgtest"
)

var ctx = context.Background()

// wait bounds every wait for a job: jobs run within milliseconds, the margin is for a loaded
// machine, and a job that never runs fails the test rather than hanging it.
const wait = 30 * time.Second

// echoArgs is a job whose worker hands N to the test.
type echoArgs struct {
	N int `json:"n"`
}

func (echoArgs) Kind() string { return "test.echo" }

type echoWorker struct {
	river.WorkerDefaults[echoArgs]
	got chan int
}

func (w *echoWorker) Work(_ context.Context, job *river.Job[echoArgs]) error {
	w.got <- job.Args.N
	return nil
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// config is a runner's configuration for tests, its logs shown when the test fails.
func config(t *testing.T) jobs.Config {
	logs := &syncBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs:\n%s", logs.String())
		}
	})
	return jobs.Config{PollInterval: 20 * time.Millisecond, TestOnly: true,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
}

func openSQLite(t *testing.T) *jobs.Runner {
	r, err := jobs.OpenSQLite(ctx, filepath.Join(t.TempDir(), "selfdata.db"), config(t))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func openPostgres(t *testing.T) *jobs.Runner {
	r, err := jobs.OpenPostgres(ctx, pgtest.URL(t), config(t))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRunnerSQLite: on the store's SQLite file, an inserted job runs and is marked
// completed, a periodic job runs shortly after start, and a failing periodic func is tried
// again until it succeeds.
func TestRunnerSQLite(t *testing.T) { testRunner(t, openSQLite(t)) }

// TestRunnerPostgres: the same on PostgreSQL.
func TestRunnerPostgres(t *testing.T) { testRunner(t, openPostgres(t)) }

func testRunner(t *testing.T, r *jobs.Runner) {
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, wait)
		defer cancel()
		if err := r.Stop(sctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	echo := &echoWorker{got: make(chan int, 1)}
	jobs.Register(r, echo)
	ticks := make(chan struct{}, 10)
	r.Every("test.tick", time.Hour, func(context.Context) error {
		ticks <- struct{}{}
		return nil
	})
	var mu sync.Mutex
	tries := 0
	flaky := make(chan int, 10)
	r.Every("test.flaky", time.Hour, func(context.Context) error {
		mu.Lock()
		tries++
		n := tries
		mu.Unlock()
		flaky <- n
		if n == 1 {
			return errors.New("the first try fails")
		}
		return nil
	})

	// Inserted before Start, the job waits for it.
	res, err := r.Insert(ctx, echoArgs{N: 42}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case n := <-echo.got:
		if n != 42 {
			t.Fatalf("the worker got %d, want 42", n)
		}
	case <-time.After(wait):
		t.Fatal("the inserted job did not run")
	}
	if job := waitState(t, r, res.Job.ID, rivertype.JobStateCompleted); job.Attempt != 1 || len(job.Errors) != 0 {
		t.Fatalf("job %+v", job)
	}

	select {
	case <-ticks:
	case <-time.After(wait):
		t.Fatal("the periodic job did not run after start")
	}
	for want := 1; want <= 2; want++ {
		select {
		case n := <-flaky:
			if n != want {
				t.Fatalf("try %d, want %d", n, want)
			}
		case <-time.After(wait):
			t.Fatalf("the failing periodic func was not tried a %d time", want)
		}
	}

	// Registering once the runner is in use is a wiring mistake.
	func() {
		defer func() {
			if recover() == nil {
				t.Error("Every after Start did not panic")
			}
		}()
		r.Every("test.late", time.Hour, func(context.Context) error { return nil })
	}()
}

// waitState waits until the job is in the state, and returns its row.
func waitState(t *testing.T, r *jobs.Runner, id int64, state rivertype.JobState) *rivertype.JobRow {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		job, err := r.JobGet(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if job.State == state {
			return job
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d is %s after %v, want %s", id, job.State, wait, state)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestUniqueWhileUnfinished: a job unique over the unfinished states is not doubled while
// one waits, and is let in again once that one is done.
func TestUniqueWhileUnfinished(t *testing.T) {
	r := openSQLite(t)
	echo := &echoWorker{got: make(chan int, 1)}
	jobs.Register(r, echo)
	t.Cleanup(func() { r.Stop(ctx) })
	opts := &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: jobs.Unfinished()}}
	first, err := r.Insert(ctx, echoArgs{N: 1}, opts)
	if err != nil || first.UniqueSkippedAsDuplicate {
		t.Fatalf("first insert: %+v, %v", first, err)
	}
	if again, err := r.Insert(ctx, echoArgs{N: 1}, opts); err != nil || !again.UniqueSkippedAsDuplicate {
		t.Fatalf("second insert while the first waits: %+v, %v", again, err)
	}
	if other, err := r.Insert(ctx, echoArgs{N: 2}, opts); err != nil || other.UniqueSkippedAsDuplicate {
		t.Fatalf("insert of other args: %+v, %v", other, err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		select {
		case <-echo.got:
		case <-time.After(wait):
			t.Fatal("the jobs did not run")
		}
	}
	waitState(t, r, first.Job.ID, rivertype.JobStateCompleted)
	if next, err := r.Insert(ctx, echoArgs{N: 1}, opts); err != nil || next.UniqueSkippedAsDuplicate {
		t.Fatalf("insert after the first is done: %+v, %v", next, err)
	}
}
