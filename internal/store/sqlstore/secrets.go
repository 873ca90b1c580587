package sqlstore

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"selfdata/internal/store"
)

// Secrets that must stay usable — the private keys that sign consent receipts, the tokens
// people granted selfdata at organizations, the OAuth server's HMAC key — are sealed before
// they reach the database: AES-256-GCM under the server's key, which lives outside the
// database (a key file). A dump or a stolen backup of the database alone gives none of them.
// Each sealed value is bound to where it belongs (its "place": the row's purpose and
// instance), so that a value copied into another row does not open.

// KeySize is the size of the server's key, in bytes.
const KeySize = 32

// sealedPrefix marks a sealed value; a value without it was stored before sealing existed,
// and is read as it is until it is next written.
const sealedPrefix = "sd1:"

// ErrWrongKey is the error of a key that is not the one the database's secrets were
// sealed with.
var ErrWrongKey = errors.New("the key does not open this database's secrets: it is not the key file they were sealed with")

// sealer seals and opens secrets with the server's key, and authenticates the heads of the
// access logs with a key derived from it.
type sealer struct {
	aead    cipher.AEAD
	headKey []byte
}

func newSealer(key []byte) (*sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("the key must be %d bytes, not %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	// The MAC key is derived, not the key itself: one key, two uses that cannot be confused.
	derive := hmac.New(sha256.New, key)
	io.WriteString(derive, "selfdata access log heads")
	return &sealer{aead: aead, headKey: derive.Sum(nil)}, nil
}

func (s *sealer) seal(place string, plain []byte) string {
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, []byte(place)))
}

// open returns the secret sealed for place; legacy is true for a value stored before
// sealing (returned as it is).
func (s *sealer) open(place, stored string) (plain []byte, legacy bool, err error) {
	b64, ok := strings.CutPrefix(stored, sealedPrefix)
	if !ok {
		return []byte(stored), true, nil
	}
	b, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil || len(b) < s.aead.NonceSize() {
		return nil, false, fmt.Errorf("sealed %s: damaged", place)
	}
	n := s.aead.NonceSize()
	plain, err = s.aead.Open(nil, b[:n], b[n:], []byte(place))
	if err != nil {
		return nil, false, fmt.Errorf("sealed %s: %w", place, ErrWrongKey)
	}
	return plain, false, nil
}

// keyCheck is the place of the sealed value by which Open tells a wrong key at once,
// rather than at the first secret read.
const keyCheck = "key-check"

// checkKey seals a known value on the first open — sealing first what older versions
// stored as it was — and opens it on every later one.
func (db *DB) checkKey(ctx context.Context) error {
	var stored []byte
	err := db.w.QueryRowContext(ctx, db.q(`SELECT value FROM server_secrets WHERE name = ?`), keyCheck).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) { // the first open with a key
		if err := db.sealLegacy(ctx); err != nil {
			return err
		}
		_, err = db.w.ExecContext(ctx, db.q(`INSERT INTO server_secrets (name, value, created) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM server_secrets WHERE name = ?)`),
			keyCheck, []byte(db.sealer.seal(keyCheck, []byte(keyCheck))), micros(db.now()), keyCheck)
		if err != nil && !db.d.IsUnique(err) {
			return fmt.Errorf("store the key check: %w", err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the key check: %w", err)
	}
	if plain, _, err := db.sealer.open(keyCheck, string(stored)); err != nil || string(plain) != keyCheck {
		return ErrWrongKey
	}
	return nil
}

// LoadKey reads the server's key from path (base64, as written here), creating the file
// with a new random key, readable by its owner only, when there is none.
func LoadKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return createKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("key file %s: not a %d-byte key in base64", path, KeySize)
	}
	return key, nil
}

