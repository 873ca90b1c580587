// Package oauth is the OAuth 2.0 authorization server through which services reach a
// person's data: authorization code with PKCE (S256 only), refresh tokens rotated at each use,
// token revocation (RFC 7009) and server metadata (RFC 8414). The protocol is fosite's; this
// package keeps fosite's state in our store, binds every code and token to the consent grant
// the person approved, and turns an access token into the gate's principal through that
// grant — so that what a token reaches is always what the grant says now.
package oauth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/handler/oauth2"
	"github.com/ory/fosite/token/hmac"

	"selfdata/internal/auth"
	"selfdata/internal/consent"
	"selfdata/internal/gate"
	"selfdata/internal/store"
)

// Config holds the lifetimes of what the server issues.
type Config struct {
	AccessTTL  time.Duration // an access token: short, so that a leaked one is soon useless
	RefreshTTL time.Duration // a refresh token, renewed at each use; never beyond the grant
	CodeTTL    time.Duration // an authorization code, exchanged at once by the service
	Log        *slog.Logger  // nil: slog.Default()
}

// DefaultConfig is what serve and demo use.
var DefaultConfig = Config{AccessTTL: time.Hour, RefreshTTL: 30 * 24 * time.Hour, CodeTTL: 10 * time.Minute}

// Store is what the server needs of the store: its own state and the services catalog.
type Store interface {
	store.OAuth
	Service(ctx context.Context, id string) (store.Service, error)
}

// Server is the authorization server.
type Server struct {
	provider fosite.OAuth2Provider
	grants   *consent.Grants
	st       Store
	log      *slog.Logger

	mu    sync.Mutex
	swept time.Time // when sweep last ran
}

// New builds the server over st. Its HMAC key is made on first start and kept in the store,
// so that tokens outlive a restart.
func New(ctx context.Context, cfg Config, st Store, grants *consent.Grants) (*Server, error) {
	secret, err := st.ServerSecret(ctx, "oauth-hmac", func() ([]byte, error) {
		b := make([]byte, 32)
		_, err := rand.Read(b)
		return b, err
	})
	if err != nil {
		return nil, fmt.Errorf("oauth: %w", err)
	}
	fc := &fosite.Config{
		AccessTokenLifespan:            cfg.AccessTTL,
		RefreshTokenLifespan:           cfg.RefreshTTL,
		AuthorizeCodeLifespan:          cfg.CodeTTL,
		GlobalSecret:                   secret,
		EnforcePKCE:                    true,
		EnablePKCEPlainChallengeMethod: false,
		ScopeStrategy:                  fosite.ExactScopeStrategy,
		RefreshTokenScopes:             []string{}, // every exchange gets a refresh token
		ClientSecretsHasher:            secretHasher{},
		RedirectSecureChecker:          fosite.IsRedirectURISecureStrict,
	}
	strategy := &compose.CommonStrategy{CoreStrategy: prefixed{oauth2.NewHMACSHAStrategyUnPrefixed(&hmac.HMACStrategy{Config: fc}, fc)}}
	provider := compose.Compose(fc, &storage{st: st, grants: grants}, strategy,
		compose.OAuth2AuthorizeExplicitFactory,
		compose.OAuth2RefreshTokenGrantFactory,
		compose.OAuth2PKCEFactory,
		compose.OAuth2TokenIntrospectionFactory,
		compose.OAuth2TokenRevocationFactory,
	)
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	return &Server{provider: provider, grants: grants, st: st, log: log}, nil
}

// Token prefixes: a token says what it is, and that it is ours (secret scanners can match).
const (
	AccessPrefix  = "sdat_"
	RefreshPrefix = "sdrt_"
	CodePrefix    = "sdac_"
)

// prefixed is fosite's HMAC strategy with our prefixes. A token's signature — what the
// store keeps — is the HMAC after the dot, so the prefix never reaches the store.
type prefixed struct {
	*oauth2.HMACSHAStrategyUnPrefixed
}

func (p prefixed) GenerateAccessToken(ctx context.Context, r fosite.Requester) (string, string, error) {
	t, sig, err := p.HMACSHAStrategyUnPrefixed.GenerateAccessToken(ctx, r)
	return AccessPrefix + t, sig, err
}

func (p prefixed) ValidateAccessToken(ctx context.Context, r fosite.Requester, token string) error {
	return p.HMACSHAStrategyUnPrefixed.ValidateAccessToken(ctx, r, strings.TrimPrefix(token, AccessPrefix))
}

func (p prefixed) GenerateRefreshToken(ctx context.Context, r fosite.Requester) (string, string, error) {
	t, sig, err := p.HMACSHAStrategyUnPrefixed.GenerateRefreshToken(ctx, r)
	return RefreshPrefix + t, sig, err
}

func (p prefixed) ValidateRefreshToken(ctx context.Context, r fosite.Requester, token string) error {
	return p.HMACSHAStrategyUnPrefixed.ValidateRefreshToken(ctx, r, strings.TrimPrefix(token, RefreshPrefix))
}

