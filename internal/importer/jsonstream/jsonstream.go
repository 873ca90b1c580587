// Package jsonstream reads a JSON document token by token, decoding whole only the values
// the caller asks for, so that an importer can walk a file of hundreds of MB (a Google
// location history, a FHIR Bundle) with memory bounded by its largest element, not by the
// file. Several JSON importers sit on it, so the limits and the error messages a person sees
// are the same for all of them, and are fixed in one place.
//
// What it guarantees, because import files are untrusted:
//   - nesting is bounded by MaxDepth, in streamed and in whole values alike, so neither the
//     walk nor the decoders recurse without end;
//   - a single value read whole is bounded by MaxValueBytes, so a hostile file cannot make
//     the decoder buffer all of it;
//   - every error is an *importer.Error with the 1-based line where the problem is and the
//     path of the element (e.g. "entry[3].resource"), found without keeping the whole file.
//
// A UTF-8 byte order mark is skipped. Numbers are kept as json.Number, so that amounts can
// be read from their literal text and never go through a float.
package jsonstream

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// MaxDepth bounds JSON nesting: importer.MaxJSONDepth, the one limit of every importer. The
// documents read with this package are about 10 levels deep (FHIR resources) or fewer (Google
// location exports: about 6).
const MaxDepth = importer.MaxJSONDepth

// readChunk caps each read so that the bytes kept for line numbers never run more than one
// chunk ahead of the decoder.
const readChunk = 64 << 10

// MaxValueBytes bounds one value read whole (a Bundle entry, one location point, a top-level
// property): the JSON counterpart of importer.MaxLineBytes. The largest real ones, Blue
// Button resources, are a few tens of KB.
const MaxValueBytes = importer.MaxLineBytes

var errTooBig = errors.New("value too large")

// tracker sits between the file and the JSON decoder. It keeps the bytes read since the last
// value the parser finished with, so that a syntax error offset can be turned into a line
// number without keeping the whole file, and it refuses a single value larger than
// MaxValueBytes so that a hostile file cannot make the decoder buffer it all.
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
	if len(t.buf)-t.start > MaxValueBytes+2*readChunk {
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

// Stream walks a JSON document token by token, reading only the values the caller asks for
// whole, so that a large file is never held in memory at once. The bytes of each element of
// an Object or Array are forgotten once the callback for it returns.
//
// The path arguments of its methods name the element being read, as it appears in errors
// ("" for the top-level value).
type Stream struct {
	dec   *json.Decoder
	src   *tracker
	depth int
	what  string
}

// New returns a Stream reading r, after a UTF-8 byte order mark if there is one. what names,
// with its article, the kind of file the caller expects ("a FHIR file", "a Google location
// export"): it ends the messages that refuse a file as too deep or too large to be one, so
// that the person importing it is told what the file was taken for.
//
// r is not bounded here: pass it through importer.LimitReader.
func New(r io.Reader, what string) *Stream {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\uFEFF")) {
		_, _ = br.Discard(3)
	}
	src := &tracker{r: br}
	dec := json.NewDecoder(src)
	dec.UseNumber()
	return &Stream{dec: dec, src: src, what: what}
}

// Value is a JSON value read whole, with the line where it starts, so that errors found
// while decoding it later can still name a line of the file.
type Value struct {
	Raw json.RawMessage
	// Line is the 1-based line of the file where Raw starts.
	Line int
}

// Line is the 1-based line of the byte the stream has read up to: after a key given to an
// Object callback, the line of that key.
func (s *Stream) Line() int {
	return s.src.line(s.dec.InputOffset())
}

// token reads the next token.
func (s *Stream) token(path string) (json.Token, error) {
	from := s.dec.InputOffset()
	t, err := s.dec.Token()
	if err != nil {
		if from == 0 && errors.Is(err, io.EOF) {
			return nil, importer.Errorf(1, "", "the file is empty").WithKind(importer.KindEmpty)
		}
		return nil, s.fail(err, path, from)
	}
	return t, nil
}

// Object reads an object (null counts as empty) and calls fn with each key; fn must consume
// the value, with Object, Array, Skip or Value. Anything else than an object or null is an
// error.
func (s *Stream) Object(path string, fn func(key string) error) error {
	t, err := s.token(path)
	if err != nil || t == nil {
		return err
	}
	if t != json.Delim('{') {
		return s.unexpected(path, "an object", t)
	}
	return s.objectAfter(path, fn)
}

