// Package postgres is the scale-out backend: the same contract as the embedded SQLite store,
// on a PostgreSQL server (or a Postgres-wire engine such as Citus, where every table's key
// starts with the instance, the natural distribution column). Blobs are kept in the database,
// in chunks (see chunkedBlobs), so that one database holds everything to back up.
package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	neturl "net/url"
	"strconv"
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
var migrationNames = []string{
	"0001_init.sql",
	"0002_organizations.sql",
	"0003_pull.sql",
	"0004_period.sql",
	"0005_access_chain.sql",
	"0006_services.sql",
	"0007_consent.sql",
	"0008_oauth.sql",
	"0009_transparency.sql",
	"0010_login_failures.sql",
	"0011_access_log_heads.sql",
	"0012_corrections.sql",
	"0013_blob_chunks.sql",
	"0014_log_times.sql",
	"0015_relatives.sql",
	"0016_declarations_fr.sql",
	"0017_search.sql",
	"0018_series_decimals.sql",
	"0019_moved_chains.sql",
}

// DB is the PostgreSQL store.
type DB struct{ *sqlstore.DB }

var _ store.Store = (*DB)(nil)

// DefaultConns is how many connections a server opens to the database by default. Each
// connection is a server process, and a few busy ones keep a small database server's
// processors busy; more only make them take turns: measured with 1,000 clients on a 2-core
// machine holding both, 20 connections served 1,190-1,290 requests a second, 8 gave 1,450,
// 4 gave 1,510. An operator with a larger database server raises it in the URL
// (pool_max_conns, as pgx's own pool reads it).
const DefaultConns = 8

// Open connects to url (postgres://...) and migrates the schema; the database's secrets are
// sealed with key (sqlstore.LoadKey), which every server on this database must share.
func Open(ctx context.Context, url string, key []byte) (*DB, error) {
	url, conns, err := poolSize(url)
	if err != nil {
		return nil, err
	}
	pool, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(conns)
	pool.SetMaxIdleConns(conns)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	d, err := dialect()
	if err != nil {
		pool.Close()
		return nil, err
	}
	db, err := sqlstore.Open(ctx, pool, pool, d, chunkedBlobs{}, key)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &DB{db}, nil
}

