package store

import (
	"context"
	"time"
)

// AccessSummary is what one actor (or everyone a LogQuery selects) did with one doctype: the
// line "Volta read 1,204 of your electricity readings in 38 reads, from ... to ..." of the
// consents page.
type AccessSummary struct {
	Doctype string    `json:"doctype"`
	Reads   int64     `json:"reads"`   // entries of reads that were allowed
	Records int64     `json:"records"` // records those reads returned, summed
	Writes  int64     `json:"writes"`  // entries of writes that were allowed
	Written int64     `json:"written"` // records those writes created, changed or deleted
	Refused int64     `json:"refused"` // attempts the gate refused
	First   time.Time `json:"first"`   // first entry, refused ones included
	Last    time.Time `json:"last"`    // last entry, refused ones included
}

// Alert kinds.
const (
	// AlertFirstAccess: a service read the person's data for the first time.
	AlertFirstAccess = "first_access"
	// AlertUnusualVolume: a service read far more records in a day than it usually does.
	AlertUnusualVolume = "unusual_volume"
	// AlertRefusedAttempt: a service asked for data outside its grant and was refused (at
	// most one a day per service).
	AlertRefusedAttempt = "refused_attempt"
)

// Alert tells the person something about a service's use of their data that they would want
// to know without reading the whole access log.
type Alert struct {
	ID          string    `json:"id"`
	Created     time.Time `json:"created"`
	Kind        string    `json:"kind"` // AlertFirstAccess, AlertUnusualVolume, AlertRefusedAttempt
	Service     string    `json:"service"`
	ServiceName string    `json:"service_name"`
	// Params are the message's parameters, e.g. the doctype read first, or the day's count
	// and the usual one; the pages and emails word the message from Kind and these.
	Params map[string]string `json:"params,omitempty"`
	Read   bool              `json:"read"`
	// Dedup names the event the alert is about (a service's first access, its volume on one
	// day): an instance holds at most one alert per Dedup, so that an event raced by several
	// reads is raised once.
	Dedup string `json:"-"`
}

// ServiceReads counts a service's allowed reads of one instance over a period.
type ServiceReads struct {
	Reads   int64 // log entries
	Records int64 // records read, summed
}

// Alerts keeps each instance's alerts, and answers the questions of the access log that
// raising them asks. Only services' reads count: the principal is "service" and the actor
// its id.
type Alerts interface {
	// CreateAlert stores a new, unread alert; it fails with ErrExists when the instance
	// already has an alert with the same Dedup.
	CreateAlert(ctx context.Context, instance string, a Alert) error
	// HasAlert tells whether the instance has an alert with this Dedup.
	HasAlert(ctx context.Context, instance, dedup string) (bool, error)
	// ListAlerts lists the instance's alerts, newest first, at most limit (all when
	// limit <= 0), only the unread ones when unreadOnly.
	ListAlerts(ctx context.Context, instance string, unreadOnly bool, limit int) ([]Alert, error)
	CountUnreadAlerts(ctx context.Context, instance string) (int, error)
	// MarkAlertsRead marks these alerts of the instance read; ids of other instances are
	// left alone. Only the alerts the person was shown are marked, so that one raised
	// meanwhile stays unread.
	MarkAlertsRead(ctx context.Context, instance string, ids []string) error

	// ServiceReadBefore tells whether the service read any of the instance's data before t
	// (refused attempts are not reads).
	ServiceReadBefore(ctx context.Context, instance, service string, t time.Time) (bool, error)
	// ServiceReads counts the service's reads of the instance in [from, to).
	ServiceReads(ctx context.Context, instance, service string, from, to time.Time) (ServiceReads, error)
}
