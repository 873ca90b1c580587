package export

import (
	"encoding/json"
	"math"

	"selfdata/internal/store"
)

// receiptLine is a line of consents/receipts.jsonl: a grant's signed Kantara receipt.
type receiptLine struct {
	Grant string `json:"grant"`
	JWS   string `json:"jws"`
}

// consents writes consents/grants.jsonl, records.jsonl (every event of every grant's
// consent record), receipts.jsonl and keys.json (the JWKS of the keys the receipts verify with).
func (e *run) consents() error {
	grants, err := e.x.Grants.List(e.ctx, e.in.ID)
	if err != nil {
		return err
	}
	enc, err := e.jsonl("consents/grants.jsonl")
	if err != nil {
		return err
	}
	for _, g := range grants {
		if err := enc.Encode(g); err != nil {
			return err
		}
	}
	e.m.Counts.Grants = int64(len(grants))
	if enc, err = e.jsonl("consents/records.jsonl"); err != nil {
		return err
	}
	for _, g := range grants {
		evs, err := e.x.Grants.History(e.ctx, e.in.ID, g.ID)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			if err := enc.Encode(ev); err != nil {
				return err
			}
		}
		e.m.Counts.ConsentEvents += int64(len(evs))
	}
	if err := e.receipts(grants); err != nil {
		return err
	}
	keys, err := e.x.Grants.JWKS(e.ctx, e.in.ID)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(keys, "", "  ")
	if err != nil {
		return err
	}
	w, err := e.create("consents/keys.json")
	if err == nil {
		_, err = w.Write(append(b, '\n'))
	}
	return err
}

// receipts signs and writes each grant's receipt.
func (e *run) receipts(grants []store.Grant) error {
	enc, err := e.jsonl("consents/receipts.jsonl")
	if err != nil {
		return err
	}
	for _, g := range grants {
		jws, err := e.x.Grants.Receipt(e.ctx, e.in.ID, g.ID)
		if err != nil {
			return err
		}
		if err := enc.Encode(receiptLine{Grant: g.ID, JWS: jws}); err != nil {
			return err
		}
		e.m.Counts.Receipts++
	}
	return nil
}

// accessLog writes access-log.jsonl: every entry with its chain fields, oldest first, so
// that the chain can be verified from the archive alone (store.ChainHash); the manifest
// names its head.
func (e *run) accessLog() error {
	enc, err := e.jsonl("access-log.jsonl")
	if err != nil {
		return err
	}
	chainID, err := e.r.LogChainID(e.ctx, e.in.ID)
	if err != nil {
		return err
	}
	e.m.AccessLog.Chain = chainID
	after := int64(math.MinInt64)
	for {
		es, err := e.r.LogChain(e.ctx, e.in.ID, after, logPage)
		if err != nil {
			return err
		}
		for _, c := range es {
			if err := enc.Encode(c); err != nil {
				return err
			}
			if c.Hash != "" {
				e.m.AccessLog.Seq, e.m.AccessLog.Hash = c.Seq, c.Hash
			}
		}
		e.m.AccessLog.Entries += int64(len(es))
		if len(es) < logPage {
			e.m.Counts.LogEntries = e.m.AccessLog.Entries
			return nil
		}
		after = es[len(es)-1].Seq
	}
}

// manifest writes manifest.json, last: it counts what the other entries hold.
func (e *run) manifest() error {
	b, err := json.MarshalIndent(e.m, "", "  ")
	if err != nil {
		return err
	}
	w, err := e.create("manifest.json")
	if err == nil {
		_, err = w.Write(append(b, '\n'))
	}
	return err
}
