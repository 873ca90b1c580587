package pull

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"golang.org/x/oauth2"

	"selfdata/internal/importer"
	"selfdata/internal/restore"
	"selfdata/internal/store"
)

// failure is why a pull did not succeed: a reason for the person (no token, no internal
// detail) and the cause, for the logs.
type failure struct {
	needsAction bool // only the person can cure it; retrying is useless
	reason      string
	cause       error
}

func (f *failure) Error() string { return f.reason }
func (f *failure) Unwrap() error { return f.cause }

func needsAction(format string, args ...any) *failure {
	return &failure{needsAction: true, reason: fmt.Sprintf(format, args...)}
}

func retryable(cause error, format string, args ...any) *failure {
	return &failure{reason: fmt.Sprintf(format, args...), cause: cause}
}

// errSkip: there is nothing to pull (the connection was paused, revoked or deleted, or the
// grant waits for the person); no run is recorded.
var errSkip = errors.New("nothing to pull")

// maxBody bounds one answer of a provider.
const maxBody = importer.MaxFileBytes

// pullWorker pulls one connection and records the run.
type pullWorker struct {
	river.WorkerDefaults[pullArgs]
	s *Service
}

// NextRetry waits Config.Backoff(n) before the nth retry; the zero time, without Backoff,
// leaves it to River.
func (w *pullWorker) NextRetry(job *river.Job[pullArgs]) time.Time {
	if w.s.cfg.Backoff == nil {
		return time.Time{}
	}
	return time.Now().Add(w.s.cfg.Backoff(len(job.Errors) + 1))
}

func (w *pullWorker) Work(ctx context.Context, job *river.Job[pullArgs]) error {
	s := w.s
	run := store.PullRun{ID: uuid.NewString(), Connection: job.Args.Connection, Attempt: job.Attempt, Started: time.Now().UTC()}
	err := s.pull(ctx, job.Args.Connection, &run)
	if errors.Is(err, errSkip) {
		s.log.Info("pull skipped", "connection", run.Connection, "why", err)
		return nil
	}
	run.Finished = time.Now().UTC()
	var f *failure
	switch {
	case err == nil:
		run.Status = store.RunOK
	case errors.As(err, &f) && f.needsAction:
		run.Status, run.Reason = store.RunNeedsAction, f.reason
		if err := s.st.SetPullGrantState(ctx, run.Connection, store.GrantNeedsAction, run.Finished); err != nil {
			s.log.Error("pull grant state not saved", "connection", run.Connection, "err", err)
		}
	case errors.As(err, &f):
		run.Status, run.Reason = store.RunError, f.reason
	default:
		run.Status, run.Reason = store.RunError, "selfdata failed on its side; it has been logged and will try again"
	}
	if rerr := s.st.AddPullRun(ctx, run); rerr != nil {
		s.log.Error("pull run not recorded", "connection", run.Connection, "err", rerr)
	}
	s.log.Info("pull run", "connection", run.Connection, "attempt", run.Attempt, "status", run.Status, "reason", run.Reason,
		"records", run.Records, "readings", run.Readings, "readings_added", run.Added, "err", err)
	switch run.Status {
	case store.RunNeedsAction:
		// Retrying cannot help: the job ends here, and the schedule leaves the grant alone
		// until the person authorizes again.
		return river.JobCancel(err)
	case store.RunError:
		return err // River retries with backoff
	}
	return nil
}

// pull fetches what is new for a connection, window by window and endpoint by endpoint,
// and stores each answer through the gate as the organization. Progress (Fetched) moves
// only when everything up to today is stored; what was stored before a failure stays, and
// storing it again on the retry changes nothing.
func (s *Service) pull(ctx context.Context, connection string, run *store.PullRun) error {
	g, err := s.st.PullGrant(ctx, connection)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: no grant (the connection is gone)", errSkip)
	}
	if err != nil {
		return err
	}
	if g.State != store.GrantOK {
		return fmt.Errorf("%w: the grant waits for the person", errSkip)
	}
	p, ok := s.providers[g.Org]
	if !ok {
		return fmt.Errorf("%w: no connector configured for %s", errSkip, g.Org)
	}
	c, err := s.st.Connection(ctx, connection)
	if err != nil {
		return err
	}
	if c.State != store.Active {
		return fmt.Errorf("%w: the connection is %s", errSkip, c.State)
	}
	org, err := s.st.Organization(ctx, g.Org)
	if err != nil {
		return err
	}
	pr := principal(c, org)
	src := store.Source{Kind: "organization", ID: org.ID, Name: org.Name, At: time.Now().UTC()}
	today := civilDay(s.now())
	for _, ep := range p.conn.endpoints {
		for from, to := range windows(ep, p.History, g.Fetched, today) {
			body, err := s.call(ctx, p, &g, org.Name, ep, from, to)
			if err != nil {
				return err
			}
			if body == nil {
				continue
			}
			what := fmt.Sprintf("%s %s..%s", ep.name, day(from), day(to))
			res, err := ep.format.Parse(bytes.NewReader(body))
			if err != nil {
				return retryable(err, "%s's answer to %s could not be read: %v", org.Name, what, err)
			}
			rep, err := restore.Store(ctx, s.gate, pr, src, run.ID, res, nil)
			if err != nil {
				return retryable(err, "%s's answer to %s was refused: %v", org.Name, what, err)
			}
			for _, n := range rep.ByDoctype {
				run.Records += n
			}
			run.Readings += rep.ReadingsReceived
			run.Added += rep.ReadingsAdded
		}
	}
	return s.st.SetPullFetched(ctx, connection, today, time.Now())
}

