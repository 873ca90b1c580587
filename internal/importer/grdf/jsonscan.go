package grdf

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// checkDepth refuses nesting deeper than importer.MaxJSONDepth, naming the 1-based line
// (counted from firstLine) where the limit was passed.
func checkDepth(data []byte, firstLine int) error {
	if at := importer.JSONTooDeep(data, importer.MaxJSONDepth); at >= 0 {
		return importer.Errorf(firstLine+bytes.Count(data[:at], []byte("\n")), "", "JSON nested more than %d levels deep; this is not a GRDF file", importer.MaxJSONDepth)
	}
	return nil
}

// lineAt is the 1-based line of data[off], skipping the separators a decoder offset points
// before (whitespace, commas, colons) so that the line is the value's own.
func lineAt(data []byte, off int64) int {
	if off < 0 {
		off = 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	off = skipSep(data, off)
	if off == int64(len(data)) && off > 0 {
		off--
	}
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

// jsonError turns a decoding error into an *importer.Error naming the line and, for a wrong
// type, the field. at is the offset of the value being decoded, used when the error has none.
func jsonError(data []byte, err error, at int64, element string) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return importer.Errorf(lineAt(data, syn.Offset-1), element, "malformed JSON: %v", syn)
	case errors.As(err, &typ):
		el := element
		if typ.Field != "" {
			el = joinPath(element, typ.Field)
		}
		// The offset is counted from the start of the value being decoded, not of the data.
		return importer.Errorf(lineAt(data, skipSep(data, at)+typ.Offset-1), el, "expected a %v, found a JSON %s", typ.Type, input.Cut(typ.Value))
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return importer.Errorf(lineAt(data, int64(len(data))), element, "the file ends in the middle of a JSON value (truncated?)")
	}
	return importer.Errorf(lineAt(data, at), element, "%v", err)
}

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// skipSep moves off past whitespace, commas and colons.
func skipSep(data []byte, off int64) int64 {
	for off < int64(len(data)) && bytes.IndexByte([]byte(" \t\r\n,:"), data[off]) >= 0 {
		off++
	}
	return off
}
