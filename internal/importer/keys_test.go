package importer

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestKeysUnique: the keys handed out are those of the file when they are distinct, and
// never the same twice, whatever suffixes the file itself holds. The copy camt and OFX had
// gave "x#2" twice for "x#2", "x", "x", and the store refused the whole file.
func TestKeysUnique(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
		dups int
	}{
		{"distinct", []string{"a", "b", "c"}, []string{"a", "b", "c"}, 0},
		{"twice", []string{"x", "x"}, []string{"x", "x#2"}, 1},
		{"thrice", []string{"x", "x", "x"}, []string{"x", "x#2", "x#3"}, 2},
		{"suffix in the file first", []string{"x#2", "x", "x"}, []string{"x#2", "x", "x#3"}, 1},
		{"suffix in the file after", []string{"x", "x", "x#2"}, []string{"x", "x#2", "x#2#2"}, 2},
		{"suffix of a suffix", []string{"x#2", "x#2", "x", "x"}, []string{"x#2", "x#2#2", "x", "x#3"}, 2},
		{"empty key", []string{"", ""}, []string{"", "#2"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var k Keys
			var got []string
			seen := map[string]bool{}
			for _, in := range tt.in {
				c := k.Unique(in)
				if seen[c] {
					t.Fatalf("key %q handed out twice", c)
				}
				seen[c] = true
				got = append(got, c)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("keys %q, want %q", got, tt.want)
			}
			var res Result
			k.Note(&res, "transaction")
			if tt.dups == 0 && len(res.Notes) != 0 || tt.dups > 0 && (len(res.Notes) != 1 || !strings.HasPrefix(res.Notes[0], strconv.Itoa(tt.dups)+" transaction(s) appear more than once")) {
				t.Errorf("notes %q, want one counting %d copies", res.Notes, tt.dups)
			}
		})
	}
}
