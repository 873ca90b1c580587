package doctype

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"selfdata/internal/input"
)

// MaxDepth is how deeply a document may nest objects and arrays, the document itself being
// the first level. The declared doctypes nest four levels at most, and the extra properties
// organizations send a few more; 64 leaves room for any real record. The limit must be one,
// and below the stores': SQLite's JSON functions give up past 1,000 levels (a failed write),
// PostgreSQL has none (so one backend stored what the other refused), and a document a
// million levels deep would cost the validator as much as a million documents.
const MaxDepth = 64

// Reasons a JSON text cannot be stored, found by scanText. reasonDepth names MaxDepth.
const (
	reasonNUL       = "contains a NUL character (written \\u0000), which cannot be stored"
	reasonUTF8      = "is not valid UTF-8 text"
	reasonSurrogate = "contains a \\u escape of half a UTF-16 surrogate pair, which is not a character"
	reasonDepth     = "is nested more than 64 levels deep: a document nests 64 levels of objects and arrays at most"
)

// textProblem finds the first value of data, a JSON object, that a store cannot hold: a
// string holding a NUL (PostgreSQL's jsonb refuses \u0000), bytes that are not UTF-8 or an
// escaped lone surrogate (jsonb refuses both; SQLite would keep them and hand back JSON that
// is not UTF-8), or nesting past MaxDepth. It returns nil if there is none. Bytes are
// scanned once without decoding; only a text with a problem is decoded, up to the problem,
// to name it by its JSON pointer (or to report the syntax error found before it).
func textProblem(data []byte) *Problem {
	off, reason := scanText(data, MaxDepth)
	if off < 0 {
		return nil
	}
	return locate(data, off, reason, true)
}

// JSONTextProblem is textProblem for any JSON text, without the nesting limit of documents:
// for the bodies of requests that carry documents inside them (a deposit) or none, whose
// strings a store keeps as well.
func JSONTextProblem(data []byte) *Problem {
	off, reason := scanText(data, math.MaxInt)
	if off < 0 {
		return nil
	}
	return locate(data, off, reason, false)
}

// scanText returns the offset of the first problem of data and its reason, or -1. It follows
// strings and escapes as JSON defines them; what it says past a syntax error is meaningless,
// which locate sorts out since it decodes up to the offset.
func scanText(data []byte, maxDepth int) (int, string) {
	depth := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '{', '[':
			if depth++; depth > maxDepth {
				return i, reasonDepth
			}
		case '}', ']':
			depth--
		case '"':
			end, off, reason := scanString(data, i+1)
			if off >= 0 {
				return off, reason
			}
			i = end
		}
	}
	return -1, ""
}

// scanString scans the string whose content starts at i: it returns the offset of its
// closing quote (or len(data)), and the offset and reason of a problem in it, or -1.
func scanString(data []byte, i int) (end, off int, reason string) {
	for i < len(data) {
		c := data[i]
		switch {
		case c == '"':
			return i, -1, ""
		case c == '\\':
			if i+1 < len(data) && data[i+1] == 'u' {
				r, ok := hex4(data, i+2)
				switch {
				case !ok:
				case r == 0:
					return i, i, reasonNUL
				case utf16IsHigh(r):
					if low, ok := lowAfter(data, i+6); !ok || !utf16IsLow(low) {
						return i, i, reasonSurrogate
					}
					i += 6 // the low half, checked here
				case utf16IsLow(r):
					return i, i, reasonSurrogate
				}
			}
			i += 2
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				return i, i, reasonUTF8
			}
			i += size
		}
	}
	return len(data), -1, ""
}

func utf16IsHigh(r rune) bool { return r >= 0xd800 && r < 0xdc00 }
func utf16IsLow(r rune) bool  { return r >= 0xdc00 && r < 0xe000 }

// lowAfter reads a \uXXXX escape at i.
func lowAfter(data []byte, i int) (rune, bool) {
	if i+1 >= len(data) || data[i] != '\\' || data[i+1] != 'u' {
		return 0, false
	}
	return hex4(data, i+2)
}

