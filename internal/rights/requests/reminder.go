package requests

import (
	"context"
	"errors"
	"fmt"
	"time"

	"selfdata/internal/alert"
	"selfdata/internal/gate"
	"selfdata/internal/store"
)

// AlertOverdue is the kind of the alert (store.Alert.Kind) raised when a request passes its
// due day without an answer.
const AlertOverdue = alert.KindRequestOverdue

// ReminderID and ReminderName are how the reminder appears in the person's access log: its
// reads and writes are those of a part of selfdata, on the person's own requests only.
const (
	ReminderID   = "selfdata-requests"
	ReminderName = "selfdata reminders of requests"
)

// Raiser keeps an alert and emails it; alert.Alerts.Raise is one. An alert whose Dedup is
// already kept is not raised again.
type Raiser interface {
	Raise(ctx context.Context, instanceID string, al store.Alert) (bool, error)
}

// Reminder is the periodic job that reminds people of their overdue requests.
type Reminder struct {
	Gate      *gate.Gate
	Instances interface {
		ListInstances(ctx context.Context) ([]store.Instance, error)
	}
	Alerts Raiser
	Now    func() time.Time
	Loc    *time.Location // where a day starts: a request sent on the 3rd is due at the end of the 3rd of next month there
}

// principal reads and writes the instance's requests, and nothing else.
func principal(instanceID string) gate.Principal {
	return gate.BuiltIn(instanceID, ReminderID, ReminderName, "dpv:ServiceProvision", []gate.Scope{{Doctype: Doctype, Read: true, Write: true}})
}

// CheckAll reminds every person of the requests that passed their due day unanswered; one
// person's failure does not stop the others'.
func (m *Reminder) CheckAll(ctx context.Context) error {
	ins, err := m.Instances.ListInstances(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, in := range ins {
		if _, err := m.Check(ctx, in.ID); err != nil {
			errs = append(errs, fmt.Errorf("instance %s: %w", in.ID, err))
		}
	}
	return errors.Join(errs...)
}

// Check raises one alert for each of the instance's requests past its due day without an
// answer, and marks it overdue so that it is not looked at again; it returns how many it
// raised. The alert's Dedup is the request's id: a run that raised the alert but failed
// to mark the request raises nothing the next time.
func (m *Reminder) Check(ctx context.Context, instanceID string) (int, error) {
	p := principal(instanceID)
	rs, err := List(ctx, m.Gate, p)
	if err != nil {
		return 0, err
	}
	today := m.Now().In(m.Loc).Format(time.DateOnly)
	n := 0
	for _, r := range rs {
		if r.Status != Sent || r.DueAt >= today {
			continue
		}
		raised, err := m.Alerts.Raise(ctx, instanceID, store.Alert{Kind: AlertOverdue, ServiceName: r.OrgName,
			Params: map[string]string{"request": r.ID, "org": r.Org, "kind": r.Kind, "sentAt": r.SentAt, "dueAt": r.DueAt},
			Dedup:  "request_overdue:" + r.ID})
		if err != nil {
			return n, err
		}
		if raised {
			n++
		}
		r.Status = Overdue
		if _, err := update(ctx, m.Gate, p, r); err != nil {
			return n, err
		}
	}
	return n, nil
}
