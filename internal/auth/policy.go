package auth

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrWeakPassphrase is wrapped by CheckPassphrase so that the web layer can show the message to
// the person (it is written for them) and tell it apart from internal failures.
var ErrWeakPassphrase = errors.New("passphrase not accepted")

const (
	minPassphraseRunes = 12
	// maxPassphraseBytes keeps hashing cost predictable and stops a request body from being
	// used as a passphrase; no one types more.
	maxPassphraseBytes = 1024
)

// CheckPassphrase applies length rules only, as NIST SP 800-63B advises: composition rules
// ("one digit, one symbol") make passphrases harder to remember without making them stronger.
func CheckPassphrase(p string) error {
	if len(p) > maxPassphraseBytes {
		return fmt.Errorf("%w: it is too long (%d bytes); use at most %d",
			ErrWeakPassphrase, len(p), maxPassphraseBytes)
	}
	if !utf8.ValidString(p) {
		return fmt.Errorf("%w: it contains characters that are not valid text", ErrWeakPassphrase)
	}
	if n := utf8.RuneCountInString(p); n < minPassphraseRunes {
		return fmt.Errorf("%w: it has %d characters; use at least %d, for example a few unrelated words",
			ErrWeakPassphrase, n, minPassphraseRunes)
	}
	return nil
}

// passphraseAlphabet leaves out 0, o, 1, l and i, which are easy to misread when a generated
// passphrase is copied from a screen or paper. 31 symbols give log2(31) ≈ 4.95 bits each.
const passphraseAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

const (
	passphraseGroups   = 4 // 4 × 5 × 4.95 ≈ 99 bits: beyond offline guessing even with weak params
	passphraseGroupLen = 5
)

// GeneratePassphrase gives the operator something to hand to a new person (or the demo) that is
// strong without a password manager yet short enough to type: lowercase, grouped, unambiguous.
func GeneratePassphrase() (string, error) {
	var b strings.Builder
	buf := make([]byte, 64)
	n := 0
	for n < passphraseGroups*passphraseGroupLen {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("generate passphrase: %w", err)
		}
		for _, c := range buf {
			// Reject bytes beyond the largest multiple of len(alphabet) so every symbol is
			// equally likely (no modulo bias).
			if int(c) >= 256-256%len(passphraseAlphabet) {
				continue
			}
			if n > 0 && n%passphraseGroupLen == 0 {
				b.WriteByte('-')
			}
			b.WriteByte(passphraseAlphabet[int(c)%len(passphraseAlphabet)])
			n++
			if n == passphraseGroups*passphraseGroupLen {
				break
			}
		}
	}
	return b.String(), nil
}