func (p prefixed) GenerateAuthorizeCode(ctx context.Context, r fosite.Requester) (string, string, error) {
	t, sig, err := p.HMACSHAStrategyUnPrefixed.GenerateAuthorizeCode(ctx, r)
	return CodePrefix + t, sig, err
}

func (p prefixed) ValidateAuthorizeCode(ctx context.Context, r fosite.Requester, token string) error {
	return p.HMACSHAStrategyUnPrefixed.ValidateAuthorizeCode(ctx, r, strings.TrimPrefix(token, CodePrefix))
}

// secretHasher checks client secrets against the SHA-256 hash the catalog keeps
// (auth.HashSecret): the secrets are long and random, so a slow hash would add nothing.
type secretHasher struct{}

func (secretHasher) Compare(_ context.Context, hash, data []byte) error {
	if subtle.ConstantTimeCompare([]byte(auth.HashSecret(string(data))), hash) != 1 {
		return errors.New("client secret does not match")
	}
	return nil
}

func (secretHasher) Hash(_ context.Context, data []byte) ([]byte, error) {
	return []byte(auth.HashSecret(string(data))), nil
}

// Session is what the server keeps with each code and token: whose data, under which grant.
type Session struct {
	fosite.DefaultSession
	Instance string `json:"instance"`
	Grant    string `json:"grant"`
}

// Clone copies the session, as fosite requires.
func (s *Session) Clone() fosite.Session {
	if s == nil {
		return nil
	}
	c := *s
	c.DefaultSession = *s.DefaultSession.Clone().(*fosite.DefaultSession)
	return &c
}

// Request is an authorization request a person is asked to decide.
type Request struct {
	fosite.AuthorizeRequester
	Service  string   // the client
	Doctypes []string // what it asks for; the catalog's whole access when it names no scope
	Verbs    []string
}

// Ask reads an authorization request. On error, the request returned tells whether the
// error can go back to the service (Redirectable, then Fail) or must be shown here.
func (s *Server) Ask(ctx context.Context, r *http.Request) (Request, error) {
	ar, err := s.provider.NewAuthorizeRequest(ctx, r)
	req := Request{AuthorizeRequester: ar}
	if err != nil {
		return req, err
	}
	// fosite checks PKCE only when it issues the code; the person must not be asked to
	// decide on a request that would then fail.
	if f := ar.GetRequestForm(); f.Get("code_challenge") == "" || f.Get("code_challenge_method") != "S256" {
		return req, fosite.ErrInvalidRequest.WithHint("PKCE is required: send code_challenge with code_challenge_method=S256.")
	}
	req.Service = ar.GetClient().GetID()
	scopes := ar.GetRequestedScopes()
	if len(scopes) == 0 {
		scopes = ar.GetClient().GetScopes()
	}
	if req.Doctypes, req.Verbs, err = ParseScopes(scopes); err != nil {
		return req, fosite.ErrInvalidScope.WithHint(err.Error())
	}
	return req, nil
}

// Redirectable tells whether an error about req may be sent to its redirect URI: only when
// the URI is one the service registered.
func (req Request) Redirectable() bool {
	return req.AuthorizeRequester != nil && req.IsRedirectURIValid()
}

// Fail sends the service an error about its request, through its redirect URI.
func (s *Server) Fail(ctx context.Context, w http.ResponseWriter, req Request, err error) {
	s.provider.WriteAuthorizeError(ctx, w, req.AuthorizeRequester, err)
}

// Describe says in words what is wrong with a request.
func Describe(err error) string {
	e := fosite.ErrorToRFC6749Error(err)
	if e.HintField != "" {
		return e.DescriptionField + " " + e.HintField
	}
	return e.DescriptionField
}

// Refuse answers the service that the person said no (error access_denied).
func (s *Server) Refuse(ctx context.Context, w http.ResponseWriter, req Request) {
	s.provider.WriteAuthorizeError(ctx, w, req.AuthorizeRequester, fosite.ErrAccessDenied.WithHint("The person refused."))
}

// Approve answers the service with a code for the grant g, which the person just gave: the
// code, and every token from it, reach only what g names.
func (s *Server) Approve(ctx context.Context, w http.ResponseWriter, req Request, g store.Grant) error {
	for _, sc := range Scopes(g.Doctypes, g.Verbs) {
		req.GrantScope(sc)
	}
	sess := &Session{Instance: g.Instance, Grant: g.ID}
	sess.Subject = g.Instance
	resp, err := s.provider.NewAuthorizeResponse(ctx, req.AuthorizeRequester, sess)
	if err != nil {
		s.provider.WriteAuthorizeError(ctx, w, req.AuthorizeRequester, err)
		return nil
	}
	s.provider.WriteAuthorizeResponse(ctx, w, req.AuthorizeRequester, resp)
	return nil
}

