package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"selfdata/internal/rights/register"
)

// TestRegisterExport: `selfdata register export` prints the built-in register or the file's,
// as JSON or CSV, and refuses a bad format or an incomplete file saying what is wrong.
func TestRegisterExport(t *testing.T) {
	own := register.Default()
	own.Controller = "Coopérative Exemple, 1 rue de la Paix, Lyon"
	own.Activities = own.Activities[:1]
	path := filepath.Join(t.TempDir(), "register.json")
	b, _ := json.Marshal(own)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"controller":"X","activities":[{"id":"a","name":{"en":"A"}}]}`), 0o600)

	code, out, errs := cli(t, "", "register", "export")
	var got register.Register
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got.Activities) != len(register.Default().Activities) {
		t.Errorf("json: code %d, stderr %q, out %.200q", code, errs, out)
	}
	code, out, errs = cli(t, "", "register", "export", "--format", "csv", "--register", path)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) != 2 || rows[1][0] != own.Controller {
		t.Errorf("csv: code %d, stderr %q, rows %q (%v)", code, errs, rows, err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"register", "export", "--format", "xml"}, `--format "xml": give json or csv`},
		{[]string{"register", "export", "--register", bad}, `activity "a": legal_basis is missing`},
		{[]string{"register", "print"}, "give a subcommand: export"},
	} {
		if code, _, errs := cli(t, "", c.args...); code != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%q: code %d, stderr %q, want %q", c.args, code, errs, c.want)
		}
	}
}

// TestServeRegisterFlag: serve refuses an incomplete register file, saying which flag and
// what is missing, rather than showing people half a register.
func TestServeRegisterFlag(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "register.json")
	os.WriteFile(bad, []byte(`{"controller":"X","activities":[]}`), 0o600)
	code, _, errOut := cli(t, "", "serve", "--data", filepath.Join(t.TempDir(), "data"), "--addr", "127.0.0.1:0", "--register", bad)
	if code != 1 || !strings.Contains(errOut, "--register: register "+bad+": activities: none") {
		t.Errorf("exit %d, %s", code, errOut)
	}
}
