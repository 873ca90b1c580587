package auth

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
)

func TestNewSecret(t *testing.T) {
	for _, prefix := range []string{SessionPrefix, TokenPrefix} {
		t.Run(prefix, func(t *testing.T) {
			seen := map[string]bool{}
			for range 100 {
				s, h, err := NewSecret(prefix)
				if err != nil {
					t.Fatal(err)
				}
				rest, ok := strings.CutPrefix(s, prefix)
				if !ok {
					t.Fatalf("secret %q lacks prefix %q", s, prefix)
				}
				if len(rest) != 43 {
					t.Fatalf("secret %q: %d characters after the prefix, want 43", s, len(rest))
				}
				if b, err := base64.RawURLEncoding.DecodeString(rest); err != nil || len(b) != 32 {
					t.Fatalf("secret %q: not base64url of 32 bytes (%v)", s, err)
				}
				if h != HashSecret(s) {
					t.Fatalf("NewSecret hash %q != HashSecret(secret) %q", h, HashSecret(s))
				}
				if seen[s] {
					t.Fatalf("NewSecret repeated %q", s)
				}
				seen[s] = true
			}
		})
	}
}

func TestHashSecret(t *testing.T) {
	tests := []string{"", "sds_abc", "sdp_abc", "abc"}
	for _, s := range tests {
		sum := sha256.Sum256([]byte(s))
		if got, want := HashSecret(s), hex.EncodeToString(sum[:]); got != want {
			t.Errorf("HashSecret(%q) = %q, want %q", s, got, want)
		}
	}
	if HashSecret("sds_abc") == HashSecret("sdp_abc") {
		t.Error("session and token secrets with the same body hash alike")
	}
}

func TestNewID(t *testing.T) {
	format := regexp.MustCompile(`^[a-z2-7]{12}$`)
	seen := map[string]bool{}
	for range 1000 {
		id, err := NewID()
		if err != nil {
			t.Fatal(err)
		}
		if !format.MatchString(id) {
			t.Fatalf("NewID() = %q, want 12 lowercase base32 characters", id)
		}
		if seen[id] {
			t.Fatalf("NewID() repeated %q", id)
		}
		seen[id] = true
	}
}
