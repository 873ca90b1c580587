package move

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"

	"selfdata/internal/consent"
	"selfdata/internal/store"
)

// consents restores the public keys (consents/keys.json), checks every receipt against them,
// then restores each grant of consents/grants.jsonl with its record from records.jsonl.
func (r *run) consents() error {
	keys, err := r.keys()
	if err != nil {
		return err
	}
	var grants []store.Grant
	ids := map[string]bool{}
	err = r.a.lines("consents/grants.jsonl", func(_ int, line []byte) error {
		var g store.Grant
		if err := decode(line, &g); err != nil {
			return err
		}
		if g.ID == "" || ids[g.ID] {
			return fmt.Errorf("grant %q: no id, or the id of another line", g.ID)
		}
		ids[g.ID] = true
		grants = append(grants, g)
		return nil
	})
	if err != nil {
		return err
	}
	if err := r.receipts(keys, ids); err != nil {
		return err
	}
	records := map[string][]store.ConsentEvent{}
	err = r.a.lines("consents/records.jsonl", func(_ int, line []byte) error {
		var ev store.ConsentEvent
		if err := decode(line, &ev); err != nil {
			return err
		}
		if !ids[ev.Grant] {
			return fmt.Errorf("an event of grant %q, which grants.jsonl does not list", ev.Grant)
		}
		if want := int64(len(records[ev.Grant]) + 1); ev.Seq != want {
			return fmt.Errorf("grant %q: event %d where event %d comes", ev.Grant, ev.Seq, want)
		}
		if !json.Valid(ev.Record) {
			return fmt.Errorf("grant %q: event %d: its record is not JSON", ev.Grant, ev.Seq)
		}
		records[ev.Grant] = append(records[ev.Grant], ev)
		return nil
	})
	if err != nil {
		return err
	}
	// Oldest first, as the grants were given (grants.jsonl lists the newest first).
	for i := len(grants) - 1; i >= 0; i-- {
		if err := r.grant(grants[i], records[grants[i].ID]); err != nil {
			return err
		}
	}
	return nil
}

// grant restores one grant. A grant the export showed as expired is stored active with its
// expiry (the store keeps the state the person left, and expiry is read against the time).
// One whose service is not in this server's catalog is ended, as the service's removal ends
// a grant, the removal added to its record. A grant id already taken here gets a new one.
func (r *run) grant(g store.Grant, record []store.ConsentEvent) error {
	if len(record) == 0 {
		return fmt.Errorf("consents/grants.jsonl: grant %q has no consent record in records.jsonl", g.ID)
	}
	r.rep.ConsentEvents += int64(len(record))
	if g.State == store.GrantExpired {
		g.State = store.GrantActive
	}
	_, err := r.im.Store.Service(r.ctx, g.Service)
	switch {
	case errors.Is(err, store.ErrNotFound):
		if g.State == store.GrantActive {
			g.State = store.GrantEnded
			ev, err := endedEvent(g, record[len(record)-1], r.now)
			if err != nil {
				return err
			}
			record = append(record, ev)
			r.rep.Ended = append(r.rep.Ended, g)
		}
	case err != nil:
		return fmt.Errorf("grant %q: its service %q: %w", g.ID, g.Service, err)
	}
	return r.im.Store.Restore(r.ctx, r.in.ID, func(w store.Restorer) error {
		free, err := w.GrantIDFree(r.ctx, g.ID)
		if err != nil {
			return err
		}
		if !free {
			old := g.ID
			g.ID = uuid.NewString()
			r.rep.Renamed[old] = g.ID
			for i := range record {
				record[i].Grant = g.ID
			}
		}
		g.Instance = r.in.ID
		if err := w.InsertGrant(r.ctx, g, record); err != nil {
			return fmt.Errorf("grant %q: %w", g.ID, err)
		}
		r.rep.Grants++
		return nil
	})
}

// endedEvent is the event that ends a grant whose service this server does not know: the
// record as its last event left it, ended, with the removal in its history (as
// consent.Services.Remove writes it).
func endedEvent(g store.Grant, last store.ConsentEvent, at time.Time) (store.ConsentEvent, error) {
	rec := consent.Record{RecordID: g.ID, Subject: g.Instance, Service: g.Service, Purposes: []string{g.Purpose},
		DataCategories: g.Doctypes, Processing: g.Verbs, LegalBasis: g.LegalBasis, Time: g.Created, Expires: g.Expires}
	if err := json.Unmarshal(last.Record, &rec); err != nil {
		return store.ConsentEvent{}, fmt.Errorf("grant %q: its last record: %w", g.ID, err)
	}
	rec.State = store.GrantEnded
	rec.StateHistory = append(rec.StateHistory, consent.RecordChange{Event: store.ConsentServiceRemoved, At: at})
	b, err := json.Marshal(rec)
	if err != nil {
		return store.ConsentEvent{}, err
	}
	return store.ConsentEvent{Grant: g.ID, Seq: last.Seq + 1, At: at, Event: store.ConsentServiceRemoved, Record: b}, nil
}

