// Package alert tells people what services do with their data that they would want to know
// without reading their whole access log: a service's first access to their data, and a day
// on which a service read far more than it usually does. Alerts are kept per instance, shown
// on the consents page, and sent by email when the operator configured SMTP and the person
// gave an address.
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
}

// New returns the alerts kept in st; doctype labels for emails come from reg; mail may be
// nil when the server sends no email.
func New(st Store, reg *doctype.Registry, mail *Mailer, log *slog.Logger) *Alerts {
	return &Alerts{st: st, reg: reg, mail: mail, log: log, now: time.Now, loc: time.Local}
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

// firstAccess raises an alert when the service had never read this person's data before e.
func (a *Alerts) firstAccess(ctx context.Context, instanceID string, e store.LogEntry) error {
	before, err := a.st.ServiceReadBefore(ctx, instanceID, e.ActorID, e.At)
	if err != nil || before {
		return err
	}
	return a.raise(ctx, instanceID, store.Alert{Kind: store.AlertFirstAccess, Service: e.ActorID, ServiceName: e.ActorName,
		Params: map[string]string{"doctype": e.Doctype, "count": strconv.Itoa(e.Count)}, Dedup: "first:" + e.ActorID})
}

// volume raises an alert, once a day per service, when the records the service read on e's
// day are far above its usual. A service that never read before that day has no usual:
// its first access was alert enough.
func (a *Alerts) volume(ctx context.Context, instanceID string, e store.LogEntry) error {
	if e.Count == 0 {
		return nil
	}
	day := startOfDay(e.At.In(a.loc))
	dedup := "volume:" + e.ActorID + ":" + day.Format(time.DateOnly)
	today, err := a.st.ServiceReads(ctx, instanceID, e.ActorID, day, day.AddDate(0, 0, 1))
	if err != nil || today.Records <= VolumeFloor {
		return err
	}
	if done, err := a.st.HasAlert(ctx, instanceID, dedup); err != nil || done {
		return err
	}
	if known, err := a.st.ServiceReadBefore(ctx, instanceID, e.ActorID, day); err != nil || !known {
		return err
	}
	past, err := a.st.ServiceReads(ctx, instanceID, e.ActorID, day.AddDate(0, 0, -BaselineDays), day)
	if err != nil {
		return err
	}
	usual := float64(past.Records) / BaselineDays
	if float64(today.Records) <= VolumeFactor*usual {
		return nil
	}
	return a.raise(ctx, instanceID, store.Alert{Kind: store.AlertUnusualVolume, Service: e.ActorID, ServiceName: e.ActorName,
		Params: map[string]string{"count": strconv.FormatInt(today.Records, 10), "usual": strconv.FormatInt(int64(math.Round(usual)), 10),
			"day": day.Format(time.DateOnly)}, Dedup: dedup})
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