// createKey writes a new key beside path and links it into place, so that no process ever
// reads a half-written key; of two processes creating it at once, both use the first's.
func createKey(path string) ([]byte, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".secret-key-*")
	if err != nil {
		return nil, fmt.Errorf("create key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err = errors.Join(err, tmp.Chmod(0o600), tmp.Sync(), tmp.Close()); err != nil {
		return nil, fmt.Errorf("write key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, os.ErrExist) {
		return LoadKey(path)
	} else if err != nil {
		return nil, fmt.Errorf("create key file: %w", err)
	}
	return key, nil
}

// Forgotten counts what ForgetSecrets let go of.
type Forgotten struct {
	SigningKeys, PullGrants, OAuthTokens int64
}

// ForgetSecrets is the way back when the key file is lost: it drops every sealed secret and
// seals the key check with key, in one transaction, so the store opens again. What is lost
// is what only the old key opened: the receipts' signing keys (new ones are made at the next
// receipt; receipts downloaded before no longer verify against the published keys, and are
// downloaded again), the organizations' tokens (each connection waits for the person to
// authorize it again), the services' OAuth tokens and the server's HMAC key (services ask
// again). Grants, consent records, data and the access log are untouched; the heads of the
// access logs are authenticated again with the new key, so verify vouches for them as they
// are now.
func ForgetSecrets(ctx context.Context, w *sql.DB, d Dialect, key []byte) (Forgotten, error) {
	var f Forgotten
	s, err := newSealer(key)
	if err != nil {
		return f, err
	}
	db := &DB{w: w, r: w, d: d, now: time.Now, sealer: s}
	if err := db.migrate(ctx); err != nil {
		return f, err
	}
	err = db.inTx(ctx, "forgetting secrets", func(tx *sql.Tx) error {
		for _, step := range []struct {
			query string
			args  []any
			n     *int64
		}{
			{`DELETE FROM signing_keys WHERE private <> ''`, nil, &f.SigningKeys}, // retired keys are public halves only
			{`UPDATE pull_grants SET access_token = '', refresh_token = '', state = ?`, []any{store.GrantNeedsAction}, &f.PullGrants},
			{`DELETE FROM pull_authorizations`, nil, nil},
			{`DELETE FROM oauth_tokens`, nil, &f.OAuthTokens},
			{`DELETE FROM server_secrets`, nil, nil},
		} {
			res, err := tx.ExecContext(ctx, db.q(step.query), step.args...)
			if err != nil {
				return fmt.Errorf("forget secrets: %w", err)
			}
			if step.n != nil {
				*step.n, _ = res.RowsAffected()
			}
		}
		return db.authenticateHeads(ctx, tx)
	})
	if err != nil {
		return f, err
	}
	return f, db.checkKey(ctx)
}

// legacySecrets are the columns that held secrets before sealing existed, each with the
// SQL expression of its row's key and place, and how its old value reads.
var legacySecrets = []struct {
	table, key, place, column string
	old                       func(string) ([]byte, error)
}{
	{"signing_keys", "id", `'signing-key:' || instance || ':' || id`, "private", base64.StdEncoding.DecodeString},
	{"pull_grants", "connection", `'pull-grant:' || connection || ':access'`, "access_token", plainSecret},
	{"pull_grants", "connection", `'pull-grant:' || connection || ':refresh'`, "refresh_token", plainSecret},
	{"pull_authorizations", "state_hash", `'pull-authorization:' || state_hash`, "verifier", plainSecret},
}

func plainSecret(s string) ([]byte, error) { return []byte(s), nil }

// sealLegacy seals the secrets stored before sealing existed: until then a dump of the
// database would still give them away. checkKey runs it once, on the first open with a key.
func (db *DB) sealLegacy(ctx context.Context) error {
	return db.inTx(ctx, "sealing older secrets", func(tx *sql.Tx) error {
		for _, c := range legacySecrets {
			q := fmt.Sprintf(`SELECT %s, %s, %s FROM %s WHERE %s <> '' AND %s NOT LIKE ?`, c.key, c.place, c.column, c.table, c.column, c.column)
			rows, err := tx.QueryContext(ctx, db.q(q), sealedPrefix+"%")
			if err != nil {
				return fmt.Errorf("seal older secrets: %w", err)
			}
			var found [][3]string // key, place, old value
			for rows.Next() {
				var r [3]string
				if err := rows.Scan(&r[0], &r[1], &r[2]); err != nil {
					rows.Close()
					return err
				}
				found = append(found, r)
			}
			rows.Close()
			for _, r := range found {
				plain, err := c.old(r[2])
				if err != nil {
					return fmt.Errorf("%s of %s: unreadable", c.column, r[0])
				}
				u := fmt.Sprintf(`UPDATE %s SET %s = ? WHERE %s = ?`, c.table, c.column, c.key)
				if _, err := tx.ExecContext(ctx, db.q(u), db.sealer.seal(r[1], plain), r[0]); err != nil {
					return fmt.Errorf("seal older secrets: %w", err)
				}
			}
		}
		return nil
	})
}
