package doctype

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestUnstorableDocuments: what a store cannot hold is refused with the pointer of the value,
// and the checks do not refuse what looks like it but is fine.
func TestUnstorableDocuments(t *testing.T) {
	r := builtin(t)
	bill := func(extra string) string {
		return `{"vendor":"EDF","date":"2025-02-15","amount":"87.12","currency":"EUR"` + extra + `}`
	}
	tests := []struct {
		name, data string
		path, msg  string // path and message of the one problem; msg "" when valid
	}{
		{"NUL escape", bill(`,"reference":"a\u0000b"`), "/reference", "NUL"},
		{"NUL escape, upper case", bill(`,"reference":"\U0000"`), "", "not valid JSON"}, // \U is no escape
		{"raw NUL byte", bill(",\"reference\":\"a\x00b\""), "", "not valid JSON"},
		{"invalid UTF-8", bill(",\"reference\":\"caf\xe9\""), "/reference", "not valid UTF-8"},
		{"lone high surrogate", bill(`,"reference":"\ud83d!"`), "/reference", "surrogate"},
		{"lone low surrogate", bill(`,"reference":"\uDE00"`), "/reference", "surrogate"},
		{"high then high", bill(`,"reference":"\ud83d\ud83d"`), "/reference", "surrogate"},
		{"in an array", bill(`,"lines":["ok",{"k":["x","\u0000"]}]`), "/lines/1/k/1", "NUL"},
		{"in a property name", bill(`,"meta":{"a\u0000":1}`), "/meta", "property name that contains a NUL"},
		{"pointer escapes", bill(`,"a/b~c":"\u0000"`), "/a~1b~0c", "NUL"},
		{"long property name is cut", bill(`,"` + strings.Repeat("k", 100) + `":"\u0000"`), "/" + strings.Repeat("k", 40) + "…", "NUL"},
		{"too deep", bill(`,"x":` + strings.Repeat(`{"y":`, MaxDepth) + `1` + strings.Repeat(`}`, MaxDepth)), "/x" + strings.Repeat("/y", MaxDepth-1), "nested more than 64"},
		{"syntax error before the NUL", bill(`,,"reference":"\u0000"`), "", "not valid JSON"},
		{"NUL after the object", bill(``) + ` "\u0000"`, "", "unexpected data after the object"},
		{"NUL in a string that is not an object", `"\u0000"`, "", "must be a JSON object, not a string"},
		{"deep array that is not an object", strings.Repeat("[", 100_000), "", "must be a JSON object, not an array"},
		// Fine: a surrogate pair, an escaped backslash before u0000, U+FFFD itself, \u0001.
		{"surrogate pair", bill(`,"reference":"\ud83d\ude00"`), "", ""},
		{"escaped backslash", bill(`,"reference":"\\u0000"`), "", ""},
		{"replacement character", bill(`,"reference":"\ufffd �"`), "", ""},
		{"other control escape", bill(`,"reference":"\u0001"`), "", ""},
		{"as deep as allowed", bill(`,"x":` + strings.Repeat(`[`, MaxDepth-1) + strings.Repeat(`]`, MaxDepth-1)), "", ""},
	}
	if !strings.Contains(reasonDepth, " "+strconv.Itoa(MaxDepth)+" levels") {
		t.Fatalf("the depth problem does not name the limit: %s", reasonDepth)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.Validate("bill", []byte(tt.data))
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) != 1 {
				t.Fatalf("want one problem, got %v", err)
			}
			p := ve.Problems[0]
			if p.Path != tt.path || !strings.Contains(p.Message, tt.msg) {
				t.Fatalf("got %q %q, want %q with %q", p.Path, p.Message, tt.path, tt.msg)
			}
		})
	}
}

