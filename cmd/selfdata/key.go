package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"selfdata/internal/store/postgres"
	"selfdata/internal/store/sqlite"
	"selfdata/internal/store/sqlstore"
)

// keyCmd: selfdata key forget --yes — the way back when the key file that seals the stored
// secrets is lost: the store refuses to open with another key, and this drops what only the
// lost key opened, sealing anew with the key file given (made if missing).
func keyCmd(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] != "forget" {
		return errors.New("give a subcommand: forget --yes (when the key file is lost)")
	}
	fs := newFlags("key forget", e)
	var sf storeFlags
	sf.register(fs, "data")
	yes := fs.Bool("yes", false, "confirm: the lost key's secrets are dropped for good")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("unknown use of key %s; see selfdata help", strings.Join(args, " "))
	}
	if !*yes {
		return errors.New("this drops the secrets only the lost key opens: the receipts' signing keys, the organizations' tokens (people authorize them again) and the services' tokens (services ask again); grants, data and logs stay. Run again with --yes")
	}
	keyFile := sf.keyFile
	if keyFile == "" && sf.db == "" {
		keyFile = filepath.Join(sf.data, sqlite.KeyFile)
	}
	if keyFile == "" {
		return errors.New("--key-file (or SELFDATA_KEY_FILE) is required with --db")
	}
	key, err := sqlstore.LoadKey(keyFile)
	if err != nil {
		return err
	}
	var f sqlstore.Forgotten
	if sf.db != "" {
		f, err = postgres.ForgetSecrets(ctx, sf.db, key)
	} else {
		f, err = sqlite.ForgetSecrets(ctx, sf.data, key)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "secrets now sealed with %s; dropped %d signing keys, the tokens of %d organization connections (now waiting for their person), %d service tokens\n",
		keyFile, f.SigningKeys, f.PullGrants, f.OAuthTokens)
	return nil
}