// poolSize takes pool_max_conns out of the URL (the server would refuse it as a setting)
// and returns the number of connections to open.
func poolSize(raw string) (string, int, error) {
	u, err := neturl.Parse(raw)
	if err != nil {
		return "", 0, fmt.Errorf("the PostgreSQL URL: %w", err)
	}
	q := u.Query()
	v := q.Get("pool_max_conns")
	if v == "" {
		return raw, DefaultConns, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1000 {
		return "", 0, fmt.Errorf("the PostgreSQL URL: pool_max_conns=%q: give a number of connections from 1 to 1000", v)
	}
	q.Del("pool_max_conns")
	u.RawQuery = q.Encode()
	return u.String(), n, nil
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
		SearchMatch:    `s.words @@ CAST(? AS tsquery)`,
		MatchQuery:     sqlstore.TSQuery,
		SearchInstance: `s.instance = ?`,
		IsUnique:       isUnique,
		ForUpdate:      " FOR UPDATE",
		ModifyingCTE:   true,
		Analyze:        `ANALYZE docs`,
		IndexNames:     `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'docs'`,
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

// chunkedBlobs keeps contents in the blob_chunks table, blobChunk bytes a row, so that a file
// goes in and out as a stream: memory holds one chunk, whatever the file's size. Rows rather
// than PostgreSQL's large objects, because large objects live outside the instance's rows:
// they are not deleted with the instance (each needs its lo_unlink), Citus does not
// distribute them, and pg_dump handles them apart. Every read and write of a blob's bytes is
// in this type, where encrypting them with the instance's key will be.
type chunkedBlobs struct{}

// blobChunk is the size of a chunk: large enough that a 100 MB file is a hundred statements,
// small enough that a chunk in memory (and in the driver's buffers) is nothing.
const blobChunk = 1 << 20

// Put writes the chunks as they are read, under a key of their own until the content's
// sha256, which names them, is known at the end; then the blob's row is added, and the chunks
// renamed to it, or dropped when the same content is there already. All of it is in the
// caller's transaction: nothing is seen before it commits, nothing is left if it does not.
func (chunkedBlobs) Put(ctx context.Context, tx *sql.Tx, instance string, r io.Reader) (string, int64, error) {
	tmp, err := uploadKey()
	if err != nil {
		return "", 0, err
	}
	h := sha256.New()
	buf := make([]byte, blobChunk)
	var size int64
	for seq := 0; ; seq++ {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			h.Write(buf[:n])
			size += int64(n)
			if _, err := tx.ExecContext(ctx, `INSERT INTO blob_chunks (instance, sha256, seq, data) VALUES ($1, $2, $3, $4)`, instance, tmp, seq, buf[:n]); err != nil {
				return "", 0, fmt.Errorf("record blob: %w", err)
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			return "", 0, rerr
		}
	}
	sha := hex.EncodeToString(h.Sum(nil))
	res, err := tx.ExecContext(ctx, `INSERT INTO blobs (instance, sha256, size, created) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		instance, sha, size, time.Now().UnixMicro())
	if err != nil {
		return "", 0, fmt.Errorf("record blob: %w", err)
	}
	added, err := res.RowsAffected()
	if err != nil {
		return "", 0, err
	}
	if added == 1 {
		_, err = tx.ExecContext(ctx, `UPDATE blob_chunks SET sha256 = $3 WHERE instance = $1 AND sha256 = $2`, instance, tmp, sha)
	} else { // the same content is kept already
		_, err = tx.ExecContext(ctx, `DELETE FROM blob_chunks WHERE instance = $1 AND sha256 = $2`, instance, tmp)
	}
	if err != nil {
		return "", 0, fmt.Errorf("record blob: %w", err)
	}
	return sha, size, nil
}

// uploadKey names the chunks of a blob being written; it cannot be a sha256 in hex.
func uploadKey() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "upload-" + hex.EncodeToString(b), nil
}

// Open reads the chunks one at a time, as they are asked for.
func (chunkedBlobs) Open(ctx context.Context, db *sql.DB, instance, sha string) (io.ReadCloser, error) {
	var size int64
	if err := db.QueryRowContext(ctx, `SELECT size FROM blobs WHERE instance = $1 AND sha256 = $2`, instance, sha).Scan(&size); err != nil {
		return nil, err
	}
	return &chunkReader{ctx: ctx, db: db, instance: instance, sha: sha, left: size}, nil
}

// chunkReader reads a blob's chunks in order; the blob's size says where they end, so that a
// missing chunk is an error rather than a shorter file.
type chunkReader struct {
	ctx           context.Context
	db            *sql.DB
	instance, sha string
	seq           int
	left          int64  // bytes not yet read from the database
	buf           []byte // the current chunk's bytes not yet handed out
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.buf) == 0 {
		if c.left == 0 {
			return 0, io.EOF
		}
		err := c.db.QueryRowContext(c.ctx, `SELECT data FROM blob_chunks WHERE instance = $1 AND sha256 = $2 AND seq = $3`, c.instance, c.sha, c.seq).Scan(&c.buf)
		if errors.Is(err, sql.ErrNoRows) || err == nil && (len(c.buf) == 0 || int64(len(c.buf)) > c.left) {
			return 0, fmt.Errorf("blob %s: chunk %d is missing or of the wrong size", c.sha, c.seq)
		}
		if err != nil {
			return 0, fmt.Errorf("read blob %s: %w", c.sha, err)
		}
		c.seq++
		c.left -= int64(len(c.buf))
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

func (c *chunkReader) Close() error { return nil }

// DropInstance has nothing to do: the rows went with the instance.
func (chunkedBlobs) DropInstance(string) error { return nil }
