package jsonstream

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"selfdata/internal/importer"
)

const what = "a test file"

// asImportError fails unless err is an *importer.Error.
func asImportError(t *testing.T, err error) *importer.Error {
	t.Helper()
	var e *importer.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *importer.Error", err, err)
	}
	return e
}

// walk reads {"items": [...]} taking each item whole, skipping every other key, and returns
// the items.
func walk(r io.Reader) ([]Value, error) {
	s := New(r, what)
	var items []Value
	err := s.Object("", func(key string) error {
		if key != "items" {
			return s.Skip(key)
		}
		return s.Array(key, func(i int) error {
			v, err := s.Value(fmt.Sprintf("items[%d]", i))
			items = append(items, v)
			return err
		})
	})
	if err == nil {
		err = s.End()
	}
	return items, err
}

func TestWalk(t *testing.T) {
	in := "\uFEFF{\"x\": {\"a\": [1, {\"b\": null}]},\n\"items\": [\n{\"n\": 1},\n\n  [2, 3]\n], \"y\": null}\n"
	items, err := walk(strings.NewReader(in))
	if err != nil {
		t.Fatalf("walk: %v", err)
	}
	var got []string
	for _, v := range items {
		got = append(got, fmt.Sprintf("%d %s", v.Line, v.Raw))
	}
	if want := []string{`3 {"n": 1}`, `5 [2, 3]`}; !reflect.DeepEqual(got, want) {
		t.Errorf("items %q, want %q", got, want)
	}
	for _, in := range []string{"null", `{"items": null}`} {
		if items, err := walk(strings.NewReader(in)); err != nil || len(items) != 0 {
			t.Errorf("%s: %d items, error %v; null should count as empty", in, len(items), err)
		}
	}
}

func TestErrors(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	tests := []struct {
		name    string
		in      string
		line    int
		element string
		reason  string
	}{
		{"empty", "", 1, "", "the file is empty"},
		{"blank", "  \n\n", 1, "", "the file is empty"},
		{"truncated", "{\"items\": [\n{\"n\":\n1", 3, "items[0]", "truncated"},
		{"truncated between items", "{\"items\": [\n{},\n", 2, "items[1]", "truncated"},
		{"syntax", "{\"items\": [\n{},\n{\"n\": 1 \"m\": 2}]}", 3, "items[1]", "invalid character '\"' after object key:value pair"},
		{"syntax between items", "{\"items\": [\n{}\n{}]}", 3, "items[1]", "expected comma after array element"},
		{"syntax in skipped key", "{\"x\": {\n\"a\": x}}", 2, "x.a", "invalid character 'x'"},
		{"top-level array", "\n[]", 2, "", "expected an object, found '['"},
		{"items not an array", "{\n\"items\": {}}", 2, "items", "expected an array, found '{'"},
		{"items a string", `{"items": "x"}`, 1, "items", "expected an array, found a string"},
		{"items a number", `{"items": 1}`, 1, "items", "expected an array, found a number"},
		{"items a boolean", `{"items": true}`, 1, "items", "expected an array, found a boolean"},
		{"trailing data", "{\"items\": []}\n\n[]", 3, "", "after the end"},
		{"trailing garbage", "{}\nx", 2, "", "after the end"},
		{"deep value", "{\"items\": [\n" + deep(250) + "]}", 2, "items[0]", "nested more than 200 levels deep; this is not " + what},
		{"deep skipped key", "{\"items\": [],\n\"x\": " + deep(250) + "}", 2, "x" + strings.Repeat("[0]", 199), "nested more than 200 levels deep; this is not " + what},
		{"huge value", "{\"items\": [\n{},\n\"" + strings.Repeat("x", 5<<20) + "\"]}", 3, "items[1]",
			"larger than 4 MiB; this is not " + what + " a person can import"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := walk(strings.NewReader(tt.in))
			if err == nil {
				t.Fatal("no error")
			}
			e := asImportError(t, err)
			if e.Line != tt.line || e.Element != tt.element || !strings.Contains(e.Reason, tt.reason) {
				t.Errorf("error %q: line %d element %q; want line %d element %q reason containing %q",
					err, e.Line, e.Element, tt.line, tt.element, tt.reason)
			}
		})
	}
}

// TestDepthCountsStream checks that a value read whole may nest only as deep as the levels
// the stream has left.
func TestDepthCountsStream(t *testing.T) {
	for _, tt := range []struct {
		n  int
		ok bool
	}{{MaxDepth - 2, true}, {MaxDepth - 1, false}} {
		in := `{"items": [` + strings.Repeat("[", tt.n) + strings.Repeat("]", tt.n) + "]}"
		if _, err := walk(strings.NewReader(in)); (err == nil) != tt.ok {
			t.Errorf("value %d deep inside 2 levels: error %v", tt.n, err)
		}
	}
}

