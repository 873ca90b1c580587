package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters. They are written into every hash, so changing
// DefaultParams never invalidates hashes made with older ones.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over memory
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams follow the OWASP Password Storage Cheat Sheet minimum for argon2id
// (m=19 MiB, t=2, p=1). That is the cheapest setting OWASP still calls adequate: one login costs
// a few tens of milliseconds and 19 MiB, which a small self-hosted server serving many people
// can afford, while it makes offline guessing on GPUs expensive. A 16-byte salt defeats
// precomputation; a 32-byte key is more than the guessing resistance of any passphrase.
// Treat it as a constant: it is a var only because Go has no struct constants.
var DefaultParams = Params{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Bounds beyond which a hash is not one we could have written. They keep a corrupted or
// hostile stored hash from making a single verification allocate gigabytes or run for minutes.
const (
	maxMemory  = 1 << 20 // KiB, 1 GiB
	maxTime    = 20
	minSaltLen = 8
	minKeyLen  = 16
	maxLen     = 1024 // bytes, for salt and key
)

// ErrMalformedHash is returned (wrapped) when an encoded passphrase hash cannot be read. It
// means the stored value is corrupt or not ours, not that the passphrase is wrong.
var ErrMalformedHash = errors.New("malformed passphrase hash")

// HashPassphrase hashes with DefaultParams, which is what every new or changed passphrase gets.
func HashPassphrase(p string) (string, error) {
	return HashPassphraseWith(p, DefaultParams)
}

// HashPassphraseWith exists for tests (cheap parameters) and for operators who raise the cost.
func HashPassphraseWith(p string, prm Params) (string, error) {
	if err := prm.check(); err != nil {
		return "", fmt.Errorf("hash passphrase: %w", err)
	}
	salt := make([]byte, prm.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash passphrase: salt: %w", err)
	}
	key := argon2.IDKey([]byte(p), salt, prm.Time, prm.Memory, prm.Threads, prm.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, prm.Memory, prm.Time, prm.Threads,
		base64.RawStdEncoding.EncodeToString(salt),
		base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassphrase reports a wrong passphrase as (false, nil): that is an expected outcome, and
// an error is kept for a stored hash that cannot be read, which an operator must look at.
func VerifyPassphrase(encoded, p string) (bool, error) {
	prm, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(p), salt, prm.Time, prm.Memory, prm.Threads, prm.KeyLen)
	// Constant time, so that response timing reveals nothing about how much of the key matched.
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash lets the login handler upgrade a hash while it briefly holds the plain passphrase.
// A malformed hash also needs replacing, so it reports true.
func NeedsRehash(encoded string) bool {
	prm, _, _, err := decodeHash(encoded)
	if err != nil {
		return true
	}
	d := DefaultParams
	return prm.Memory < d.Memory || prm.Time < d.Time ||
		prm.SaltLen < d.SaltLen || prm.KeyLen < d.KeyLen
}

// check refuses parameters that argon2 would panic on or that are absurdly costly.
func (prm Params) check() error {
	switch {
	case prm.Threads < 1:
		return fmt.Errorf("%w: parallelism %d < 1", ErrMalformedHash, prm.Threads)
	case prm.Time < 1 || prm.Time > maxTime:
		return fmt.Errorf("%w: time %d not in 1..%d", ErrMalformedHash, prm.Time, maxTime)
	case prm.Memory < 8*uint32(prm.Threads) || prm.Memory > maxMemory:
		return fmt.Errorf("%w: memory %d KiB not in %d..%d", ErrMalformedHash,
			prm.Memory, 8*uint32(prm.Threads), maxMemory)
	case prm.SaltLen < minSaltLen || prm.SaltLen > maxLen:
		return fmt.Errorf("%w: salt length %d not in %d..%d", ErrMalformedHash,
			prm.SaltLen, minSaltLen, maxLen)
	case prm.KeyLen < minKeyLen || prm.KeyLen > maxLen:
		return fmt.Errorf("%w: key length %d not in %d..%d", ErrMalformedHash,
			prm.KeyLen, minKeyLen, maxLen)
	}
	return nil
}

// decodeHash reads exactly the form HashPassphraseWith writes; anything else is malformed, so
// that a hash from another tool or a truncated value is noticed instead of half-understood.
func decodeHash(encoded string) (prm Params, salt, key []byte, err error) {
	fail := func(format string, args ...any) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("%w: "+format, append([]any{ErrMalformedHash}, args...)...)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return fail("want $argon2id$v=19$m=...,t=...,p=...$salt$hash")
	}
	if parts[1] != "argon2id" {
		return fail("algorithm %q, want argon2id", parts[1])
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return fail("version %q, want v=%d", parts[2], argon2.Version)
	}
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return fail("parameters %q, want m=...,t=...,p=...", parts[3])
	}
	var vals [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(fields[i], name+"=")
		if !ok {
			return fail("parameter %q, want %s=", fields[i], name)
		}
		n, perr := strconv.ParseUint(v, 10, 32)
		if perr != nil || (v != "0" && v[0] == '0') {
			return fail("parameter %q is not a number", fields[i])
		}
		vals[i] = n
	}
	if vals[2] > 255 {
		return fail("parallelism %d > 255", vals[2])
	}
	// The base64 decoder skips newlines; a stored hash with one is damaged, not equivalent.
	if strings.ContainsAny(parts[4]+parts[5], "\r\n") {
		return fail("line break in salt or hash")
	}
	enc := base64.RawStdEncoding.Strict()
	salt, serr := enc.DecodeString(parts[4])
	if serr != nil {
		return fail("salt: %v", serr)
	}
	key, kerr := enc.DecodeString(parts[5])
	if kerr != nil {
		return fail("hash: %v", kerr)
	}
	prm = Params{
		Memory: uint32(vals[0]), Time: uint32(vals[1]), Threads: uint8(vals[2]),
		SaltLen: uint32(len(salt)), KeyLen: uint32(len(key)),
	}
	if err := prm.check(); err != nil {
		return Params{}, nil, nil, err
	}
	return prm, salt, key, nil
}
