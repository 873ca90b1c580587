package auth

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// fast keeps tests that hash many times quick; DefaultParams is tested in TestDefaultParams.
var fast = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestDefaultParams(t *testing.T) {
	h, err := HashPassphrase("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if want := "$argon2id$v=19$m=19456,t=2,p=1$"; !strings.HasPrefix(h, want) {
		t.Errorf("hash %q does not start with %q", h, want)
	}
	parts := strings.Split(h, "$")
	if len(parts[4]) != 22 || len(parts[5]) != 43 { // 16 and 32 bytes, raw base64
		t.Errorf("salt %q / hash %q: wrong lengths", parts[4], parts[5])
	}
	ok, err := VerifyPassphrase(h, "correct horse battery staple")
	if err != nil || !ok {
		t.Errorf("VerifyPassphrase(right) = %v, %v; want true, nil", ok, err)
	}
	if NeedsRehash(h) {
		t.Error("NeedsRehash(DefaultParams hash) = true")
	}
}

func TestHashVerify(t *testing.T) {
	tests := []struct {
		name, passphrase, attempt string
		want                      bool
	}{
		{"same", "a long enough passphrase", "a long enough passphrase", true},
		{"wrong", "a long enough passphrase", "a long enough passphrasE", false},
		{"prefix", "a long enough passphrase", "a long enough", false},
		{"empty attempt", "a long enough passphrase", "", false},
		{"unicode", "phrase de passe élégante ☕", "phrase de passe élégante ☕", true},
		{"unicode normalization differs", "é", "e\u0301", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := HashPassphraseWith(tt.passphrase, fast)
			if err != nil {
				t.Fatal(err)
			}
			got, err := VerifyPassphrase(h, tt.attempt)
			if err != nil || got != tt.want {
				t.Errorf("VerifyPassphrase = %v, %v; want %v, nil", got, err, tt.want)
			}
		})
	}
}

func TestHashesDiffer(t *testing.T) {
	a, err := HashPassphraseWith("same passphrase here", fast)
	if err != nil {
		t.Fatal(err)
	}
	b, err := HashPassphraseWith("same passphrase here", fast)
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Errorf("two hashes of one passphrase are equal: %q; the salt is not random", a)
	}
}

func TestHashPassphraseWithRejectsBadParams(t *testing.T) {
	tests := []struct {
		name string
		prm  Params
	}{
		{"zero", Params{}},
		{"no threads", Params{Memory: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32}},
		{"no time", Params{Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32}},
		{"too much time", Params{Memory: 64, Time: 21, Threads: 1, SaltLen: 16, KeyLen: 32}},
		{"too much memory", Params{Memory: 1<<20 + 1, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		{"memory below 8 per thread", Params{Memory: 15, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32}},
		{"short salt", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32}},
		{"short key", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if h, err := HashPassphraseWith("whatever it is", tt.prm); err == nil {
				t.Errorf("HashPassphraseWith(%+v) = %q, want an error", tt.prm, h)
			}
		})
	}
}

