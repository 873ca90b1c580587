package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"selfdata/internal/store"
	"selfdata/internal/store/sqlite"
)

// TestMain lets the test binary act as selfdata itself when SELFDATA_TEST_MAIN is set, so
// tests can run real separate processes without building anything.
func TestMain(m *testing.M) {
	if os.Getenv("SELFDATA_TEST_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// cli runs a command in-process and returns its exit code and outputs.
func cli(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb})
	return code, out.String(), errb.String()
}

func TestInstanceAndTokenCommands(t *testing.T) {
	d := t.TempDir()
	tests := []struct {
		name    string
		stdin   string
		args    []string
		code    int
		out     string // regexp the output (stdout+stderr) must match
		capture *string
	}{
		{"create", "a passphrase long enough\n", []string{"instance", "create", "alice", "--data", d}, 0, `created instance alice`, nil},
		{"create again", "a passphrase long enough\n", []string{"instance", "create", "--data", d, "alice"}, 1, `already exists`, nil},
		{"weak passphrase", "short\n", []string{"instance", "create", "bob", "--data", d}, 1, `at least 12`, nil},
		{"no passphrase", "", []string{"instance", "create", "bob", "--data", d}, 1, `no passphrase on stdin`, nil},
		{"bad name", "a passphrase long enough\n", []string{"instance", "create", "Bob Smith", "--data", d}, 1, `instance name`, nil},
		{"generated", "", []string{"instance", "create", "carol", "--generate", "--data", d}, 0, `passphrase: [a-z2-9]{5}-`, nil},
		{"list", "", []string{"instance", "list", "--data", d}, 0, `(?s)alice.*carol`, nil},
		{"token without instance", "", []string{"token", "create", "--data", d, "--scope", "*:read"}, 1, `--instance`, nil},
		{"token with a bad scope", "", []string{"token", "create", "--data", d, "--instance", "alice", "--scope", "bills:read"}, 1, `unknown doctype "bills"`, nil},
		{"token with a bad verb", "", []string{"token", "create", "--data", d, "--instance", "alice", "--scope", "bill:delete"}, 1, `unknown verb`, nil},
		{"token for nobody", "", []string{"token", "create", "--data", d, "--instance", "zoe", "--scope", "*:read"}, 1, `not found`, nil},
		{"token", "", []string{"token", "create", "--data", d, "--instance", "alice", "--scope", "*:read,bill:write", "--label", "backup"}, 0, `sdp_[A-Za-z0-9_-]{43}`, nil},
		{"token list", "", []string{"token", "list", "--data", d, "--instance", "alice"}, 0, `(?s)ID.*\*:read,bill:write\s+backup`, nil},
		{"unknown command", "", []string{"frobnicate"}, 2, `unknown command`, nil},
		{"erase unconfirmed", "", []string{"instance", "erase", "alice", "--data", d}, 1, `(?s)Type the name again.*not confirmed: nothing erased`, nil},
		{"erase mistyped", "alicia\n", []string{"instance", "erase", "alice", "--data", d}, 1, `not confirmed`, nil},
		{"list after no erasure", "", []string{"instance", "list", "--data", d}, 0, `alice`, nil},
		{"erase unknown", "zoe\n", []string{"instance", "erase", "zoe", "--data", d}, 1, `not found`, nil},
		{"erase", "alice\n", []string{"instance", "erase", "alice", "--data", d}, 0, `erased instance alice and everything in it: 0 documents, 0 series, 0 files, 1 token, 0 sessions, 0 connections, 0 grants, 0 alerts, \d+ access-log entr`, nil},
		{"delete again, the alias", "", []string{"instance", "delete", "alice", "--yes", "--data", d}, 1, `not found`, nil},
		{"delete with --yes", "", []string{"instance", "delete", "carol", "--yes", "--data", d}, 0, `erased instance carol`, nil},
		{"recreate carol", "a passphrase long enough\n", []string{"instance", "create", "carol", "--data", d}, 0, `created instance carol`, nil},
		{"list after delete", "", []string{"instance", "list", "--data", d}, 0, `^NAME\s+ID\s+CREATED\ncarol`, nil},
		{"another key file", "", []string{"instance", "list", "--data", d, "--key-file", filepath.Join(t.TempDir(), "other.key")}, 1, `not the key file`, nil},
		{"PostgreSQL without a key file", "", []string{"instance", "list", "--db", "postgres://nowhere.invalid/x"}, 1, `--key-file .* is required with --db`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(t, tt.stdin, tt.args...)
			if code != tt.code || !regexp.MustCompile(tt.out).MatchString(out+errOut) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant match: %s", code, tt.code, out, errOut, tt.out)
			}
		})
	}
}

