package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/ory/fosite"

	"selfdata/internal/consent"
	"selfdata/internal/store"
)

// storage is fosite's storage over ours: clients from the services catalog, codes and tokens
// in store.OAuth, each tied to its grant.
type storage struct {
	st     Store
	grants *consent.Grants
}

// GetClient reads a service of the catalog as an OAuth client: it may ask for the
// doctype:verb scopes of its declared access, and only with the authorization code flow.
func (s *storage) GetClient(ctx context.Context, id string) (fosite.Client, error) {
	svc, err := s.st.Service(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fosite.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &fosite.DefaultClient{
		ID:            svc.ID,
		Secret:        []byte(svc.SecretHash),
		RedirectURIs:  svc.RedirectURIs,
		GrantTypes:    []string{"authorization_code", "refresh_token"},
		ResponseTypes: []string{"code"},
		Scopes:        Scopes(svc.Access.Doctypes, svc.Access.Verbs),
		Public:        svc.Public,
	}, nil
}

// Client assertions (RFC 7523) are not offered: every JWT ID is refused as already seen.
var errNoAssertions = fosite.ErrInvalidClient.WithHint("Client assertions are not supported; use the client secret, or PKCE alone for a public client.")

func (s *storage) ClientAssertionJWTValid(context.Context, string) error { return errNoAssertions }
func (s *storage) SetClientAssertionJWT(context.Context, string, time.Time) error {
	return errNoAssertions
}

// stored is a fosite request as kept in the store.
type stored struct {
	RequestedAt     time.Time       `json:"requested_at"`
	Client          string          `json:"client"`
	Scopes          []string        `json:"scopes"`
	Granted         []string        `json:"granted"`
	Audience        []string        `json:"audience,omitempty"`
	GrantedAudience []string        `json:"granted_audience,omitempty"`
	Form            url.Values      `json:"form"`
	Session         json.RawMessage `json:"session"`
}

// keptForm are the request parameters fosite reads back (the redirect URI a code was
// issued for, the PKCE challenge); anything else a form carried is not kept.
var keptForm = []string{"response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"}

// lifespans says which of the session's expiries a kind of state lasts until.
var lifespans = map[string]fosite.TokenType{
	store.OAuthCode: fosite.AuthorizeCode, store.OAuthPKCE: fosite.AuthorizeCode,
	store.OAuthAccess: fosite.AccessToken, store.OAuthRefresh: fosite.RefreshToken,
}

func (s *storage) create(ctx context.Context, kind, signature string, r fosite.Requester) error {
	sess, ok := r.GetSession().(*Session)
	if !ok || sess.Grant == "" {
		return fmt.Errorf("oauth %s: the request has no grant", kind)
	}
	form := url.Values{}
	for _, k := range keptForm {
		if v, ok := r.GetRequestForm()[k]; ok {
			form[k] = v
		}
	}
	sj, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	data, err := json.Marshal(stored{RequestedAt: r.GetRequestedAt(), Client: r.GetClient().GetID(), Scopes: r.GetRequestedScopes(),
		Granted: r.GetGrantedScopes(), Audience: r.GetRequestedAudience(), GrantedAudience: r.GetGrantedAudience(), Form: form, Session: sj})
	if err != nil {
		return err
	}
	exp := sess.GetExpiresAt(lifespans[kind])
	if exp.IsZero() {
		exp = time.Now().Add(DefaultConfig.RefreshTTL) // fosite set none: keep the row no longer than a refresh token
	}
	return s.st.CreateOAuthToken(ctx, store.OAuthToken{Kind: kind, Signature: signature, RequestID: r.GetID(), Grant: sess.Grant,
		Instance: sess.Instance, Service: r.GetClient().GetID(), Active: true, Expires: exp, Request: data})
}

// get reads back what create kept, into session. A used code or rotated refresh token
// comes back with fosite's error for it and the request, so that fosite can tell a replay.
func (s *storage) get(ctx context.Context, kind, signature string, session fosite.Session) (fosite.Requester, error) {
	t, err := s.st.OAuthToken(ctx, kind, signature)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fosite.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var st stored
	if err := json.Unmarshal(t.Request, &st); err != nil {
		return nil, fmt.Errorf("oauth %s: %w", kind, err)
	}
	if session == nil {
		session = new(Session)
	}
	if err := json.Unmarshal(st.Session, session); err != nil {
		return nil, fmt.Errorf("oauth %s session: %w", kind, err)
	}
	// An access token is read at each of the service's requests, and what fosite checks of
	// its client is the id; the catalog is read once, by the grant (consent.Principal).
	var client fosite.Client = &fosite.DefaultClient{ID: st.Client}
	if kind != store.OAuthAccess {
		if client, err = s.GetClient(ctx, st.Client); err != nil {
			return nil, err // the service left the catalog: nothing it held is good any more
		}
	}
	r := &fosite.Request{ID: t.RequestID, RequestedAt: st.RequestedAt, Client: client, RequestedScope: st.Scopes, GrantedScope: st.Granted,
		RequestedAudience: st.Audience, GrantedAudience: st.GrantedAudience, Form: st.Form, Session: session}
	switch {
	case !t.Active && kind == store.OAuthCode:
		return r, fosite.ErrInvalidatedAuthorizeCode
	case !t.Active:
		return r, fosite.ErrInactiveToken
	case kind == store.OAuthRefresh:
		// A refresh token lasts no longer than its grant.
		if _, err := s.grants.Principal(ctx, t.Instance, t.Grant); err != nil {
			return nil, fosite.ErrNotFound
		}
	}
	return r, nil
}

func (s *storage) CreateAuthorizeCodeSession(ctx context.Context, code string, r fosite.Requester) error {
	return s.create(ctx, store.OAuthCode, code, r)
}

func (s *storage) GetAuthorizeCodeSession(ctx context.Context, code string, session fosite.Session) (fosite.Requester, error) {
	return s.get(ctx, store.OAuthCode, code, session)
}

// InvalidateAuthorizeCodeSession marks a code used; a second exchange of it fails, and
// fosite then revokes what the first gave.
func (s *storage) InvalidateAuthorizeCodeSession(ctx context.Context, code string) error {
	return s.deactivate(ctx, store.OAuthCode, code)
}

func (s *storage) deactivate(ctx context.Context, kind, signature string) error {
	if err := s.st.DeactivateOAuthToken(ctx, kind, signature); errors.Is(err, store.ErrNotFound) {
		return fosite.ErrNotFound // used meanwhile by a concurrent request
	} else if err != nil {
		return err
	}
	return nil
}

func (s *storage) CreatePKCERequestSession(ctx context.Context, signature string, r fosite.Requester) error {
	return s.create(ctx, store.OAuthPKCE, signature, r)
}

func (s *storage) GetPKCERequestSession(ctx context.Context, signature string, session fosite.Session) (fosite.Requester, error) {
	return s.get(ctx, store.OAuthPKCE, signature, session)
}

func (s *storage) DeletePKCERequestSession(ctx context.Context, signature string) error {
	return s.st.DeleteOAuthToken(ctx, store.OAuthPKCE, signature)
}

func (s *storage) CreateAccessTokenSession(ctx context.Context, signature string, r fosite.Requester) error {
	return s.create(ctx, store.OAuthAccess, signature, r)
}

func (s *storage) GetAccessTokenSession(ctx context.Context, signature string, session fosite.Session) (fosite.Requester, error) {
	return s.get(ctx, store.OAuthAccess, signature, session)
}

func (s *storage) DeleteAccessTokenSession(ctx context.Context, signature string) error {
	return s.st.DeleteOAuthToken(ctx, store.OAuthAccess, signature)
}

func (s *storage) CreateRefreshTokenSession(ctx context.Context, signature, _ string, r fosite.Requester) error {
	return s.create(ctx, store.OAuthRefresh, signature, r)
}

func (s *storage) GetRefreshTokenSession(ctx context.Context, signature string, session fosite.Session) (fosite.Requester, error) {
	return s.get(ctx, store.OAuthRefresh, signature, session)
}

func (s *storage) DeleteRefreshTokenSession(ctx context.Context, signature string) error {
	return s.st.DeleteOAuthToken(ctx, store.OAuthRefresh, signature)
}

// RotateRefreshToken retires the refresh token just used (kept inactive, so that its reuse
// is caught as a replay and revokes the whole authorization) and the access tokens it gave.
func (s *storage) RotateRefreshToken(ctx context.Context, requestID, signature string) error {
	if err := s.deactivate(ctx, store.OAuthRefresh, signature); err != nil {
		return err
	}
	return s.st.DeleteOAuthRequest(ctx, store.OAuthAccess, requestID)
}

// RevokeRefreshToken deletes the authorization's refresh tokens (RFC 7009).
func (s *storage) RevokeRefreshToken(ctx context.Context, requestID string) error {
	return s.st.DeleteOAuthRequest(ctx, store.OAuthRefresh, requestID)
}

// RevokeAccessToken deletes the authorization's access tokens (RFC 7009).
func (s *storage) RevokeAccessToken(ctx context.Context, requestID string) error {
	return s.st.DeleteOAuthRequest(ctx, store.OAuthAccess, requestID)
}
