package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
	"strings"

	"selfdata/internal/store"
)

// The access log is a hash chain per instance. Entry number pos (from 1) of an instance holds
// prev_hash, the hash of entry pos-1 ("" for the first), and hash, computed by chainHash over
// the instance, pos, prev_hash and every field of the entry. The position is the entry's
// number as the person sees it (LogEntry.Seq): it counts that person's entries only, so that
// its gaps tell nothing of other people's activity, and re-ordering rows changes hashes.
//
// The head of the chain — the last position and its hash — is kept in access_log_heads,
// created with the instance and advanced in the appending transaction: its row lock
// serializes the appends of one instance on PostgreSQL (SQLite has one writer anyway). The
// head carries a MAC under a key derived from the server's key file, which is not in the
// database: whoever rewrites the log without the key — appends a well-hashed entry and moves
// the head, cuts the tail and moves the head back, empties the log and the head — leaves a
// head whose MAC does not match, or no head, and VerifyLog says so. Someone holding the key
// file too could rewrite everything; a head noted elsewhere (verify prints it) still shows.
//
// Entries written before migration 0005 have no hash; migration 0011 numbered them 0, -1,
// -2... backwards from the newest, so that they sort before the chain and keep a number of
// their own, and access_log_heads.legacy counts them so that VerifyLog tells them apart from
// entries inserted later without a hash.

// chainHash is the chain's hash of an entry (store.ChainHash: an export is verified with it).
func chainHash(instance string, pos int64, prev string, at int64, e store.LogEntry) string {
	return store.ChainHash(instance, pos, prev, at, e)
}

// canonical writes strings (length first) and numbers (8 bytes, big-endian) to a hash.
type canonical struct{ h hash.Hash }

func (c canonical) num(n int64) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	c.h.Write(b[:])
}

func (c canonical) str(s string) {
	c.num(int64(len(s)))
	io.WriteString(c.h, s)
}

// headVersion starts the encoding a head's MAC covers.
const headVersion = "selfdata access log head v1"

// headMAC authenticates an instance's head: its position and the hash of its last entry.
func (s *sealer) headMAC(instance string, pos int64, hash string) string {
	m := hmac.New(sha256.New, s.headKey)
	c := canonical{h: m}
	c.str(headVersion)
	c.str(instance)
	c.num(pos)
	c.str(hash)
	return hex.EncodeToString(m.Sum(nil))
}

// AppendLog appends entries to the instance's access log, chained to the one before them, in
// the writer's transaction (a write and its trace land together).
func (w *writer) AppendLog(ctx context.Context, es ...store.LogEntry) error {
	return w.db.appendLog(ctx, w.tx, w.instance, es)
}

// AppendLogs appends the entries of several instances in one transaction: the gate's group
// commit of the reads of many requests. Heads are locked in the order of their instances, so
// that two servers committing batches on one PostgreSQL database never wait on each other in
// a cycle.
func (db *DB) AppendLogs(ctx context.Context, logs []store.InstanceLog) error {
	logs = slices.Clone(logs)
	slices.SortStableFunc(logs, func(a, b store.InstanceLog) int { return strings.Compare(a.Instance, b.Instance) })
	if err := db.prepareWrites(ctx); err != nil {
		return err
	}
	return db.inTx(ctx, "access log", func(tx *sql.Tx) error {
		for _, l := range logs {
			if err := db.appendLog(ctx, tx, l.Instance, l.Entries); err != nil {
				return err
			}
		}
		return nil
	})
}

// ErrNoHead is the error of an append to an instance whose log head is missing: it is made
// with the instance, so someone removed it, and the log is not written on until the
// operator has looked (selfdata audit verify).
var ErrNoHead = errors.New("the access log's head is missing: the log was tampered with (run selfdata audit verify)")

// The statements of an append, prepared once (AppendLogs).
const (
	selectHead = `SELECT pos, hash, chain_id FROM access_log_heads WHERE instance = ?`
	moveHead   = `UPDATE access_log_heads SET pos = ?, hash = ?, mac = ? WHERE instance = ?`
)

// Entries are inserted up to logRowsPerInsert in one statement: a batch of reads costs a few
// statements rather than one each (most of an insert's cost is the statement, not the row).
const (
	logRowsPerInsert = 16
	logCols          = 14
)

// appendQueries are the statements of an append, made once per store: the head's lock
// (head), its move (move) and the inserts of 1 to logRowsPerInsert entries (insert[n]).
// insertMoving[n], where the backend runs a data-modifying statement in a WITH clause, is
// insert[n] that also moves the head (its arguments first, as move takes them).
type appendQueries struct {
	head, move   string
	insert       [logRowsPerInsert + 1]string
	insertMoving [logRowsPerInsert + 1]string
}