// civilDay is the date of t in France, where both providers count days, as 00:00 UTC.
func civilDay(t time.Time) time.Time {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		t = t.In(loc)
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// windows yields the [from, to) windows to ask an endpoint for: from where the last pull
// stopped (less the endpoint's overlap, for late and corrected data) or, the first time, as
// far back as the endpoint goes, up to today, at most maxDays each.
func windows(ep endpoint, history time.Duration, fetched, today time.Time) func(yield func(time.Time, time.Time) bool) {
	return func(yield func(time.Time, time.Time) bool) {
		oldest := today.Add(-history)
		from := oldest
		if ep.history > 0 {
			from = today.AddDate(0, 0, -ep.history)
		}
		if !fetched.IsZero() {
			from = fetched.AddDate(0, 0, -ep.overlap)
			if from.Before(oldest) {
				from = oldest
			}
		}
		for from.Before(today) {
			to := from.AddDate(0, 0, ep.maxDays)
			if to.After(today) {
				to = today
			}
			if !yield(from, to) {
				return
			}
			from = to
		}
	}
}

// call asks an endpoint for one window. A 401 is answered once by refreshing the token; a
// second 401, or a 403, means the person's grant no longer holds. nil, nil: no data there.
func (s *Service) call(ctx context.Context, p *provider, g *store.PullGrant, orgName string, ep endpoint, from, to time.Time) ([]byte, error) {
	what := fmt.Sprintf("%s %s..%s", ep.name, day(from), day(to))
	u := ep.url(p.APIBase, g.Subject, from, to)
	tok, err := s.token(ctx, p, g, orgName, false)
	if err != nil {
		return nil, err
	}
	status, body, err := s.get(ctx, u, tok)
	if err == nil && status == http.StatusUnauthorized {
		if tok, err = s.token(ctx, p, g, orgName, true); err != nil {
			return nil, err
		}
		status, body, err = s.get(ctx, u, tok)
		if err == nil && status == http.StatusUnauthorized {
			return nil, needsAction("%s refused the access you granted, even renewed (401 on %s): authorize selfdata again", orgName, ep.name)
		}
	}
	switch {
	case err != nil:
		return nil, retryable(err, "%s could not be reached for %s: %v", orgName, what, err)
	case status == http.StatusOK && len(bytes.TrimSpace(body)) == 0:
		return nil, nil
	case status == http.StatusOK:
		return body, nil
	case ep.noData(status, body):
		return nil, nil
	case status == http.StatusForbidden:
		return nil, needsAction("%s no longer lets selfdata read this data (403 on %s%s): authorize selfdata again", orgName, ep.name, providerSays(body))
	}
	return nil, retryable(nil, "%s answered %d %s to %s%s", orgName, status, http.StatusText(status), what, providerSays(body))
}

func (s *Service) get(ctx context.Context, u, token string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json, application/x-ndjson")
	res, err := s.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxBody+1))
	if err != nil {
		return 0, nil, err
	}
	if len(body) > maxBody {
		return 0, nil, fmt.Errorf("the answer is larger than %d MiB", maxBody>>20)
	}
	return res.StatusCode, body, nil
}

// providerSays quotes the error code and description of a provider's JSON error, if any.
func providerSays(body []byte) string {
	var e struct {
		Error       any    `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	code, _ := e.Error.(string)
	msg := printable(cmp.Or(e.Description, code))
	if msg == "" {
		return ""
	}
	return ": " + msg
}

// token returns an access token for the grant, refreshing it when it has expired (or when
// force is set, after a 401) and saving what the provider gave back. An invalid_grant means
// the person's grant is over: expired or withdrawn at the provider.
func (s *Service) token(ctx context.Context, p *provider, g *store.PullGrant, orgName string, force bool) (string, error) {
	cur := &oauth2.Token{AccessToken: g.Tokens.Access, RefreshToken: g.Tokens.Refresh, Expiry: g.Tokens.Expiry}
	if !force && cur.Valid() {
		return cur.AccessToken, nil
	}
	if g.Tokens.Refresh == "" {
		return "", needsAction("the access %s gave has expired and cannot be renewed: authorize selfdata again", orgName)
	}
	nt, err := p.oauth.TokenSource(s.oauthContext(ctx), &oauth2.Token{RefreshToken: g.Tokens.Refresh}).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		switch {
		case errors.As(err, &re) && re.ErrorCode == "invalid_grant":
			return "", needsAction("%s no longer accepts the access you granted (it expired or was withdrawn): authorize selfdata again", orgName)
		case errors.As(err, &re) && re.Response != nil:
			return "", retryable(errors.New(re.Response.Status+" "+re.ErrorCode), "%s could not renew the access (%s %s)", orgName, re.Response.Status, printable(re.ErrorCode))
		}
		return "", retryable(err, "%s could not be reached to renew the access", orgName)
	}
	scope, _ := nt.Extra("scope").(string)
	g.Tokens = store.PullTokens{Access: nt.AccessToken, Refresh: cmp.Or(nt.RefreshToken, g.Tokens.Refresh), Expiry: nt.Expiry, Scope: cmp.Or(scope, g.Tokens.Scope)}
	if err := s.st.SavePullTokens(ctx, g.Connection, g.Tokens, time.Now()); err != nil {
		return "", fmt.Errorf("save renewed tokens: %w", err)
	}
	return nt.AccessToken, nil
}
