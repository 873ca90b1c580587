package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"sync"
	"time"

	"selfdata/internal/restore"
)

// pendingUploads keeps an upload the import could not finish alone — the format is unsure,
// or a bank's CSV needs its columns named — until the person answers the question the page
// asks, so that they need not send the file again.
//
// The file stays where the importer spooled it: a temporary file of the server's temp dir,
// already unlinked (restore.Spool), so that a crash or a restart leaves nothing behind. The
// index is in memory only: a restart loses the pending uploads, and the page then asks for
// the file again. A token is 128 random bits; it names an upload only for the instance that
// sent it, and another person's token is answered as an unknown one. Tokens are never
// logged: they travel in forms' bodies, never in a URL.
type pendingUploads struct {
	mu   sync.Mutex
	all  map[string]*pendingUpload // by token
	ttl  time.Duration
	max  int // uploads kept per person; keeping one more forgets the oldest
	now  func() time.Time
	done bool // Close was called: nothing more is kept
}

// pendingUpload is one upload waiting for the person's answer.
type pendingUpload struct {
	owner string // the instance id of the person who sent it
	name  string // the file's name as sent
	// candidates are the formats the person is asked to choose among, if any.
	candidates []string
	file       *restore.Spooled
	created    time.Time
	timer      *time.Timer // forgets the upload at its expiry
}

// The defaults: half an hour to answer, three files at once per person.
const (
	pendingTTL = 30 * time.Minute
	pendingMax = 3
)

func newPendingUploads() *pendingUploads {
	return &pendingUploads{all: map[string]*pendingUpload{}, ttl: pendingTTL, max: pendingMax, now: time.Now}
}

// keep holds sp for owner and returns its token; sp is then the index's to close. A
// person's oldest upload is forgotten when they already have the most kept.
func (pu *pendingUploads) keep(owner, name string, sp *restore.Spooled, candidates []string) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		sp.Close()
		return "", err
	}
	tok := hex.EncodeToString(b[:])
	pu.mu.Lock()
	defer pu.mu.Unlock()
	if pu.done {
		sp.Close()
		return "", errShuttingDown
	}
	pu.trim(owner)
	u := &pendingUpload{owner: owner, name: name, file: sp, created: pu.now(), candidates: candidates}
	u.timer = time.AfterFunc(pu.ttl, func() { pu.drop(owner, tok) })
	pu.all[tok] = u
	return tok, nil
}

// trim forgets owner's oldest uploads until one more may be kept; pu.mu is held.
func (pu *pendingUploads) trim(owner string) {
	var mine []string
	for tok, u := range pu.all {
		if u.owner == owner {
			mine = append(mine, tok)
		}
	}
	slices.SortFunc(mine, func(a, b string) int { return pu.all[a].created.Compare(pu.all[b].created) })
	for len(mine) >= pu.max {
		pu.forget(mine[0])
		mine = mine[1:]
	}
}

// take hands owner's upload of token over to the caller, who then closes its file or
// keeps it again (under a new token): a form posted twice imports the file once. It is
// false for a token unknown, expired, or another person's alike.
func (pu *pendingUploads) take(owner, token string) (*pendingUpload, bool) {
	pu.mu.Lock()
	defer pu.mu.Unlock()
	u, ok := pu.all[token]
	if !ok || u.owner != owner {
		return nil, false
	}
	delete(pu.all, token)
	u.timer.Stop()
	if pu.now().Sub(u.created) >= pu.ttl {
		u.file.Close()
		return nil, false
	}
	return u, true
}

// drop forgets owner's upload of token (once imported, or at its expiry) and removes its
// file; another person's token changes nothing.
func (pu *pendingUploads) drop(owner, token string) {
	pu.mu.Lock()
	defer pu.mu.Unlock()
	if u, ok := pu.all[token]; ok && u.owner == owner {
		pu.forget(token)
	}
}

// forget removes an upload and its file; pu.mu is held.
func (pu *pendingUploads) forget(token string) {
	u := pu.all[token]
	delete(pu.all, token)
	u.timer.Stop()
	u.file.Close()
}

// count is how many uploads owner has kept.
func (pu *pendingUploads) count(owner string) int {
	pu.mu.Lock()
	defer pu.mu.Unlock()
	n := 0
	for _, u := range pu.all {
		if u.owner == owner {
			n++
		}
	}
	return n
}

// Close removes every pending upload; the server is shutting down.
func (pu *pendingUploads) Close() {
	pu.mu.Lock()
	defer pu.mu.Unlock()
	pu.done = true
	for tok := range pu.all {
		pu.forget(tok)
	}
}

// errShuttingDown answers an upload that arrives as the server stops.
var errShuttingDown = errorf(http.StatusServiceUnavailable, "The server is shutting down; send the file again in a moment.")
