// Package input holds what every reader of outside input shares — the importers, the
// doctype validation, the HTTP handlers — so that they answer alike: whether a text can be
// stored at all, and how an error message quotes what it was given.
//
// PostgreSQL refuses a NUL character and bytes that are not UTF-8 in text and jsonb columns
// (and SQLite keeps them, to hand back JSON that is not UTF-8), so such text is refused where
// it comes in, with the field named, rather than failing deep in a store. And an error never
// repeats a whole input: a bad 100 MB value in a file must give a short answer, not a 100 MB
// one.
package input

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ExcerptRunes is how many characters of an input value an error message quotes: enough to
// recognize the value, short enough that no answer grows with its input.
const ExcerptRunes = 40

// MessageRunes bounds a message that may repeat input without quoting it: a parser's own
// error (an XML decoder names the elements it read) or a whole composed message.
const MessageRunes = 1000

// Cut returns s whole if it has at most ExcerptRunes characters, or else its first
// ExcerptRunes characters followed by "…". It never cuts inside a UTF-8 sequence; a byte
// that is not UTF-8 counts as one character.
func Cut(s string) string { return cut(s, ExcerptRunes) }

// CutMessage is Cut at MessageRunes characters.
func CutMessage(s string) string { return cut(s, MessageRunes) }

func cut(s string, max int) string {
	if len(s) <= max {
		return s // fewer bytes than max: fewer characters too
	}
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// Excerpt quotes s for an error message as %q would, cut by Cut, with the length of the
// whole value in bytes when it was cut: "abc" or "abcdefgh…" (104857600 bytes).
func Excerpt(s string) string {
	c := Cut(s)
	if len(c) == len(s) {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%s (%d bytes)", strconv.Quote(c), len(s))
}

// TextProblem says why s cannot be stored as text, phrased to follow the name of the field
// ("contains a NUL character ..."), or returns "" when it can be.
func TextProblem(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return fmt.Sprintf("contains a NUL character (U+0000) at byte %d, which cannot be stored", i)
	}
	if !utf8.ValidString(s) {
		return fmt.Sprintf("is not valid UTF-8 text (at byte %d)", invalidAt(s))
	}
	return ""
}

// invalidAt is the offset of the first byte of s that does not start a valid UTF-8 sequence.
func invalidAt(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return len(s)
}
