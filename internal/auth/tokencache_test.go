package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// TestTokenTrustedForTTL: a token found valid is trusted for TokenTTL without reading the
// store again — a revocation made meanwhile by another process takes effect when it runs
// out — while an unknown or revoked secret is looked up every time and never trusted.
func TestTokenTrustedForTTL(t *testing.T) {
	ctx := context.Background()
	db, _ := sqlitetest.Open(t)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	s, err := New(db, Config{SessionTTL: time.Hour, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	in, err := db.CreateInstance(ctx, "alice", "h")
	if err != nil {
		t.Fatal(err)
	}
	secret, tok, err := s.CreateToken(ctx, in.ID, "*:read", "script")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Token(ctx, secret); err != nil || got.ID != tok.ID {
		t.Fatalf("a new token: %+v, %v", got, err)
	}
	if err := db.RevokeToken(ctx, in.ID, tok.ID, now); err != nil {
		t.Fatal(err)
	}
	now = now.Add(TokenTTL - time.Millisecond)
	if _, err := s.Token(ctx, secret); err != nil {
		t.Fatalf("within TokenTTL of its check: %v, want it still trusted", err)
	}
	now = now.Add(time.Millisecond)
	if _, err := s.Token(ctx, secret); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("TokenTTL after its check, revoked: %v, want refused", err)
	}
	// Refused once, refused always: a revoked token is not kept.
	for range 2 {
		if _, err := s.Token(ctx, secret); !errors.Is(err, ErrUnauthenticated) {
			t.Fatalf("revoked token: %v", err)
		}
	}
	if _, err := s.Token(ctx, TokenPrefix+"unknown"); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("unknown token: %v", err)
	}
}

// TestTokenCacheBounded: the cache never holds more than maxCachedTokens.
func TestTokenCacheBounded(t *testing.T) {
	var c tokenCache
	now := time.Now()
	for i := range maxCachedTokens + 10 {
		c.put(string(rune(i)), storeToken(i), now)
	}
	if n := len(c.m); n > maxCachedTokens {
		t.Fatalf("%d tokens cached", n)
	}
	if _, ok := c.get(string(rune(maxCachedTokens+9)), now); !ok {
		t.Fatal("the last token put is not there")
	}
}

func storeToken(i int) store.Token { return store.Token{ID: string(rune('a' + i%26))} }
