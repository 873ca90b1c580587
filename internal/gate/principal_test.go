package gate

import (
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPrincipalsMadeHere: outside this package no code assembles a Principal field by
// field, so that every principal has one of the kinds and the rights its constructor gives
// (an empty Principal{}, which may do nothing, is allowed: it is what a failed
// authentication returns). The walk reads every Go file of the module, tests included.
func TestPrincipalsMadeHere(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found from the gate package: %v", err)
	}
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || filepath.Dir(path) == filepath.Join(root, "internal", "gate") {
			return nil
		}
		files++
		f, err := parser.ParseFile(gotoken.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		gateName := importName(f, "selfdata/internal/gate")
		if gateName == "" {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || len(lit.Elts) == 0 {
				return true
			}
			if sel, ok := lit.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Principal" {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == gateName {
					rel, _ := filepath.Rel(root, path)
					t.Errorf("%s: a gate.Principal literal; use a constructor of the gate (Owner, Token, Service, Organization, Operator, OrgKey)", rel)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("walked %d Go files: the walk missed the module", files)
	}
}

// importName is the name a file uses for the package at path, or "" when it does not import it.
func importName(f *ast.File, path string) string {
	for _, im := range f.Imports {
		if strings.Trim(im.Path.Value, `"`) != path {
			continue
		}
		if im.Name != nil {
			return im.Name.Name
		}
		return path[strings.LastIndex(path, "/")+1:]
	}
	return ""
}