// TestValueProblem: the values importers build are checked before json.Marshal hides bytes
// that are not UTF-8.
func TestValueProblem(t *testing.T) {
	type label string
	tests := []struct {
		v         any
		path, msg string
	}{
		{map[string]any{"a": "ok", "n": 1.5, "b": []any{"x", map[string]any{"c": "\x00"}}}, "/b/1/c", "NUL"},
		{map[string]any{"names": []string{"ok", "caf\xe9"}}, "/names/1", "UTF-8"},
		{map[string]any{"l": label("\x00")}, "/l", "NUL"},
		{map[string]any{"z": "\x00", "a": "\x00"}, "/a", "NUL"}, // the first in key order
		{map[string]any{"k\xff": "v"}, "", "property name"},
		{map[string]any{"p": &[]map[string]any{{"q": "\x00"}}}, "/p/0/q", "NUL"},
		{map[string]any{"raw": []byte{0, 0xff}, "ok": "é", "nil": nil}, "", ""},
	}
	for _, tt := range tests {
		p := ValueProblem(tt.v)
		switch {
		case tt.msg == "" && p != nil:
			t.Errorf("%v: refused: %+v", tt.v, p)
		case tt.msg != "" && (p == nil || p.Path != tt.path || !strings.Contains(p.Message, tt.msg)):
			t.Errorf("%v: got %+v, want %q with %q", tt.v, p, tt.path, tt.msg)
		}
	}
}

// FuzzDecodeObject holds decodeObject to a plain decode: it accepts exactly the JSON
// objects whose text a store can hold, and a problem it names is really there.
func FuzzDecodeObject(f *testing.F) {
	for _, data := range validExamples {
		f.Add([]byte(data))
	}
	for _, s := range []string{`{"a":"\u0000"}`, "{\"a\":\"\xff\"}", `{"a":"\ud800"}`, `{"a\u0000":1}`,
		`{"a":[{"b":"\udc00"}]}`, `{"a":"\ud83d\ude00"}`, `{"a":"\\u0000"}`, `{"a":` + strings.Repeat("[", 70) + strings.Repeat("]", 70) + `}`,
		`{"a":1} "\u0000"`, `[[[["\u0000"]]]]`, `{"a":"\u0000",,}`, `{"a":"\uFFFD"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, p := decodeObject(data)
		var plain any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		plainErr := dec.Decode(&plain)
		if plainErr == nil && len(trimJSONSpace(data[dec.InputOffset():])) > 0 {
			plainErr = errors.New("data after the value")
		}
		_, isObject := plain.(map[string]any)
		if p == nil {
			if plainErr != nil || !isObject {
				t.Fatalf("accepted %q, which a plain decode refuses (%v)", data, plainErr)
			}
			if !utf8.Valid(data) || depth(plain) > MaxDepth || hasNUL(plain) {
				t.Fatalf("accepted %q, which a store cannot hold", data)
			}
			if !hasFFFD(plain) || mayHoldFFFD(data) {
				return
			}
			t.Fatalf("accepted %q, whose U+FFFD comes from no character: a lone surrogate", data)
		}
		if got != nil || p.Message == "" {
			t.Fatalf("refused %q with a value or without a message: %+v", data, p)
		}
		if plainErr == nil {
			checkProblem(t, data, plain, p)
		}
	})
}

// FuzzJSONTextProblem holds JSONTextProblem to a plain decode, for any JSON value.
func FuzzJSONTextProblem(f *testing.F) {
	for _, s := range []string{`"\u0000"`, "[\"\xff\"]", `[{"a":"\ud800"}]`, `{"a\u0000":1}`, `1`, `[[["ok"]]]`,
		`{"documents":[{"data":{"v":"\u0000"}}]}`, `["\ud83d\ude00"]`, `"\uFFFD"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var plain any
		if !json.Valid(data) || json.Unmarshal(data, &plain) != nil {
			return // the callers check that the text is JSON first
		}
		p := JSONTextProblem(data)
		if p == nil {
			if !utf8.Valid(data) || hasNUL(plain) || (hasFFFD(plain) && !mayHoldFFFD(data)) {
				t.Fatalf("accepted %q, which a store cannot hold", data)
			}
			return
		}
		if strings.Contains(p.Message, "nested") || strings.Contains(p.Message, "not valid JSON") {
			t.Fatalf("%q: %+v: no nesting limit here, and the text is JSON", data, p)
		}
		checkProblem(t, data, plain, p)
	})
}

