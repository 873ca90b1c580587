package fulltext

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"
)

// Segment is a piece of a text shown as a search result: Match marks the words the query
// found. The text is plain (a page escapes it); marking is left to the page.
type Segment struct {
	Text  string
	Match bool
}

// Highlight cuts text into segments, marking each word that answers a term of q.
func Highlight(text string, q Query) []Segment {
	var out []Segment
	at := 0
	for _, sp := range spans(text) {
		if !q.marks(sp.word) {
			continue
		}
		if sp.start > at {
			out = append(out, Segment{Text: text[at:sp.start]})
		}
		out = append(out, Segment{Text: text[sp.start:sp.end], Match: true})
		at = sp.end
	}
	if at < len(text) {
		out = append(out, Segment{Text: text[at:]})
	}
	return out
}

// snippetRunes is about how long a snippet is.
const snippetRunes = 140

// Snippet is the first value of the document holding a word of q, cut to about
// snippetRunes around that word and highlighted; nil when no value holds one (the
// document was found by its kind, its source or a date). Values equal to one of shown —
// what the page shows of the document already — are passed over.
func Snippet(data json.RawMessage, q Query, shown ...string) []Segment {
	var found []Segment
	Values(data, func(v string) bool {
		if slices.Contains(shown, v) {
			return true
		}
		segs := Highlight(v, q)
		for _, s := range segs {
			if s.Match {
				found = cut(segs)
				return false
			}
		}
		return true
	})
	return found
}

// cut keeps about snippetRunes of segs, starting a little before the first match, with an
// ellipsis where text was left out.
func cut(segs []Segment) []Segment {
	total := 0
	for _, s := range segs {
		total += utf8.RuneCountInString(s.Text)
	}
	if total <= snippetRunes {
		return segs
	}
	var out []Segment
	left := snippetRunes
	for i, s := range segs {
		if i == 0 && !s.Match {
			// Keep the end of the text before the first match: some words of context.
			r := []rune(s.Text)
			if keep := snippetRunes / 4; len(r) > keep {
				s.Text = "…" + strings.TrimLeft(string(r[len(r)-keep:]), " ")
			}
		}
		r := []rune(s.Text)
		if len(r) > left && !s.Match {
			out = append(out, Segment{Text: string(r[:left]) + "…"})
			return out
		}
		out = append(out, s)
		left -= len(r)
		if left <= 0 {
			if i < len(segs)-1 {
				out = append(out, Segment{Text: "…"})
			}
			return out
		}
	}
	return out
}
