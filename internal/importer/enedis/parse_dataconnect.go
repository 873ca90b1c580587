package enedis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// DataConnect is a Data Connect API answer: {"meter_reading": {...}}.
type DataConnect struct {
	UsagePointID string
	Start, End   string
	Quality      string
	ReadingType  DCReadingType
	Readings     []DCReading
	Line         int // of "meter_reading"
}

// DCReadingType says what the values are.
type DCReadingType struct {
	Unit, MeasurementKind, Aggregate, MeasuringPeriod string
}

// DCReading is one interval_reading. Value is nil for null or "". Date is the local time as
// written ("2022-03-08" or "2023-03-01 00:30:00"), read by the adapter.
type DCReading struct {
	Line           int
	Value          *float64
	Date           string
	IntervalLength string
	MeasureType    string
}

// ParseDataConnect reads a Data Connect answer. It walks the JSON by tokens rather than
// unmarshalling it whole so that every reading knows its line.
func ParseDataConnect(r io.Reader) (*DataConnect, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, importer.Errorf(0, "", "reading the file: %v", err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if err := checkDepth(data); err != nil {
		return nil, err
	}
	p := &jsonParser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	var dc *DataConnect
	err = p.object("", func(key string) error {
		if key != "meter_reading" {
			return p.skip()
		}
		var err error
		dc, err = p.meterReading()
		return err
	})
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, p.errorf("", "unexpected data after the JSON object")
	}
	if dc == nil {
		return nil, importer.Errorf(1, "meter_reading", "no \"meter_reading\" object: this is not a Data Connect answer")
	}
	return dc, nil
}

func (p *jsonParser) meterReading() (*DataConnect, error) {
	dc := &DataConnect{Line: p.line()}
	strs := map[string]*string{"usage_point_id": &dc.UsagePointID, "start": &dc.Start, "end": &dc.End, "quality": &dc.Quality}
	err := p.object("meter_reading", func(key string) error {
		switch key {
		case "reading_type":
			return p.readingType(&dc.ReadingType)
		case "interval_reading":
			return p.array("meter_reading.interval_reading", func() error {
				r, err := p.reading()
				dc.Readings = append(dc.Readings, r)
				if len(dc.Readings) > importer.MaxRecords {
					return p.errorf("meter_reading.interval_reading", "more than %d readings", importer.MaxRecords)
				}
				return err
			})
		}
		if s, ok := strs[key]; ok {
			return p.str("meter_reading."+key, s)
		}
		return p.skip()
	})
	return dc, err
}

func (p *jsonParser) readingType(rt *DCReadingType) error {
	strs := map[string]*string{"unit": &rt.Unit, "measurement_kind": &rt.MeasurementKind, "aggregate": &rt.Aggregate, "measuring_period": &rt.MeasuringPeriod}
	return p.object("meter_reading.reading_type", func(key string) error {
		if s, ok := strs[key]; ok {
			return p.str("meter_reading.reading_type."+key, s)
		}
		return p.skip()
	})
}

func (p *jsonParser) reading() (DCReading, error) {
	r := DCReading{Line: p.nextLine()}
	const path = "meter_reading.interval_reading"
	err := p.object(path, func(key string) error {
		switch key {
		case "value":
			return p.number(path+".value", &r.Value)
		case "date":
			return p.str(path+".date", &r.Date)
		case "interval_length":
			return p.str(path+".interval_length", &r.IntervalLength)
		case "measure_type":
			return p.str(path+".measure_type", &r.MeasureType)
		}
		return p.skip()
	})
	return r, err
}

// jsonParser walks a JSON document token by token, locating each problem by line.
type jsonParser struct {
	data []byte
	dec  *json.Decoder
}

// line is the line of the decoder's position (the end of the last token).
func (p *jsonParser) line() int { return lineAt(p.data, p.dec.InputOffset()) }

// nextLine is the line where the next value starts, past blanks and separators.
func (p *jsonParser) nextLine() int {
	off := p.dec.InputOffset()
	for off < int64(len(p.data)) && bytes.IndexByte([]byte(" \t\r\n,:"), p.data[off]) >= 0 {
		off++
	}
	return lineAt(p.data, off)
}

func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return bytes.Count(data[:off], []byte("\n")) + 1
}

func (p *jsonParser) errorf(path, format string, args ...any) error {
	return importer.Errorf(p.line(), path, format, args...)
}

// tokenError turns a decoder error into an *importer.Error at its line.
func (p *jsonParser) tokenError(path string, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return importer.Errorf(lineAt(p.data, se.Offset), path, "malformed JSON: %v", err)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return importer.Errorf(lineAt(p.data, int64(len(p.data))), path, "the file ends in the middle of the JSON")
	}
	return importer.Errorf(p.line(), path, "malformed JSON: %v", err)
}

func (p *jsonParser) delim(path string, want json.Delim) error {
	tok, err := p.dec.Token()
	if err != nil {
		return p.tokenError(path, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return p.errorf(path, "expected %q, found %v", string(want), describe(tok))
	}
	return nil
}

// object reads an object, calling field for each key; field must consume the value.
func (p *jsonParser) object(path string, field func(key string) error) error {
	if err := p.delim(path, '{'); err != nil {
		return err
	}
	for p.dec.More() {
		tok, err := p.dec.Token()
		if err != nil {
			return p.tokenError(path, err)
		}
		key, _ := tok.(string)
		if err := field(key); err != nil {
			return err
		}
	}
	return p.delim(path, '}')
}

func (p *jsonParser) array(path string, elem func() error) error {
	if err := p.delim(path, '['); err != nil {
		return err
	}
	for p.dec.More() {
		if err := elem(); err != nil {
			return err
		}
	}
	return p.delim(path, ']')
}

func (p *jsonParser) skip() error {
	var v json.RawMessage
	if err := p.dec.Decode(&v); err != nil {
		return p.tokenError("", err)
	}
	return nil
}

func (p *jsonParser) str(path string, dst *string) error {
	tok, err := p.dec.Token()
	if err != nil {
		return p.tokenError(path, err)
	}
	switch v := tok.(type) {
	case string:
		*dst = v
	case json.Number:
		*dst = v.String()
	case nil:
	default:
		return p.errorf(path, "expected a string, found %v", describe(tok))
	}
	return nil
}

// number reads a value written as a number or as a string holding one ("42045"); null and
// "" are nil.
func (p *jsonParser) number(path string, dst **float64) error {
	var s string
	if err := p.str(path, &s); err != nil {
		return err
	}
	if s == "" {
		return nil
	}
	v, err := parseNumber(s)
	if err != nil {
		return p.errorf(path, "%v", err)
	}
	*dst = &v
	return nil
}

func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", string(v))
	case string:
		return "the string " + input.Excerpt(v)
	case json.Number:
		return input.Cut(v.String())
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", tok)
}

// checkDepth refuses JSON nested deeper than importer.MaxJSONDepth before any decoding.
func checkDepth(data []byte) error {
	if at := importer.JSONTooDeep(data, importer.MaxJSONDepth); at >= 0 {
		return importer.Errorf(lineAt(data, int64(at)), "", "JSON nested deeper than %d levels", importer.MaxJSONDepth)
	}
	return nil
}
