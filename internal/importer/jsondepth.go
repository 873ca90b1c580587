package importer

// MaxJSONDepth bounds JSON nesting in every importer. The documents read are at most about
// 10 levels deep, so anything near this is hostile, and refusing it before decoding keeps
// the decoder's recursion and memory small.
const MaxJSONDepth = 200

// JSONTooDeep returns the offset in data of the bracket that opens a level deeper than
// limit, or -1. It scans once, counting '{' and '[' outside strings (escapes included); it
// does not check that data is valid JSON, which the decoder does after.
func JSONTooDeep(data []byte, limit int) int {
	depth, inString, escaped := 0, false, false
	for i, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			if depth++; depth > limit {
				return i
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return -1
}