// keys restores the public keys of consents/keys.json as retired keys, oldest first as
// listed, and returns them by kid.
func (r *run) keys() (map[string]ed25519.PublicKey, error) {
	const name = "consents/keys.json"
	rc, err := r.a.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(io.LimitReader(rc, 4<<20)).Decode(&set); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	out := map[string]ed25519.PublicKey{}
	for i, k := range set.Keys {
		pub, ok := k.Key.(ed25519.PublicKey)
		if !ok || k.KeyID == "" || out[k.KeyID] != nil {
			return nil, fmt.Errorf("%s: key %d (%q) is not an Ed25519 public key of its own kid", name, i+1, k.KeyID)
		}
		out[k.KeyID] = pub
		// Created orders the keys as the archive lists them, before any the instance makes.
		sk := store.SigningKey{ID: k.KeyID, PublicKey: pub, Created: r.a.m.Exported.Add(time.Duration(i-len(set.Keys)) * time.Microsecond)}
		err := r.im.Store.Restore(r.ctx, r.in.ID, func(w store.Restorer) error { return w.InsertRetiredKey(r.ctx, sk) })
		if err != nil {
			return nil, fmt.Errorf("%s: key %q: %w", name, k.KeyID, err)
		}
		r.rep.Keys++
	}
	return out, nil
}

// receipts checks that every receipt of consents/receipts.jsonl is a grant's, signed by a
// key of keys.json: what the person will show a service later must still verify.
func (r *run) receipts(keys map[string]ed25519.PublicKey, grants map[string]bool) error {
	var n int64
	err := r.a.lines("consents/receipts.jsonl", func(_ int, line []byte) error {
		var l struct {
			Grant string `json:"grant"`
			JWS   string `json:"jws"`
		}
		if err := decode(line, &l); err != nil {
			return err
		}
		if !grants[l.Grant] {
			return fmt.Errorf("a receipt of grant %q, which grants.jsonl does not list", l.Grant)
		}
		if _, err := VerifyReceipt(l.JWS, keys); err != nil {
			return fmt.Errorf("the receipt of grant %q: %w", l.Grant, err)
		}
		n++
		return nil
	})
	if err != nil {
		return err
	}
	if n != r.a.m.Counts.Receipts {
		return fmt.Errorf("consents/receipts.jsonl: %d receipts, the manifest says %d", n, r.a.m.Counts.Receipts)
	}
	return nil
}

// VerifyReceipt checks a compact JWS receipt against the keys by kid and returns its payload.
func VerifyReceipt(jws string, keys map[string]ed25519.PublicKey) ([]byte, error) {
	sig, err := jose.ParseSigned(jws, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		return nil, fmt.Errorf("not a signed receipt: %w", err)
	}
	if len(sig.Signatures) != 1 {
		return nil, errors.New("not one signature")
	}
	kid := sig.Signatures[0].Header.KeyID
	pub, ok := keys[kid]
	if !ok {
		return nil, fmt.Errorf("signed by key %q, which keys.json does not hold", kid)
	}
	payload, err := sig.Verify(pub)
	if err != nil {
		return nil, fmt.Errorf("its signature does not verify with key %q: %w", kid, err)
	}
	return payload, nil
}

// accessLog restores access-log.jsonl verbatim, in batches (the chain was verified whole
// before anything was written; the store checks each entry again as it links it).
func (r *run) accessLog() error {
	batch := make([]store.ChainedEntry, 0, logBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := r.im.Store.Restore(r.ctx, r.in.ID, func(w store.Restorer) error { return w.InsertLog(r.ctx, batch) }); err != nil {
			return err
		}
		r.rep.LogEntries += int64(len(batch))
		batch = batch[:0]
		return nil
	}
	err := r.a.lines("access-log.jsonl", func(_ int, line []byte) error {
		var c store.ChainedEntry
		if err := decode(line, &c); err != nil {
			return err
		}
		batch = append(batch, c)
		if len(batch) == logBatch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}
