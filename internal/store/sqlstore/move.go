package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"selfdata/internal/store"
	"selfdata/internal/store/chunk"
)

// CreateMovedInstance creates the instance a move restores into: a new id, the creation
// time it had where it comes from, and a log head at position 0 whose chain is hashed under
// chainID, so that the entries InsertLog brings verify as they were hashed there.
func (db *DB) CreateMovedInstance(ctx context.Context, name string, created time.Time, passphraseHash, chainID string) (store.Instance, error) {
	if chainID == "" {
		return store.Instance{}, fmt.Errorf("%w: a moved instance needs the id its log is chained under", store.ErrInvalid)
	}
	in := store.Instance{ID: uuid.NewString(), Name: name, Created: created.UTC().Truncate(time.Microsecond)}
	err := db.inTx(ctx, "moved instance", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO instances (id, name, pass, created, seq) VALUES (?, ?, ?, ?, 0)`),
			in.ID, in.Name, passphraseHash, micros(in.Created))
		if err != nil {
			if db.d.IsUnique(err) {
				return fmt.Errorf("instance %q: %w", name, store.ErrExists)
			}
			return fmt.Errorf("create instance %q: %w", name, err)
		}
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO access_log_heads (instance, pos, hash, legacy, mac, chain_id) VALUES (?, 0, '', 0, ?, ?)`),
			in.ID, db.sealer.headMAC(in.ID, 0, ""), chainID)
		if err != nil {
			return fmt.Errorf("create the access log's head: %w", err)
		}
		return nil
	})
	if err != nil {
		return store.Instance{}, err
	}
	return in, nil
}

// Restore runs fn in one write transaction of the instance: Update's, so that the search
// index of the documents restored is written with them.
func (db *DB) Restore(ctx context.Context, instance string, fn func(store.Restorer) error) error {
	return db.Update(ctx, instance, func(w store.Writer) error {
		return fn(restorer{w.(*writer)})
	})
}

// restorer is the writer of a Restore.
type restorer struct{ *writer }