func (s *Stream) objectAfter(path string, fn func(key string) error) error {
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

// Array reads an array (null counts as empty) and calls fn for each element; fn must
// consume it, with Object, Array, Skip or Value. Anything else than an array or null is an
// error.
func (s *Stream) Array(path string, fn func(i int) error) error {
	t, err := s.token(path)
	if err != nil || t == nil {
		return err
	}
	if t != json.Delim('[') {
		return s.unexpected(path, "an array", t)
	}
	return s.arrayAfter(path, fn)
}

func (s *Stream) arrayAfter(path string, fn func(i int) error) error {
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

func (s *Stream) enter(path string) error {
	if s.depth++; s.depth > MaxDepth {
		return importer.Errorf(s.src.line(s.dec.InputOffset()-1), path,
			"the JSON is nested more than %d levels deep; this is not %s", MaxDepth, s.what)
	}
	return nil
}

// Skip consumes the next value token by token, so that even a huge unused value costs no
// memory.
func (s *Stream) Skip(path string) error {
	t, err := s.token(path)
	if err != nil {
		return err
	}
	switch t {
	case json.Delim('{'):
		return s.objectAfter(path, func(key string) error { return s.Skip(path + "." + key) })
	case json.Delim('['):
		return s.arrayAfter(path, func(i int) error { return s.Skip(fmt.Sprintf("%s[%d]", path, i)) })
	}
	return nil
}

// Value reads the next value whole: at most MaxValueBytes, nested no deeper than MaxDepth
// counting the levels the stream is already in.
func (s *Stream) Value(path string) (Value, error) {
	from := s.dec.InputOffset()
	var raw json.RawMessage
	if err := s.dec.Decode(&raw); err != nil {
		return Value{}, s.fail(err, path, from)
	}
	start := s.dec.InputOffset() - int64(len(raw))
	v := Value{Raw: raw, Line: s.src.line(start)}
	if at := importer.JSONTooDeep(raw, MaxDepth-s.depth); at >= 0 {
		return Value{}, importer.Errorf(v.LineAt(int64(at)), path,
			"the JSON is nested more than %d levels deep; this is not %s", MaxDepth, s.what)
	}
	return v, nil
}

// End checks that nothing but blanks follows the top-level value. Call it once the
// top-level value is read, so that a file with two documents, or garbage after one, is
// refused rather than half imported.
func (s *Stream) End() error {
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

func (s *Stream) unexpected(path, want string, t json.Token) error {
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
func (s *Stream) fail(err error, path string, from int64) error {
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, errTooBig):
		return importer.Errorf(s.src.line(s.next(from)), path,
			"a single JSON value is larger than %d MiB; this is not %s a person can import", MaxValueBytes>>20, s.what)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return importer.Errorf(s.src.lastLine(), path, "the file ends in the middle of the JSON data (is it truncated?)")
	case errors.As(err, &syn):
		return importer.Errorf(s.src.line(s.locate(from)), path, "invalid JSON: %v", syn)
	}
	return importer.Errorf(0, path, "%v", err)
}

// locate finds the byte a syntax error is at by scanning again, from offset from, the bytes
// still in the window: the decoder's own offsets count from different origins.
func (s *Stream) locate(from int64) int64 {
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
func (s *Stream) next(from int64) int64 {
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

// LineAt is the line of the byte at offset off in the value (clamped to the value), so that
// a caller that finds a problem inside Raw can still name the line of the file.
func (v Value) LineAt(off int64) int {
	off = min(max(off, 0), int64(len(v.Raw)))
	return v.Line + bytes.Count(v.Raw[:off], []byte{'\n'})
}

// Decode unmarshals the value into dst. A wrong type is reported at its own line, with path
// followed by the Go field path ("entry[1].resource.total.amount.value") and the expected
// type named the way a person reading JSON would ("expected a string, found number").
func (v Value) Decode(path string, dst any) error {
	err := json.Unmarshal(v.Raw, dst)
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
		return importer.Errorf(v.LineAt(typ.Offset), el, "expected %s, found %s", goKind(typ.Type), input.Cut(typ.Value))
	}
	return importer.Errorf(v.Line, path, "%v", err)
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