// TestStreams reads an array larger than the one-value limit: it passes only if the stream
// forgets each element once read.
func TestStreams(t *testing.T) {
	const n = 60_000 // about 7 MB
	pr, pw := io.Pipe()
	go func() {
		fmt.Fprint(pw, "{\"items\": [\n")
		for i := range n {
			if i > 0 {
				fmt.Fprint(pw, ",\n")
			}
			fmt.Fprintf(pw, `{"n": %d, "pad": "%s"}`, i, strings.Repeat("p", 100))
		}
		fmt.Fprint(pw, "\n]}\n")
		pw.Close()
	}()
	items, err := walk(pr)
	if err != nil {
		t.Fatalf("walk: %v", err)
	}
	if len(items) != n || items[n-1].Line != n+1 {
		t.Errorf("%d items, last at line %d", len(items), items[len(items)-1].Line)
	}
}

func TestLine(t *testing.T) {
	s := New(strings.NewReader("{\n\"a\": 1,\n\n\"b\": 2}"), what)
	var got []int
	err := s.Object("", func(key string) error {
		got = append(got, s.Line())
		return s.Skip(key)
	})
	if err != nil || !reflect.DeepEqual(got, []int{2, 4}) {
		t.Errorf("lines %v, error %v; want [2 4]", got, err)
	}
}

func TestDecode(t *testing.T) {
	v := Value{Raw: []byte("{\"a\": \"x\",\n\"b\": {\"c\":\n\"y\"}}"), Line: 10}
	var dst struct {
		A string
		B struct {
			C int
		}
	}
	e := asImportError(t, v.Decode("top", &dst))
	if e.Line != 12 || e.Element != "top.B.C" || e.Reason != "expected an integer, found string" {
		t.Errorf("got line %d element %q reason %q", e.Line, e.Element, e.Reason)
	}
	e = asImportError(t, Value{Raw: []byte("[1]"), Line: 3}.Decode("", &dst))
	if e.Line != 3 || e.Element != "" || e.Reason != "expected an object, found array" {
		t.Errorf("got line %d element %q reason %q", e.Line, e.Element, e.Reason)
	}
	if err := (Value{Raw: []byte("{}")}).Decode("", &dst); err != nil {
		t.Errorf("Decode: %v", err)
	}
	if got := v.LineAt(-1); got != 10 {
		t.Errorf("LineAt(-1) = %d", got)
	}
	if got := v.LineAt(1 << 20); got != 12 {
		t.Errorf("LineAt(past the end) = %d", got)
	}
}

func TestSniff(t *testing.T) {
	type hit struct {
		Depth int
		Key   string
		Value any
	}
	head := "\uFEFF" + `{"a": 1, "b": {"c": "x", "d": [{"e": true}, 2]}, "f": null, "g": {"h": "cut`
	var got []hit
	Sniff([]byte(head), func(depth int, key string, v json.Token) bool {
		got = append(got, hit{depth, key, fmt.Sprint(v)})
		return true
	})
	want := []hit{{1, "a", "1"}, {1, "b", "{"}, {2, "c", "x"}, {2, "d", "["}, {4, "e", "true"}, {1, "f", "<nil>"}, {1, "g", "{"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	n := 0
	Sniff([]byte(head), func(int, string, json.Token) bool { n++; return n < 2 })
	if n != 2 {
		t.Errorf("Sniff went on after fn returned false: %d calls", n)
	}
	for _, head := range []string{``, `"x"`, `[1, 2]`, `x`, `}`} {
		Sniff([]byte(head), func(_ int, key string, _ json.Token) bool {
			t.Errorf("Sniff(%s) found key %q outside any object", head, key)
			return true
		})
	}
	n = 0
	Sniff([]byte(strings.Repeat(`{"a":`, 1000)), func(int, string, json.Token) bool { n++; return true })
	if n != MaxDepth {
		t.Errorf("Sniff went %d levels deep, want %d", n, MaxDepth)
	}
}

// FuzzWalk feeds arbitrary bytes to the stream: it must never panic and fail only with an
// *importer.Error.
func FuzzWalk(f *testing.F) {
	f.Add([]byte("{\"x\": {\"a\": [1, {\"b\": null}]},\n\"items\": [{\"n\": 1}, [2, 3]]}"))
	f.Add([]byte("\uFEFF{\"items\": [\"\\\"[\"]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Sniff(data, func(int, string, json.Token) bool { return true })
		if _, err := walk(bytes.NewReader(data)); err != nil {
			asImportError(t, err)
		}
	})
}
