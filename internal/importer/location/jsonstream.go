package location

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"

	"selfdata/internal/importer"
)

// maxDepth bounds JSON nesting. Google location exports are about 6 levels deep; anything near 200 is
// hostile and refusing it keeps the decoders' work and recursion small.
const maxDepth = 200

// readChunk caps each read so that the bytes kept for line numbers never run more than one
// chunk ahead of the decoder.
const readChunk = 64 << 10

// maxValueBytes bounds one value read whole (one location point, one timeline object): the JSON
// counterpart of importer.MaxLineBytes. A timeline object is at most a few KB.
const maxValueBytes = importer.MaxLineBytes

var errTooBig = errors.New("value too large")

// tracker sits between the file and the JSON decoder. It keeps the bytes read since the last
// value the parser finished with, so that a syntax error offset can be turned into a line
// number without keeping the whole file, and it refuses a single value larger than
// maxValueBytes so that a hostile file cannot make the decoder buffer it all.
type tracker struct {
	r        io.Reader
	buf      []byte
	start    int   // buf[start:] is the live window
	base     int64 // absolute offset of buf[start]
	baseLine int   // newlines before base
}

func (t *tracker) Read(p []byte) (int, error) {
	if len(p) > readChunk {
		p = p[:readChunk]
	}
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	if len(t.buf)-t.start > maxValueBytes+2*readChunk {
		return n, errTooBig
	}
	return n, err
}

// forget drops the bytes before the absolute offset off, counting their newlines.
func (t *tracker) forget(off int64) {
	k := min(max(int(off-t.base), 0), len(t.buf)-t.start)
	t.baseLine += bytes.Count(t.buf[t.start:t.start+k], []byte{'\n'})
	t.start += k
	t.base += int64(k)
	if t.start >= 256<<10 && t.start*2 >= len(t.buf) {
		t.buf = append(t.buf[:0], t.buf[t.start:]...)
		t.start = 0
	}
}

// window returns the kept bytes from the absolute offset off on.
func (t *tracker) window(off int64) []byte {
	k := min(max(int(off-t.base), 0), len(t.buf)-t.start)
	return t.buf[t.start+k:]
}

// line is the 1-based line of the byte at absolute offset off (still in the window).
func (t *tracker) line(off int64) int {
	k := min(max(int(off-t.base), 0), len(t.buf)-t.start)
	return t.baseLine + bytes.Count(t.buf[t.start:t.start+k], []byte{'\n'}) + 1
}

// lastLine is the line of the last non-blank byte read: where a truncated file stops.
func (t *tracker) lastLine() int {
	w := bytes.TrimRight(t.buf[t.start:], " \t\r\n")
	return t.baseLine + bytes.Count(w, []byte{'\n'}) + 1
}

// stream walks a JSON document token by token, reading only the values the caller asks for
// whole, so that a large file is never held in memory at once.
type stream struct {
	dec   *json.Decoder
	src   *tracker
	depth int
}

func newStream(r io.Reader) *stream {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\uFEFF")) {
		_, _ = br.Discard(3)
	}
	src := &tracker{r: br}
	dec := json.NewDecoder(src)
	dec.UseNumber()
	return &stream{dec: dec, src: src}
}

// rawValue is a JSON value read whole, with the line where it starts.
type rawValue struct {
	raw  json.RawMessage
	line int
}

// token reads the next token.
func (s *stream) token(path string) (json.Token, error) {
	from := s.dec.InputOffset()
	t, err := s.dec.Token()
	if err != nil {
		if from == 0 && errors.Is(err, io.EOF) {
			return nil, importer.Errorf(1, "", "the file is empty")
		}
		return nil, s.fail(err, path, from)
	}
	return t, nil
}

// object reads an object (null counts as empty) and calls fn with each key; fn must
// consume the value.
func (s *stream) object(path string, fn func(key string) error) error {
	t, err := s.token(path)
	if err != nil || t == nil {
		return err
	}
	if t != json.Delim('{') {
		return s.unexpected(path, "an object", t)
	}
	return s.objectAfter(path, fn)
}

func (s *stream) objectAfter(path string, fn func(key string) error) error {
	if err := s.enter(path); err != nil {
		return err
	}
	for s.dec.More() {
		t, err := s.token(path)
		if err != nil {
			return err
		}
		key, _ := t.(string)
		if err := fn(key); err != nil {
			return err
		}
		s.src.forget(s.dec.InputOffset())
	}
	if _, err := s.token(path); err != nil {
		return err
	}
	s.depth--
	return nil
}

// array reads an array (null counts as empty) and calls fn for each element; fn must
// consume it.
func (s *stream) array(path string, fn func(i int) error) error {
	t, err := s.token(path)
	if err != nil || t == nil {
		return err
	}
	if t != json.Delim('[') {
		return s.unexpected(path, "an array", t)
	}
	return s.arrayAfter(path, fn)
}

func (s *stream) arrayAfter(path string, fn func(i int) error) error {
	if err := s.enter(path); err != nil {
		return err
	}
	for i := 0; s.dec.More(); i++ {
		if err := fn(i); err != nil {
			return err
		}
		s.src.forget(s.dec.InputOffset())
	}
	if _, err := s.token(path); err != nil {
		return err
	}
	s.depth--
	return nil
}

