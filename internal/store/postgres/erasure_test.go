package postgres

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"selfdata/internal/store/postgres/pgtest"
	"selfdata/internal/store/storetest"
)

// TestErasure: after an erasure, a pg_dump of the database holds no byte of the erased
// person (storetest.Erasure). What the server's WAL segments and backups still hold is the
// operator's to know: the README says it.
func TestErasure(t *testing.T) {
	u := pgtest.URL(t)
	dump := pgDump(t)
	db, err := Open(context.Background(), u, pgtest.Key)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.Erasure(t, db, func(t *testing.T) []byte { return dumpSchema(t, dump, u) })
}

// pgDump finds pg_dump on the PATH or where Debian installs it, or skips the test.
func pgDump(t *testing.T) string {
	if p, err := exec.LookPath("pg_dump"); err == nil {
		return p
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	if len(found) == 0 {
		t.Skip("pg_dump is not installed: the erasure cannot be checked in a dump")
	}
	return found[len(found)-1]
}

// dumpSchema is pg_dump's plain output of the test's schema (pgtest names it in the URL's
// search_path, which libpq does not take as a parameter of the URL).
func dumpSchema(t *testing.T, pgDump, u string) []byte {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	q := p.Query()
	schema := q.Get("search_path")
	q.Del("search_path")
	p.RawQuery = q.Encode()
	cmd := exec.Command(pgDump, "--no-owner", "-n", schema, "-d", p.String())
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	return out
}
