package store

import (
	"context"
	"time"
)

// Relative is someone a person trusts and shares signs of life with (the built-in service
// internal/services/signoflife): derived signals such as "water used this morning: yes",
// never readings. The person invites them with a one-time code; the relative redeems it by
// choosing a login and a passphrase, then logs in to a page of their own. The store keeps
// the code's hash and the passphrase's argon2id hash, never the code or the passphrase.
type Relative struct {
	ID       string
	Instance string // the person who shares
	Name     string // the relative, as the person named them
	// PersonName is how the relative knows the person ("Camille"), as the person wrote it:
	// what the relative's page and notices call them. The store's own name is not shown.
	PersonName string
	// Expect is the hour of the day (0-23, Europe/Paris) by which the person expects to have
	// shown activity; a notice goes to the relative when there was none by then.
	Expect int
	// Signals are the signals shared, by name (signoflife.WaterMorning, ...).
	Signals []string
	Email   string // where notices are sent, given by the relative; "" for none

	// Login is the name the relative logs in with, lower case, unique among the relatives
	// who joined; "" until the invitation is redeemed, and again once the share ended.
	Login    string
	PassHash string // argon2id; "" until redeemed and once ended
	// InviteHash is the SHA-256 of the one-time code, until it is redeemed or expires.
	InviteHash    string
	InviteExpires time.Time

	Created time.Time
	Joined  *time.Time // when the invitation was redeemed
	Ended   *time.Time // when the person stopped the share
}

// RelativeSession is a relative logged in with a browser; the cookie holds the secret, the
// store its hash.
type RelativeSession struct {
	Hash     string
	Instance string
	Relative string // relative ID
	Created  time.Time
	Expires  time.Time
}

// RelativeCheck is what the periodic check of a relative's signs of life decided, once a
// day: Quiet when there was no activity by the expected hour (a notice to the relative),
// or not (activity was seen in time: nothing to send, nothing more to check that day).
type RelativeCheck struct {
	Instance string
	Relative string
	Day      string // YYYY-MM-DD, Europe/Paris
	Quiet    bool
	At       time.Time // when it was decided
	Emailed  bool      // the notice was sent by email too
}

// Relatives keeps the relatives, their sessions and the daily checks. Relatives are the
// person's: a relative of one instance is not found from another.
type Relatives interface {
	// CreateRelative records an invitation; ErrExists when the id is taken.
	CreateRelative(ctx context.Context, r Relative) error
	// Relative reads one of the instance's relatives.
	Relative(ctx context.Context, instanceID, id string) (Relative, error)
	// ListRelatives lists the instance's relatives, ended ones too, oldest first.
	ListRelatives(ctx context.Context, instanceID string) ([]Relative, error)
	// SharingRelatives lists, across instances, the relatives who joined and whose share
	// has not ended: those the periodic check looks at.
	SharingRelatives(ctx context.Context) ([]Relative, error)
	// RelativeByLogin finds a relative who joined by login (compared in lower case).
	RelativeByLogin(ctx context.Context, login string) (Relative, error)
	// Invitation finds the invitation whose code hashes to hash, if it can still be
	// redeemed at now: not redeemed, not expired, its share not ended. ErrNotFound otherwise.
	Invitation(ctx context.Context, hash string, now time.Time) (Relative, error)
	// RedeemInvitation turns that invitation into a relative who joined, with login (lower
	// case), passphrase hash and email, and forgets the code — in one statement, so that of
	// two redemptions at once only one succeeds. ErrNotFound when there is no such
	// invitation any more; ErrExists when another relative has the login (the invitation
	// then stays as it was).
	RedeemInvitation(ctx context.Context, hash, login, passHash, email string, now time.Time) (Relative, error)
	// SetRelativeEmail changes where a relative's notices go.
	SetRelativeEmail(ctx context.Context, instanceID, id, email string) error
	// EndRelative ends the share at `at`: the invitation, login, passphrase and address
	// are forgotten, and the relative's sessions no longer let them in (their relative
	// reads as Ended, so that the relative's page can say the share ended). ErrNotFound when the instance has no such relative whose share goes on.
	EndRelative(ctx context.Context, instanceID, id string, at time.Time) error

	CreateRelativeSession(ctx context.Context, s RelativeSession) error
	// RelativeSession finds a session by the hash of its secret, expired or not.
	RelativeSession(ctx context.Context, hash string) (RelativeSession, error)
	DeleteRelativeSession(ctx context.Context, hash string) error
	// DeleteRelativeSessions ends every session of one relative.
	DeleteRelativeSessions(ctx context.Context, relativeID string) error
	// DeleteExpiredRelativeSessions forgets the sessions that expired before t.
	DeleteExpiredRelativeSessions(ctx context.Context, t time.Time) error

	// AddRelativeCheck records the day's decision for a relative, once: added is false when
	// that day was already decided (by another check running at the same time, say), and
	// the decision kept is the first one.
	AddRelativeCheck(ctx context.Context, c RelativeCheck) (added bool, err error)
	// SetRelativeCheckEmailed marks the day's notice as sent by email.
	SetRelativeCheckEmailed(ctx context.Context, relativeID, day string) error
	// RelativeChecks lists a relative's decisions of the days from `from` (YYYY-MM-DD) on,
	// newest first.
	RelativeChecks(ctx context.Context, instanceID, relativeID, from string) ([]RelativeCheck, error)
	// DeleteRelativeChecks forgets the decisions of the days before `before` (YYYY-MM-DD),
	// of every relative: they are kept as long as a notice is worth showing.
	DeleteRelativeChecks(ctx context.Context, before string) error
}
