package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"selfdata/internal/store"
	"selfdata/internal/store/sqlstore"
	"selfdata/internal/store/storetest"
)

func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		dir := t.TempDir()
		db, err := Open(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := openPool(File(dir), 1, "")
		if err != nil {
			t.Fatal(err)
		}
		return storetest.WithRaw(db, raw, nil)
	})
}

// TestRefusesUnknownSchema: a database migrated by a newer selfdata is not touched.
func TestRefusesUnknownSchema(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := db.SchemaVersion(ctx); err != nil || v != len(migrationNames) {
		t.Fatalf("SchemaVersion = %d, %v", v, err)
	}
	if _, err := db.CreateInstance(ctx, "alice", "h"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(ctx, dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if _, err := db.Instance(ctx, "alice"); err != nil {
		t.Fatalf("after reopen: %v", err)
	}
	db.Close()
	raw, err := openPool(dir+"/selfdata.db", 1, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, applied) VALUES (99, 0)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = Open(ctx, dir)
	if !errors.Is(err, store.ErrUnknownSchema) {
		t.Fatalf("Open on a newer schema: %v", err)
	}
}

// TestSecretsSealedAtRest: a private signing key is in the database only sealed, a sealed
// value copied into another person's row does not open, and the store refuses to open with
// another key than the one its secrets were sealed with.
func TestSecretsSealedAtRest(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	alice, _ := db.CreateInstance(ctx, "alice", "h")
	bob, _ := db.CreateInstance(ctx, "bob", "h")
	private := []byte("alice's private signing key, 64 bytes long, give or take a few.")
	for _, in := range []store.Instance{alice, bob} {
		if err := db.CreateSigningKey(ctx, store.SigningKey{ID: "k-" + in.Name, Instance: in.ID, PublicKey: []byte("pub"), Created: time.Now()}, private); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := openPool(File(dir), 1, "")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var stored string
	if err := raw.QueryRow(`SELECT private FROM signing_keys WHERE instance = ?`, alice.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "sd1:") || strings.Contains(stored, base64.StdEncoding.EncodeToString(private)) {
		t.Fatalf("the private key is stored as %q", stored)
	}
	if _, got, err := db.SigningKey(ctx, alice.ID); err != nil || !bytes.Equal(got, private) {
		t.Fatalf("SigningKey = %q, %v", got, err)
	}
	if _, err := raw.Exec(`UPDATE signing_keys SET private = ? WHERE instance = ?`, stored, bob.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.SigningKey(ctx, bob.ID); !errors.Is(err, sqlstore.ErrWrongKey) {
		t.Fatalf("alice's sealed key in bob's row: %v", err)
	}
	db.Close()
	if _, err := OpenWithKey(ctx, dir, bytes.Repeat([]byte{9}, sqlstore.KeySize)); !errors.Is(err, sqlstore.ErrWrongKey) {
		t.Fatalf("opened with another key: %v", err)
	}
}

// TestOlderSecretsSealedAtOpen: secrets stored before sealing existed (a signing key in
// base64, a pull grant's tokens and a PKCE verifier as they are) are sealed at the first
// open with a key, and still read.
func TestOlderSecretsSealedAtOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	alice, err := db.CreateInstance(ctx, "alice", "h")
	if err == nil {
		err = db.CreateOrganization(ctx, store.Organization{ID: "enedis", Name: "Enedis", KeyHash: "k", Created: time.Now(),
			Declaration: store.Declaration{Purposes: []string{"metering"}, LegalBasis: "consent", Doctypes: []string{"meter"}, Retention: "1 year"}})
	}
	if err == nil {
		err = db.CreateConnection(ctx, store.Connection{ID: "c1", Instance: alice.ID, Org: "enedis", Doctypes: []string{"meter"}, State: store.Active, Created: time.Now()})
	}
	if err == nil {
		err = db.PutPullGrant(ctx, store.PullGrant{Connection: "c1", Provider: "enedis", Subject: "01234567890", State: store.GrantOK, Created: time.Now(),
			Tokens: store.PullTokens{Access: "sealed-now", Refresh: "sealed-now"}})
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := openPool(File(dir), 1, "")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	private := []byte("an older private key")
	now := time.Now()
	if _, err := raw.Exec(`INSERT INTO signing_keys (id, instance, public_key, private, created) VALUES ('k1', ?, 'cHVi', ?, ?)`,
		alice.ID, base64.StdEncoding.EncodeToString(private), now.UnixMicro()); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO pull_authorizations (state_hash, instance, session_hash, org, verifier, created, expires) VALUES ('st', ?, 'sh', 'enedis', 'older-verifier', ?, ?)`,
		alice.ID, now.UnixMicro(), now.Add(time.Hour).UnixMicro()); err != nil {
		t.Fatal(err)
	}
	// As an older version stored a pull grant's tokens: as they are; and it had no key check.
	if _, err := raw.Exec(`UPDATE pull_grants SET access_token = 'older-access', refresh_token = 'older-refresh'`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM server_secrets WHERE name = 'key-check'`); err != nil {
		t.Fatal(err)
	}
	if db, err = Open(ctx, dir); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{`SELECT private FROM signing_keys`, `SELECT verifier FROM pull_authorizations`, `SELECT access_token FROM pull_grants`, `SELECT refresh_token FROM pull_grants`} {
		var v string
		if err := raw.QueryRow(q).Scan(&v); err != nil || !strings.HasPrefix(v, "sd1:") {
			t.Errorf("%s = %q, %v; want it sealed", q, v, err)
		}
	}
	if _, got, err := db.SigningKey(ctx, alice.ID); err != nil || !bytes.Equal(got, private) {
		t.Errorf("SigningKey = %q, %v", got, err)
	}
	if g, err := db.PullGrant(ctx, "c1"); err != nil || g.Tokens.Access != "older-access" || g.Tokens.Refresh != "older-refresh" {
		t.Errorf("PullGrant = %+v, %v", g.Tokens, err)
	}
	if a, err := db.TakePullAuthorization(ctx, "st", now); err != nil || a.Verifier != "older-verifier" {
		t.Errorf("TakePullAuthorization = %+v, %v", a, err)
	}
}

// TestHeadsMigration: a database from before migration 0011 — heads without a MAC, an
// instance without a head, entries from before the chain — opens with every head
// authenticated and the older entries numbered before the chain, and verifies intact.
func TestHeadsMigration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old, err := openAt(ctx, dir, 10)
	if err != nil {
		t.Fatal(err)
	}
	// What selfdata before 0011 wrote: alice with two entries from before the chain, bob
	// with no entry and so no head.
	alice, bob := "a1", "b2"
	for _, q := range []string{
		`INSERT INTO instances (id, name, pass, created, seq) VALUES ('a1', 'alice', 'h', 0, 0), ('b2', 'bob', 'h', 0, 0)`,
		`INSERT INTO access_log (instance, at, principal, actor_id, actor_name, doctype, verb, count, purpose) VALUES ('a1', 1, 'owner', '', '', 'bill', 'read', 7, '')`,
		`INSERT INTO access_log (instance, at, principal, actor_id, actor_name, doctype, verb, count, purpose) VALUES ('a1', 2, 'owner', '', '', 'bill', 'read', 8, '')`,
		`INSERT INTO access_log_heads (instance, pos, hash, legacy) VALUES ('a1', 0, '', 2)`,
	} {
		if err := old.exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()

	db, err := OpenWithKey(ctx, dir, oldKey)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(ctx, alice, func(w store.Writer) error {
		return w.AppendLog(ctx, store.LogEntry{At: time.UnixMicro(3), Principal: "owner", Doctype: "bill", Verb: "read", Count: 9})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{alice, bob} {
		v, err := db.VerifyLog(ctx, in)
		if err != nil || len(v.Problems) != 0 {
			t.Fatalf("%s after the migration: %+v, %v", in, v, err)
		}
	}
	log, err := db.AccessLog(ctx, alice, store.LogQuery{})
	if err != nil || len(log) != 3 || log[0].Seq != 1 || log[0].Count != 9 || log[1].Seq != 0 || log[1].Count != 8 || log[2].Seq != -1 || log[2].Count != 7 {
		t.Fatalf("alice's log after the migration: %+v, %v", log, err)
	}
	err = db.Update(ctx, bob, func(w store.Writer) error {
		return w.AppendLog(ctx, store.LogEntry{At: time.Now(), Principal: "owner", Doctype: "bill", Verb: "read", Count: 1})
	})
	if err != nil {
		t.Fatalf("bob, whose head the migration made, cannot append: %v", err)
	}
}

// oldKey seals the secrets of the databases openAt makes.
var oldKey = bytes.Repeat([]byte{1}, sqlstore.KeySize)

// olderDB is a store migrated to an earlier version only, with raw access to its file.
type olderDB struct {
	*sqlstore.DB
	raw *sql.DB
}

func (o olderDB) exec(ctx context.Context, q string) error {
	_, err := o.raw.ExecContext(ctx, q)
	return err
}

func (o olderDB) Close() error { return errors.Join(o.raw.Close(), o.DB.Close()) }

// openAt opens the store in dir migrated to version v only, as an older selfdata left it.
func openAt(ctx context.Context, dir string, v int) (olderDB, error) {
	d, err := dialect()
	if err != nil {
		return olderDB{}, err
	}
	d.Migrations = d.Migrations[:v]
	w, err := openPool(File(dir), 1, "_txlock=immediate")
	if err != nil {
		return olderDB{}, err
	}
	r, err := openPool(File(dir), 2, "")
	if err != nil {
		return olderDB{}, err
	}
	db, err := sqlstore.Open(ctx, w, r, d, &diskBlobs{dir: dir}, oldKey)
	if err != nil {
		return olderDB{}, err
	}
	raw, err := openPool(File(dir), 1, "")
	return olderDB{DB: db, raw: raw}, err
}

// TestIndexesPerDoctype: each declared field gets an index of its doctype's documents only;
// the indexes of older versions (one per field, across doctypes) and of fields no longer
// declared are dropped.
func TestIndexesPerDoctype(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	raw, err := openPool(File(dir), 1, "")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`CREATE INDEX docs_ix_date_string ON docs (instance, doctype, json_extract(data, '$.date'))`); err != nil {
		t.Fatal(err)
	}
	date := store.Field{Path: "date", Type: store.String}
	vendor := store.Field{Path: "vendor", Type: store.String}
	names := func() []string {
		t.Helper()
		rows, err := raw.Query(`SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'docs_ix_%' ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out = append(out, s)
		}
		return out
	}
	if err := db.EnsureIndexes(ctx, []store.Index{{Doctype: "bill", Field: date}, {Doctype: "bill", Field: vendor}, {Doctype: "bank.operation", Field: date}}); err != nil {
		t.Fatal(err)
	}
	got := names()
	if len(got) != 3 || !strings.Contains(got[0], "docs_ix_bank_operation__date_string") || !strings.Contains(got[0], "WHERE doctype = 'bank.operation'") {
		t.Fatalf("indexes: %q", got)
	}
	if err := db.EnsureIndexes(ctx, []store.Index{{Doctype: "bill", Field: date}}); err != nil {
		t.Fatal(err)
	}
	if got := names(); len(got) != 1 || !strings.HasPrefix(got[0], "docs_ix_bill__date_string: ") {
		t.Fatalf("after dropping a field: %q", got)
	}
	// The query of a bill's dates uses the bill's index.
	var plan, detail string
	var id, parent, notused int
	err = raw.QueryRow(`EXPLAIN QUERY PLAN SELECT id FROM docs WHERE instance = ? AND doctype = 'bill' AND json_extract(data, '$.date') >= ? ORDER BY json_extract(data, '$.date')`, "i", "2025").Scan(&id, &parent, &notused, &detail)
	plan = detail
	if err != nil || !strings.Contains(plan, "docs_ix_bill__date_string") {
		t.Fatalf("query plan %q, %v: the bill's date index is not used", plan, err)
	}
}

// TestDeclarationsMigration: an organization and a service written in English only before
// migration 0016 read back whole after it, their English read as their French too.
func TestDeclarationsMigration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old, err := openAt(ctx, dir, slices.Index(migrationNames, "0016_declarations_fr.sql"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range storetest.LegacyDeclarationRows {
		if err := old.exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()
	db, err := OpenWithKey(ctx, dir, oldKey)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.CheckLegacyDeclarations(t, db)
}
