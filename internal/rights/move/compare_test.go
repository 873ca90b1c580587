package move

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"

	"github.com/go-jose/go-jose/v4"

	"selfdata/internal/rights/export"
	"selfdata/internal/store"
)

// entries reads every entry of an archive (test archives are small).
func entries(zr *zip.Reader) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		out[f.Name] = b
	}
	return out, nil
}

// sameStore tells whether two archives hold the same store, the second exported after the
// first was moved (id1 → id2) and reports the first difference by entry and line. They may
// differ only in (a) the manifest's export time and instance id, and the instance id
// wherever the moved store names itself; (b) the receipts, signed anew: their verified
// payloads are equal but for consentReceiptID, and the second's keys are a superset of the
// first's; (c) the access log: the first's entries are exactly the first of the second's,
// which has two more, the import and its own export.
func sameStore(first, second []byte, id1, id2 string) error {
	var es [2]map[string][]byte
	for i, b := range [][]byte{first, second} {
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return fmt.Errorf("archive %d: %w", i+1, err)
		}
		if es[i], err = entries(zr); err != nil {
			return fmt.Errorf("archive %d: %w", i+1, err)
		}
	}
	names := func(m map[string][]byte) []string {
		var out []string
		for n := range m {
			out = append(out, n)
		}
		slices.Sort(out)
		return out
	}
	n1, n2 := names(es[0]), names(es[1])
	for _, n := range n1 {
		if _, ok := es[1][n]; !ok {
			return fmt.Errorf("%s: in the first archive only", n)
		}
	}
	for _, n := range n2 {
		if _, ok := es[0][n]; !ok {
			return fmt.Errorf("%s: in the second archive only", n)
		}
	}
	keys1, err := jwks(es[0]["consents/keys.json"])
	if err != nil {
		return fmt.Errorf("consents/keys.json of the first: %w", err)
	}
	keys2, err := jwks(es[1]["consents/keys.json"])
	if err != nil {
		return fmt.Errorf("consents/keys.json of the second: %w", err)
	}
	for _, n := range n1 {
		a, b := es[0][n], bytes.ReplaceAll(es[1][n], []byte(id2), []byte(id1))
		var err error
		switch n {
		case "manifest.json":
			err = sameManifest(a, es[1][n], id1)
		case "access-log.jsonl":
			err = logPrefix(a, b)
		case "consents/receipts.jsonl":
			err = sameReceipts(a, b, keys1, keys2)
		case "consents/keys.json":
			for kid := range keys1 {
				if _, ok := keys2[kid]; !ok {
					err = fmt.Errorf("key %q is missing from the second", kid)
				}
			}
		default:
			err = sameLines(a, b)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
	}
	return nil
}