// Token is the token endpoint: a code (with its PKCE verifier) or a refresh token for an
// access token and a new refresh token.
func (s *Server) Token(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ar, err := s.provider.NewAccessRequest(ctx, r, new(Session))
	if err != nil {
		s.provider.WriteAccessError(ctx, w, ar, err)
		return
	}
	resp, err := s.provider.NewAccessResponse(ctx, ar)
	if err != nil {
		s.provider.WriteAccessError(ctx, w, ar, err)
		return
	}
	s.provider.WriteAccessResponse(ctx, w, ar, resp)
	s.sweep(ctx)
}

// sweepEvery is how often the token endpoint clears expired codes and tokens.
const sweepEvery = 10 * time.Minute

// sweepAfter is how long an expired code or token is kept: a service that comes with it
// soon after is told it expired rather than that it is unknown.
const sweepAfter = time.Hour

// sweep deletes codes and tokens expired for sweepAfter, at most every sweepEvery: they can
// no longer be used, and a used code or rotated refresh token has done its work as a replay
// detector once it has expired.
func (s *Server) sweep(ctx context.Context) {
	s.mu.Lock()
	due := time.Since(s.swept) > sweepEvery
	if due {
		s.swept = time.Now()
	}
	s.mu.Unlock()
	if due {
		if _, err := s.st.DeleteExpiredOAuth(ctx, time.Now().Add(-sweepAfter)); err != nil {
			s.log.Warn("oauth: sweeping expired tokens", "err", err)
		}
	}
}

// Revoke is the revocation endpoint (RFC 7009): a refresh token takes the access tokens of
// its authorization with it.
func (s *Server) Revoke(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s.provider.WriteRevocationResponse(ctx, w, s.provider.NewRevocationRequest(ctx, r))
}

// Principal turns an access token into the gate's principal, through its grant as it is now.
// An unknown, expired or revoked token, a refresh token, or one whose grant ended is
// ErrUnauthenticated.
func (s *Server) Principal(ctx context.Context, token string) (gate.Principal, error) {
	if !strings.HasPrefix(token, AccessPrefix) {
		return gate.Principal{}, auth.ErrUnauthenticated
	}
	use, ar, err := s.provider.IntrospectToken(ctx, token, fosite.AccessToken, new(Session))
	if errors.Is(err, fosite.ErrServerError) {
		return gate.Principal{}, err
	}
	if err != nil || use != fosite.AccessToken {
		return gate.Principal{}, auth.ErrUnauthenticated
	}
	sess, ok := ar.GetSession().(*Session)
	if !ok {
		return gate.Principal{}, auth.ErrUnauthenticated
	}
	return s.grants.Principal(ctx, sess.Instance, sess.Grant)
}

// Metadata is the server's RFC 8414 document, for the server at issuer (its base URL).
func Metadata(issuer string) map[string]any {
	return map[string]any{
		"issuer":                                     issuer,
		"authorization_endpoint":                     issuer + "/oauth/authorize",
		"token_endpoint":                             issuer + "/oauth/token",
		"revocation_endpoint":                        issuer + "/oauth/revoke",
		"response_types_supported":                   []string{"code"},
		"grant_types_supported":                      []string{"authorization_code", "refresh_token"},
		"code_challenge_methods_supported":           []string{"S256"},
		"token_endpoint_auth_methods_supported":      []string{"client_secret_basic", "client_secret_post", "none"},
		"revocation_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post", "none"},
		"scopes_supported":                           []string{"{doctype}:read", "{doctype}:write"},
		"service_documentation":                      issuer + "/api/v1/openapi.json",
		"response_modes_supported":                   []string{"query"},
	}
}

// Scopes are the OAuth scopes of doctypes × verbs: "bill:read", "meter:read".
func Scopes(doctypes, verbs []string) []string {
	var out []string
	for _, dt := range doctypes {
		for _, v := range verbs {
			out = append(out, dt+":"+v)
		}
	}
	return out
}

// ParseScopes reads scopes back into doctypes and verbs. A grant is doctypes × verbs, so
// the scopes must ask the same verbs of every doctype: granting the product of a ragged
// request would give more than was asked.
func ParseScopes(scopes []string) (doctypes, verbs []string, err error) {
	asked := map[string]bool{}
	for _, sc := range scopes {
		dt, v, ok := strings.Cut(sc, ":")
		if !ok || dt == "" || v == "" {
			return nil, nil, fmt.Errorf("scope %q is not doctype:verb", sc)
		}
		if !slices.Contains(doctypes, dt) {
			doctypes = append(doctypes, dt)
		}
		if !slices.Contains(verbs, v) {
			verbs = append(verbs, v)
		}
		asked[sc] = true
	}
	if len(asked) != len(doctypes)*len(verbs) {
		return nil, nil, errors.New("ask for the same verbs on every doctype")
	}
	return doctypes, verbs, nil
}