const restoreDoc = `INSERT INTO docs (instance, ` + docCols + `, period) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// InsertDocs stores documents as they were, then raises the change feed's counter past them.
func (r restorer) InsertDocs(ctx context.Context, doctype string, docs []store.RestoredDoc) error {
	if len(docs) == 0 {
		return nil
	}
	stmt, err := r.stmt(ctx, restoreDoc)
	if err != nil {
		return fmt.Errorf("prepare restore: %w", err)
	}
	var last int64
	for _, rd := range docs {
		d := rd.Doc
		if !ValidID(d.ID) {
			return fmt.Errorf("%w: %s id %q must be 1 to 128 letters, digits, '.', '_' or '-'", store.ErrInvalid, doctype, d.ID)
		}
		rev, err := parseRev(d.Rev)
		if err != nil {
			return fmt.Errorf("%s %q: %w", doctype, d.ID, err)
		}
		if d.Seq < 1 {
			return fmt.Errorf("%w: %s %q: change number %d is not one of a feed", store.ErrInvalid, doctype, d.ID, d.Seq)
		}
		var corrAt, corrKind, corrID, corrName, original any
		if c := d.Corrected; c != nil {
			corrAt, corrKind, corrID, corrName, original = micros(c.At), c.By.Kind, c.By.ID, c.By.Name, string(c.Original)
		}
		s := d.Source
		_, err = stmt.ExecContext(ctx, r.instance, doctype, d.ID, rev, d.Seq, micros(d.Created), micros(d.Updated),
			s.Kind, s.ID, s.Name, s.Batch, micros(s.At), string(d.Data), corrAt, corrKind, corrID, corrName, original, nullable(rd.Period))
		if err != nil {
			if r.db.d.IsUnique(err) {
				return fmt.Errorf("%s %q: %w", doctype, d.ID, store.ErrExists)
			}
			return fmt.Errorf("restore %s %q: %w", doctype, d.ID, err)
		}
		if err := r.index(ctx, doctype, d.ID, d.Data, s.Name, rd.Period, micros(d.Updated)); err != nil {
			return err
		}
		last = max(last, d.Seq)
	}
	if _, err := r.exec(ctx, `UPDATE instances SET seq = CASE WHEN seq < ? THEN ? ELSE seq END WHERE id = ?`, last, last, r.instance); err != nil {
		return fmt.Errorf("raise the change feed past %d: %w", last, err)
	}
	r.db.wrote(len(docs))
	return nil
}

// InsertSeries creates a series with the creation time and decimals it had.
func (r restorer) InsertSeries(ctx context.Context, s store.Series) error {
	if !ValidID(s.ID) {
		return fmt.Errorf("%w: series id %q must be 1 to 128 letters, digits, '.', '_' or '-'", store.ErrInvalid, s.ID)
	}
	s.Decimals = min(max(s.Decimals, 0), chunk.FinerDecimals)
	if _, err := r.exec(ctx, insertSeries, r.seriesArgs(s)...); err != nil {
		if r.db.d.IsUnique(err) {
			return fmt.Errorf("series %q: %w", s.ID, store.ErrExists)
		}
		return fmt.Errorf("restore series %q: %w", s.ID, err)
	}
	return nil
}

// GrantIDFree tells whether the grant id is unused on this server.
func (r restorer) GrantIDFree(ctx context.Context, id string) (bool, error) {
	var one int
	err := r.tx.QueryRowContext(ctx, r.db.q(`SELECT 1 FROM grants WHERE id = ?`), id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("look for grant %q: %w", id, err)
	}
	return false, nil
}

// InsertGrant stores a grant and its consent record as they were.
func (r restorer) InsertGrant(ctx context.Context, g store.Grant, record []store.ConsentEvent) error {
	doctypes, verbs, expires, err := grantLists(g)
	if err != nil {
		return err
	}
	_, err = r.exec(ctx, `INSERT INTO grants (`+consentGrantCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		g.ID, r.instance, g.Service, doctypes, verbs, g.Purpose, g.LegalBasis, g.State, micros(g.Created), expires)
	if err != nil {
		if r.db.d.IsUnique(err) {
			return fmt.Errorf("grant %q: %w", g.ID, store.ErrExists)
		}
		return fmt.Errorf("restore grant %q: %w", g.ID, err)
	}
	for _, ev := range record {
		if _, err := r.exec(ctx, `INSERT INTO consent_records (instance, grant_id, seq, at, event, record) VALUES (?, ?, ?, ?, ?, ?)`,
			r.instance, g.ID, ev.Seq, micros(ev.At), ev.Event, string(ev.Record)); err != nil {
			if r.db.d.IsUnique(err) {
				return fmt.Errorf("grant %q: event %d given twice: %w", g.ID, ev.Seq, store.ErrInvalid)
			}
			return fmt.Errorf("restore the consent record of grant %q, event %d: %w", g.ID, ev.Seq, err)
		}
	}
	return nil
}

// InsertRetiredKey keeps a public key, with an empty private half.
func (r restorer) InsertRetiredKey(ctx context.Context, k store.SigningKey) error {
	_, err := r.exec(ctx, `INSERT INTO signing_keys (id, instance, public_key, private, created) VALUES (?, ?, ?, '', ?)`,
		k.ID, r.instance, base64.StdEncoding.EncodeToString(k.PublicKey), micros(k.Created))
	if err != nil {
		if r.db.d.IsUnique(err) {
			return fmt.Errorf("signing key %q: %w", k.ID, store.ErrExists)
		}
		return fmt.Errorf("restore signing key %q: %w", k.ID, err)
	}
	return nil
}

// InsertLog appends entries verbatim after the head, checking that each continues the chain.
func (r restorer) InsertLog(ctx context.Context, es []store.ChainedEntry) error {
	if len(es) == 0 {
		return nil
	}
	var pos, legacy int64
	var prev, chainID string
	err := r.tx.QueryRowContext(ctx, r.db.q(`SELECT pos, hash, legacy, chain_id FROM access_log_heads WHERE instance = ?`+r.db.d.ForUpdate), r.instance).
		Scan(&pos, &prev, &legacy, &chainID)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("restore the access log of instance %s: %w", r.instance, ErrNoHead)
	}
	if err != nil {
		return fmt.Errorf("restore the access log: read its head: %w", err)
	}
	chainID = hashedUnder(r.instance, chainID)
	args := make([]any, 0, len(es)*logCols)
	for _, e := range es {
		switch {
		case e.Seq <= 0:
			if pos > 0 || e.Hash != "" || e.Prev != "" {
				return fmt.Errorf("%w: access log entry %d: an entry from before the chain must come first and have no hash", store.ErrInvalid, e.Seq)
			}
			legacy++
		case e.Seq != pos+1:
			return fmt.Errorf("%w: access log entry %d follows position %d", store.ErrInvalid, e.Seq, pos)
		case e.Prev != prev:
			return fmt.Errorf("%w: access log entry %d does not link to the entry before it", store.ErrInvalid, e.Seq)
		case store.ChainHash(chainID, e.Seq, e.Prev, e.AtMicros, e.LogEntry) != e.Hash:
			return fmt.Errorf("%w: access log entry %d does not match its hash", store.ErrInvalid, e.Seq)
		default:
			pos, prev = e.Seq, e.Hash
		}
		args = append(args, r.instance, e.AtMicros, e.Principal, e.ActorID, e.ActorName, e.Doctype, e.Verb, e.Count, e.Purpose, e.Refused, e.Occurrences(), e.Seq, e.Prev, e.Hash)
	}
	for n := len(es); n > 0; {
		rows := min(n, logRowsPerInsert)
		part := args[:rows*logCols]
		args, n = args[rows*logCols:], n-rows
		stmt, err := r.stmt(ctx, r.db.appendSQL.insert[rows])
		if err == nil {
			_, err = stmt.ExecContext(ctx, part...)
		}
		if err != nil {
			return fmt.Errorf("restore the access log: %w", err)
		}
	}
	_, err = r.exec(ctx, `UPDATE access_log_heads SET pos = ?, hash = ?, legacy = ?, mac = ? WHERE instance = ?`,
		pos, prev, legacy, r.db.sealer.headMAC(r.instance, pos, prev), r.instance)
	if err != nil {
		return fmt.Errorf("restore the access log: record its head: %w", err)
	}
	return nil
}
