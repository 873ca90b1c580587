// Package alert tells people what services do with their data that they would want to know
// without reading their whole access log: a service's first access to their data, a day
// on which a service read far more than it usually does, a service's attempt the gate
// refused (gate.Gate.OnRefused); and what a built-in service's
// checks found in their own data (the Home energy service's leak, excess and freeze, see
// energy.go). Alerts are kept per instance, shown on the consents page, and sent by email
// when the operator configured SMTP and the person gave an address.
//
// The gate hands every logged read of a service to ServiceRead (gate.Gate.OnServiceRead,
// wired by main). Checking runs after the read is committed and never fails it: a failure
// is logged, and the person still has the access log.
package alert

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"selfdata/internal/doctype"
	"selfdata/internal/store"
)

// What "unusual volume" means: on one day, a service read more than VolumeFactor times its
// mean daily count of records over the BaselineDays days before, and more than VolumeFloor
// records (a service that reads 3 records a day reading 40 is not worth an alert).
const (
	VolumeFactor = 10
	VolumeFloor  = 100
	BaselineDays = 30
)

// checkTimeout bounds the store queries of one check; sendTimeout one email.
const (
	checkTimeout = 10 * time.Second
	sendTimeout  = 30 * time.Second
)

// Store is what alerts need of the store: the alerts, the log questions they ask, and the
// person's email address.
type Store interface {
	store.Alerts
	InstanceByID(ctx context.Context, id string) (store.Instance, error)
	SetEmail(ctx context.Context, instanceID, email string) error
}

// Alerts raises, keeps and sends the alerts of every instance.
type Alerts struct {
	st   Store
	reg  *doctype.Registry
	mail *Mailer // nil: no email is sent
	log  *slog.Logger
	now  func() time.Time
	// loc is where a day starts: the server's time zone, the one the access log is shown in.
	loc *time.Location
	// sending counts the emails under way, so that Wait can let them finish.
	sending sync.WaitGroup

	// What this process learned, so that a service's read costs no scan of the log: the
	// pairs (instance, service) known to have read before, and each pair's count of the
	// day. A count is read from the log once a day and then kept up by each read; reads
	// by another process meanwhile (the CLI) are missed until the next day, which can only
	// delay an alert.
	mu    sync.Mutex
	known map[string]bool
	days  map[string]*serviceDay
	// refused is, per pair, the day whose refused-attempt alert is raised (YYYY-MM-DD).
	refused map[string]string
}

// serviceDay is what one service did with one person's data on one day.
type serviceDay struct {
	day     string // YYYY-MM-DD in loc
	records int64
	usual   float64 // the mean daily records before that day; < 0 until looked up
	settled bool    // the day's alert is raised, or the service has no usual: nothing more to check
}

// New returns the alerts kept in st; doctype labels for emails come from reg; mail may be
// nil when the server sends no email.
func New(st Store, reg *doctype.Registry, mail *Mailer, log *slog.Logger) *Alerts {
	return &Alerts{st: st, reg: reg, mail: mail, log: log, now: time.Now, loc: time.Local, known: map[string]bool{}, days: map[string]*serviceDay{}, refused: map[string]string{}}
}

// Mails tells whether alerts are also sent by email (the server has an SMTP relay).
func (a *Alerts) Mails() bool { return a.mail != nil }

// Wait waits for the emails being sent; serve calls it before exiting.
func (a *Alerts) Wait() { a.sending.Wait() }

// ServiceRead checks a service's read e of the instance's data, just logged, and raises
// the alerts it calls for. It is the gate's OnServiceRead hook: it reports failures to the
// log, never to the reader, and finishes even if the reader's request is cancelled.
func (a *Alerts) ServiceRead(ctx context.Context, instanceID string, e store.LogEntry) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), checkTimeout)
	defer cancel()
	if err := errors.Join(a.firstAccess(ctx, instanceID, e), a.volume(ctx, instanceID, e)); err != nil {
		a.log.Error("alerts: checking a service's read failed", "instance", instanceID, "service", e.ActorID, "err", err)
	}
}