// checkProblem checks that the problem p found in data is in plain, data decoded.
func checkProblem(t *testing.T, data []byte, plain any, p *Problem) {
	t.Helper()
	textual := false
	for _, r := range []string{reasonNUL, reasonUTF8, reasonSurrogate, reasonDepth} {
		textual = textual || strings.HasSuffix(p.Message, r)
	}
	if !textual || strings.Contains(p.Path, "…") || repeatsNames(data) {
		return // another problem, a name cut short, or a value the decoder dropped
	}
	at, ok := resolve(plain, p.Path)
	if !ok {
		t.Fatalf("%q: the problem's path %q is not in the document", data, p.Path)
	}
	switch msg := p.Message; {
	case strings.Contains(msg, "property name"):
		obj, _ := at.(map[string]any)
		var names []any
		for k := range obj {
			names = append(names, k)
		}
		if !hasNUL(names) && !hasFFFD(names) {
			t.Fatalf("%q: no bad property name at %q", data, p.Path)
		}
	case msg == reasonDepth:
		if n := strings.Count(p.Path, "/"); n != MaxDepth {
			t.Fatalf("%q: depth problem at %q, %d levels down", data, p.Path, n)
		}
	case msg == reasonNUL:
		if !hasNUL(at) {
			t.Fatalf("%q: no NUL at %q", data, p.Path)
		}
	default:
		if !hasFFFD(at) {
			t.Fatalf("%q: %s, but no U+FFFD decoded at %q", data, msg, p.Path)
		}
	}
}

func depth(v any) int {
	d := 0
	switch v := v.(type) {
	case map[string]any:
		for _, x := range v {
			d = max(d, depth(x))
		}
		return d + 1
	case []any:
		for _, x := range v {
			d = max(d, depth(x))
		}
		return d + 1
	}
	return 0
}

// anyString tells whether a string of v (property names included) satisfies f.
func anyString(v any, f func(string) bool) bool {
	switch v := v.(type) {
	case string:
		return f(v)
	case map[string]any:
		for k, x := range v {
			if f(k) || anyString(x, f) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if anyString(x, f) {
				return true
			}
		}
	}
	return false
}

func hasNUL(v any) bool {
	return anyString(v, func(s string) bool { return strings.Contains(s, "\x00") })
}

// hasFFFD: the decoder turns bad bytes and lone surrogates into U+FFFD.
func hasFFFD(v any) bool {
	return anyString(v, func(s string) bool { return strings.ContainsRune(s, '\uFFFD') })
}

// mayHoldFFFD tells whether the text writes U+FFFD itself, raw or escaped, in which case a
// decoded U+FFFD proves nothing.
func mayHoldFFFD(data []byte) bool {
	l := bytes.ToLower(data)
	return bytes.Contains(l, []byte("\ufffd")) || bytes.Contains(l, []byte(`\ufffd`))
}

// repeatsNames tells whether an object of data names a property twice: the decoder keeps
// only the last value, so the problem of an earlier one cannot be seen in what it returns.
func repeatsNames(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	var seen []map[string]bool // per open container; nil for an array
	key := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if key {
			k, _ := tok.(string)
			if seen[len(seen)-1][k] {
				return true
			}
			seen[len(seen)-1][k] = true
			key = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			seen = append(seen, map[string]bool{})
		case json.Delim('['):
			seen = append(seen, nil)
		case json.Delim('}'), json.Delim(']'):
			seen = seen[:len(seen)-1]
		}
		key = len(seen) > 0 && seen[len(seen)-1] != nil && dec.More()
	}
}

// resolve finds the value at a JSON pointer.
func resolve(v any, ptr string) (any, bool) {
	if ptr == "" {
		return v, true
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch c := v.(type) {
		case map[string]any:
			x, ok := c[tok]
			if !ok {
				return nil, false
			}
			v = x
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}
