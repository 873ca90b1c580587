package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"selfdata/internal/store"
)

// The access log is a hash chain per instance. Entry number pos (from 1) of an instance holds
// prev_hash, the hash of entry pos-1 ("" for the first), and hash, computed by chainHash over
// the instance, pos, prev_hash and every field of the entry. The head of the chain — the last
// position and its hash — is kept in access_log_heads and updated in the appending
// transaction: that row lock serializes the appends of one instance on PostgreSQL (SQLite has
// one writer anyway) without touching the instances row, which data writes hold for their
// whole transaction, and the head lets VerifyLog see entries removed from the end.
//
// This makes the log tamper-evident, not tamper-proof: someone who can write to the database
// and rewrites every entry from the one they change onward, and the head, leaves a valid
// chain. The head hash that verify prints, noted elsewhere, closes that door for the past.
//
// Entries written before migration 0005 have position 0 and no hash; the migration counted
// them per instance (access_log_heads.legacy), so that VerifyLog tells them apart from
// entries inserted later without a hash.

// chainVersion starts every hashed encoding, so that a later format cannot be confused with
// this one.
const chainVersion = "selfdata access log v1"

// chainHash is SHA-256 (hex) over an unambiguous encoding: every string is preceded by its
// length and every number is 8 bytes, big-endian. The refused flag (migration 0009) is
// encoded only when set, as one more string after the others: an entry that is not refused
// hashes exactly as it did before the flag existed, so every older hash stays valid, and a
// refused entry cannot hash like one that is not (its encoding is longer).
func chainHash(instance string, pos int64, prev string, at int64, e store.LogEntry) string {
	h := sha256.New()
	var b [8]byte
	num := func(n int64) {
		binary.BigEndian.PutUint64(b[:], uint64(n))
		h.Write(b[:])
	}
	str := func(s string) {
		num(int64(len(s)))
		io.WriteString(h, s)
	}
	str(chainVersion)
	str(instance)
	num(pos)
	str(prev)
	num(at)
	str(e.Principal)
	str(e.ActorID)
	str(e.ActorName)
	str(e.Doctype)
	str(e.Verb)
	num(int64(e.Count))
	str(e.Purpose)
	if e.Refused {
		str("refused")
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AppendLog appends one entry to the instance's access log, chained to the one before it.
func (w *writer) AppendLog(ctx context.Context, e store.LogEntry) error {
	// Advancing the head locks it until the transaction ends; RETURNING gives the new
	// position and the hash of the entry before it, which this statement leaves unchanged.
	var pos int64
	var prev string
	err := w.tx.QueryRowContext(ctx, w.db.q(`INSERT INTO access_log_heads (instance, pos, hash) VALUES (?, 1, '')
		ON CONFLICT (instance) DO UPDATE SET pos = access_log_heads.pos + 1 RETURNING pos, hash`), w.instance).Scan(&pos, &prev)
	if err != nil {
		return fmt.Errorf("append to access log: advance its head: %w", err)
	}
	at := micros(e.At)
	hash := chainHash(w.instance, pos, prev, at, e)
	_, err = w.exec(ctx, `INSERT INTO access_log (instance, at, principal, actor_id, actor_name, doctype, verb, count, purpose, refused, pos, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		w.instance, at, e.Principal, e.ActorID, e.ActorName, e.Doctype, e.Verb, e.Count, e.Purpose, e.Refused, pos, prev, hash)
	if err != nil {
		return fmt.Errorf("append to access log: %w", err)
	}
	if _, err := w.exec(ctx, `UPDATE access_log_heads SET hash = ? WHERE instance = ?`, hash, w.instance); err != nil {
		return fmt.Errorf("append to access log: record its head: %w", err)
	}
	return nil
}

// maxProblems bounds the problems VerifyLog lists; the rest are only counted.
const maxProblems = 1000

// VerifyLog walks the instance's log by position, streaming the rows, and reports every
// break of the chain. It reads in one snapshot (repeatable read) so that entries appended
// meanwhile do not look inserted.
func (db *DB) VerifyLog(ctx context.Context, instance string) (store.LogVerification, error) {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return store.LogVerification{}, fmt.Errorf("verify access log: %w", err)
	}
	defer tx.Rollback()
	var one int
	err = tx.QueryRowContext(ctx, db.q(`SELECT 1 FROM instances WHERE id = ?`), instance).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return store.LogVerification{}, notFound("instance")
	}
	if err != nil {
		return store.LogVerification{}, fmt.Errorf("verify access log: %w", err)
	}
	c := chain{instance: instance}
	err = tx.QueryRowContext(ctx, db.q(`SELECT pos, hash, legacy FROM access_log_heads WHERE instance = ?`), instance).Scan(&c.head.pos, &c.head.hash, &c.legacy)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return store.LogVerification{}, fmt.Errorf("verify access log: read its head: %w", err)
	}
	rows, err := tx.QueryContext(ctx, db.q(`SELECT id, pos, prev_hash, hash, at, principal, actor_id, actor_name, doctype, verb, count, purpose, refused
		FROM access_log WHERE instance = ? ORDER BY pos, id`), instance)
	if err != nil {
		return store.LogVerification{}, fmt.Errorf("verify access log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r chainRow
		if err := rows.Scan(&r.id, &r.pos, &r.prev, &r.hash, &r.at, &r.e.Principal, &r.e.ActorID, &r.e.ActorName, &r.e.Doctype, &r.e.Verb, &r.e.Count, &r.e.Purpose, &r.e.Refused); err != nil {
			return store.LogVerification{}, fmt.Errorf("verify access log: %w", err)
		}
		c.add(r)
	}
	if err := rows.Err(); err != nil {
		return store.LogVerification{}, fmt.Errorf("verify access log: %w", err)
	}
	c.end()
	c.v.Head = c.head.hash
	return c.v, nil
}

// chainRow is one entry as stored.
type chainRow struct {
	id, pos, at int64
	prev, hash  string
	e           store.LogEntry
}

// chain checks rows arriving in (pos, id) order. Rows of one position are gathered first
// (normally one), so that when an entry is inserted at a taken position the one that links
// to the chain is kept and the other reported, whichever was stored first.
type chain struct {
	instance string
	head     struct {
		pos  int64
		hash string
	}
	legacy int64 // unchained entries from before the chain began
	v      store.LogVerification

	group []chainRow
	// The last entry kept in the chain, at a position within the head's.
	lastPos, lastID int64
	lastHash        string
	lastOK          bool
}

func (c *chain) problem(kind store.LogProblemKind, id, pos int64, format string, args ...any) {
	if len(c.v.Problems) >= maxProblems {
		c.v.Omitted++
		return
	}
	c.v.Problems = append(c.v.Problems, store.LogProblem{Kind: kind, ID: id, Pos: pos, Detail: fmt.Sprintf(format, args...)})
}

func (c *chain) add(r chainRow) {
	c.v.Entries++
	if r.pos == 0 {
		c.v.Unchained++
		if c.v.Unchained > c.legacy {
			c.problem(store.LogUnchained, r.id, 0, "it has no hash, but only %d entries were written before the log was chained", c.legacy)
		}
		return
	}
	if len(c.group) > 0 && c.group[0].pos != r.pos {
		c.check()
	}
	c.group = append(c.group, r)
}

// check checks the gathered rows of one position against the last entry kept.
func (c *chain) check() {
	g := c.group
	c.group = c.group[:0]
	pos := g[0].pos
	ok := make([]bool, len(g))
	for i, r := range g {
		ok[i] = chainHash(c.instance, r.pos, r.prev, r.at, r.e) == r.hash
	}
	// Keep the first entry that is intact and links to the last one; else the first intact
	// one; else the first.
	keep := -1
	for i, r := range g {
		if ok[i] && (pos != c.lastPos+1 || r.prev == c.lastHash) {
			keep = i
			break
		}
	}
	for i := 0; keep < 0 && i < len(g); i++ {
		if ok[i] {
			keep = i
		}
	}
	keep = max(keep, 0)
	for i, r := range g {
		if i == keep {
			continue
		}
		also := ""
		if !ok[i] {
			also = ", and its content does not match its hash"
		}
		c.problem(store.LogInserted, r.id, pos, "it takes position %d, which entry %d holds%s", pos, g[keep].id, also)
	}
	r := g[keep]
	if pos > c.head.pos {
		c.problem(store.LogInserted, r.id, pos, "it lies beyond the last entry appended (position %d)", c.head.pos)
		return
	}
	if pos > c.lastPos+1 {
		c.problem(store.LogRemoved, r.id, c.lastPos+1, "%s missing: the chain breaks before entry %d", positions(c.lastPos+1, pos-1), r.id)
	}
	switch {
	case !ok[keep]:
		c.problem(store.LogAltered, r.id, pos, "its content no longer matches its hash")
	case pos == c.lastPos+1 && r.prev != c.lastHash:
		c.problem(store.LogInserted, r.id, pos, "its previous hash is not the hash of entry %d before it: it was inserted, or entry %d was rewritten", c.lastID, c.lastID)
	}
	c.lastPos, c.lastID, c.lastHash, c.lastOK = pos, r.id, r.hash, ok[keep]
}

// end checks the last position against the head.
func (c *chain) end() {
	if len(c.group) > 0 {
		c.check()
	}
	switch {
	case c.lastPos < c.head.pos:
		c.problem(store.LogRemoved, 0, c.lastPos+1, "%s missing at the end: the log stops at position %d", positions(c.lastPos+1, c.head.pos), c.lastPos)
	case c.lastPos > 0 && c.lastOK && c.lastHash != c.head.hash:
		c.problem(store.LogAltered, c.lastID, c.lastPos, "its hash is not the head recorded for the instance: it was rewritten")
	}
}

func positions(from, to int64) string {
	if from == to {
		return fmt.Sprintf("the entry at position %d is", from)
	}
	return fmt.Sprintf("the entries at positions %d to %d are", from, to)
}
