package pull

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"selfdata/internal/auth"
	"selfdata/internal/store"
)

// authorizationTTL is how long a person has to answer at the provider.
const authorizationTTL = 15 * time.Minute

// Authorize starts the person's authorization of org: it records a state bound to their
// session, with a PKCE verifier, and returns the provider's address to send the browser to.
func (s *Service) Authorize(ctx context.Context, instanceID, sessionHash, org string) (string, error) {
	p, err := s.provider(ctx, org)
	if err != nil {
		return "", err
	}
	state, stateHash, err := auth.NewSecret("")
	if err != nil {
		return "", err
	}
	verifier := oauth2.GenerateVerifier()
	now := time.Now()
	err = s.st.CreatePullAuthorization(ctx, store.PullAuthorization{StateHash: stateHash, Instance: instanceID, SessionHash: sessionHash,
		Org: org, Verifier: verifier, Created: now, Expires: now.Add(authorizationTTL)})
	if err != nil {
		return "", err
	}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}
	for k, v := range p.AuthParams {
		opts = append(opts, oauth2.SetAuthURLParam(k, v))
	}
	return p.oauth.AuthCodeURL(state, opts...), nil
}

// provider returns the connector of a registered organization.
func (s *Service) provider(ctx context.Context, org string) (*provider, error) {
	p, ok := s.providers[org]
	if !ok {
		return nil, fmt.Errorf("selfdata cannot fetch data from %q: %w", org, store.ErrNotFound)
	}
	if _, err := s.st.Organization(ctx, org); err != nil {
		return nil, err
	}
	return p, nil
}

// Complete finishes an authorization with the provider's answer (the query of the redirect
// to the callback): it checks the state against the session that started it, exchanges the
// code, stores the grant on the person's connection to org (created, or made active again)
// and enqueues a first pull. Errors wrapping store.ErrInvalid have a message for the person.
func (s *Service) Complete(ctx context.Context, instanceID, sessionHash, org string, answer url.Values) (store.Connection, error) {
	p, err := s.provider(ctx, org)
	if err != nil {
		return store.Connection{}, err
	}
	a, err := s.st.TakePullAuthorization(ctx, auth.HashSecret(answer.Get("state")), time.Now())
	if errors.Is(err, store.ErrNotFound) || err == nil && (a.Instance != instanceID || a.SessionHash != sessionHash || a.Org != org) {
		return store.Connection{}, fmt.Errorf("%w: this answer from %s matches no authorization you started here, or it came too late; start again", store.ErrInvalid, org)
	}
	if err != nil {
		return store.Connection{}, err
	}
	if e := answer.Get("error"); e != "" {
		return store.Connection{}, fmt.Errorf("%w: %s did not grant access (%s); nothing was connected", store.ErrInvalid, org, printable(e))
	}
	tok, err := p.oauth.Exchange(s.oauthContext(ctx), answer.Get("code"), oauth2.VerifierOption(a.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return store.Connection{}, fmt.Errorf("%w: %s refused to confirm the authorization (%s); start again", store.ErrInvalid, org, printable(re.ErrorCode))
		}
		return store.Connection{}, fmt.Errorf("exchange the code with %s: %w", org, err)
	}
	subject := answer.Get(p.SubjectParam)
	if subject == "" {
		subject, _ = tok.Extra(p.SubjectParam).(string)
	}
	if subject == "" {
		return store.Connection{}, fmt.Errorf("%w: %s did not say which %s you granted access to", store.ErrInvalid, org, p.SubjectParam)
	}
	c, err := s.connect(ctx, instanceID, p)
	if err != nil {
		return c, err
	}
	scope, _ := tok.Extra("scope").(string)
	err = s.st.PutPullGrant(ctx, store.PullGrant{Connection: c.ID, Provider: p.Connector, Subject: subject, State: store.GrantOK, Created: time.Now(),
		Tokens: store.PullTokens{Access: tok.AccessToken, Refresh: tok.RefreshToken, Expiry: tok.Expiry, Scope: scope}})
	if err != nil {
		return c, err
	}
	if _, err := s.Enqueue(ctx, c.ID); err != nil {
		// The grant is stored: the next tick of the schedule pulls it.
		s.log.Error("first pull not enqueued", "connection", c.ID, "err", err)
	}
	s.log.Info("pull connection authorized", "connection", c.ID, "org", org)
	return c, nil
}

// connect returns the person's connection to the provider's organization, made active: the
// person asked for it by authorizing. A paused one is resumed; a new one is created.
func (s *Service) connect(ctx context.Context, instanceID string, p *provider) (store.Connection, error) {
	org, err := s.st.Organization(ctx, p.Org)
	if err != nil {
		return store.Connection{}, err
	}
	for _, dt := range p.conn.doctypes {
		if !slices.Contains(org.Declaration.Doctypes, dt) {
			return store.Connection{}, fmt.Errorf("organization %s does not declare %s, which its connector writes: fix its declaration", org.ID, dt)
		}
	}
	list, err := s.st.ListConnections(ctx, instanceID)
	if err != nil {
		return store.Connection{}, err
	}
	now := time.Now().UTC()
	for _, c := range list {
		if c.Org != p.Org || c.State != store.Active && c.State != store.Paused {
			continue
		}
		if _, err := s.st.PullGrant(ctx, c.ID); err != nil {
			continue // a connection for deposits: leave it to them
		}
		if c.State == store.Paused {
			if err := s.st.SetConnectionState(ctx, instanceID, c.ID, store.Active, []string{store.Paused}, now); err != nil {
				return c, err
			}
			c.State = store.Active
		}
		return c, nil
	}
	c := store.Connection{ID: uuid.NewString(), Instance: instanceID, Org: p.Org, Doctypes: p.conn.doctypes, State: store.Active, Created: now, Updated: now}
	return c, s.st.CreateConnection(ctx, c)
}

// oauthContext makes the OAuth2 library use the service's HTTP client.
func (s *Service) oauthContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, s.http)
}

// printable keeps a short run of safe characters of a provider's word, for a message.
func printable(s string) string {
	out := []rune{}
	for _, r := range s {
		if len(out) == 64 {
			break
		}
		if r >= 0x20 && r < 0x7f {
			out = append(out, r)
		}
	}
	return string(out)
}
