package jsonstream

import (
	"bytes"
	"encoding/json"
)

// Sniff walks the tokens of head — the start of a file, possibly cut anywhere — and calls fn
// with the nesting depth (1 = top-level object) and key of every value found in an object:
// a scalar, or the '{' or '[' that opens a composite value. It stops when fn returns false,
// at the first token it cannot read, or deeper than MaxDepth, so a cut or hostile head is
// harmless. It is meant for importer.Format.Detect, which sees only the head of a file and
// must tell JSON formats apart by their keys wherever the head happens to end.
func Sniff(head []byte, fn func(depth int, key string, value json.Token) bool) {
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(head, []byte("\uFEFF"))))
	type level struct {
		object, wantKey bool
		key             string
	}
	var stack []level
	for len(stack) <= MaxDepth {
		t, err := dec.Token()
		if err != nil {
			return
		}
		d, isDelim := t.(json.Delim)
		if isDelim && (d == '}' || d == ']') {
			if len(stack) == 0 {
				return
			}
			stack = stack[:len(stack)-1]
			continue
		}
		if len(stack) > 0 {
			l := &stack[len(stack)-1]
			if l.object && l.wantKey {
				l.key, _ = t.(string)
				l.wantKey = false
				continue
			}
			if l.object {
				l.wantKey = true
				if !fn(len(stack), l.key, t) {
					return
				}
			}
		} else if !isDelim {
			return
		}
		if isDelim {
			stack = append(stack, level{object: d == '{', wantKey: true})
		}
	}
}
