package sqlstore

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestSealer(t *testing.T) {
	key := bytes.Repeat([]byte{1}, KeySize)
	s, err := newSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := newSealer(bytes.Repeat([]byte{2}, KeySize))
	sealed := s.seal("pull-grant:c1:access", []byte("the-token"))
	if !strings.HasPrefix(sealed, sealedPrefix) || strings.Contains(sealed, "the-token") {
		t.Fatalf("sealed = %q", sealed)
	}
	if again := s.seal("pull-grant:c1:access", []byte("the-token")); again == sealed {
		t.Error("two seals of one secret are equal: the nonce is not fresh")
	}
	tests := []struct {
		name, place, stored string
		with                *sealer
		want                string
		legacy              bool
		err                 error
	}{
		{"its place", "pull-grant:c1:access", sealed, s, "the-token", false, nil},
		{"another place (a copied value)", "pull-grant:c2:access", sealed, s, "", false, ErrWrongKey},
		{"another key", "pull-grant:c1:access", sealed, other, "", false, ErrWrongKey},
		{"stored before sealing", "pull-grant:c1:access", "plain-token", s, "plain-token", true, nil},
		{"damaged", "pull-grant:c1:access", sealedPrefix + "!!", s, "", false, nil},
		{"truncated", "pull-grant:c1:access", sealed[:len(sealed)-4], s, "", false, ErrWrongKey},
	}
	for _, tt := range tests {
		got, legacy, err := tt.with.open(tt.place, tt.stored)
		switch {
		case tt.name == "damaged":
			if err == nil || !strings.Contains(err.Error(), "damaged") {
				t.Errorf("%s: err = %v", tt.name, err)
			}
		case tt.err != nil:
			if !errors.Is(err, tt.err) {
				t.Errorf("%s: err = %v, want %v", tt.name, err, tt.err)
			}
		case err != nil || string(got) != tt.want || legacy != tt.legacy:
			t.Errorf("%s: open = %q, %v, %v", tt.name, got, legacy, err)
		}
	}
	if _, err := newSealer(key[:16]); err == nil {
		t.Error("a 16-byte key was accepted")
	}
}

func TestLoadKey(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.key")
	// Made once, by whichever of several processes comes first; all read the same.
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := LoadKey(path)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if !bytes.Equal(k, keys[0]) || len(k) != KeySize {
			t.Fatalf("keys differ: %x, %x", k, keys[0])
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, %v; want 0600", fi.Mode(), err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".secret-key-*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	for name, content := range map[string]string{"not base64": "???", "short": base64.StdEncoding.EncodeToString([]byte("short"))} {
		bad := filepath.Join(dir, strings.ReplaceAll(name, " ", "-"))
		os.WriteFile(bad, []byte(content), 0o600)
		if _, err := LoadKey(bad); err == nil || !strings.Contains(err.Error(), "not a 32-byte key") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
