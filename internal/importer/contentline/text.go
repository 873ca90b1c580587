package contentline

import "strings"

// Unescape turns a TEXT value into what it says: \n or \N is a line break, and \\, \;, \,
// stand for the character after the backslash (RFC 5545 §3.3.11, RFC 6350 §3.4). Any other
// escaped character is kept without its backslash, as exporters escape more than the
// standard asks (iPhone writes "http\://"). A lone trailing backslash is kept.
func Unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i == len(s)-1 {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// Split cuts a raw value at each sep (';' for the components of N, ADR, ORG; ',' for the
// values of a component) that is not escaped by a backslash. The parts stay escaped: call
// Unescape on each once the structure is known.
func Split(s string, sep byte) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// Components splits a structured value (N, ADR, ORG) into its components, each a list of
// unescaped values: "Doe;John;Richter,James" gives [[Doe] [John] [Richter James]].
func Components(s string) [][]string {
	comps := Split(s, ';')
	out := make([][]string, len(comps))
	for i, c := range comps {
		for _, v := range Split(c, ',') {
			out[i] = append(out[i], Unescape(v))
		}
	}
	return out
}
