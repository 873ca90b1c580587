package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// modulesFile is the committed list of the modules the binary links.
const modulesFile = "modules.txt"

// modulesHeader opens modulesFile; the update mode writes it back unchanged.
const modulesHeader = `# Modules linked into ./cmd/selfdata, one "path version" a line, sorted; the list is taken for
# GOOS=linux GOARCH=amd64 (another platform links a few more, e.g. mattn/go-isatty on darwin).
# TestLinkedModules (deps_test.go) fails when the build links a module not listed here, drops
# one that is, or links another version: every addition is a reviewed change, and its commit
# says why the module earns its place (DESIGN.md: "a dependency must earn its place").
# After that review, rewrite this file with:
#   SELFDATA_UPDATE_MODULES=1 go test ./cmd/selfdata -run TestLinkedModules
`

// TestLinkedModules keeps the binary's dependencies on a budget: a module that comes in
// through a new import, or a bump that drags others along, shows up here by name rather
// than unnoticed in go.sum.
func TestLinkedModules(t *testing.T) {
	got, err := linkedModules()
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("SELFDATA_UPDATE_MODULES") != "" {
		if err := os.WriteFile(modulesFile, []byte(modulesHeader+strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d modules to %s", len(got), modulesFile)
		return
	}
	b, err := os.ReadFile(modulesFile)
	if err != nil {
		t.Fatal(err)
	}
	want, err := parseModules(b)
	if err != nil {
		t.Fatalf("%s: %v", modulesFile, err)
	}
	for _, d := range diffModules(want, got) {
		t.Error(d)
	}
	if t.Failed() {
		t.Logf("if the change is wanted, review it and update %s (see its header)", modulesFile)
	}
}

// linkedModules lists the modules that provide a package of the selfdata build, as
// "path version" (with " => path version" for a replaced one), sorted. go list reads only
// go.mod files and the module cache: GOPROXY=off makes sure it never reaches the network,
// and a fixed platform makes the answer the same on every machine.
func linkedModules() ([]string, error) {
	const format = `{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}}{{with .Replace}} => {{.Path}} {{.Version}}{{end}}{{end}}{{end}}`
	cmd := exec.Command("go", "list", "-deps", "-f", format, ".")
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=amd64", "GOPROXY=off", "GOFLAGS=-mod=readonly", "GOWORK=off", "GOTOOLCHAIN=local")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -deps (offline; is the module cache filled? go mod download fills it): %w\n%s", err, stderr.String())
	}
	var mods []string
	for line := range strings.Lines(string(out)) {
		if line = strings.TrimSpace(line); line != "" {
			mods = append(mods, line)
		}
	}
	slices.Sort(mods)
	return slices.Compact(mods), nil
}

// parseModules reads modulesFile: comments and blank lines aside, one module a line, sorted
// and without duplicates, so that a hand edit cannot hide a line among others.
func parseModules(b []byte) ([]string, error) {
	var mods []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if len(strings.Fields(line)) < 2 {
			return nil, fmt.Errorf("line %d: %q is not \"path version\"", n, line)
		}
		if len(mods) > 0 && line <= mods[len(mods)-1] {
			return nil, fmt.Errorf("line %d: %q is out of order or repeated; keep the list sorted", n, line)
		}
		mods = append(mods, line)
	}
	return mods, sc.Err()
}

// diffModules says what changed from want to got: a module added, removed, or linked at
// another version, one sentence each.
func diffModules(want, got []string) []string {
	versions := func(list []string) map[string]string {
		m := map[string]string{}
		for _, l := range list {
			path, version, _ := strings.Cut(l, " ")
			m[path] = version
		}
		return m
	}
	w, g := versions(want), versions(got)
	var out []string
	for _, l := range got {
		path, version, _ := strings.Cut(l, " ")
		switch old, ok := w[path]; {
		case !ok:
			out = append(out, fmt.Sprintf("module added: %s %s (not in %s)", path, version, modulesFile))
		case old != version:
			out = append(out, fmt.Sprintf("module changed: %s %s, %s lists %s", path, version, modulesFile, old))
		}
	}
	for _, l := range want {
		path, version, _ := strings.Cut(l, " ")
		if _, ok := g[path]; !ok {
			out = append(out, fmt.Sprintf("module removed: %s %s (listed in %s, no longer linked)", path, version, modulesFile))
		}
	}
	return out
}

func TestDiffModules(t *testing.T) {
	base := []string{"a.example/x v1.0.0", "b.example/y v0.2.0"}
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"same", base, nil},
		{"added", append(slices.Clone(base), "c.example/z v1.1.0"), []string{"module added: c.example/z v1.1.0 (not in modules.txt)"}},
		{"removed", base[:1], []string{"module removed: b.example/y v0.2.0 (listed in modules.txt, no longer linked)"}},
		{"bumped", []string{"a.example/x v1.0.1", "b.example/y v0.2.0"}, []string{"module changed: a.example/x v1.0.1, modules.txt lists v1.0.0"}},
	}
	for _, tt := range tests {
		if got := diffModules(base, tt.got); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestParseModulesRefusesDisorder(t *testing.T) {
	for _, in := range []string{"b v1\na v1\n", "a v1\na v1\n", "a\n"} {
		if _, err := parseModules([]byte("# header\n" + in)); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
	got, err := parseModules([]byte("# header\n\na v1\nb v2 => c v3\n"))
	if err != nil || !slices.Equal(got, []string{"a v1", "b v2 => c v3"}) {
		t.Errorf("got %q, %v", got, err)
	}
}
