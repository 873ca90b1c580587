// Package fulltext turns documents and what a person types into the same words, so that a
// search finds "électricité" by "electricite", "EDF" by "edf" and 30 November by "30
// novembre". Both backends index the words this package makes and are asked for the words
// it makes of a query: accents, case and tokenization are decided here, in Go, once — not
// by SQLite's tokenizer or PostgreSQL's parser, which would not agree on every text.
//
// A word is a run of letters and digits, lower case, without diacritics (œ is oe, ß is
// ss). Everything else separates words, so that no word can carry a database's query
// syntax.
package fulltext

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxWordRunes is the length a word is cut to, in the index and in a query alike: a long
// run of letters (a token, a hash) stays findable by its start and keeps index entries
// small (PostgreSQL refuses a lexeme over 2 KiB).
const MaxWordRunes = 64

// MaxTerms is how many words of a query are kept; a longer query is cut.
const MaxTerms = 16

// Fold is s in lower case without diacritics: what is compared of two texts.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteString(foldRune(r))
	}
	return b.String()
}

// foldRune is the lower-case base letter of r, or r itself lowered.
func foldRune(r rune) string {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return string(r)
	}
	r = unicode.ToLower(r)
	if unicode.Is(unicode.Mn, r) {
		return "" // a combining accent, as typed on some keyboards
	}
	if s, ok := latin[r]; ok {
		return s
	}
	return string(r)
}

// latin maps the accented and joined Latin letters to their base letters.
var latin = func() map[rune]string {
	m := map[rune]string{'œ': "oe", 'æ': "ae", 'ß': "ss", 'ø': "o", 'đ': "d", 'ł': "l", 'ı': "i", 'ŀ': "l", 'þ': "th", 'ð': "d"}
	groups := map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ď", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥħ",
		"i": "ìíîïĩīĭįǐ", "j": "ĵ", "k": "ķ", "l": "ĺļľ", "n": "ñńņňŉ", "o": "òóôõöōŏőǒ",
		"r": "ŕŗř", "s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűųǔ", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
	}
	for base, letters := range groups {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// isWordRune tells whether r belongs to a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Words are the words of s, folded, in order, repeats kept.
func Words(s string) []string {
	var out []string
	for _, sp := range spans(s) {
		out = append(out, sp.word)
	}
	return out
}

// span is one word of a text: where it is and what it folds to.
type span struct {
	start, end int // byte offsets in the text
	word       string
}

// spans finds the words of s and where they are, for Words and Highlight alike.
func spans(s string) []span {
	var out []span
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := Fold(s[start:end])
		if w != "" {
			if r := []rune(w); len(r) > MaxWordRunes {
				w = string(r[:MaxWordRunes])
			}
			out = append(out, span{start, end, w})
		}
		start = -1
	}
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return out
}

// Query is what a person typed, made into words every document found must hold.
type Query struct {
	// Terms are the words a document must hold: the distinct words, in the order typed, a
	// day beside a month joined into one (joinDays).
	Terms []string
	// Prefix tells that the last term matches the words it begins, as someone still typing
	// means it; only a term holding a letter does ("nov" finds novembre, "20" is not 2026).
	Prefix bool
	// Marks are the words typed, marked where a text shows them (Highlight); MarkPrefix is
	// Prefix for them.
	Marks      []string
	MarkPrefix bool
}

// ParseQuery reads a query. Nothing in it is syntax: quotes, stars and AND are separators
// or plain words.
func ParseQuery(text string) Query {
	var q Query
	for _, w := range Words(slashDates(text)) {
		if !slices.Contains(q.Terms, w) && len(q.Terms) < MaxTerms {
			q.Terms = append(q.Terms, w)
		}
	}
	if n := len(q.Terms); n > 0 {
		last := q.Terms[n-1]
		q.Prefix = strings.IndexFunc(last, unicode.IsLetter) >= 0 && endsInWord(text)
	}
	q.Marks, q.MarkPrefix = q.Terms, q.Prefix
	q.Terms, q.Prefix = joinDays(q.Terms, q.Prefix)
	return q
}

// endsInWord tells whether text ends in the middle of a word: "nov" is being typed, "nov "
// is done.
func endsInWord(text string) bool {
	r, _ := utf8.DecodeLastRuneInString(text)
	return isWordRune(r)
}

// Matches tells whether the folded word w answers term i of q.
func (q Query) Matches(i int, w string) bool {
	t := q.Terms[i]
	if q.Prefix && i == len(q.Terms)-1 {
		return strings.HasPrefix(w, t)
	}
	return w == t
}

// marks tells whether the folded word w is one typed, to be marked.
func (q Query) marks(w string) bool {
	for i, m := range q.Marks {
		if w == m || q.MarkPrefix && i == len(q.Marks)-1 && strings.HasPrefix(w, m) {
			return true
		}
	}
	return false
}

// Body is the text a document is indexed by: the distinct words of its values (strings
// and numbers, not its field names), of its source's name, and the dates it holds — its
// period and every value that starts with one — written out in French and English.
func Body(data json.RawMessage, source, period string) string {
	seen := map[string]bool{}
	var words []string
	add := func(ws ...string) {
		for _, w := range ws {
			if !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	addText := func(s string) {
		if isoDateTime.MatchString(s) {
			s = s[:10] // an instant: its date, not its hours
		}
		add(Words(s)...)
		add(dateWords(s)...)
	}
	Values(data, func(v string) bool {
		addText(v)
		return true
	})
	addText(source)
	addText(period)
	return strings.Join(words, " ")
}

// Values calls fn with each string and number of the JSON document, in order, until fn
// returns false: what a person wrote or was sent, not the names of its fields.
func Values(data json.RawMessage, fn func(string) bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var inObject, isKey []bool // per nesting level: an object, whose strings alternate key, value
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		n := len(isKey)
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				inObject, isKey = append(inObject, d == '{'), append(isKey, d == '{')
				continue
			}
			inObject, isKey = inObject[:n-1], isKey[:n-1]
			if n-1 > 0 && inObject[n-2] {
				isKey[n-2] = true // the object or array was a value: a key comes next
			}
			continue
		}
		if n > 0 && inObject[n-1] {
			isKey[n-1] = !isKey[n-1]
			if !isKey[n-1] {
				continue // that string was a key: its value comes next
			}
		}
		switch v := tok.(type) {
		case string:
			if !fn(v) {
				return
			}
		case json.Number:
			if !fn(v.String()) {
				return
			}
		}
	}
}
