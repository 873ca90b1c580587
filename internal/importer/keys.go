package importer

import (
	"fmt"

	"selfdata/internal/input"
)

// Keys hands out record keys unique within one Result: a key met again (the same
// transaction, event or card twice in a file) gets "#2", "#3"... in file order, which stays
// stable from import to import. A suffixed key never takes a key the file itself holds or
// will hold: "x#2", "x", "x" yields "x#2", "x", "x#3", so a batch never carries one key
// twice (which the store refuses for the whole file).
type Keys struct {
	seen  map[string]int // key -> highest suffix handed out for it (1: the key itself)
	dups  int
	first string
}

// Unique returns key, or key with the first free "#n" suffix when key was already given.
func (k *Keys) Unique(key string) string {
	if k.seen == nil {
		k.seen = map[string]int{}
	}
	if k.seen[key] == 0 {
		k.seen[key] = 1
		return key
	}
	if k.dups++; k.dups == 1 {
		k.first = key
	}
	for n := k.seen[key] + 1; ; n++ {
		c := fmt.Sprintf("%s#%d", key, n)
		if k.seen[c] == 0 {
			k.seen[key], k.seen[c] = n, 1
			return c
		}
	}
}

// Note tells the person about the copies, once for the whole file; what names one record
// in English ("event", "card").
func (k *Keys) Note(res *Result, what string) {
	if k.dups > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d %s(s) appear more than once in the file (the first: %s): every copy was kept, with \"#2\", \"#3\"... added to its key", k.dups, what, input.Excerpt(k.first)))
	}
}