func (s *stream) enter(path string) error {
	if s.depth++; s.depth > maxDepth {
		return importer.Errorf(s.src.line(s.dec.InputOffset()-1), path,
			"the JSON is nested more than %d levels deep; this is not a Google location export", maxDepth)
	}
	return nil
}

// skip consumes the next value token by token, so that even a huge unused value costs no
// memory.
func (s *stream) skip(path string) error {
	t, err := s.token(path)
	if err != nil {
		return err
	}
	switch t {
	case json.Delim('{'):
		return s.objectAfter(path, func(key string) error { return s.skip(path + "." + key) })
	case json.Delim('['):
		return s.arrayAfter(path, func(i int) error { return s.skip(fmt.Sprintf("%s[%d]", path, i)) })
	}
	return nil
}

// value reads the next value whole.
func (s *stream) value(path string) (rawValue, error) {
	from := s.dec.InputOffset()
	var raw json.RawMessage
	if err := s.dec.Decode(&raw); err != nil {
		return rawValue{}, s.fail(err, path, from)
	}
	start := s.dec.InputOffset() - int64(len(raw))
	v := rawValue{raw: raw, line: s.src.line(start)}
	if at := tooDeep(raw, maxDepth-s.depth); at >= 0 {
		return rawValue{}, importer.Errorf(v.lineAt(int64(at)), path,
			"the JSON is nested more than %d levels deep; this is not a Google location export", maxDepth)
	}
	return v, nil
}

// end checks that nothing but blanks follows the top-level value.
func (s *stream) end() error {
	from := s.dec.InputOffset()
	_, err := s.dec.Token()
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case err == nil || errors.As(err, &syn):
		return importer.Errorf(s.src.line(s.next(from)), "", "unexpected data after the end of the JSON document")
	}
	return s.fail(err, "", from)
}

func (s *stream) unexpected(path, want string, t json.Token) error {
	found := "null"
	switch v := t.(type) {
	case json.Delim:
		found = "'" + v.String() + "'"
	case string:
		found = "a string"
	case json.Number:
		found = "a number"
	case bool:
		found = "a boolean"
	}
	return importer.Errorf(s.src.line(s.dec.InputOffset()-1), path, "expected %s, found %s", want, found)
}

// fail turns a decoder error met while reading the value that follows offset from into an
// *importer.Error with the line where the problem is.
func (s *stream) fail(err error, path string, from int64) error {
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, errTooBig):
		return importer.Errorf(s.src.line(s.next(from)), path,
			"a single JSON value is larger than %d MiB; this is not a location export a person can import", maxValueBytes>>20)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return importer.Errorf(s.src.lastLine(), path, "the file ends in the middle of the JSON data (is it truncated?)")
	case errors.As(err, &syn):
		return importer.Errorf(s.src.line(s.locate(from)), path, "invalid JSON: %v", syn)
	}
	return importer.Errorf(0, path, "%v", err)
}

// locate finds the byte a syntax error is at by scanning again, from offset from, the bytes
// still in the window: the decoder's own offsets count from different origins.
func (s *stream) locate(from int64) int64 {
	at := s.next(from)
	var raw json.RawMessage
	var syn *json.SyntaxError
	if err := json.NewDecoder(bytes.NewReader(s.src.window(at))).Decode(&raw); errors.As(err, &syn) && syn.Offset > 0 {
		return at + syn.Offset - 1
	}
	return at
}

// next is the offset of the first byte from offset from on that is not a blank or the comma
// or colon before a value: where the next value starts.
func (s *stream) next(from int64) int64 {
	b := s.src.window(from)
	i := skipBlank(b, 0)
	if i < len(b) && (b[i] == ',' || b[i] == ':') {
		i = skipBlank(b, i+1)
	}
	return from + int64(i)
}

func skipBlank(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// lineAt is the line of the byte at offset off in the value.
func (v rawValue) lineAt(off int64) int {
	off = min(max(off, 0), int64(len(v.raw)))
	return v.line + bytes.Count(v.raw[:off], []byte{'\n'})
}

// decode unmarshals the value into dst, reporting a wrong type at its line and path.
func (v rawValue) decode(path string, dst any) error {
	err := json.Unmarshal(v.raw, dst)
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &typ):
		el := path
		if el != "" && typ.Field != "" {
			el += "."
		}
		el += typ.Field
		return importer.Errorf(v.lineAt(typ.Offset), el, "expected %s, found %s", goKind(typ.Type), typ.Value)
	}
	return importer.Errorf(v.line, path, "%v", err)
}

// goKind names a Go type the way a person reading JSON would.
func goKind(t reflect.Type) string {
	if t == reflect.TypeFor[json.Number]() {
		return "a number"
	}
	switch t.Kind().String() {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	case "string":
		return "a string"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "bool":
		return "true or false"
	}
	return "a number"
}

// tooDeep returns the offset where raw nests more than limit levels, or -1.
func tooDeep(raw []byte, limit int) int {
	depth, inString, escaped := 0, false, false
	for i, c := range raw {
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
