package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"selfdata/internal/rights/register"
)

// registerCmd: selfdata register export [--register FILE] [--format json|csv] — prints the
// operator's register of processing activities (GDPR Art. 30), the file's or the built-in
// one, for the supervisory authority or a spreadsheet. It needs no store.
func registerCmd(_ context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] != "export" {
		return errors.New("give a subcommand: export [--register FILE] [--format json|csv]")
	}
	fs := newFlags("register export", e)
	file := fs.String("register", "", "the register's JSON file (the built-in register when empty)")
	format := fs.String("format", "json", "json or csv")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("unexpected argument %q", pos[0])
	}
	r, err := loadRegister(*file)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		return r.WriteJSON(e.stdout)
	case "csv":
		return r.WriteCSV(e.stdout)
	}
	return fmt.Errorf("--format %q: give json or csv", *format)
}

// loadRegister reads the register file, or gives the built-in register when there is none.
func loadRegister(file string) (register.Register, error) {
	if file == "" {
		return register.Default(), nil
	}
	return register.Load(file)
}

// registerFile is the register serve --register gives the pages, nil for the built-in one.
func registerFile(file string) (*register.Register, error) {
	if file == "" {
		return nil, nil
	}
	r, err := register.Load(file)
	if err != nil {
		return nil, fmt.Errorf("--register: %w", err)
	}
	return &r, nil
}

// requestsRemindEvery is how often the requests past their due day are looked for: a
// reminder comes within hours of the deadline, and a day's check costs one query a person.
const requestsRemindEvery = 6 * time.Hour