func lines(b []byte) [][]byte { return bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n")) }

// sameLines compares two texts line by line; lines of JSON are equal when they hold the
// same value (PostgreSQL keeps a document's keys in an order of its own).
func sameLines(a, b []byte) error {
	la, lb := lines(a), lines(b)
	for i := range min(len(la), len(lb)) {
		if !bytes.Equal(la[i], lb[i]) && !sameJSON(la[i], lb[i]) {
			return fmt.Errorf("line %d: %s, then %s", i+1, la[i], lb[i])
		}
	}
	if len(la) != len(lb) {
		return fmt.Errorf("%d lines, then %d", len(la), len(lb))
	}
	return nil
}

// sameManifest compares the manifests but for the export's time, the instance id and the
// log's head and count, which must be two entries on, still chained under the first's id.
func sameManifest(a, b []byte, id1 string) error {
	var m1, m2 export.Manifest
	if err := json.Unmarshal(a, &m1); err != nil {
		return err
	}
	if err := json.Unmarshal(b, &m2); err != nil {
		return err
	}
	if m2.AccessLog.Chain != id1 || m1.AccessLog.Chain != id1 {
		return fmt.Errorf("the log is chained under %q, then %q, not under the first id %q", m1.AccessLog.Chain, m2.AccessLog.Chain, id1)
	}
	if m2.AccessLog.Entries != m1.AccessLog.Entries+2 || m2.AccessLog.Seq != m1.AccessLog.Seq+2 || m2.Counts.LogEntries != m1.Counts.LogEntries+2 {
		return fmt.Errorf("log %+v (%d entries), then %+v (%d): not the import and the export more", m1.AccessLog, m1.Counts.LogEntries, m2.AccessLog, m2.Counts.LogEntries)
	}
	m2.Exported, m2.Instance.ID, m2.AccessLog, m2.Counts.LogEntries = m1.Exported, m1.Instance.ID, m1.AccessLog, m1.Counts.LogEntries
	if !reflect.DeepEqual(m1, m2) {
		j1, _ := json.Marshal(m1)
		j2, _ := json.Marshal(m2)
		return fmt.Errorf("%s, then %s", j1, j2)
	}
	return nil
}

// logPrefix checks that the first log is the start of the second, which adds the import
// and the export.
func logPrefix(a, b []byte) error {
	la, lb := lines(a), lines(b)
	if len(lb) != len(la)+2 {
		return fmt.Errorf("%d entries, then %d: not two more", len(la), len(lb))
	}
	for i := range la {
		if !bytes.Equal(la[i], lb[i]) {
			return fmt.Errorf("line %d: %s, then %s", i+1, la[i], lb[i])
		}
	}
	for i, want := range []struct{ principal, verb string }{{"operator", Verb}, {"owner", "export"}} {
		var c store.ChainedEntry
		if err := json.Unmarshal(lb[len(la)+i], &c); err != nil {
			return fmt.Errorf("line %d: %w", len(la)+i+1, err)
		}
		if c.Principal != want.principal || c.Verb != want.verb || c.Doctype != "*" {
			return fmt.Errorf("line %d: %s, want the %s of the %s", len(la)+i+1, lb[len(la)+i], want.verb, want.principal)
		}
	}
	return nil
}

// sameReceipts compares the receipts' verified payloads but for their random id.
func sameReceipts(a, b []byte, keys1, keys2 map[string]ed25519.PublicKey) error {
	la, lb := lines(a), lines(b)
	if len(la) != len(lb) {
		return fmt.Errorf("%d receipts, then %d", len(la), len(lb))
	}
	for i := range la {
		var p [2]map[string]any
		for j, x := range []struct {
			line []byte
			keys map[string]ed25519.PublicKey
		}{{la[i], keys1}, {lb[i], keys2}} {
			var l struct{ Grant, JWS string }
			if err := json.Unmarshal(x.line, &l); err != nil {
				return fmt.Errorf("line %d: %w", i+1, err)
			}
			payload, err := VerifyReceipt(l.JWS, x.keys)
			if err != nil {
				return fmt.Errorf("line %d of archive %d: %w", i+1, j+1, err)
			}
			if err := json.Unmarshal(payload, &p[j]); err != nil {
				return fmt.Errorf("line %d: %w", i+1, err)
			}
			if p[j]["consentReceiptID"] == "" {
				return fmt.Errorf("line %d of archive %d: no receipt id", i+1, j+1)
			}
			delete(p[j], "consentReceiptID")
		}
		if !reflect.DeepEqual(p[0], p[1]) {
			return fmt.Errorf("line %d: %v, then %v", i+1, p[0], p[1])
		}
	}
	return nil
}

func jwks(b []byte) (map[string]ed25519.PublicKey, error) {
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(b, &set); err != nil {
		return nil, err
	}
	out := map[string]ed25519.PublicKey{}
	for _, k := range set.Keys {
		pub, ok := k.Key.(ed25519.PublicKey)
		if !ok {
			return nil, fmt.Errorf("key %q is not Ed25519", k.KeyID)
		}
		out[k.KeyID] = pub
	}
	return out, nil
}

// sameJSON tells whether two texts are JSON of the same value, numbers compared as written.
func sameJSON(a, b []byte) bool {
	decode := func(b []byte) (any, bool) {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var v any
		return v, dec.Decode(&v) == nil
	}
	x, okA := decode(a)
	y, okB := decode(b)
	return okA && okB && reflect.DeepEqual(x, y)
}
