package accounts

import (
	"slices"
	"strings"
	"unicode"
)

// Banks write the same payee a little differently each time: "CB MONOPRIX LYON 3 14/03",
// "PRLV SEPA EDF 1234567890". What stays is the words: the payee's name, without the way of
// paying, the date, the card number or the reference. Rules and name matching work on those.

// unaccent folds the accented capitals of French labels to plain ones, so that a rule typed
// "Électricité" matches a label written "ELECTRICITE".
var unaccent = strings.NewReplacer(
	"À", "A", "Â", "A", "Ä", "A", "Á", "A", "Ç", "C", "É", "E", "È", "E", "Ê", "E", "Ë", "E",
	"Î", "I", "Ï", "I", "Í", "I", "Ô", "O", "Ö", "O", "Ó", "O", "Ù", "U", "Û", "U", "Ü", "U", "Ú", "U",
	"Ÿ", "Y", "Ñ", "N", "Œ", "OE", "Æ", "AE",
)

// ways are the words by which a label says how it was paid, dropped at its start.
var ways = map[string]bool{"CB": true, "CARTE": true, "PRLV": true, "PRELEVEMENT": true, "SEPA": true, "VIR": true,
	"VIREMENT": true, "PAIEMENT": true, "PAR": true, "ECH": true, "ECHEANCE": true}

// rawTokens splits text into upper-case words of letters and digits; a dot inside a word
// stays ("NETFLIX.COM").
func rawTokens(s string) []string {
	s = unaccent.Replace(strings.ToUpper(s))
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' }) {
		if w = strings.Trim(w, "."); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// words is what names the payee in a label: its words without digits (dates, card
// numbers, references), without the way of paying at its start.
func words(s string) []string {
	var out []string
	for _, w := range rawTokens(s) {
		if !strings.ContainsFunc(w, unicode.IsDigit) {
			out = append(out, w)
		}
	}
	for len(out) > 0 && ways[out[0]] {
		out = out[1:]
	}
	return out
}

// Key is the normalized form of a label that a rule made from it holds:
// "CB MONOPRIX LYON 3 14/03" is "MONOPRIX LYON".
func Key(label string) string { return strings.Join(words(label), " ") }

// contains tells whether the words of pattern appear, in order and next to each other,
// among the words of text.
func contains(text, pattern []string) bool {
	if len(pattern) == 0 {
		return false
	}
	for i := 0; i+len(pattern) <= len(text); i++ {
		if slices.Equal(text[i:i+len(pattern)], pattern) {
			return true
		}
	}
	return false
}

// small are the words that do not tell one organization from another.
var small = map[string]bool{"DE": true, "DU": true, "DES": true, "LA": true, "LE": true, "LES": true, "L": true, "D": true,
	"ET": true, "SA": true, "SAS": true, "SARL": true, "SCM": true, "THE": true}

// aliases are the other names banks write for organizations whose labels never use their
// own: the Assurance Maladie pays through its local funds, the CPAM.
var aliases = map[string][]string{
	"ASSURANCE MALADIE": {"CPAM", "AMELI", "CNAM"},
}

// significant is the words of a name that identify it.
func significant(name string) []string {
	var out []string
	for _, w := range words(name) {
		if !small[w] {
			out = append(out, w)
		}
	}
	return out
}

// text is what the matching reads of an operation's label and counterparty, worked out
// once per operation rather than once per candidate pair.
type text struct {
	words map[string]bool // words of the label and the counterparty
	raw   map[string]bool // every token of the label, numbers included
	ref   string          // the operation's own reference, as compared
}

func textOf(o Operation) text {
	t := text{words: map[string]bool{}, raw: map[string]bool{}, ref: normRef(o.Reference)}
	for _, w := range append(words(o.Label), words(o.Counterparty)...) {
		t.words[w] = true
	}
	for _, w := range rawTokens(o.Label) {
		t.raw[w] = true
	}
	return t
}

// texts works out the text of each operation.
func texts(ops []Operation) []text {
	out := make([]text, len(ops))
	for i, o := range ops {
		out[i] = textOf(o)
	}
	return out
}

// name is an organization's name as matched: its significant words.
type name []string

func nameOf(s string) name { return significant(s) }

// names tells whether an operation names the organization n: every significant word of the
// name is in its label or its counterparty ("EDF" in "PRLV SEPA EDF ELECTRICITE", "Eau du
// Grand Lyon" in "PRLV SEPA EAU DU GRAND LYON"), or one of its aliases is.
func (t text) names(n name) bool {
	if len(n) == 0 {
		return false
	}
	all := true
	for _, w := range n {
		all = all && t.words[w]
	}
	if all {
		return true
	}
	for _, alias := range aliases[strings.Join(n, " ")] {
		if t.words[alias] {
			return true
		}
	}
	return false
}

// named is text.names for one operation.
func named(o Operation, organization string) bool { return textOf(o).names(nameOf(organization)) }

// normRef is a reference as compared: upper case, without spaces.
func normRef(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// minRefInLabel is the shortest reference looked for inside a label: a shorter one would be
// found by chance among its words.
const minRefInLabel = 5

// carries tells whether an operation carries the reference ref (as compared, normRef): as
// its own reference, or as one word of its label ("VIR CPAM DU RHONE REMB SOINS
// DS12345678901").
func (t text) carries(ref string) bool {
	if ref == "" {
		return false
	}
	return t.ref == ref || len(ref) >= minRefInLabel && t.raw[ref]
}

// carries is text.carries for one operation.
func carries(o Operation, ref string) bool { return textOf(o).carries(normRef(ref)) }
