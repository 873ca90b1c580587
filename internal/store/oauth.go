package store

import (
	"context"
	"encoding/json"
	"time"
)

// OAuth token kinds: what a row of the OAuth state holds.
const (
	OAuthCode    = "code"    // an authorization code, until exchanged
	OAuthPKCE    = "pkce"    // the PKCE challenge of a code
	OAuthAccess  = "access"  // an access token
	OAuthRefresh = "refresh" // a refresh token
)

// OAuthToken is one piece of OAuth state, stored under its signature (an HMAC of the
// token's random part), never as the token itself. Every piece belongs to a grant.
type OAuthToken struct {
	Kind      string
	Signature string
	RequestID string // the authorization it comes from, kept across refreshes
	Grant     string
	Instance  string
	Service   string
	Active    bool // false: a code already exchanged, a refresh token already rotated
	Expires   time.Time
	Request   json.RawMessage // what the OAuth server needs back: scopes, form, session
}

// OAuth keeps the OAuth server's state: codes, PKCE challenges and tokens, and its secret.
type OAuth interface {
	// CreateOAuthToken stores t; ErrNotFound when t.Instance has no active grant t.Grant
	// (none, or one withdrawn or ended), ErrExists when the kind and signature are taken.
	CreateOAuthToken(ctx context.Context, t OAuthToken) error
	// OAuthToken finds a piece by kind and signature; ErrNotFound when none.
	OAuthToken(ctx context.Context, kind, signature string) (OAuthToken, error)
	// DeactivateOAuthToken marks a piece used (a code exchanged, a refresh token rotated):
	// kept, so that a second use is recognised as a replay. ErrNotFound when there is no
	// such active piece: of two concurrent uses, only one succeeds.
	DeactivateOAuthToken(ctx context.Context, kind, signature string) error
	// DeleteOAuthToken deletes one piece; deleting what is not there is no error.
	DeleteOAuthToken(ctx context.Context, kind, signature string) error
	// DeleteOAuthRequest deletes every piece of a kind that comes from one authorization.
	DeleteOAuthRequest(ctx context.Context, kind, requestID string) error
	// DeleteExpiredOAuth deletes every piece that expired before t, and says how many.
	DeleteExpiredOAuth(ctx context.Context, t time.Time) (int, error)
	// ServerSecret returns the server's secret of that name, made by mk and stored on
	// first use; two first uses at once agree on the one stored first.
	ServerSecret(ctx context.Context, name string, mk func() ([]byte, error)) ([]byte, error)
}
