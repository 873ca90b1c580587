// Package postgres is the scale-out backend: the same contract as the embedded SQLite store,
// on a PostgreSQL server (or a Postgres-wire engine such as Citus, where every table's key
// starts with the instance, the natural distribution column). Blobs are kept in a bytea
// column so that one database holds everything to back up.
package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"selfdata/internal/store"
	"selfdata/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations are listed explicitly: their order is the schema's history.
var migrationNames = []string{"0001_init.sql", "0002_organizations.sql", "0003_pull.sql", "0004_period.sql", "0005_access_chain.sql", "0006_services.sql", "0007_consent.sql", "0008_oauth.sql", "0009_transparency.sql", "0010_login_failures.sql", "0011_access_log_heads.sql", "0012_corrections.sql"}

// DB is the PostgreSQL store.
type DB struct{ *sqlstore.DB }

var _ store.Store = (*DB)(nil)

// Open connects to url (postgres://...) and migrates the schema; the database's secrets are
// sealed with key (sqlstore.LoadKey), which every server on this database must share.
func Open(ctx context.Context, url string, key []byte) (*DB, error) {
	pool, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(20)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	d, err := dialect()
	if err != nil {
		pool.Close()
		return nil, err
	}
	db, err := sqlstore.Open(ctx, pool, pool, d, byteaBlobs{}, key)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &DB{db}, nil
}

// dialect is how the shared implementation speaks PostgreSQL.
func dialect() (sqlstore.Dialect, error) {
	var migs []sqlstore.Migration
	for _, name := range migrationNames {
		b, err := migrationFiles.ReadFile("migrations/" + name)
		if err != nil {
			return sqlstore.Dialect{}, err
		}
		migs = append(migs, sqlstore.Migration{Name: name, SQL: string(b)})
	}
	return sqlstore.Dialect{
		Name:           "postgres",
		Placeholders:   sqlstore.DollarPlaceholders,
		FieldExpr:      fieldExpr,
		DataText:       "data::text",
		IsUnique:       isUnique,
		ForUpdate:      " FOR UPDATE",
		LockMigrations: `LOCK TABLE schema_migrations IN EXCLUSIVE MODE`,
		Migrations:     migs,
	}, nil
}

// ForgetSecrets drops the database's sealed secrets and seals anew with key, for when the
// key file is lost (sqlstore.ForgetSecrets says what is lost).
func ForgetSecrets(ctx context.Context, url string, key []byte) (sqlstore.Forgotten, error) {
	d, err := dialect()
	if err != nil {
		return sqlstore.Forgotten{}, err
	}
	pool, err := sql.Open("pgx", url)
	if err != nil {
		return sqlstore.Forgotten{}, fmt.Errorf("open postgres: %w", err)
	}
	defer pool.Close()
	return sqlstore.ForgetSecrets(ctx, pool, d, key)
}

// fieldExpr reads a JSON path of the data column: text compared bytewise, or a number.
func fieldExpr(f store.Field) string {
	// Fully parenthesized: the same text serves in queries and as an index expression.
	e := "(data #>> '{" + strings.ReplaceAll(f.Path, ".", ",") + "}')"
	if f.Type == store.Number {
		return "(" + e + "::double precision)"
	}
	return "(" + e + ` COLLATE "C")`
}

func isUnique(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

// byteaBlobs keeps contents in the blobs table.
type byteaBlobs struct{}

func (byteaBlobs) Put(ctx context.Context, tx *sql.Tx, instance string, r io.Reader) (string, int64, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return "", 0, err
	}
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	_, err = tx.ExecContext(ctx, `INSERT INTO blobs (instance, sha256, size, created, data) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
		instance, sha, len(data), time.Now().UnixMicro(), data)
	if err != nil {
		return "", 0, fmt.Errorf("record blob: %w", err)
	}
	return sha, int64(len(data)), nil
}

func (byteaBlobs) Open(ctx context.Context, db *sql.DB, instance, sha string) (io.ReadCloser, error) {
	var data []byte
	if err := db.QueryRowContext(ctx, `SELECT data FROM blobs WHERE instance = $1 AND sha256 = $2`, instance, sha).Scan(&data); err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

// DropInstance has nothing to do: the rows went with the instance.
func (byteaBlobs) DropInstance(string) error { return nil }
