package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"selfdata/internal/store"
)

var _ store.Relatives = (*DB)(nil)

const relativeCols = `id, instance, name, person_name, expect, signals, email, COALESCE(login, ''), pass, COALESCE(invite, ''), invite_expires, created, joined, ended`

func scanRelative(sc interface{ Scan(...any) error }) (store.Relative, error) {
	var r store.Relative
	var signals string
	var expires, created int64
	var joined, ended sql.NullInt64
	if err := sc.Scan(&r.ID, &r.Instance, &r.Name, &r.PersonName, &r.Expect, &signals, &r.Email, &r.Login, &r.PassHash, &r.InviteHash, &expires, &created, &joined, &ended); err != nil {
		return r, err
	}
	if signals != "" {
		r.Signals = strings.Split(signals, ",")
	}
	r.InviteExpires, r.Created = fromMicros(expires), fromMicros(created)
	if joined.Valid {
		t := fromMicros(joined.Int64)
		r.Joined = &t
	}
	if ended.Valid {
		t := fromMicros(ended.Int64)
		r.Ended = &t
	}
	return r, nil
}

// CreateRelative records an invitation. An empty login or invitation hash is stored as NULL
// (nullable), as unique columns must be to hold any number of them.
func (db *DB) CreateRelative(ctx context.Context, r store.Relative) error {
	if strings.Contains(strings.Join(r.Signals, ""), ",") {
		return fmt.Errorf("%w: a signal's name holds a comma", store.ErrInvalid)
	}
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO relatives (id, instance, name, person_name, expect, signals, email, login, pass, invite, invite_expires, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		r.ID, r.Instance, r.Name, r.PersonName, r.Expect, strings.Join(r.Signals, ","), r.Email, nullable(strings.ToLower(r.Login)), r.PassHash,
		nullable(r.InviteHash), micros(r.InviteExpires), micros(r.Created))
	if err != nil {
		if db.d.IsUnique(err) {
			return fmt.Errorf("relative %s: %w", r.ID, store.ErrExists)
		}
		return fmt.Errorf("create relative: %w", err)
	}
	return nil
}

// Relative reads one of the instance's relatives.
func (db *DB) Relative(ctx context.Context, instanceID, id string) (store.Relative, error) {
	r, err := scanRelative(db.r.QueryRowContext(ctx, db.q(`SELECT `+relativeCols+` FROM relatives WHERE instance = ? AND id = ?`), instanceID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("relative")
	}
	return r, err
}

func (db *DB) listRelatives(ctx context.Context, what, where string, args ...any) ([]store.Relative, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+relativeCols+` FROM relatives WHERE `+where+` ORDER BY created, id`), args...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", what, err)
	}
	defer rows.Close()
	var out []store.Relative
	for rows.Next() {
		r, err := scanRelative(rows)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", what, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ListRelatives lists the instance's relatives, oldest first.
func (db *DB) ListRelatives(ctx context.Context, instanceID string) ([]store.Relative, error) {
	return db.listRelatives(ctx, "relatives", `instance = ?`, instanceID)
}

// SharingRelatives lists every instance's relatives who joined and whose share goes on.
func (db *DB) SharingRelatives(ctx context.Context) ([]store.Relative, error) {
	return db.listRelatives(ctx, "sharing relatives", `joined IS NOT NULL AND ended IS NULL`)
}

// RelativeByLogin finds a relative who joined by login.
func (db *DB) RelativeByLogin(ctx context.Context, login string) (store.Relative, error) {
	r, err := scanRelative(db.r.QueryRowContext(ctx, db.q(`SELECT `+relativeCols+` FROM relatives WHERE login = ? AND ended IS NULL`), strings.ToLower(login)))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("relative")
	}
	return r, err
}

