package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A device cookie tells a browser in which a person logged in before (OWASP's "device
// cookies" against lockout): failed logins from elsewhere do not lock that browser out, and
// its own failures are counted against it alone. It opens nothing — a session still needs
// the passphrase — so it holds only what the limits need: the instance it is for, a random
// device id (what its failures are counted by) and when it was issued.
//
// It is stateless, so nothing about it is stored: its value is signed with HMAC-SHA256
// under a server secret kept (sealed) in the store, which every server on one database
// shares and which makes it unforgeable. A cookie of another instance, an altered or an
// expired one, is no device cookie; the login is then counted as from an unknown browser.
//
//	sdd_<instance, base64url>.<device id, hex>.<issued, unix seconds>.<HMAC, base64url>

// DevicePrefix marks a device cookie's value.
const DevicePrefix = "sdd_"

// DefaultDeviceTTL is how long a browser stays known after its last successful login.
const DefaultDeviceTTL = 180 * 24 * time.Hour

// maxDeviceCookie bounds what is checked: a real cookie is about 120 characters.
const maxDeviceCookie = 256

// deviceSecret is the name of the devices' key among the server secrets.
const deviceSecret = "device-hmac"

// Device is a device cookie to give the browser after a successful login.
type Device struct {
	Cookie string // the value
	// Slot names the cookie apart from those of other people who log in with the same
	// browser, the same for every cookie of one instance, without telling the instance.
	Slot string
	TTL  time.Duration
}

// secretStore is where the devices' key is kept.
type secretStore interface {
	ServerSecret(ctx context.Context, name string, mk func() ([]byte, error)) ([]byte, error)
}

// devices issues and checks device cookies. Its key is read from the store at the first
// login that needs it, so that commands that never log anyone in do not make one.
type devices struct {
	st  secretStore
	ttl time.Duration

	mu  sync.Mutex
	key []byte
}

func (d *devices) hmacKey(ctx context.Context) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.key != nil {
		return d.key, nil
	}
	key, err := d.st.ServerSecret(ctx, deviceSecret, func() ([]byte, error) {
		b := make([]byte, 32)
		_, err := rand.Read(b)
		return b, err
	})
	if err != nil {
		return nil, fmt.Errorf("device cookie key: %w", err)
	}
	d.key = key
	return key, nil
}

// issue makes a new device cookie for the instance.
func (d *devices) issue(ctx context.Context, instanceID string, now time.Time) (Device, error) {
	key, err := d.hmacKey(ctx)
	if err != nil {
		return Device{}, err
	}
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return Device{}, fmt.Errorf("device id: %w", err)
	}
	body := DevicePrefix + base64.RawURLEncoding.EncodeToString([]byte(instanceID)) + "." + hex.EncodeToString(id[:]) + "." + strconv.FormatInt(now.Unix(), 10)
	return Device{Cookie: body + "." + sign(key, "device", body), Slot: slot(key, instanceID), TTL: d.ttl}, nil
}

// find returns the id of the first of cookies that is a valid device cookie of the
// instance, or "" when none is.
func (d *devices) find(ctx context.Context, cookies []string, instanceID string, now time.Time) (string, error) {
	if len(cookies) == 0 {
		return "", nil
	}
	key, err := d.hmacKey(ctx)
	if err != nil {
		return "", err
	}
	for _, c := range cookies {
		if id, ok := d.check(key, c, instanceID, now); ok {
			return id, nil
		}
	}
	return "", nil
}

// check verifies one cookie: signed by key, for the instance, issued within the TTL.
func (d *devices) check(key []byte, cookie, instanceID string, now time.Time) (id string, ok bool) {
	if len(cookie) > maxDeviceCookie || !strings.HasPrefix(cookie, DevicePrefix) {
		return "", false
	}
	i := strings.LastIndexByte(cookie, '.')
	if i < 0 || !hmac.Equal([]byte(cookie[i+1:]), []byte(sign(key, "device", cookie[:i]))) {
		return "", false
	}
	parts := strings.Split(strings.TrimPrefix(cookie[:i], DevicePrefix), ".")
	if len(parts) != 3 {
		return "", false
	}
	inst, err := base64.RawURLEncoding.DecodeString(parts[0])
	issued, ierr := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || ierr != nil || string(inst) != instanceID {
		return "", false
	}
	if age := now.Sub(time.Unix(issued, 0)); age < -time.Minute || age >= d.ttl {
		return "", false
	}
	return parts[1], true
}

// sign is the HMAC of msg under key for one purpose, so that a value signed for one
// purpose is never valid for another.
func sign(key []byte, purpose, msg string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("selfdata " + purpose + " v1\x00" + msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// slot is a short name for the instance's cookie that does not reveal the instance.
func slot(key []byte, instanceID string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("selfdata device slot v1\x00" + instanceID))
	return hex.EncodeToString(m.Sum(nil)[:6])
}