// Refused raises an alert for a service's attempt the gate refused (e, just logged): the
// person learns that a service asked for what they did not allow. It is the gate's
// OnRefused hook. One alert a day per service is enough to warn; the others are in the
// access log. Like ServiceRead it reports its failures to the log only.
func (a *Alerts) Refused(ctx context.Context, instanceID string, e store.LogEntry) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), checkTimeout)
	defer cancel()
	day := e.At.In(a.loc).Format(time.DateOnly)
	key := instanceID + "\x00" + e.ActorID
	a.mu.Lock()
	done := a.refused[key] == day
	a.mu.Unlock()
	if done {
		return
	}
	err := a.raise(ctx, instanceID, store.Alert{Kind: store.AlertRefusedAttempt, Service: e.ActorID, ServiceName: e.ActorName,
		Params: map[string]string{"doctype": e.Doctype, "verb": e.Verb, "day": day}, Dedup: "refused:" + e.ActorID + ":" + day})
	if err != nil {
		a.log.Error("alerts: raising a refused attempt's alert failed", "instance", instanceID, "service", e.ActorID, "err", err)
		return // tried again at the next attempt
	}
	a.mu.Lock()
	a.refused[key] = day
	a.mu.Unlock()
}

// firstAccess raises an alert when the service had never read this person's data before e.
func (a *Alerts) firstAccess(ctx context.Context, instanceID string, e store.LogEntry) error {
	key := instanceID + "\x00" + e.ActorID
	a.mu.Lock()
	known := a.known[key]
	a.mu.Unlock()
	if known {
		return nil
	}
	before, err := a.st.ServiceReadBefore(ctx, instanceID, e.ActorID, e.At)
	if err != nil {
		return err
	}
	if !before {
		err = a.raise(ctx, instanceID, store.Alert{Kind: store.AlertFirstAccess, Service: e.ActorID, ServiceName: e.ActorName,
			Params: map[string]string{"doctype": e.Doctype, "count": strconv.Itoa(e.Count)}, Dedup: "first:" + e.ActorID})
	}
	if err == nil {
		a.mu.Lock()
		a.known[key] = true // a failed alert is tried again at the next read
		a.mu.Unlock()
	}
	return err
}

// volume raises an alert, once a day per service, when the records the service read on e's
// day are far above its usual. A service that never read before that day has no usual:
// its first access was alert enough.
func (a *Alerts) volume(ctx context.Context, instanceID string, e store.LogEntry) error {
	if e.Count == 0 {
		return nil
	}
	day := startOfDay(e.At.In(a.loc))
	d, err := a.today(ctx, instanceID, e, day)
	if err != nil || d.settled || d.records <= VolumeFloor {
		return err
	}
	dedup := "volume:" + e.ActorID + ":" + d.day
	if d.usual < 0 {
		if done, err := a.st.HasAlert(ctx, instanceID, dedup); err != nil || done {
			a.settle(d, done)
			return err
		}
		known, err := a.st.ServiceReadBefore(ctx, instanceID, e.ActorID, day)
		if err != nil || !known {
			a.settle(d, err == nil)
			return err
		}
		past, err := a.st.ServiceReads(ctx, instanceID, e.ActorID, day.AddDate(0, 0, -BaselineDays), day)
		if err != nil {
			return err
		}
		a.mu.Lock()
		d.usual = float64(past.Records) / BaselineDays
		a.mu.Unlock()
	}
	a.mu.Lock()
	records, usual := d.records, d.usual
	a.mu.Unlock()
	if float64(records) <= VolumeFactor*usual {
		return nil
	}
	a.settle(d, true)
	return a.raise(ctx, instanceID, store.Alert{Kind: store.AlertUnusualVolume, Service: e.ActorID, ServiceName: e.ActorName,
		Params: map[string]string{"count": strconv.FormatInt(records, 10), "usual": strconv.FormatInt(int64(math.Round(usual)), 10),
			"day": d.day}, Dedup: dedup})
}

