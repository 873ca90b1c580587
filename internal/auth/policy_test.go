package auth

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

func TestCheckPassphrase(t *testing.T) {
	tests := []struct {
		name, p string
		ok      bool
	}{
		{"empty", "", false},
		{"11 chars", "abcdefghijk", false},
		{"12 chars", "abcdefghijkl", true},
		{"words", "correct horse battery staple", true},
		{"11 runes, 22 bytes", strings.Repeat("é", 11), false},
		{"12 runes", strings.Repeat("é", 12), true},
		{"1024 bytes", strings.Repeat("a", 1024), true},
		{"1025 bytes", strings.Repeat("a", 1025), false},
		{"1026 bytes of 513 runes", strings.Repeat("é", 513), false},
		{"invalid utf-8", "abcdefghijkl\xff", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPassphrase(tt.p)
			if tt.ok && err != nil {
				t.Errorf("CheckPassphrase = %v, want nil", err)
			}
			if !tt.ok && !errors.Is(err, ErrWeakPassphrase) {
				t.Errorf("CheckPassphrase = %v, want ErrWeakPassphrase", err)
			}
		})
	}
}

func TestCheckPassphraseMessage(t *testing.T) {
	err := CheckPassphrase("short")
	if err == nil || !strings.Contains(err.Error(), "at least 12") {
		t.Errorf("CheckPassphrase(short) = %v; want a message saying at least 12", err)
	}
}

func TestGeneratePassphrase(t *testing.T) {
	format := regexp.MustCompile(`^[a-hjkmnp-z2-9]{5}(-[a-hjkmnp-z2-9]{5}){3}$`)
	seen := map[string]bool{}
	for range 1000 {
		p, err := GeneratePassphrase()
		if err != nil {
			t.Fatal(err)
		}
		if !format.MatchString(p) {
			t.Fatalf("GeneratePassphrase() = %q, want 4 groups of 5 unambiguous characters", p)
		}
		if strings.ContainsAny(p, "0o1li") {
			t.Fatalf("GeneratePassphrase() = %q contains an ambiguous character", p)
		}
		if err := CheckPassphrase(p); err != nil {
			t.Fatalf("CheckPassphrase(%q) = %v", p, err)
		}
		if seen[p] {
			t.Fatalf("GeneratePassphrase() repeated %q", p)
		}
		seen[p] = true
	}
}

func TestPassphraseAlphabet(t *testing.T) {
	if len(passphraseAlphabet) != 31 || strings.ContainsAny(passphraseAlphabet, "0o1li") {
		t.Errorf("alphabet %q: want 31 symbols without 0, o, 1, l, i", passphraseAlphabet)
	}
}
