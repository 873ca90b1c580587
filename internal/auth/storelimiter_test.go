package auth

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"selfdata/internal/store/sqlite/sqlitetest"
)

// TestLoginLimitAcrossServers: two servers on one database share the counts and the
// devices' key. Failures of one client spread over both block it at either; a flood of a
// name spread over both blocks unknown browsers at either; a device cookie one server gave
// lets the person in at the other; the window's end lets everybody in again.
func TestLoginLimitAcrossServers(t *testing.T) {
	ctx := context.Background()
	db, _ := sqlitetest.Open(t)
	hash, err := HashPassphraseWith(rightPass, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateInstance(ctx, "alice", hash); err != nil {
		t.Fatal(err)
	}
	c := newClock()
	var servers [2]*Service
	for i := range servers {
		if servers[i], err = New(db, Config{SessionTTL: time.Hour, Now: c.now}); err != nil {
			t.Fatal(err)
		}
	}
	login := func(s *Service, addr string, devices ...string) (Result, error) {
		return s.LoginWith(ctx, Attempt{Name: "alice", Passphrase: rightPass, Addr: addr, Devices: devices})
	}
	home, err := login(servers[0], addrB)
	if err != nil {
		t.Fatal(err)
	}
	for i := range maxClientName {
		if _, _, err := servers[i%2].Login(ctx, "Alice", "wrong", addrA); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	for i := range maxName - maxClientName {
		if _, _, err := servers[i%2].Login(ctx, "alice", "wrong", fmt.Sprintf("10.2.%d.%d", i/200, i%200+1)); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("flood failure %d: %v", i+1, err)
		}
	}
	for i, s := range servers {
		var rl *RateLimitedError
		if _, err := login(s, addrA); !errors.As(err, &rl) || rl.RetryAfter != limitWindow {
			t.Errorf("server %d, the failing client: %v", i, err)
		}
		if _, err := login(s, addrC); !errors.As(err, &rl) {
			t.Errorf("server %d, an unknown browser after the flood: %v", i, err)
		}
		if _, err := login(s, addrB, home.Device.Cookie); err != nil {
			t.Errorf("server %d, alice's browser (cookie from server 0): %v", i, err)
		}
	}
	c.advance(limitWindow)
	if res, err := login(servers[1], addrA); err != nil || res.Instance.Name != "alice" {
		t.Fatalf("after the window: %v", err)
	}
}
