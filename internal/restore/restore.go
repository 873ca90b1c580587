// Package restore brings organizations' data into a person's store: files in the formats
// organizations publish (through the importers), deposits sent to the deposit API, and the
// bookkeeping that makes both idempotent.
//
// Every record gets an id derived from its source, its doctype and its key at the source, so
// that the same data sent twice — a file imported again, a deposit retried — lands on the
// same documents and changes nothing. Everything of one file or one deposit is written in one
// gate transaction: all of it, or none of it.
package restore

import (
	"crypto/sha256"
	"encoding/base32"
	"strings"

	"selfdata/internal/store"
)

// ID derives a stable document id from the source, the doctype and the record's key.
// Uploads by the person share one space (so a statement imported twice is one statement);
// each organization has its own.
func ID(src store.Source, doctype, key string) string {
	h := sha256.Sum256([]byte(src.Kind + "\x00" + src.ID + "\x00" + doctype + "\x00" + key))
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(h[:20]))
}