// today adds e to its service's count of the day, reading that count from the log the
// first time this process sees the service that day (the log already holds e).
func (a *Alerts) today(ctx context.Context, instanceID string, e store.LogEntry, day time.Time) (*serviceDay, error) {
	key, date := instanceID+"\x00"+e.ActorID, day.Format(time.DateOnly)
	a.mu.Lock()
	d := a.days[key]
	if d != nil && d.day == date {
		d.records += int64(e.Count)
		a.mu.Unlock()
		return d, nil
	}
	a.mu.Unlock()
	r, err := a.st.ServiceReads(ctx, instanceID, e.ActorID, day, day.AddDate(0, 0, 1))
	if err != nil {
		return nil, err
	}
	d = &serviceDay{day: date, records: r.Records, usual: -1}
	a.mu.Lock()
	a.days[key] = d
	a.mu.Unlock()
	return d, nil
}

func (a *Alerts) settle(d *serviceDay, settled bool) {
	a.mu.Lock()
	d.settled = d.settled || settled
	a.mu.Unlock()
}

func startOfDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// raise stores the alert and sends it; an alert for the same event raised meanwhile by
// another read is not an error, and is not sent twice.
func (a *Alerts) raise(ctx context.Context, instanceID string, al store.Alert) error {
	al.ID = uuid.NewString()
	al.Created = a.now().UTC().Truncate(time.Microsecond)
	err := a.st.CreateAlert(ctx, instanceID, al)
	if errors.Is(err, store.ErrExists) {
		return nil
	}
	if err != nil {
		return err
	}
	return a.send(ctx, instanceID, al)
}

// send emails the alert to the person, in the background: a slow relay must not hold the
// service's read. Nothing is sent without a relay or an address.
func (a *Alerts) send(ctx context.Context, instanceID string, al store.Alert) error {
	if a.mail == nil {
		return nil
	}
	in, err := a.st.InstanceByID(ctx, instanceID)
	if err != nil || in.Email == "" {
		return err
	}
	subject, body := a.email(al)
	a.sending.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
		defer cancel()
		if err := a.mail.Send(ctx, in.Email, subject, body); err != nil {
			a.log.Error("alerts: email not sent", "instance", instanceID, "alert", al.ID, "err", err)
		}
	})
	return nil
}

// List lists the instance's alerts, newest first: the unread ones only when unreadOnly,
// and at most limit (all when limit <= 0).
func (a *Alerts) List(ctx context.Context, instanceID string, unreadOnly bool, limit int) ([]store.Alert, error) {
	return a.st.ListAlerts(ctx, instanceID, unreadOnly, limit)
}

// Unread counts the instance's unread alerts.
func (a *Alerts) Unread(ctx context.Context, instanceID string) (int, error) {
	return a.st.CountUnreadAlerts(ctx, instanceID)
}

// MarkRead marks the alerts the person was shown read.
func (a *Alerts) MarkRead(ctx context.Context, instanceID string, shown []store.Alert) error {
	ids := make([]string, len(shown))
	for i, al := range shown {
		ids[i] = al.ID
	}
	return a.st.MarkAlertsRead(ctx, instanceID, ids)
}

// Email is the address the person's alerts are sent to ("" for none).
func (a *Alerts) Email(ctx context.Context, instanceID string) (string, error) {
	in, err := a.st.InstanceByID(ctx, instanceID)
	return in.Email, err
}

// maxEmail is the longest address SMTP carries (RFC 5321: a 256-octet path, less the <>).
const maxEmail = 254

// SetEmail sets the address alerts are sent to; "" sends none. Only a bare address is
// taken (no display name, no list), so that it can go in a header as it is.
func (a *Alerts) SetEmail(ctx context.Context, instanceID, email string) error {
	email = strings.TrimSpace(email)
	if email != "" {
		addr, err := mail.ParseAddress(email)
		if err != nil || addr.Address != email || len(email) > maxEmail {
			return fmt.Errorf("%w: %q is not an email address such as name@example.org", store.ErrInvalid, email)
		}
	}
	return a.st.SetEmail(ctx, instanceID, email)
}