func TestTokenRevoke(t *testing.T) {
	d := t.TempDir()
	cli(t, "a passphrase long enough\n", "instance", "create", "alice", "--data", d)
	_, _, errOut := cli(t, "", "token", "create", "--data", d, "--instance", "alice", "--scope", "*:read")
	id := regexp.MustCompile(`token (\S+) for`).FindStringSubmatch(errOut)
	if id == nil {
		t.Fatalf("no token id in %q", errOut)
	}
	if code, out, _ := cli(t, "", "token", "revoke", "--data", d, "--instance", "alice", id[1]); code != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("revoke: %d %s", code, out)
	}
	if code, _, errOut := cli(t, "", "token", "revoke", "--data", d, "--instance", "alice", id[1]); code != 1 || !strings.Contains(errOut, "not found") {
		t.Fatalf("second revoke: %d %s", code, errOut)
	}
}

// TestDemoWithTokenFromAnotherProcess: while `selfdata demo --data D` runs, `selfdata token
// create --data D` in another process works, and its token reads the demo data.
func TestDemoWithTokenFromAnotherProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the demo in a child process")
	}
	d := t.TempDir()
	demo := exec.Command(os.Args[0], "demo", "--data", d, "--addr", "127.0.0.1:0")
	demo.Env = append(os.Environ(), "SELFDATA_TEST_MAIN=1")
	stdout, err := demo.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		demo.Process.Signal(os.Interrupt)
		demo.Wait()
	}()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := regexp.MustCompile(`open (http://\S+)/`).FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	var base string
	select {
	case base = <-addr:
	case <-time.After(60 * time.Second):
		t.Fatal("the demo did not start within 60 s")
	}
	tok := exec.Command(os.Args[0], "token", "create", "--data", d, "--instance", "demo", "--scope", "*:read")
	tok.Env = append(os.Environ(), "SELFDATA_TEST_MAIN=1")
	out, err := tok.Output()
	if err != nil {
		t.Fatalf("token create while the demo runs: %v", err)
	}
	token := strings.TrimSpace(string(out))
	get := func(path string) map[string]any {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var v map[string]any
		json.NewDecoder(res.Body).Decode(&v)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d %v", path, res.StatusCode, v)
		}
		return v
	}
	ops := get("/api/v1/data/bank.operation?limit=1000")["items"].([]any)
	bills := get("/api/v1/data/bill?vendor=EDF")["items"].([]any)
	series := get("/api/v1/series")["items"].([]any)
	months := get("/api/v1/series/enedis-load-curve/aggregate?step=month")["items"].([]any)
	if len(ops) < 400 || len(bills) < 12 || len(series) < 5 || len(months) < 12 {
		t.Fatalf("demo data read with the token: %d operations, %d EDF bills, %d series, %d months", len(ops), len(bills), len(series), len(months))
	}

	// The demo person has let a service in, which has read: the consents and the access log
	// say so (the owner's session sees them; a token does not).
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	if res, err := browser.Get(base + "/login"); err != nil {
		t.Fatal(err)
	} else {
		res.Body.Close()
	}
	u, _ := url.Parse(base)
	var csrf string
	for _, c := range jar.Cookies(u) {
		if c.Name == "selfdata_csrf" {
			csrf = c.Value
		}
	}
	res, err := browser.PostForm(base+"/login", url.Values{"csrf": {csrf}, "instance": {"demo"}, "passphrase": {demoPassphrase}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	for path, want := range map[string]string{"/api/v1/consents": `"service":"watt-lyon"`, "/api/v1/access-log?actor=watt-lyon": `"actor_name":"Watt'Lyon"`, "/api/v1/alerts": `"service":"watt-lyon"`} {
		res, err := browser.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("GET %s as the demo person: %d %s; want %s", path, res.StatusCode, b, want)
		}
	}
}

