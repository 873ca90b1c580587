package postgres

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"selfdata/internal/store"
	"selfdata/internal/store/postgres/pgtest"
	"selfdata/internal/store/sqlstore"
	"selfdata/internal/store/storetest"
)

func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		u := pgtest.URL(t)
		db, err := Open(context.Background(), u, pgtest.Key)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := sql.Open("pgx", u)
		if err != nil {
			t.Fatal(err)
		}
		return storetest.WithRaw(db, raw, sqlstore.DollarPlaceholders)
	})
}

// TestRefusesUnknownSchema: a database migrated by a newer selfdata is not touched.
func TestRefusesUnknownSchema(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	db, err := Open(ctx, u, pgtest.Key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateInstance(ctx, "alice", "h"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(ctx, u, pgtest.Key); err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if _, err := db.Instance(ctx, "alice"); err != nil {
		t.Fatalf("after reopen: %v", err)
	}
	db.Close()
	other := bytes.Repeat([]byte{8}, sqlstore.KeySize)
	if _, err := Open(ctx, u, other); !errors.Is(err, sqlstore.ErrWrongKey) {
		t.Fatalf("Open with another key: %v", err)
	}
	// The key file lost: forgetting the secrets lets the other key in, the people intact.
	if _, err := ForgetSecrets(ctx, u, other); err != nil {
		t.Fatal(err)
	}
	if db, err = Open(ctx, u, other); err != nil {
		t.Fatalf("Open after ForgetSecrets: %v", err)
	}
	if _, err := db.Instance(ctx, "alice"); err != nil {
		t.Fatalf("after ForgetSecrets: %v", err)
	}
	db.Close()
	raw, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, applied) VALUES (99, 0)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = Open(ctx, u, pgtest.Key)
	if !errors.Is(err, store.ErrUnknownSchema) {
		t.Fatalf("Open on a newer schema: %v", err)
	}
}

// bigContent is a content of several chunks and a part, different at every byte position
// that matters (a chunk misplaced or cut shows).
func bigContent() []byte {
	b := make([]byte, 2*blobChunk+blobChunk/3)
	for i := range b {
		b[i] = byte(i*7 + i/blobChunk)
	}
	return b
}

// TestBlobsInChunks: a file of several chunks comes back byte for byte, the same content
// stored twice is kept once, and a transaction that fails leaves no chunk behind.
func TestBlobsInChunks(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	db, err := Open(ctx, u, pgtest.Key)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in, err := db.CreateInstance(ctx, "alice", "h")
	if err != nil {
		t.Fatal(err)
	}
	content := bigContent()
	var sha string
	for range 2 {
		err = db.Update(ctx, in.ID, func(w store.Writer) error {
			var n int64
			sha, n, err = w.PutBlob(ctx, bytes.NewReader(content))
			if err == nil && n != int64(len(content)) {
				err = fmt.Errorf("size %d", n)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	rc, err := db.OpenBlob(ctx, in.ID, sha)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("read back %d bytes (want %d), %v", len(got), len(content), err)
	}
	raw, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	chunks := func() (n int) {
		t.Helper()
		if err := raw.QueryRow(`SELECT count(*) FROM blob_chunks`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := chunks(); n != 3 {
		t.Fatalf("%d chunks for a content of 3 stored twice", n)
	}
	failed := errors.New("the rest of the batch failed")
	err = db.Update(ctx, in.ID, func(w store.Writer) error {
		if _, _, err := w.PutBlob(ctx, bytes.NewReader(append([]byte("other "), content...))); err != nil {
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) || chunks() != 3 {
		t.Fatalf("after a failed transaction: %v, %d chunks", err, chunks())
	}
}

// TestBlobsMigrateToChunks: the contents a database kept in blobs.data before 0013 are cut
// into chunks by the migration and read back whole.
func TestBlobsMigrateToChunks(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	d, err := dialect()
	if err != nil {
		t.Fatal(err)
	}
	at := slices.IndexFunc(d.Migrations, func(m sqlstore.Migration) bool { return m.Name == "0013_blob_chunks.sql" })
	if at < 0 {
		t.Fatal("no migration 0013_blob_chunks.sql")
	}
	d.Migrations = d.Migrations[:at]
	pool, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	old, err := sqlstore.Open(ctx, pool, pool, d, chunkedBlobs{}, pgtest.Key)
	if err != nil {
		t.Fatal(err)
	}
	in, err := old.CreateInstance(ctx, "alice", "h")
	if err != nil {
		t.Fatal(err)
	}
	content := bigContent()
	for _, c := range [][]byte{content, {}} {
		if _, err := pool.Exec(`INSERT INTO blobs (instance, sha256, size, created, data) VALUES ($1, $2, $3, 0, $4)`, in.ID, fmt.Sprint("sha-", len(c)), len(c), c); err != nil {
			t.Fatal(err)
		}
	}
	db, err := Open(ctx, u, pgtest.Key)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range [][]byte{content, {}} {
		rc, err := db.OpenBlob(ctx, in.ID, fmt.Sprint("sha-", len(c)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		if err != nil || !bytes.Equal(got, c) {
			t.Fatalf("after the migration: %d bytes (want %d), %v", len(got), len(c), err)
		}
	}
}

// TestPoolSize: pool_max_conns of the URL sets the pool and is not sent to the server.
func TestPoolSize(t *testing.T) {
	for _, tt := range []struct {
		url, want string
		conns     int
		err       bool
	}{
		{"postgres://h/db?sslmode=disable", "postgres://h/db?sslmode=disable", DefaultConns, false},
		{"postgres://h/db?sslmode=disable&pool_max_conns=3", "postgres://h/db?sslmode=disable", 3, false},
		{"postgres://h/db?pool_max_conns=0", "", 0, true},
		{"postgres://h/db?pool_max_conns=many", "", 0, true},
	} {
		got, n, err := poolSize(tt.url)
		if (err != nil) != tt.err || err == nil && (got != tt.want || n != tt.conns) {
			t.Errorf("poolSize(%q) = %q, %d, %v; want %q, %d (error %v)", tt.url, got, n, err, tt.want, tt.conns, tt.err)
		}
	}
	u := pgtest.URL(t) // skips without a server: the table above has run
	db, err := Open(context.Background(), u+"&pool_max_conns=2", pgtest.Key)
	if err != nil {
		t.Fatalf("Open with pool_max_conns: %v", err)
	}
	db.Close()
}

// TestIndexesPerDoctype: each declared field gets an index of its doctype's documents only,
// usable by a query that names the doctype; older indexes across doctypes are dropped.
func TestIndexesPerDoctype(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	db, err := Open(ctx, u, pgtest.Key)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	raw, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`CREATE INDEX docs_ix_date_string ON docs (instance, doctype, ((data #>> '{date}') COLLATE "C"))`); err != nil {
		t.Fatal(err)
	}
	date := store.Field{Path: "date", Type: store.String}
	if err := db.EnsureIndexes(ctx, []store.Index{{Doctype: "bill", Field: date}}); err != nil {
		t.Fatal(err)
	}
	var names []string
	rows, err := raw.Query(`SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE 'docs_ix_%'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	if !slices.Equal(names, []string{"docs_ix_bill__date_string"}) {
		t.Fatalf("indexes %q", names)
	}
	conn, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	var plan strings.Builder
	prows, err := conn.QueryContext(ctx, `EXPLAIN SELECT id FROM docs WHERE instance = $1 AND doctype = 'bill' AND ((data #>> '{date}') COLLATE "C") >= $2`, "i", "2025")
	if err != nil {
		t.Fatal(err)
	}
	for prows.Next() {
		var line string
		prows.Scan(&line)
		plan.WriteString(line + "\n")
	}
	prows.Close()
	if !strings.Contains(plan.String(), "docs_ix_bill__date_string") {
		t.Fatalf("the bill's date index is not used:\n%s", plan.String())
	}
}

// TestStatisticsRenewed: as documents are written, the store renews PostgreSQL's statistics
// of them itself, so that a store growing from empty is planned from real figures before
// autovacuum comes round.
func TestStatisticsRenewed(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	db, err := Open(ctx, u, pgtest.Key)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in, err := db.CreateInstance(ctx, "alice", "h")
	if err != nil {
		t.Fatal(err)
	}
	docs := make([]store.NewDoc, 150)
	for i := range docs {
		docs[i] = store.NewDoc{Data: json.RawMessage(`{"vendor":"EDF"}`), Source: store.Source{Kind: "owner"}}
	}
	if err := db.Update(ctx, in.ID, func(w store.Writer) error { _, err := w.CreateDocs(ctx, "bill", docs); return err }); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var analyzed sql.NullTime
		if err := raw.QueryRow(`SELECT last_analyze FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = 'docs'`).Scan(&analyzed); err != nil {
			t.Fatal(err)
		}
		if analyzed.Valid {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("150 documents written and the docs table's statistics were not renewed")
		}
	}
}

// TestDeclarationsMigration: an organization and a service written in English only before
// migration 0016 read back whole after it, their English read as their French too.
func TestDeclarationsMigration(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	d, err := dialect()
	if err != nil {
		t.Fatal(err)
	}
	at := slices.IndexFunc(d.Migrations, func(m sqlstore.Migration) bool { return m.Name == "0016_declarations_fr.sql" })
	if at < 0 {
		t.Fatal("no migration 0016_declarations_fr.sql")
	}
	d.Migrations = d.Migrations[:at]
	pool, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := sqlstore.Open(ctx, pool, pool, d, chunkedBlobs{}, pgtest.Key); err != nil {
		t.Fatal(err)
	}
	for _, q := range storetest.LegacyDeclarationRows {
		if _, err := pool.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db, err := Open(ctx, u, pgtest.Key)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.CheckLegacyDeclarations(t, db)
}
