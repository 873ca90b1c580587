package main

import (
	"context"
	"errors"
	"flag"
	"os"

	"selfdata/internal/doctype"
	"selfdata/internal/store"
	"selfdata/internal/store/postgres"
	"selfdata/internal/store/sqlite"
	"selfdata/internal/store/sqlstore"
)

// storeFlags are the flags that choose the backend, and the key that seals its secrets.
type storeFlags struct{ data, db, keyFile string }

func (f *storeFlags) register(fs *flag.FlagSet, defaultData string) {
	if v := os.Getenv("SELFDATA_DATA"); v != "" {
		defaultData = v
	}
	fs.StringVar(&f.data, "data", defaultData, "data directory of the embedded SQLite store")
	fs.StringVar(&f.db, "db", os.Getenv("SELFDATA_DB"), "PostgreSQL URL (postgres://...); overrides --data")
	fs.StringVar(&f.keyFile, "key-file", os.Getenv("SELFDATA_KEY_FILE"),
		"file of the key that seals the stored secrets (made if missing); default DATA/"+sqlite.KeyFile+", required with --db")
}

// open opens the chosen store.
func (f *storeFlags) open(ctx context.Context) (store.Store, error) {
	if f.db != "" {
		if f.keyFile == "" {
			return nil, errors.New("--key-file (or SELFDATA_KEY_FILE) is required with --db: the key that seals the secrets kept in the database; it is made if missing, and every server on the database needs a copy of the same file")
		}
		key, err := sqlstore.LoadKey(f.keyFile)
		if err != nil {
			return nil, err
		}
		return postgres.Open(ctx, f.db, key)
	}
	if f.keyFile == "" {
		return sqlite.Open(ctx, f.data)
	}
	key, err := sqlstore.LoadKey(f.keyFile)
	if err != nil {
		return nil, err
	}
	return sqlite.OpenWithKey(ctx, f.data, key)
}

// openIndexed opens the store for serving: with the doctype registry, and the indexes its
// declared index fields need.
func (f *storeFlags) openIndexed(ctx context.Context) (store.Store, *doctype.Registry, error) {
	reg, err := doctype.Builtin()
	if err != nil {
		return nil, nil, err
	}
	st, err := f.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := st.EnsureIndexes(ctx, reg.Indexes()); err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, reg, nil
}

func newFlags(name string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet("selfdata "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}
