package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selfdata/internal/alert"
	"selfdata/internal/consent"
	"selfdata/internal/gate"
	"selfdata/internal/pull"
	"selfdata/internal/store/postgres/pgtest"
)

// TestStartJobs: serve's job runner opens in the store's own database and runs what is
// registered on it — here the pull schedule, which runs once shortly after start — on the
// SQLite file and on PostgreSQL; without a pull provider it starts all the same, with no
// pull service.
func TestStartJobs(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		var f serverFlags
		f.data = t.TempDir()
		testStartJobs(t, f)
	})
	t.Run("postgres", func(t *testing.T) {
		var f serverFlags
		f.db, f.keyFile = pgtest.URL(t), filepath.Join(t.TempDir(), "key")
		testStartJobs(t, f)
	})
}

func testStartJobs(t *testing.T, f serverFlags) {
	ctx := context.Background()
	st, reg, err := f.openIndexed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	g := gate.New(st, reg)
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	checks, err := newEnergyChecks(st, g, consent.NewGrants(st, reg), alert.New(st, reg, nil, log), log)
	if err != nil {
		t.Fatal(err)
	}

	runner, pulls, err := startJobs(ctx, f, st, g, checks, log)
	if err != nil {
		t.Fatal(err)
	}
	if pulls != nil {
		t.Error("a pull service without any provider configured")
	}
	stopJobs(runner, log)

	f.pull.providers = pull.DefaultProviders()
	f.pull.providers[0].ClientID = "selfdata-test"
	runner, pulls, err = startJobs(ctx, f, st, g, checks, log)
	if err != nil {
		t.Fatal(err)
	}
	defer stopJobs(runner, log)
	if pulls == nil {
		t.Fatal("no pull service with a provider configured")
	}
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(logs.String(), "pull schedule") {
		if time.Now().After(deadline) {
			t.Fatalf("the pull schedule did not run after start; logs:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
