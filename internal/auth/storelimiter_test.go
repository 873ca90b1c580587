package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"selfdata/internal/store/sqlite/sqlitetest"
)

// TestLoginLimitAcrossServers: two servers on one database share the per-instance count, so
// that ten failures spread over both block the eleventh attempt at either, even with the
// right passphrase; the window's end lets the person in again.
func TestLoginLimitAcrossServers(t *testing.T) {
	ctx := context.Background()
	db, _ := sqlitetest.Open(t)
	hash, err := HashPassphrase("the right passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateInstance(ctx, "alice", hash); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	clock := func() time.Time { return now }
	var servers [2]*Service
	for i := range servers {
		if servers[i], err = NewService(db, time.Hour); err != nil {
			t.Fatal(err)
		}
		servers[i].byInstance.now = clock
	}
	for i := range 10 {
		// Each failure from its own address, so that only the per-instance count can block.
		addr := "192.0.2." + string(rune('0'+i))
		if _, _, err := servers[i%2].Login(ctx, "Alice", "wrong", addr); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	for i, s := range servers {
		var rl *RateLimitedError
		if _, _, err := s.Login(ctx, "alice", "the right passphrase", "198.51.100.1"); !errors.As(err, &rl) || rl.RetryAfter <= 0 || rl.RetryAfter > 15*time.Minute {
			t.Fatalf("server %d after 10 failures: %v", i, err)
		}
	}
	now = now.Add(15 * time.Minute)
	if _, in, err := servers[1].Login(ctx, "alice", "the right passphrase", "198.51.100.1"); err != nil || in.Name != "alice" {
		t.Fatalf("after the window: %v", err)
	}
}
