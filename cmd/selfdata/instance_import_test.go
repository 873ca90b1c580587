package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite"
)

// TestInstanceImport: an archive of `instance export` comes back with `instance import --as`
// as a second store, its documents and its log, which `audit verify` accepts; a name taken
// and a file that is no archive are refused and leave no instance.
func TestInstanceImport(t *testing.T) {
	ctx := context.Background()
	d := t.TempDir()
	if code, _, errOut := cli(t, "a passphrase long enough\n", "instance", "create", "alice", "--data", d); code != 0 {
		t.Fatalf("instance create: %s", errOut)
	}
	st, err := sqlite.Open(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := doctype.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	in, _ := st.Instance(ctx, "alice")
	g, own := gate.New(st, reg), gate.Owner(in.ID)
	bill := `{"vendor":"Eau du Grand Lyon","date":"2025-01-31","amount":"41.07","currency":"EUR"}`
	if _, err := g.Create(ctx, own, "bill", []gate.Input{{ID: "b1", Data: json.RawMessage(bill)}}, own.Source("", g)); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out := filepath.Join(t.TempDir(), "alice.zip")
	if code, _, errOut := cli(t, "", "instance", "export", "alice", "-o", out, "--data", d); code != 0 {
		t.Fatalf("instance export: %s", errOut)
	}
	junk := filepath.Join(t.TempDir(), "junk.zip")
	os.WriteFile(junk, []byte("not a zip"), 0o600)

	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string // regexp of the output
	}{
		{"no file", "", []string{"instance", "import", "--data", d}, 1, `instance import FILE \[--as NAME\]`},
		{"a name taken", "another passphrase long enough\n", []string{"instance", "import", out, "--data", d}, 1, `instance "alice": already exists on this server; choose another name \(--as\)`},
		{"not an archive", "another passphrase long enough\n", []string{"instance", "import", junk, "--as", "junk", "--data", d}, 1, `junk.zip: the archive is not a readable zip file`},
		{"as alice2", "another passphrase long enough\n", []string{"instance", "import", out, "--as", "alice2", "--data", d}, 0,
			`imported .*alice.zip as alice2 \([0-9a-f-]{36}\): 1 documents, 0 series \(0 readings\), 0 files \(0 bytes\), 0 grants, 2 access-log entries`},
		{"audit the moved store", "", []string{"audit", "verify", "--instance", "alice2", "--data", d}, 0, `3 entries, chain intact`},
		{"audit the first store", "", []string{"audit", "verify", "--instance", "alice", "--data", d}, 0, `2 entries, chain intact`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, tt.stdin, tt.args...)
			if code != tt.code || !regexp.MustCompile(tt.want).MatchString(stdout+stderr) {
				t.Fatalf("exit %d, output %q; want %d matching %s", code, stdout+stderr, tt.code, tt.want)
			}
		})
	}
	st, err = sqlite.Open(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	list, _ := st.ListInstances(ctx)
	if len(list) != 2 || list[0].Name != "alice" || list[1].Name != "alice2" {
		t.Fatalf("instances %+v", list)
	}
	doc, err := st.Doc(ctx, list[1].ID, "bill", "b1")
	if err != nil || doc.Rev != "1" {
		t.Fatalf("the moved bill: %+v, %v", doc, err)
	}
	log, err := st.AccessLog(ctx, list[1].ID, store.LogQuery{Limit: 1})
	if err != nil || len(log) != 1 || log[0].Verb != "move" || log[0].Principal != "operator" {
		t.Fatalf("the last entry of the moved log: %+v, %v", log, err)
	}
}
