package auth

import (
	"sync"
	"time"

	"selfdata/internal/store"
)

// TokenTTL is how long a server trusts a personal token it has just checked without
// checking it again. A script sends its token with every request, and its lookup was an
// eighth of what a read costs the server; in exchange, a token revoked by another process
// (selfdata token revoke, an instance deleted) still works for at most this long on a
// server that saw it in that time.
const TokenTTL = time.Second

// maxCachedTokens bounds the cache; when it is full it is emptied, which costs one lookup
// per token and never lets it grow.
const maxCachedTokens = 10_000

// tokenCache remembers the tokens that were valid when last read, by the hash of their
// secret. Refused secrets are never kept: an unknown or revoked token is looked up every time.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]cachedToken
}

type cachedToken struct {
	t       store.Token
	expires time.Time
}

// get returns the token of hash if it was checked less than TokenTTL before now.
func (c *tokenCache) get(hash string, now time.Time) (store.Token, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || !now.Before(e.expires) {
		return store.Token{}, false
	}
	return e.t, true
}

// put keeps a token found valid at now.
func (c *tokenCache) put(hash string, t store.Token, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedTokens {
		c.m = make(map[string]cachedToken)
	}
	c.m[hash] = cachedToken{t: t, expires: now.Add(TokenTTL)}
}
