package auth

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"time"

	"selfdata/internal/store"
)

// Store is what authentication needs from storage: credentials, instance names and the key
// of device cookies, nothing of the personal data itself.
type Store interface {
	store.Credentials
	Instance(ctx context.Context, name string) (store.Instance, error)
	InstanceByID(ctx context.Context, id string) (store.Instance, error)
	ServerSecret(ctx context.Context, name string, mk func() ([]byte, error)) ([]byte, error)
}

// Errors of the service, mapped to HTTP statuses by the web layer.
var (
	ErrBadCredentials  = errors.New("unknown instance or wrong passphrase")
	ErrUnauthenticated = errors.New("not authenticated")
)

// Config is how a Service is set up.
type Config struct {
	SessionTTL time.Duration    // how long a login lasts
	DeviceTTL  time.Duration    // how long a browser stays known; 0: DefaultDeviceTTL
	Now        func() time.Time // nil: time.Now; tests move time with it
}

// Service logs people in and resolves sessions and tokens into instances.
type Service struct {
	st         Store
	limits     limits
	devices    *devices
	sessionTTL time.Duration
	now        func() time.Time
	// dummy is a hash verified when the instance does not exist, so that a login to an
	// unknown name takes as long as one with a wrong passphrase.
	dummy  string
	tokens tokenCache
}

// NewService returns a service whose sessions last sessionTTL, with the login limits of
// limits.go.
func NewService(st Store, sessionTTL time.Duration) (*Service, error) {
	return New(st, Config{SessionTTL: sessionTTL})
}

// New returns a service set up by cfg.
func New(st Store, cfg Config) (*Service, error) {
	dummy, err := HashPassphrase("not a real passphrase")
	if err != nil {
		return nil, err
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Service{
		st:         st,
		limits:     newLimits(st, now),
		devices:    &devices{st: st, ttl: cmp.Or(cfg.DeviceTTL, DefaultDeviceTTL)},
		sessionTTL: cfg.SessionTTL,
		now:        now,
		dummy:      dummy,
	}, nil
}

// Session resolves a session secret into its instance.
func (s *Service) Session(ctx context.Context, secret string) (store.Instance, error) {
	if !strings.HasPrefix(secret, SessionPrefix) {
		return store.Instance{}, ErrUnauthenticated
	}
	sess, err := s.st.Session(ctx, HashSecret(secret))
	if errors.Is(err, store.ErrNotFound) || err == nil && !s.now().Before(sess.Expires) {
		return store.Instance{}, ErrUnauthenticated
	}
	if err != nil {
		return store.Instance{}, err
	}
	return s.st.InstanceByID(ctx, sess.Instance)
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, secret string) error {
	return s.st.DeleteSession(ctx, HashSecret(secret))
}

// ChangePassphrase checks the old passphrase, stores the new one and ends every session.
func (s *Service) ChangePassphrase(ctx context.Context, instanceID, old, new string) error {
	// Someone holding a stolen session must not be able to guess the passphrase here.
	key := "change:" + instanceID
	if ok, retry, err := s.limits.change.Allowed(ctx, key); err != nil {
		return err
	} else if !ok {
		return &RateLimitedError{RetryAfter: retry}
	}
	hash, err := s.st.PassphraseHash(ctx, instanceID)
	if err != nil {
		return err
	}
	if ok, err := VerifyPassphrase(hash, old); err != nil || !ok {
		if err := s.limits.change.Fail(ctx, key); err != nil {
			return err
		}
		return ErrBadCredentials
	}
	if err := s.limits.change.Reset(ctx, key); err != nil {
		return err
	}
	if err := CheckPassphrase(new); err != nil {
		return err
	}
	h, err := HashPassphrase(new)
	if err != nil {
		return err
	}
	if err := s.st.SetPassphraseHash(ctx, instanceID, h); err != nil {
		return err
	}
	return s.st.DeleteSessions(ctx, instanceID)
}

// CreateToken creates a personal access token and returns its secret, shown once.
func (s *Service) CreateToken(ctx context.Context, instanceID, scopes, label string) (string, store.Token, error) {
	id, err := NewID()
	if err != nil {
		return "", store.Token{}, err
	}
	secret, hash, err := NewSecret(TokenPrefix)
	if err != nil {
		return "", store.Token{}, err
	}
	t := store.Token{ID: id, Instance: instanceID, Hash: hash, Label: label, Scopes: scopes, Created: s.now().UTC()}
	if err := s.st.CreateToken(ctx, t); err != nil {
		return "", t, err
	}
	return secret, t, nil
}

// Token resolves a token secret; revoked and unknown tokens are refused alike. A token
// found valid is trusted for TokenTTL without another lookup.
func (s *Service) Token(ctx context.Context, secret string) (store.Token, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return store.Token{}, ErrUnauthenticated
	}
	hash, now := HashSecret(secret), s.now()
	if t, ok := s.tokens.get(hash, now); ok {
		return t, nil
	}
	t, err := s.st.TokenByHash(ctx, hash)
	if errors.Is(err, store.ErrNotFound) || err == nil && t.Revoked != nil {
		return store.Token{}, ErrUnauthenticated
	}
	if err != nil {
		return store.Token{}, err
	}
	s.tokens.put(hash, t, now)
	return t, nil
}
