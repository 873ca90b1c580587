package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"selfdata/internal/store"
)

// CreateAlert stores a new alert; the unique (instance, dedup) makes a second one for the
// same event fail with ErrExists, whichever of two racing reads comes second.
func (db *DB) CreateAlert(ctx context.Context, instance string, a store.Alert) error {
	params, err := json.Marshal(a.Params)
	if err != nil {
		return fmt.Errorf("create alert: %w", err)
	}
	_, err = db.w.ExecContext(ctx, db.q(`INSERT INTO alerts (id, instance, created, kind, service, service_name, params, dedup, seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		a.ID, instance, micros(a.Created), a.Kind, a.Service, a.ServiceName, string(params), a.Dedup, false)
	switch {
	case err != nil && db.d.IsUnique(err):
		return fmt.Errorf("alert %q: %w", a.Dedup, store.ErrExists)
	case err != nil:
		return fmt.Errorf("create alert: %w", err)
	}
	return nil
}

// HasAlert tells whether the instance has an alert for this event.
func (db *DB) HasAlert(ctx context.Context, instance, dedup string) (bool, error) {
	var one int
	err := db.r.QueryRowContext(ctx, db.q(`SELECT 1 FROM alerts WHERE instance = ? AND dedup = ?`), instance, dedup).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("find alert: %w", err)
	}
	return true, nil
}

// ListAlerts lists the instance's alerts, newest first.
func (db *DB) ListAlerts(ctx context.Context, instance string, unreadOnly bool, limit int) ([]store.Alert, error) {
	where, args := `instance = ?`, []any{instance}
	if unreadOnly {
		where, args = where+` AND seen = ?`, append(args, false)
	}
	query := `SELECT id, created, kind, service, service_name, params, seen FROM alerts WHERE ` + where + ` ORDER BY created DESC, id DESC`
	if limit > 0 {
		query, args = query+` LIMIT ?`, append(args, limit)
	}
	rows, err := db.r.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("list alerts: %w", err)
	}
	defer rows.Close()
	var out []store.Alert
	for rows.Next() {
		var a store.Alert
		var created int64
		var params string
		if err := rows.Scan(&a.ID, &created, &a.Kind, &a.Service, &a.ServiceName, &params, &a.Read); err != nil {
			return nil, fmt.Errorf("list alerts: %w", err)
		}
		if err := json.Unmarshal([]byte(params), &a.Params); err != nil {
			return nil, fmt.Errorf("alert %s: parameters: %w", a.ID, err)
		}
		a.Created = fromMicros(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// CountUnreadAlerts counts the instance's unread alerts (the badge in the menu).
func (db *DB) CountUnreadAlerts(ctx context.Context, instance string) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM alerts WHERE instance = ? AND seen = ?`), instance, false).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count alerts: %w", err)
	}
	return n, nil
}

// MarkAlertsRead marks the given alerts of the instance read.
func (db *DB) MarkAlertsRead(ctx context.Context, instance string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{true, instance}
	for _, id := range ids {
		args = append(args, id)
	}
	in := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	if _, err := db.w.ExecContext(ctx, db.q(`UPDATE alerts SET seen = ? WHERE instance = ? AND id IN (`+in+`)`), args...); err != nil {
		return fmt.Errorf("mark alerts read: %w", err)
	}
	return nil
}

// serviceReads is the condition selecting a service's allowed reads of an instance.
const serviceReads = `instance = ? AND actor_id = ? AND principal = 'service' AND verb = 'read' AND NOT refused`

// ServiceReadBefore tells whether the service read the instance's data before t; the
// access_log_actor index answers it from the service's first entry.
func (db *DB) ServiceReadBefore(ctx context.Context, instance, service string, t time.Time) (bool, error) {
	var one int
	err := db.r.QueryRowContext(ctx, db.q(`SELECT 1 FROM access_log WHERE `+serviceReads+` AND at < ? LIMIT 1`), instance, service, micros(t)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read access log: %w", err)
	}
	return true, nil
}

// ServiceReads counts the service's reads of the instance in [from, to).
func (db *DB) ServiceReads(ctx context.Context, instance, service string, from, to time.Time) (store.ServiceReads, error) {
	var r store.ServiceReads
	err := db.r.QueryRowContext(ctx, db.q(`SELECT CAST(COALESCE(SUM(times), 0) AS BIGINT), CAST(COALESCE(SUM(count * times), 0) AS BIGINT) FROM access_log WHERE `+serviceReads+` AND at >= ? AND at < ?`),
		instance, service, micros(from), micros(to)).Scan(&r.Reads, &r.Records)
	if err != nil {
		return r, fmt.Errorf("read access log: %w", err)
	}
	return r, nil
}

// AccessSummary sums up the selected entries of the log per doctype, in the database.
func (db *DB) AccessSummary(ctx context.Context, instance string, q store.LogQuery) ([]store.AccessSummary, error) {
	where, args := logWhere(instance, q)
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT doctype,
		CAST(SUM(CASE WHEN verb = 'read' AND NOT refused THEN times ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN verb = 'read' AND NOT refused THEN count * times ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN verb = 'write' AND NOT refused THEN times ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN verb = 'write' AND NOT refused THEN count * times ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN refused THEN times ELSE 0 END) AS BIGINT),
		MIN(at), MAX(at)
		FROM access_log WHERE `+where+` GROUP BY doctype ORDER BY doctype`), args...)
	if err != nil {
		return nil, fmt.Errorf("sum up access log: %w", err)
	}
	defer rows.Close()
	var out []store.AccessSummary
	for rows.Next() {
		var s store.AccessSummary
		var first, last int64
		if err := rows.Scan(&s.Doctype, &s.Reads, &s.Records, &s.Writes, &s.Written, &s.Refused, &first, &last); err != nil {
			return nil, fmt.Errorf("sum up access log: %w", err)
		}
		s.First, s.Last = fromMicros(first), fromMicros(last)
		out = append(out, s)
	}
	return out, rows.Err()
}
