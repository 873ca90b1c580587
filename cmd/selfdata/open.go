package main

import (
	"context"

	"flag"
	"os"
	"selfdata/internal/doctype"

	"selfdata/internal/store"
	"selfdata/internal/store/postgres"
	"selfdata/internal/store/sqlite"
)

// storeFlags are the flags that choose the backend.
type storeFlags struct{ data, db string }

func (f *storeFlags) register(fs *flag.FlagSet, defaultData string) {
	if v := os.Getenv("SELFDATA_DATA"); v != "" {
		defaultData = v
	}
	fs.StringVar(&f.data, "data", defaultData, "data directory of the embedded SQLite store")
	fs.StringVar(&f.db, "db", os.Getenv("SELFDATA_DB"), "PostgreSQL URL (postgres://...); overrides --data")
}

// open opens the chosen store.
func (f *storeFlags) open(ctx context.Context) (store.Store, error) {
	if f.db != "" {
		return postgres.Open(ctx, f.db)
	}
	return sqlite.Open(ctx, f.data)
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
	if err := st.EnsureIndexes(ctx, reg.IndexFields()); err != nil {
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
