package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, as the store uses
)

// OpenSQLite opens the runner on the SQLite file of the store (sqlite.File(dir)) and brings
// River's tables up to date. River gets its own pool of one connection, as its SQLite driver
// asks, with the store's settings so that both wait their turn to write.
func OpenSQLite(ctx context.Context, path string, cfg Config) (*Runner, error) {
	q := "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q)
	if err != nil {
		return nil, fmt.Errorf("open job queue %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	driver := riversqlite.New(db)
	cfg = cfg.withDefaults()
	if err := migrate(ctx, driver, cfg); err != nil {
		db.Close()
		return nil, err
	}
	return newRunner(cfg, func(rc *river.Config) (client, error) { return river.NewClient(driver, rc) }, func() { db.Close() }), nil
}

// OpenPostgres opens the runner on the store's PostgreSQL database (its URL, search_path
// included, so that River's tables sit beside the store's) and brings River's tables up to
// date. Servers sharing the database share the jobs: each job runs on one of them.
func OpenPostgres(ctx context.Context, dbURL string, cfg Config) (*Runner, error) {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return nil, fmt.Errorf("open job queue: %w", err)
	}
	driver := riverpgxv5.New(pool)
	cfg = cfg.withDefaults()
	if err := migrate(ctx, driver, cfg); err != nil {
		pool.Close()
		return nil, err
	}
	return newRunner(cfg, func(rc *river.Config) (client, error) { return river.NewClient(driver, rc) }, pool.Close), nil
}

// migrate applies River's own migrations; they are River's, versioned in its river_migration
// table apart from the store's schema_migrations.
func migrate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], cfg Config) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: cfg.Logger})
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}