func TestOrgCommands(t *testing.T) {
	d := t.TempDir()
	add := []string{"org", "add", "--data", d, "--id", "grdf", "--name", "GRDF", "--website", "https://www.grdf.fr", "--contact", "c@example.org", "--dpo", "dpo@example.org",
		"--purposes", "gas distribution; metering", "--legal-basis", "legal_obligation", "--doctypes", "meter,reading.gas", "--retention", "3 years", "--recipients", "your gas supplier",
		"--purposes-fr", "distribution du gaz ; relève des compteurs", "--retention-fr", "3 ans", "--recipients-fr", "votre fournisseur de gaz"}
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"add", add, 0, `^sdo_[A-Za-z0-9_-]{43}\n`},
		{"add again", add, 1, `already exists`},
		{"bad legal basis", []string{"org", "add", "--data", d, "--id", "x", "--name", "X", "--purposes", "p", "--purposes-fr", "p", "--legal-basis", "whim", "--doctypes", "bill", "--retention", "1y", "--retention-fr", "1 an"}, 1, `legal basis`},
		{"list", []string{"org", "list", "--data", d}, 0, `grdf\s+GRDF\s+legal_obligation\s+meter,reading.gas`},
		{"show", []string{"org", "show", "grdf", "--data", d}, 0, `"purposes": \[\s+"gas distribution",\s+"metering"`},
		{"remove", []string{"org", "remove", "grdf", "--data", d}, 0, `removed organization grdf`},
		{"show removed", []string{"org", "show", "grdf", "--data", d}, 1, `not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(t, "", tt.args...)
			if code != tt.code || !regexp.MustCompile(tt.out).MatchString(out+errOut) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant match: %s", code, tt.code, out, errOut, tt.out)
			}
		})
	}
}

// TestKeyForget: with the key file lost, the store refuses another key; key forget drops
// what only the lost key opened, and the store opens with the new key, its people intact.
func TestKeyForget(t *testing.T) {
	d := t.TempDir()
	st, err := sqlite.Open(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	alice, err := st.CreateInstance(context.Background(), "alice", "h")
	if err == nil {
		err = st.CreateSigningKey(context.Background(), store.SigningKey{ID: "k1", Instance: alice.ID, PublicKey: []byte("pub"), Created: time.Now()}, []byte("private"))
	}
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	newKey := filepath.Join(t.TempDir(), "new.key")
	for _, step := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"instance", "list", "--data", d, "--key-file", newKey}, 1, `not the key file`},
		{[]string{"key", "forget", "--data", d, "--key-file", newKey}, 1, `Run again with --yes`},
		{[]string{"key", "forget", "--yes", "--data", d, "--key-file", newKey}, 0, `dropped 1 signing keys, the tokens of 0 organization connections`},
		{[]string{"instance", "list", "--data", d, "--key-file", newKey}, 0, `alice`},
		{[]string{"instance", "list", "--data", d}, 1, `not the key file`}, // the old key in DIR/secret.key no longer opens it
	} {
		code, out, errOut := cli(t, "", step.args...)
		if code != step.code || !regexp.MustCompile(step.out).MatchString(out+errOut) {
			t.Fatalf("%v: exit %d (want %d)\n%s%s\nwant match: %s", step.args, code, step.code, out, errOut, step.out)
		}
	}
}