// Invitation finds a live invitation by the hash of its code.
func (db *DB) Invitation(ctx context.Context, hash string, now time.Time) (store.Relative, error) {
	r, err := scanRelative(db.r.QueryRowContext(ctx, db.q(`SELECT `+relativeCols+` FROM relatives WHERE invite = ? AND invite_expires > ? AND joined IS NULL AND ended IS NULL`),
		hash, micros(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("invitation")
	}
	return r, err
}

// RedeemInvitation takes the invitation in one UPDATE: a second redemption of the same code,
// waiting for the first's row lock (PostgreSQL) or the one writer (SQLite), finds no row
// left to match, since the first forgot the code.
func (db *DB) RedeemInvitation(ctx context.Context, hash, login, passHash, email string, now time.Time) (store.Relative, error) {
	r, err := scanRelative(db.w.QueryRowContext(ctx, db.q(`UPDATE relatives SET login = ?, pass = ?, email = ?, invite = NULL, joined = ?
		WHERE invite = ? AND invite_expires > ? AND joined IS NULL AND ended IS NULL RETURNING `+relativeCols),
		strings.ToLower(login), passHash, email, micros(now), hash, micros(now)))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return r, notFound("invitation")
	case err != nil && db.d.IsUnique(err):
		return r, fmt.Errorf("login %q: %w", login, store.ErrExists)
	case err != nil:
		return r, fmt.Errorf("redeem invitation: %w", err)
	}
	return r, nil
}

// SetRelativeEmail changes where a relative's notices go.
func (db *DB) SetRelativeEmail(ctx context.Context, instanceID, id, email string) error {
	return db.execOne(ctx, "relative", `UPDATE relatives SET email = ? WHERE instance = ? AND id = ? AND ended IS NULL`, email, instanceID, id)
}

// EndRelative ends a share and forgets the relative's credentials and address; its
// sessions stay until they are next presented, to say that the share ended, and let nobody in.
func (db *DB) EndRelative(ctx context.Context, instanceID, id string, at time.Time) error {
	return db.execOne(ctx, "relative", `UPDATE relatives SET ended = ?, login = NULL, pass = '', invite = NULL, email = ''
		WHERE instance = ? AND id = ? AND ended IS NULL`, micros(at), instanceID, id)
}

// CreateRelativeSession records a relative's session by the hash of its secret.
func (db *DB) CreateRelativeSession(ctx context.Context, s store.RelativeSession) error {
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO relative_sessions (hash, instance, relative, created, expires) VALUES (?, ?, ?, ?, ?)`),
		s.Hash, s.Instance, s.Relative, micros(s.Created), micros(s.Expires))
	if err != nil {
		return fmt.Errorf("create relative session: %w", err)
	}
	return nil
}

// RelativeSession finds a session by the hash of its secret.
func (db *DB) RelativeSession(ctx context.Context, hash string) (store.RelativeSession, error) {
	s := store.RelativeSession{Hash: hash}
	var created, expires int64
	err := db.r.QueryRowContext(ctx, db.q(`SELECT instance, relative, created, expires FROM relative_sessions WHERE hash = ?`), hash).
		Scan(&s.Instance, &s.Relative, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return s, notFound("session")
	}
	if err != nil {
		return s, fmt.Errorf("read relative session: %w", err)
	}
	s.Created, s.Expires = fromMicros(created), fromMicros(expires)
	return s, nil
}

// DeleteRelativeSession ends one session; an unknown one is not an error.
func (db *DB) DeleteRelativeSession(ctx context.Context, hash string) error {
	_, err := db.w.ExecContext(ctx, db.q(`DELETE FROM relative_sessions WHERE hash = ?`), hash)
	return err
}

// DeleteRelativeSessions ends every session of one relative.
func (db *DB) DeleteRelativeSessions(ctx context.Context, relativeID string) error {
	_, err := db.w.ExecContext(ctx, db.q(`DELETE FROM relative_sessions WHERE relative = ?`), relativeID)
	return err
}

// DeleteExpiredRelativeSessions forgets the sessions that expired before t.
func (db *DB) DeleteExpiredRelativeSessions(ctx context.Context, t time.Time) error {
	_, err := db.w.ExecContext(ctx, db.q(`DELETE FROM relative_sessions WHERE expires < ?`), micros(t))
	return err
}

// AddRelativeCheck inserts the day's decision unless one is there: the primary key decides
// between checks running at once, in the one statement.
func (db *DB) AddRelativeCheck(ctx context.Context, c store.RelativeCheck) (bool, error) {
	res, err := db.w.ExecContext(ctx, db.q(`INSERT INTO relative_checks (instance, relative, day, quiet, at, emailed) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (relative, day) DO NOTHING`), c.Instance, c.Relative, c.Day, c.Quiet, micros(c.At), c.Emailed)
	if err != nil {
		return false, fmt.Errorf("add relative check: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// SetRelativeCheckEmailed marks the day's notice as emailed.
func (db *DB) SetRelativeCheckEmailed(ctx context.Context, relativeID, day string) error {
	return db.execOne(ctx, "relative check", `UPDATE relative_checks SET emailed = ? WHERE relative = ? AND day = ?`, true, relativeID, day)
}

// RelativeChecks lists a relative's decisions from a day on, newest first.
func (db *DB) RelativeChecks(ctx context.Context, instanceID, relativeID, from string) ([]store.RelativeCheck, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT instance, relative, day, quiet, at, emailed FROM relative_checks
		WHERE instance = ? AND relative = ? AND day >= ? ORDER BY day DESC`), instanceID, relativeID, from)
	if err != nil {
		return nil, fmt.Errorf("list relative checks: %w", err)
	}
	defer rows.Close()
	var out []store.RelativeCheck
	for rows.Next() {
		var c store.RelativeCheck
		var at int64
		if err := rows.Scan(&c.Instance, &c.Relative, &c.Day, &c.Quiet, &at, &c.Emailed); err != nil {
			return nil, fmt.Errorf("list relative checks: %w", err)
		}
		c.At = fromMicros(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// DeleteRelativeChecks forgets the decisions of the days before `before`.
func (db *DB) DeleteRelativeChecks(ctx context.Context, before string) error {
	_, err := db.w.ExecContext(ctx, db.q(`DELETE FROM relative_checks WHERE day < ?`), before)
	return err
}
