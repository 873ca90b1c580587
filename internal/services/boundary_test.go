package services

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoBackDoor: a built-in service holds no SQL and no HTTP and cannot reach the store
// around the gate. Its packages import neither a database nor a store implementation nor
// the web, and only this package (reader.go) touches the gate: a service reads through the
// Reader it is given, which is the gate with the principal of its own grant.
func TestNoBackDoor(t *testing.T) {
	forbidden := []string{"database/sql", "net/http", "selfdata/internal/store/", "selfdata/internal/web", "selfdata/internal/consent", "selfdata/internal/auth", "github.com/jackc/", "modernc.org/sqlite"}
	n := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		n++
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			for _, bad := range forbidden {
				if p == bad || strings.HasPrefix(p, bad) {
					t.Errorf("%s imports %s: a service reads through its Reader only", path, p)
				}
			}
			if p == "selfdata/internal/gate" && filepath.Dir(path) != "." {
				t.Errorf("%s imports the gate: a service is handed a Reader, it does not build one", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no Go file walked")
	}
}