func newAppendQueries(d Dialect) *appendQueries {
	q := &appendQueries{head: selectHead + d.ForUpdate, move: moveHead}
	for n := 1; n <= logRowsPerInsert; n++ {
		q.insert[n] = `INSERT INTO access_log (instance, at, principal, actor_id, actor_name, doctype, verb, count, purpose, refused, times, pos, prev_hash, hash) VALUES ` +
			strings.TrimSuffix(strings.Repeat(`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), `, n), ", ")
		if d.ModifyingCTE {
			q.insertMoving[n] = `WITH moved AS (` + moveHead + `) ` + q.insert[n]
		}
	}
	return q
}

// all lists the statements, for preparing them.
func (q *appendQueries) all() []string {
	out := append([]string{q.head, q.move}, q.insert[1:]...)
	for _, s := range q.insertMoving[1:] {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// appendLog chains entries after the instance's head, in tx.
func (db *DB) appendLog(ctx context.Context, tx *sql.Tx, instance string, es []store.LogEntry) error {
	if len(es) == 0 {
		return nil
	}
	var pos int64
	var prev, chainID string
	head, err := db.txStmt(ctx, tx, db.appendSQL.head)
	if err != nil {
		return fmt.Errorf("append to access log: %w", err)
	}
	err = head.QueryRowContext(ctx, instance).Scan(&pos, &prev, &chainID)
	if errors.Is(err, sql.ErrNoRows) {
		var one int
		if tx.QueryRowContext(ctx, db.q(`SELECT 1 FROM instances WHERE id = ?`), instance).Scan(&one) != nil {
			return notFound("instance")
		}
		return fmt.Errorf("append to the access log of instance %s: %w", instance, ErrNoHead)
	}
	if err != nil {
		return fmt.Errorf("append to access log: read its head: %w", err)
	}
	chainID = hashedUnder(instance, chainID)
	args := make([]any, 0, len(es)*logCols)
	for _, e := range es {
		pos++
		at := micros(e.At)
		hash := chainHash(chainID, pos, prev, at, e)
		args = append(args, instance, at, e.Principal, e.ActorID, e.ActorName, e.Doctype, e.Verb, e.Count, e.Purpose, e.Refused, e.Occurrences(), pos, prev, hash)
		prev = hash
	}
	moved := []any{pos, prev, db.sealer.headMAC(instance, pos, prev), instance}
	// The entries go in statements of logRowsPerInsert; where the backend can, the last one
	// moves the head too: the head is locked until the commit, and every round trip while
	// it is shortens what all other writers of this person wait.
	for n := len(es); n > 0; {
		rows := min(n, logRowsPerInsert)
		chunk := args[:rows*logCols]
		args, n = args[rows*logCols:], n-rows
		query := db.appendSQL.insert[rows]
		if n == 0 && db.appendSQL.insertMoving[rows] != "" {
			query, chunk, moved = db.appendSQL.insertMoving[rows], append(slices.Clone(moved), chunk...), nil
		}
		stmt, err := db.txStmt(ctx, tx, query)
		if err == nil {
			_, err = stmt.ExecContext(ctx, chunk...)
		}
		if err != nil {
			return fmt.Errorf("append to access log: %w", err)
		}
	}
	if moved == nil {
		return nil
	}
	move, err := db.txStmt(ctx, tx, db.appendSQL.move)
	if err == nil {
		_, err = move.ExecContext(ctx, moved...)
	}
	if err != nil {
		return fmt.Errorf("append to access log: record its head: %w", err)
	}
	return nil
}

// hashedUnder is the id an instance's chain is hashed under: the chain_id of its head
// (migration 0019) when the instance was moved here with its log; empty (every other head), it is
// the instance's own id.
func hashedUnder(instance, chainID string) string {
	if chainID == "" {
		return instance
	}
	return chainID
}

// createHead makes the head of a new instance's log, in the instance's transaction.
func (db *DB) createHead(ctx context.Context, tx *sql.Tx, instance string) error {
	// chain_id is left to its default, empty: the instance's own id (hashedUnder). Naming no
	// column of a later migration lets tests make instances on an older schema.
	_, err := tx.ExecContext(ctx, db.q(`INSERT INTO access_log_heads (instance, pos, hash, legacy, mac) VALUES (?, 0, '', 0, ?)`), instance, db.sealer.headMAC(instance, 0, ""))
	if err != nil {
		return fmt.Errorf("create the access log's head: %w", err)
	}
	return nil
}

// authenticateHeads gives every head its MAC under the current key. Migration 0011 runs it
// once, in its transaction, when heads had none; ForgetSecrets runs it for a new key. Either
// way it vouches for the log as it is at that moment.
func (db *DB) authenticateHeads(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT instance, pos, hash FROM access_log_heads`)
	if err != nil {
		return fmt.Errorf("authenticate the access log heads: %w", err)
	}
	type head struct {
		instance, hash string
		pos            int64
	}
	var heads []head
	for rows.Next() {
		var h head
		if err := rows.Scan(&h.instance, &h.pos, &h.hash); err != nil {
			rows.Close()
			return err
		}
		heads = append(heads, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, h := range heads {
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE access_log_heads SET mac = ? WHERE instance = ?`), db.sealer.headMAC(h.instance, h.pos, h.hash), h.instance); err != nil {
			return fmt.Errorf("authenticate the access log heads: %w", err)
		}
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
	var mac, chainID string
	err = tx.QueryRowContext(ctx, db.q(`SELECT pos, hash, legacy, mac, chain_id FROM access_log_heads WHERE instance = ?`), instance).Scan(&c.head.pos, &c.head.hash, &c.legacy, &mac, &chainID)
	c.instance = hashedUnder(instance, chainID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		c.problem(store.LogHead, 0, 0, "the head of the log is missing: it is made with the instance, so it was deleted, and the log with it may have been emptied or cut")
		c.noHead = true
	case err != nil:
		return store.LogVerification{}, fmt.Errorf("verify access log: read its head: %w", err)
	case !hmac.Equal([]byte(mac), []byte(db.sealer.headMAC(instance, c.head.pos, c.head.hash))):
		c.problem(store.LogHead, 0, c.head.pos, "the head (position %d) was not written by selfdata with this key file: the log was appended to, cut or rewritten behind its back", c.head.pos)
	}
	rows, err := tx.QueryContext(ctx, db.q(`SELECT id, pos, prev_hash, hash, at, principal, actor_id, actor_name, doctype, verb, count, purpose, refused, times
		FROM access_log WHERE instance = ? ORDER BY pos, id`), instance)
	if err != nil {
		return store.LogVerification{}, fmt.Errorf("verify access log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r chainRow
		if err := rows.Scan(&r.id, &r.pos, &r.prev, &r.hash, &r.at, &r.e.Principal, &r.e.ActorID, &r.e.ActorName, &r.e.Doctype, &r.e.Verb, &r.e.Count, &r.e.Purpose, &r.e.Refused, &r.e.Times); err != nil {
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
	noHead bool  // the head row is missing
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
	if r.pos <= 0 {
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
	if !c.noHead && pos > c.head.pos {
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
	case c.noHead: // nothing to compare the end with
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

// LogChainID is the id the instance's chain is hashed under (see hashedUnder).
func (db *DB) LogChainID(ctx context.Context, instance string) (string, error) {
	var chainID string
	err := db.r.QueryRowContext(ctx, db.q(`SELECT chain_id FROM access_log_heads WHERE instance = ?`), instance).Scan(&chainID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("the access log of instance %s: %w", instance, ErrNoHead)
	}
	if err != nil {
		return "", fmt.Errorf("read the access log's chain id: %w", err)
	}
	return hashedUnder(instance, chainID), nil
}

// LogChain reads the instance's log after position after with its chain fields, in order.
func (db *DB) LogChain(ctx context.Context, instance string, after int64, limit int) ([]store.ChainedEntry, error) {
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT pos, prev_hash, hash, at, principal, actor_id, actor_name, doctype, verb, count, purpose, refused, times
		FROM access_log WHERE instance = ? AND pos > ? ORDER BY pos, id LIMIT ?`), instance, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read the access log's chain: %w", err)
	}
	defer rows.Close()
	var out []store.ChainedEntry
	for rows.Next() {
		var c store.ChainedEntry
		var prev, hash sql.NullString
		if err := rows.Scan(&c.Seq, &prev, &hash, &c.AtMicros, &c.Principal, &c.ActorID, &c.ActorName, &c.Doctype, &c.Verb, &c.Count, &c.Purpose, &c.Refused, &c.Times); err != nil {
			return nil, fmt.Errorf("read the access log's chain: %w", err)
		}
		c.Prev, c.Hash, c.At = prev.String, hash.String, fromMicros(c.AtMicros)
		out = append(out, c)
	}
	return out, rows.Err()
}
