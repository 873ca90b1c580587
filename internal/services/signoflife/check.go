package signoflife

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"selfdata/internal/alert"
	"selfdata/internal/services"
	"selfdata/internal/store"
)

// Store is what the periodic check needs of the store: the relatives who share, and the
// decision of each day.
type Store interface {
	SharingRelatives(ctx context.Context) ([]store.Relative, error)
	AddRelativeCheck(ctx context.Context, c store.RelativeCheck) (bool, error)
	SetRelativeCheckEmailed(ctx context.Context, relativeID, day string) error
	RelativeChecks(ctx context.Context, instanceID, relativeID, from string) ([]store.RelativeCheck, error)
	DeleteRelativeChecks(ctx context.Context, before string) error
}

// Opener opens the person's data for relative r: the Reader of the relative's principal
// under the person's grant to this service, narrowed to what r's signals need. on is false
// when the grant is off: the share then reads nothing. The web layer builds it (it holds
// the gate and the grants, which no service may reach).
type Opener func(ctx context.Context, r store.Relative) (rd services.Reader, on bool, err error)

// NoticeDays is how long the days' decisions are kept: the relative's page shows the
// notices of the last two weeks.
const NoticeDays = 14

// LookFor is how long after the expected hour the check keeps looking, while the readings
// cannot tell: readings that come later (a meter that sends them the next day) leave the
// day undecided — not known is not "no" — and the person's log is not filled with a look
// every quarter of an hour all day long.
const LookFor = 3 * time.Hour

// sendTimeout bounds one email.
const sendTimeout = 30 * time.Second

// Checker decides, once a day per relative, whether a notice is due: the periodic job of
// the service. A day is decided at the first check after the expected hour that can tell —
// quiet (a notice, shown on the relative's page and emailed when there is a relay and an
// address) or not — and not read again that day; while the readings cannot tell, the next
// check looks again, for LookFor.
type Checker struct {
	st   Store
	open Opener
	mail *alert.Mailer // nil: no email
	log  *slog.Logger
	// Now is the clock; tests move it.
	Now func() time.Time
	// PageURL is the address of the relatives' login page, said in the emails ("" : not said).
	PageURL string
}

// NewChecker returns the check over st, reading through open; mail may be nil.
func NewChecker(st Store, open Opener, mail *alert.Mailer, log *slog.Logger) *Checker {
	return &Checker{st: st, open: open, mail: mail, log: log, Now: time.Now}
}

// CheckAll checks every relative of every person, then forgets the decisions older than
// NoticeDays. A failure with one relative does not stop the others; the failures are
// returned together. It is what a periodic job runs (every 15 minutes, say).
func (c *Checker) CheckAll(ctx context.Context) error {
	return c.checkWhere(ctx, func(store.Relative) bool { return true }, true)
}

// CheckInstance checks the relatives of one person.
func (c *Checker) CheckInstance(ctx context.Context, instanceID string) error {
	return c.checkWhere(ctx, func(r store.Relative) bool { return r.Instance == instanceID }, false)
}

func (c *Checker) checkWhere(ctx context.Context, keep func(store.Relative) bool, sweep bool) error {
	list, err := c.st.SharingRelatives(ctx)
	if err != nil {
		return fmt.Errorf("sign of life: list the relatives: %w", err)
	}
	var errs []error
	for _, r := range list {
		if !keep(r) {
			continue
		}
		if _, err := c.Check(ctx, r); err != nil {
			errs = append(errs, fmt.Errorf("sign of life: relative %s of instance %s: %w", r.ID, r.Instance, err))
		}
	}
	if sweep {
		before := dayKey(midnight(c.Now(), Paris()).AddDate(0, 0, -NoticeDays))
		if err := c.st.DeleteRelativeChecks(ctx, before); err != nil {
			errs = append(errs, fmt.Errorf("sign of life: forget old checks: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Outcome is what one check did.
type Outcome string

const (
	Early     Outcome = "early"     // the expected hour has not come
	Late      Outcome = "late"      // LookFor passed with the day undecided: not looked at again
	Decided   Outcome = "decided"   // the day was decided before
	Off       Outcome = "off"       // the grant is off: nothing read
	Undecided Outcome = "undecided" // the readings cannot tell yet
	Active    Outcome = "active"    // activity was seen: nothing to send
	Notified  Outcome = "notified"  // no activity: the notice is raised
)

// Check decides relative r's day, as described on Checker.
func (c *Checker) Check(ctx context.Context, r store.Relative) (Outcome, error) {
	now := c.Now()
	today := midnight(now, Paris())
	expect := hourOf(today, r.Expect)
	switch {
	case now.Before(expect):
		return Early, nil
	case !now.Before(expect.Add(LookFor)):
		return Late, nil
	}
	day := dayKey(today)
	done, err := c.st.RelativeChecks(ctx, r.Instance, r.ID, day)
	if err != nil {
		return "", err
	}
	if len(done) > 0 {
		return Decided, nil
	}
	rd, on, err := c.open(ctx, r)
	if err != nil || !on {
		return Off, err
	}
	rep, err := Compute(ctx, rd, Settings{Expect: r.Expect, Signals: r.Signals}, now)
	if err != nil {
		return "", err
	}
	check := store.RelativeCheck{Instance: r.Instance, Relative: r.ID, Day: day, Quiet: rep.Quiet, At: now.UTC().Truncate(time.Microsecond)}
	switch {
	case rep.Quiet:
	case slices.ContainsFunc(rep.Today, func(s Signal) bool { return s.State == Yes }):
	default:
		return Undecided, nil
	}
	added, err := c.st.AddRelativeCheck(ctx, check)
	if err != nil || !added {
		return Decided, err // decided meanwhile by another check, which sent what was due
	}
	if !rep.Quiet {
		return Active, nil
	}
	if err := c.send(ctx, r, rep); err != nil {
		// The notice stands on the relative's page; the email is lost, and said so.
		c.log.Error("sign of life: notice not emailed", "instance", r.Instance, "relative", r.ID, "err", err)
	}
	return Notified, nil
}

// send emails the notice when there is a relay and the relative gave an address.
func (c *Checker) send(ctx context.Context, r store.Relative, rep Report) error {
	if c.mail == nil || r.Email == "" {
		return nil
	}
	subject, body := noticeEmail(r, rep, c.PageURL)
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	if err := c.mail.Send(ctx, r.Email, subject, body); err != nil {
		return err
	}
	return c.st.SetRelativeCheckEmailed(ctx, r.ID, dayKey(midnight(rep.At, Paris())))
}

// Notices are relative r's notices of the last NoticeDays days, newest first.
func (c *Checker) Notices(ctx context.Context, r store.Relative) ([]store.RelativeCheck, error) {
	from := dayKey(midnight(c.Now(), Paris()).AddDate(0, 0, -NoticeDays))
	all, err := c.st.RelativeChecks(ctx, r.Instance, r.ID, from)
	if err != nil {
		return nil, err
	}
	var out []store.RelativeCheck
	for _, ch := range all {
		if ch.Quiet {
			out = append(out, ch)
		}
	}
	return out, nil
}