// hex4 reads four hexadecimal digits at i.
func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// locate decodes data token by token up to off and returns the problem there, named by the
// JSON pointer of the value (or of the object whose property name it is). When data is not
// one JSON value (one object, if object is set) up to there, it returns what decodeObject
// would say of it instead.
func locate(data []byte, off int, reason string, object bool) *Problem {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	// The stack holds, per open container, the pointer of the container and, for an object,
	// whether the next string is a property name; index counts an array's elements.
	type frame struct {
		ptr   string
		array bool
		key   bool
		name  string
		index int
	}
	var stack []frame
	for done := false; ; {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return syntaxProblem(data, err)
		}
		if done {
			what := "value"
			if object {
				what = "object"
			}
			return &Problem{Message: fmt.Sprintf("is not valid JSON: unexpected data after the %s (at byte offset %d)", what, start)}
		}
		hit := dec.InputOffset() > int64(off) && int64(off) >= start
		delim, isDelim := tok.(json.Delim)
		if len(stack) == 0 {
			if object && delim != '{' {
				what := tok
				if isDelim {
					what = []any{} // '[', the only other delimiter a value starts with
				}
				return &Problem{Message: "must be a JSON object, not " + jsonType(what)}
			}
			if hit {
				return &Problem{Message: reason}
			}
			if isDelim {
				stack = append(stack, frame{array: delim == '[', key: delim == '{'})
			}
			done = !isDelim
			continue
		}
		top := &stack[len(stack)-1]
		if delim == '}' || delim == ']' {
			stack = stack[:len(stack)-1]
			done = len(stack) == 0
			continue
		}
		if !top.array && top.key {
			top.name, top.key = tok.(string), false
			if hit {
				return &Problem{Path: top.ptr, Message: "has a property name that " + reason}
			}
			continue
		}
		ptr := top.ptr + "/" + pointerToken(top.name)
		if top.array {
			ptr = top.ptr + "/" + strconv.Itoa(top.index)
			top.index++
		} else {
			top.key = true
		}
		if hit {
			return &Problem{Path: ptr, Message: reason}
		}
		if isDelim {
			stack = append(stack, frame{ptr: ptr, array: delim == '[', key: delim == '{'})
		}
	}
}

// syntaxProblem says where data stops being JSON, as decodeObject does.
func syntaxProblem(data []byte, err error) *Problem {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return &Problem{Message: fmt.Sprintf("is not valid JSON: %v (at byte offset %d)", syn, syn.Offset)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &Problem{Message: fmt.Sprintf("is not valid JSON: it ends too early (at byte offset %d)", len(data))}
	default:
		return &Problem{Message: fmt.Sprintf("is not valid JSON: %v", err)}
	}
}

// pointerToken is a property name as a JSON pointer token, cut as input.Cut does so that a
// problem never repeats a huge name whole.
func pointerToken(name string) string {
	return pointerEscaper.Replace(input.Cut(name))
}

// ValueProblem finds the first text in v, a value about to be marshalled into a document
// (maps, slices and strings, as importers build them), that a store cannot hold, and names
// it by its JSON pointer; nil if there is none. It must look before json.Marshal, which
// would silently turn bytes that are not UTF-8 into U+FFFD.
func ValueProblem(v any) *Problem {
	return valueProblem(reflect.ValueOf(v), "")
}

func valueProblem(v reflect.Value, ptr string) *Problem {
	switch v.Kind() {
	case reflect.String:
		if msg := input.TextProblem(v.String()); msg != "" {
			return &Problem{Path: ptr, Message: msg}
		}
	case reflect.Interface, reflect.Pointer:
		if !v.IsNil() {
			return valueProblem(v.Elem(), ptr)
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return nil
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			if msg := input.TextProblem(k.String()); msg != "" {
				return &Problem{Path: ptr, Message: "has a property name that " + msg}
			}
			if p := valueProblem(v.MapIndex(k), ptr+"/"+pointerToken(k.String())); p != nil {
				return p
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // bytes are marshalled as base64
		}
		for i := range v.Len() {
			if p := valueProblem(v.Index(i), ptr+"/"+strconv.Itoa(i)); p != nil {
				return p
			}
		}
	}
	return nil
}
