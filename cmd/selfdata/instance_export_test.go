package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/rights/export"
	"selfdata/internal/store/sqlite"
)

// TestInstanceExport: `selfdata instance export` writes the archive of the person named,
// with their documents and a log ending on the export, which `audit verify` still accepts;
// misuse and an unknown person leave no file behind.
func TestInstanceExport(t *testing.T) {
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
	tests := []struct {
		name string
		args []string
		code int
		want string // regexp of the output
	}{
		{"no file", []string{"instance", "export", "alice", "--data", d}, 1, `instance export NAME -o FILE`},
		{"unknown person", []string{"instance", "export", "nobody", "-o", out, "--data", d}, 1, `instance "nobody": not found`},
		{"alice", []string{"instance", "export", "alice", "-o", out, "--data", d}, 0, `exported alice to .*: 1 documents, 0 series \(0 readings\), 0 files \(0 bytes\), 2 access-log entries \(head [0-9a-f]{64}\)`},
		{"audit after", []string{"audit", "verify", "--instance", "alice", "--data", d}, 0, `2 entries, chain intact`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, "", tt.args...)
			if code != tt.code || !regexp.MustCompile(tt.want).MatchString(stdout+stderr) {
				t.Fatalf("exit %d, output %q; want %d matching %s", code, stdout+stderr, tt.code, tt.want)
			}
			if tt.code != 0 {
				if left, _ := os.ReadDir(filepath.Dir(out)); len(left) != 0 {
					t.Errorf("a failed export left %v", left)
				}
			}
		})
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var m export.Manifest
	f, err := zr.Open("manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		t.Fatal(err)
	}
	if m.Instance.Name != "alice" || m.Counts.ByDoctype["bill"] != 1 || m.AccessLog.Entries != 2 {
		t.Errorf("manifest %+v", m)
	}
	b, err := zr.Open("documents/bill.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var doc struct {
		ID   string          `json:"id"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(b).Decode(&doc); err != nil || doc.ID != "b1" || !strings.Contains(string(doc.Data), "Eau du Grand Lyon") {
		t.Errorf("documents/bill.jsonl: %v %+v", err, doc)
	}
}
