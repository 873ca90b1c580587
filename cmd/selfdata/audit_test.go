package main

import (
	"context"
	"database/sql"
	"regexp"
	"strconv"
	"testing"
	"time"

	"selfdata/internal/store"
	"selfdata/internal/store/sqlite"
)

// TestAuditVerify: `selfdata audit verify` finds an access-log entry changed, then one
// removed, directly in the SQLite file, naming it, and exits 1; an untouched log passes.
func TestAuditVerify(t *testing.T) {
	ctx := context.Background()
	d := t.TempDir()
	for _, name := range []string{"alice", "bob"} {
		if code, _, errOut := cli(t, "a passphrase long enough\n", "instance", "create", name, "--data", d); code != 0 {
			t.Fatalf("instance create %s: %s", name, errOut)
		}
	}
	st, err := sqlite.Open(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"alice", "bob"} {
		in, err := st.Instance(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			err := st.Update(ctx, in.ID, func(w store.Writer) error {
				return w.AppendLog(ctx, store.LogEntry{At: time.Now(), Principal: "owner", Doctype: "bill", Verb: "read", Count: i + 1})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	st.Close()
	db, err := sql.Open("sqlite", sqlite.File(d))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var second, third int64
	alice := `(SELECT id FROM instances WHERE name = 'alice')`
	if err := db.QueryRow(`SELECT id FROM access_log WHERE pos = 2 AND instance = ` + alice).Scan(&second); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT id FROM access_log WHERE pos = 3 AND instance = ` + alice).Scan(&third); err != nil {
		t.Fatal(err)
	}
	tamper := func(query string, args ...any) func(t *testing.T) {
		return func(t *testing.T) {
			if _, err := db.Exec(query, args...); err != nil {
				t.Fatal(err)
			}
		}
	}
	verify := func(name string) []string { return []string{"audit", "verify", "--instance", name, "--data", d} }
	tests := []struct {
		name   string
		before func(t *testing.T)
		args   []string
		code   int
		out    string // regexp the output (stdout+stderr) must match
	}{
		{"no instance", nil, []string{"audit", "verify", "--data", d}, 1, `--instance NAME is required`},
		{"unknown instance", nil, verify("zoe"), 1, `not found`},
		{"unknown subcommand", nil, []string{"audit", "fix", "--instance", "alice", "--data", d}, 1, `unknown use of audit`},
		{"intact", nil, verify("alice"), 0, `^access log of alice: 3 entries, chain intact\nhead [0-9a-f]{64} `},
		{"altered", tamper(`UPDATE access_log SET count = 1000 WHERE id = ?`, second), verify("alice"), 1,
			`(?s)^access log of alice: 3 entries, 1 problem\nentry ` + strconv.FormatInt(second, 10) + ` \(position 2\): altered: its content no longer matches its hash\n.*not intact: 1 problem`},
		{"removed too", tamper(`DELETE FROM access_log WHERE id = ?`, third), verify("alice"), 1,
			`entry ` + strconv.FormatInt(second, 10) + ` \(position 2\): altered: .*\nposition 3: removed: the entry at position 3 is missing at the end`},
		{"other instance intact", nil, verify("bob"), 0, `access log of bob: 3 entries, chain intact`},
		// Bob's log cut to its first entry, the head moved back onto it: the chain that is
		// left is whole, but the head's MAC, made with the key file, gives it away.
		{"cut and head moved back", func(t *testing.T) {
			bob := `(SELECT id FROM instances WHERE name = 'bob')`
			tamper(`DELETE FROM access_log WHERE pos > 1 AND instance = ` + bob)(t)
			tamper(`UPDATE access_log_heads SET pos = 1, hash = (SELECT hash FROM access_log WHERE pos = 1 AND instance = ` + bob + `) WHERE instance = ` + bob)(t)
		}, verify("bob"), 1, `(?s)^access log of bob: 1 entries, 1 problem
the head: head: the head \(position 1\) was not written by selfdata with this key file`},
		{"emptied with its head", func(t *testing.T) {
			bob := `(SELECT id FROM instances WHERE name = 'bob')`
			tamper(`DELETE FROM access_log WHERE instance = ` + bob)(t)
			tamper(`DELETE FROM access_log_heads WHERE instance = ` + bob)(t)
		}, verify("bob"), 1, `(?s)^access log of bob: 0 entries, 1 problem
the head: head: the head of the log is missing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				tt.before(t)
			}
			code, out, errOut := cli(t, "", tt.args...)
			if code != tt.code || !regexp.MustCompile(tt.out).MatchString(out+errOut) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant match: %s", code, tt.code, out, errOut, tt.out)
			}
		})
	}
}

// TestAuditVerifyRefused: a log holding a service's refused attempt verifies; passing that
// attempt off as an allowed read, directly in the SQLite file, is found.
func TestAuditVerifyRefused(t *testing.T) {
	ctx := context.Background()
	d := t.TempDir()
	if code, _, errOut := cli(t, "a passphrase long enough\n", "instance", "create", "carol", "--data", d); code != 0 {
		t.Fatalf("instance create: %s", errOut)
	}
	st, err := sqlite.Open(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	in, err := st.Instance(ctx, "carol")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []store.LogEntry{
		{At: time.Now(), Principal: "service", ActorID: "volta", ActorName: "Volta", Doctype: "meter", Verb: "read", Count: 2},
		{At: time.Now(), Principal: "service", ActorID: "volta", ActorName: "Volta", Doctype: "bank.operation", Verb: "read", Refused: true},
	} {
		if err := st.Update(ctx, in.ID, func(w store.Writer) error { return w.AppendLog(ctx, e) }); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	verify := []string{"audit", "verify", "--instance", "carol", "--data", d}
	if code, out, errOut := cli(t, "", verify...); code != 0 || !regexp.MustCompile(`^access log of carol: 2 entries, chain intact`).MatchString(out) {
		t.Fatalf("intact log: exit %d\n%s%s", code, out, errOut)
	}
	db, err := sql.Open("sqlite", sqlite.File(d))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id int64
	if err := db.QueryRow(`UPDATE access_log SET refused = 0 WHERE refused = 1 RETURNING id`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	want := `(?s)^access log of carol: 2 entries, 1 problem\nentry ` + strconv.FormatInt(id, 10) + ` \(position 2\): altered: its content no longer matches its hash\n.*not intact`
	if code, out, errOut := cli(t, "", verify...); code != 1 || !regexp.MustCompile(want).MatchString(out+errOut) {
		t.Fatalf("refused flag flipped: exit %d\n%s%s\nwant match: %s", code, out, errOut, want)
	}
}