func TestVerifyMalformed(t *testing.T) {
	valid, err := HashPassphraseWith("a long enough passphrase", fast)
	if err != nil {
		t.Fatal(err)
	}
	p := strings.Split(valid, "$") // "", alg, version, params, salt, hash
	join := func(parts ...string) string { return strings.Join(parts, "$") }
	tests := []struct {
		name, encoded string
	}{
		{"empty", ""},
		{"not phc", "plaintext"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", join("", "argon2i", p[2], p[3], p[4], p[5])},
		{"argon2d", join("", "argon2d", p[2], p[3], p[4], p[5])},
		{"version 16", join("", p[1], "v=16", p[3], p[4], p[5])},
		{"no version", join("", p[1], p[3], p[4], p[5])},
		{"missing hash", join("", p[1], p[2], p[3], p[4])},
		{"extra field", join("", p[1], p[2], p[3], p[4], p[5], "x")},
		{"leading text", "x" + valid},
		{"trailing newline", valid + "\n"},
		{"bad salt base64", join("", p[1], p[2], p[3], "!!!notbase64!!!", p[5])},
		{"padded hash base64", join("", p[1], p[2], p[3], p[4], p[5]+"=")},
		{"url base64 hash", join("", p[1], p[2], p[3], p[4], strings.Repeat("_", 43))},
		{"empty salt", join("", p[1], p[2], p[3], "", p[5])},
		{"short hash", join("", p[1], p[2], p[3], p[4], "AAAA")},
		{"params order", join("", p[1], p[2], "t=1,m=64,p=1", p[4], p[5])},
		{"params missing", join("", p[1], p[2], "m=64,t=1", p[4], p[5])},
		{"params extra", join("", p[1], p[2], "m=64,t=1,p=1,keyid=x", p[4], p[5])},
		{"params not a number", join("", p[1], p[2], "m=64,t=one,p=1", p[4], p[5])},
		{"params negative", join("", p[1], p[2], "m=-64,t=1,p=1", p[4], p[5])},
		{"params plus sign", join("", p[1], p[2], "m=+64,t=1,p=1", p[4], p[5])},
		{"params leading zero", join("", p[1], p[2], "m=064,t=1,p=1", p[4], p[5])},
		{"params overflow", join("", p[1], p[2], "m=99999999999,t=1,p=1", p[4], p[5])},
		{"zero time", join("", p[1], p[2], "m=64,t=0,p=1", p[4], p[5])},
		{"zero threads", join("", p[1], p[2], "m=64,t=1,p=0", p[4], p[5])},
		{"threads over 255", join("", p[1], p[2], "m=4096,t=1,p=256", p[4], p[5])},
		{"absurd memory", join("", p[1], p[2], "m=1048577,t=1,p=1", p[4], p[5])},
		{"absurd time", join("", p[1], p[2], "m=64,t=21,p=1", p[4], p[5])},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := VerifyPassphrase(tt.encoded, "a long enough passphrase")
			if ok || !errors.Is(err, ErrMalformedHash) {
				t.Errorf("VerifyPassphrase(%q) = %v, %v; want false, ErrMalformedHash", tt.encoded, ok, err)
			}
			if !NeedsRehash(tt.encoded) {
				t.Errorf("NeedsRehash(%q) = false for a malformed hash", tt.encoded)
			}
		})
	}
}

func TestNeedsRehash(t *testing.T) {
	d := DefaultParams
	with := func(f func(*Params)) Params { p := d; f(&p); return p }
	tests := []struct {
		name string
		prm  Params
		want bool
	}{
		{"default", d, false},
		{"stronger", with(func(p *Params) { p.Memory, p.Time = 2*d.Memory, 3 }), false},
		{"more threads", with(func(p *Params) { p.Threads = 2 }), false},
		{"less memory", with(func(p *Params) { p.Memory = d.Memory - 1 }), true},
		{"less time", with(func(p *Params) { p.Time = 1 }), true},
		{"shorter salt", with(func(p *Params) { p.SaltLen = 8 }), true},
		{"shorter key", with(func(p *Params) { p.KeyLen = 16 }), true},
		{"test params", fast, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Build the encoding by hand: hashing with these params would be slow.
			h, err := HashPassphraseWith("x", Params{Memory: 8, Time: 1, Threads: 1, SaltLen: tt.prm.SaltLen, KeyLen: tt.prm.KeyLen})
			if err != nil {
				t.Fatal(err)
			}
			p := strings.Split(h, "$")
			p[3] = fmt.Sprintf("m=%d,t=%d,p=%d", tt.prm.Memory, tt.prm.Time, tt.prm.Threads)
			if got := NeedsRehash(strings.Join(p, "$")); got != tt.want {
				t.Errorf("NeedsRehash(%+v) = %v, want %v", tt.prm, got, tt.want)
			}
		})
	}
}

// FuzzVerifyPassphrase: whatever is in the passphrase column, verification returns, never panics.
func FuzzVerifyPassphrase(f *testing.F) {
	valid, err := HashPassphraseWith("a long enough passphrase", fast)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		valid, "", "$", "$$$$$", "$argon2id$v=19$m=64,t=1,p=1$$",
		"$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=1048576,t=20,p=255$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=0,t=0,p=0$$", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
	} {
		f.Add(s, "a long enough passphrase")
	}
	f.Fuzz(func(t *testing.T, encoded, passphrase string) {
		prm, _, _, err := decodeHash(encoded)
		if err != nil {
			if ok, verr := VerifyPassphrase(encoded, passphrase); ok || verr == nil {
				t.Fatalf("VerifyPassphrase(%q) = %v, %v after decode failed with %v", encoded, ok, verr, err)
			}
			return
		}
		// Decoding accepted it; run the whole verification only when it is cheap, so that the
		// fuzzer explores inputs instead of spending its time in argon2 at 1 GiB.
		if prm.Memory > 1024 || prm.Time > 2 || prm.Threads > 4 {
			return
		}
		if _, err := VerifyPassphrase(encoded, passphrase); err != nil {
			t.Fatalf("VerifyPassphrase(%q) = %v after decode succeeded", encoded, err)
		}
	})
}
