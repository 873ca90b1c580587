package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"io"
)

// ChainedEntry is an access-log entry with the fields of its hash chain: what lets someone
// check, away from the store (in an export), that the log is the one the gate wrote.
type ChainedEntry struct {
	LogEntry
	// AtMicros is At as the chain hashes it: microseconds since the Unix epoch.
	AtMicros int64  `json:"at_us"`
	Prev     string `json:"prev_hash"` // hash of the entry before ("" for the first)
	Hash     string `json:"hash"`      // ChainHash of this entry; "" for entries older than the chain
}

// LogChains reads the access log with its chain: see Reader.LogChain.
type LogChains interface {
	// LogChain returns at most limit entries of the instance's log whose position (Seq) is
	// greater than after, in order of position: the whole log, page by page, as it is
	// stored (entries from before the chain have positions 0 or less and no hash).
	LogChain(ctx context.Context, instance string, after int64, limit int) ([]ChainedEntry, error)
	// LogChainID is the id the instance's chain is hashed under (ChainHash's instance): the
	// instance's own id, or for an instance moved here with its log, the id the log was
	// chained under where it came from.
	LogChainID(ctx context.Context, instance string) (string, error)
}

// chainVersion starts every hashed encoding, so that a later format cannot be confused with
// this one.
const chainVersion = "selfdata access log v1"

// ChainHash is the hash of the access-log entry at position pos of instance, whose previous
// entry hashed to prev: SHA-256 (hex) over an unambiguous encoding, every string preceded by
// its length and every number 8 bytes, big-endian. The refused flag (migration 0009) is
// encoded only when set, as one more string after the others: an entry that is not refused
// hashes exactly as it did before the flag existed, so every older hash stays valid, and a
// refused entry cannot hash like one that is not (its encoding is longer). The number of
// times an entry stands for (migration 0014) is encoded likewise, only when more than one,
// after a string of its own that no other field's encoding ends with. It lives here, beside
// the contract, so that an export can be verified with the very function that chained it.
func ChainHash(instance string, pos int64, prev string, atMicros int64, e LogEntry) string {
	h := sha256.New()
	c := canonical{h: h}
	c.str(chainVersion)
	c.str(instance)
	c.num(pos)
	c.str(prev)
	c.num(atMicros)
	c.str(e.Principal)
	c.str(e.ActorID)
	c.str(e.ActorName)
	c.str(e.Doctype)
	c.str(e.Verb)
	c.num(int64(e.Count))
	c.str(e.Purpose)
	if e.Refused {
		c.str("refused")
	}
	if n := e.Occurrences(); n > 1 {
		c.str("times")
		c.num(int64(n))
	}
	return hex.EncodeToString(h.Sum(nil))
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
