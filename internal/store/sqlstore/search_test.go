package sqlstore

import "testing"

func TestMatchQueries(t *testing.T) {
	for _, tt := range []struct {
		terms         []string
		prefix        bool
		fts5, tsquery string
	}{
		{[]string{"facture", "edf"}, true, `"facture" AND "edf"*`, `'facture' & 'edf':*`},
		{[]string{"30", "novembre"}, false, `"30" AND "novembre"`, `'30' & 'novembre'`},
		{[]string{"and"}, false, `"and"`, `'and'`},
		// Never made by fulltext.ParseQuery, quoted all the same.
		{[]string{`a"b`, `c'd\`}, false, `"a""b" AND "c'd\"`, `'a"b' & 'c''d\\'`},
	} {
		if got := FTS5Match(tt.terms, tt.prefix); got != tt.fts5 {
			t.Errorf("FTS5Match(%q) = %s, want %s", tt.terms, got, tt.fts5)
		}
		if got := TSQuery(tt.terms, tt.prefix); got != tt.tsquery {
			t.Errorf("TSQuery(%q) = %s, want %s", tt.terms, got, tt.tsquery)
		}
	}
}
