// Command selfdata is the whole platform in one binary: the server (serve, demo) and the
// operator's tools (instance, token). main only parses flags and wires the pieces together —
// store, doctype registry, gate, auth, web — so a reader can follow everything from here.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `selfdata — a personal data store for everyone.

Usage:
  selfdata serve    [--data DIR | --db URL] [--addr HOST:PORT]   run the server
  selfdata demo     [--data DIR] [--addr HOST:PORT]              seed a demo person and serve
  selfdata instance create NAME | list | erase NAME [--yes]      manage people's stores
  selfdata instance export NAME -o FILE                          the person's whole store as one zip archive
  selfdata instance import FILE [--as NAME] [--generate]         a store moved from another server (docs/moving.md)
  selfdata token    create --instance NAME --scope DOCTYPE:VERBS[,...] [--label L]
  selfdata token    list --instance NAME | revoke --instance NAME ID
  selfdata import   --instance NAME [--format F] [--columns C] FILE...  import files downloaded from organizations
  selfdata org      add --id ID --name N --purposes P --purposes-fr P --legal-basis B --doctypes D
                   --retention R --retention-fr R [--recipients R --recipients-fr R] [...]
  selfdata org      list | show ID | remove ID                      organizations that restore data
  selfdata audit    verify --instance NAME                          check that the access log was not tampered with
  selfdata service  add --id ID --name N --company C --description D --description-fr D --privacy-policy URL
                   --redirect-uri URL[,...] --doctypes D --verbs read[,write] --purpose dpv:P
                   --legal-basis B --retention R --retention-fr R [--retention-days N] [--leaves-store] [--public]
  selfdata service  list | show ID | remove ID                      services that people may grant access to
  selfdata register export [--register FILE] [--format json|csv]   the register of processing activities (GDPR Art. 30)
  selfdata key      forget --yes                                    the key file is lost: drop what only it opened

Every command takes --data DIR (the embedded SQLite store, default ./data, or $SELFDATA_DATA)
or --db postgres://... (PostgreSQL, or $SELFDATA_DB), and --key-file FILE (or
$SELFDATA_KEY_FILE; default DIR/secret.key, required with --db): the key sealing stored secrets.
VERBS is read, write or read+write; DOCTYPE may be * for every doctype. What organizations and
services declare to people is given in English and in French (the flags ending in -fr).
`

// env is what a command reads and writes, passed in so tests can run commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}))
}

// run dispatches a command line and returns the exit code.
func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return 2
	}
	commands := map[string]func(context.Context, []string, env) error{
		"serve":    serveCmd,
		"demo":     demoCmd,
		"instance": instanceCmd,
		"token":    tokenCmd,
		"import":   importCmd,
		"org":      orgCmd,
		"audit":    auditCmd,
		"service":  serviceCmd,
		"key":      keyCmd,
		"register": registerCmd,
	}
	cmd, ok := commands[args[0]]
	if !ok {
		if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
			fmt.Fprint(e.stdout, usage)
			return 0
		}
		fmt.Fprintf(e.stderr, "selfdata: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err := cmd(ctx, args[1:], e); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(e.stderr, "selfdata %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

// parse parses flags placed before or after positional arguments and returns the latter.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
