package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// Prefixes make a leaked secret recognizable (by a person, a log filter or a secret scanner) and
// tell at a glance whether it is a browser session or a personal access token.
const (
	SessionPrefix = "sds_"
	TokenPrefix   = "sdp_"
)

// secretBytes is 256 bits: far beyond guessing, which is what lets HashSecret be a fast hash.
const secretBytes = 32

// NewSecret returns the secret to give out once and the hash to store; the secret itself is
// never stored, so a database leak gives no working session or token.
func NewSecret(prefix string) (secret, hash string, err error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("new secret: %w", err)
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret), nil
}

// HashSecret hashes the whole string, prefix included, so that a session secret presented as a
// token (or the reverse) never matches a stored hash.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// NewID gives tokens a public name to list and revoke them by, distinct from the secret. 60
// random bits make collisions within one instance negligible; the store still enforces
// uniqueness.
func NewID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("new id: %w", err)
	}
	return strings.ToLower(base32.StdEncoding.EncodeToString(b[:]))[:12], nil
}
