package pull

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, as the store uses
)

// Queue is where the jobs live: River's tables, in the store's own database, so that jobs
// survive a restart and a backup holds them with the data.
type Queue struct {
	newClient func(cfg *river.Config) (jobClient, error)
	close     func()
}

// jobClient is the part of a River client the service uses; river.Client[TTx] has it for
// any driver.
type jobClient interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error)
}

// Close releases the database connections of the queue (after the service has stopped).
func (q *Queue) Close() { q.close() }

// OpenSQLiteQueue opens River on the SQLite file of the store (dir/selfdata.db) and brings
// River's tables up to date. River gets its own pool of one connection, as its SQLite
// driver asks, with the store's settings so that both wait their turn to write.
func OpenSQLiteQueue(ctx context.Context, path string, log *slog.Logger) (*Queue, error) {
	q := "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q)
	if err != nil {
		return nil, fmt.Errorf("open job queue %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	driver := riversqlite.New(db)
	if err := migrate(ctx, driver, log); err != nil {
		db.Close()
		return nil, err
	}
	return &Queue{
		newClient: func(cfg *river.Config) (jobClient, error) { return river.NewClient(driver, cfg) },
		close:     func() { db.Close() },
	}, nil
}

// OpenPostgresQueue opens River on the store's PostgreSQL database (its URL, search_path
// included) and brings River's tables up to date.
func OpenPostgresQueue(ctx context.Context, dbURL string, log *slog.Logger) (*Queue, error) {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return nil, fmt.Errorf("open job queue: %w", err)
	}
	driver := riverpgxv5.New(pool)
	if err := migrate(ctx, driver, log); err != nil {
		pool.Close()
		return nil, err
	}
	return &Queue{
		newClient: func(cfg *river.Config) (jobClient, error) { return river.NewClient(driver, cfg) },
		close:     pool.Close,
	}, nil
}

// migrate applies River's own migrations; they are River's, versioned in its river_migration
// table apart from the store's schema_migrations.
func migrate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], log *slog.Logger) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: log})
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}
