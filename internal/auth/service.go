package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"selfdata/internal/store"
)

// Store is what authentication needs from storage: credentials and instance names, nothing
// of the personal data itself.
type Store interface {
	store.Credentials
	Instance(ctx context.Context, name string) (store.Instance, error)
	InstanceByID(ctx context.Context, id string) (store.Instance, error)
}

// Errors of the service, mapped to HTTP statuses by the web layer.
var (
	ErrBadCredentials  = errors.New("unknown instance or wrong passphrase")
	ErrUnauthenticated = errors.New("not authenticated")
)

// RateLimitedError says when to try again.
type RateLimitedError struct{ RetryAfter time.Duration }

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("too many failed logins; try again in %s", e.RetryAfter.Round(time.Second))
}

// Service logs people in and resolves sessions and tokens into instances.
type Service struct {
	st         Store
	byInstance *StoreLimiter // shared by every server on the database
	byAddress  *Limiter      // per server: an address's failures at one server
	sessionTTL time.Duration
	now        func() time.Time
	// dummy is a hash verified when the instance does not exist, so that a login to an
	// unknown name takes as long as one with a wrong passphrase.
	dummy string
}

// NewService returns a service allowing 10 failed logins per instance (counted in the store,
// across servers) and 30 per client address (per server) in 15 minutes.
func NewService(st Store, sessionTTL time.Duration) (*Service, error) {
	dummy, err := HashPassphrase("not a real passphrase")
	if err != nil {
		return nil, err
	}
	return &Service{
		st:         st,
		byInstance: NewStoreLimiter(st, 10, 15*time.Minute, nil),
		byAddress:  NewLimiter(30, 15*time.Minute, nil),
		sessionTTL: sessionTTL,
		now:        time.Now,
		dummy:      dummy,
	}, nil
}

// Login checks a passphrase and opens a session, returning its secret (for the cookie).
func (s *Service) Login(ctx context.Context, name, passphrase, addr string) (secret string, in store.Instance, err error) {
	key := strings.ToLower(name)
	if ok, retry, err := s.byInstance.Allowed(ctx, key); err != nil {
		return "", in, err
	} else if !ok {
		return "", in, &RateLimitedError{RetryAfter: retry}
	}
	if ok, retry := s.byAddress.Allowed(addr); !ok {
		return "", in, &RateLimitedError{RetryAfter: retry}
	}
	in, err = s.st.Instance(ctx, name)
	hash := s.dummy
	if err == nil {
		hash, err = s.st.PassphraseHash(ctx, in.ID)
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", in, err
	}
	ok, verr := VerifyPassphrase(hash, passphrase)
	if err != nil || verr != nil || !ok {
		s.byAddress.Fail(addr)
		if err := s.byInstance.Fail(ctx, key); err != nil {
			return "", store.Instance{}, err
		}
		return "", store.Instance{}, ErrBadCredentials
	}
	if err := s.byInstance.Reset(ctx, key); err != nil {
		return "", in, err
	}
	if NeedsRehash(hash) {
		if h, err := HashPassphrase(passphrase); err == nil {
			_ = s.st.SetPassphraseHash(ctx, in.ID, h) // the old hash still works if this fails
		}
	}
	secret, sh, err := NewSecret(SessionPrefix)
	if err != nil {
		return "", in, err
	}
	now := s.now()
	if err := s.st.CreateSession(ctx, store.Session{Hash: sh, Instance: in.ID, Created: now, Expires: now.Add(s.sessionTTL)}); err != nil {
		return "", in, err
	}
	// Logins are rare enough to sweep expired sessions away at each one.
	if err := s.st.DeleteExpiredSessions(ctx, now); err != nil {
		return "", in, err
	}
	return secret, in, nil
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
	if ok, retry, err := s.byInstance.Allowed(ctx, key); err != nil {
		return err
	} else if !ok {
		return &RateLimitedError{RetryAfter: retry}
	}
	hash, err := s.st.PassphraseHash(ctx, instanceID)
	if err != nil {
		return err
	}
	if ok, err := VerifyPassphrase(hash, old); err != nil || !ok {
		if err := s.byInstance.Fail(ctx, key); err != nil {
			return err
		}
		return ErrBadCredentials
	}
	if err := s.byInstance.Reset(ctx, key); err != nil {
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

// Token resolves a token secret; revoked and unknown tokens are refused alike.
func (s *Service) Token(ctx context.Context, secret string) (store.Token, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return store.Token{}, ErrUnauthenticated
	}
	t, err := s.st.TokenByHash(ctx, HashSecret(secret))
	if errors.Is(err, store.ErrNotFound) || err == nil && t.Revoked != nil {
		return store.Token{}, ErrUnauthenticated
	}
	return t, err
}
