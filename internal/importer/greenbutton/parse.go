package greenbutton

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// Feed is a Green Button Atom feed as written: its entries in file order, not yet linked.
type Feed struct {
	ID, Title, Author string
	Entries           []Entry
}

// Entry is one Atom entry and the ESPI resource in its content.
type Entry struct {
	Line    int // where the entry starts, for messages
	ID      string
	Title   string
	Self    string   // href of the rel="self" link
	Up      string   // href of the rel="up" link
	Related []string // hrefs of the rel="related" links
	// Resource is the local name of the ESPI element in <content> ("UsagePoint",
	// "MeterReading", "ReadingType", "IntervalBlock", "LocalTimeParameters",
	// "ElectricPowerUsageSummary"...); empty when the content holds none.
	Resource    string
	UsagePoint  *UsagePoint
	ReadingType *ReadingType
	LocalTime   *LocalTimeParameters
	Blocks      []IntervalBlock
}

// UsagePoint is the metering point. ServiceKind is -1 when the feed does not say.
type UsagePoint struct {
	ServiceKind int64
}

// ReadingType describes the readings of a MeterReading. UOM is -1 when absent.
type ReadingType struct {
	UOM                   int64
	PowerOfTenMultiplier  int64
	IntervalLength        int64
	Commodity             int64
	AccumulationBehaviour int64
	FlowDirection         int64
	Kind                  int64
}

// LocalTimeParameters is the local time of the usage point, offsets in seconds.
type LocalTimeParameters struct {
	TZOffset, DSTOffset       int64
	DSTStartRule, DSTEndRule  string
	HasTZOffset, HasDSTOffset bool
}

// IntervalBlock is a run of readings over Interval (Start in Unix seconds, Duration in seconds).
type IntervalBlock struct {
	Line            int
	Start, Duration int64
	Readings        []IntervalReading
}

// IntervalReading is one value. HasTime is false when the reading has no timePeriod (it then
// follows the previous one by the ReadingType's interval length).
type IntervalReading struct {
	Line            int
	Start, Duration int64
	HasTime         bool
	Value           int64
}

// Parse reads a Green Button feed. It refuses DTDs and entity declarations, malformed XML,
// and numbers that are not whole numbers where ESPI wants one, naming the line and element.
func Parse(r io.Reader) (*Feed, error) {
	w := &walker{dec: xml.NewDecoder(r), feed: &Feed{}}
	w.dec.Strict = true
	for {
		tok, err := w.dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, w.syntaxError(err)
		}
		if err := w.token(tok); err != nil {
			return nil, err
		}
	}
	if !w.sawRoot {
		return nil, importer.Errorf(0, "", "the file holds no XML element: it is not a Green Button feed")
	}
	return w.feed, nil
}

// walker turns the token stream into a Feed, keeping the path of open elements so that each
// leaf's text lands in the right field and each problem names its line.
type walker struct {
	dec      *xml.Decoder
	stack    []string
	text     strings.Builder
	feed     *Feed
	entry    *Entry
	sawRoot  bool
	readings int
}

func (w *walker) line() int {
	l, _ := w.dec.InputPos()
	return l
}

func (w *walker) syntaxError(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return importer.Errorf(se.Line, w.path(), "malformed XML: %s", input.CutMessage(se.Msg))
	}
	return importer.Errorf(w.line(), w.path(), "reading the file: %v", err)
}

func (w *walker) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.StartElement:
		return w.start(t)
	case xml.EndElement:
		err := w.end()
		w.stack = w.stack[:len(w.stack)-1]
		return err
	case xml.CharData:
		w.text.Write(t)
	case xml.Directive:
		return importer.RefuseDTD(t, w.line(), "a Green Button feed")
	}
	return nil
}

// path is the open elements below the entry (or the feed), for messages and dispatch.
func (w *walker) path() string {
	switch {
	case len(w.stack) > 2:
		return strings.Join(w.stack[2:], "/")
	default:
		return strings.Join(w.stack, "/")
	}
}

func (w *walker) start(t xml.StartElement) error {
	w.stack = append(w.stack, t.Name.Local)
	w.text.Reset()
	if len(w.stack) == 1 {
		w.sawRoot = true
		if t.Name.Local != "feed" {
			return importer.Errorf(w.line(), t.Name.Local, "the root element is <%s>, not an Atom <feed>: this is not a Green Button feed", input.Cut(t.Name.Local))
		}
		return nil
	}
	if len(w.stack) == 2 && t.Name.Local == "entry" {
		w.entry = &Entry{Line: w.line()}
		return nil
	}
	if w.entry == nil {
		return nil
	}
	switch p := w.path(); {
	case p == "link":
		w.link(t)
	case len(w.stack) == 4 && w.stack[2] == "content":
		w.resource(t.Name.Local)
	case p == "content/IntervalBlock/IntervalReading":
		return w.addReading()
	}
	return nil
}

func (w *walker) link(t xml.StartElement) {
	var rel, href string
	for _, a := range t.Attr {
		switch a.Name.Local {
		case "rel":
			rel = a.Value
		case "href":
			href = strings.TrimSpace(a.Value)
		}
	}
	switch rel {
	case "self":
		w.entry.Self = href
	case "up":
		w.entry.Up = href
	case "related":
		w.entry.Related = append(w.entry.Related, href)
	}
}

func (w *walker) resource(name string) {
	e := w.entry
	if e.Resource == "" {
		e.Resource = name
	}
	switch name {
	case "UsagePoint":
		e.UsagePoint = &UsagePoint{ServiceKind: -1}
	case "ReadingType":
		e.ReadingType = &ReadingType{UOM: -1}
	case "LocalTimeParameters":
		e.LocalTime = &LocalTimeParameters{}
	case "IntervalBlock":
		e.Blocks = append(e.Blocks, IntervalBlock{Line: w.line()})
	}
}

func (w *walker) addReading() error {
	w.readings++
	if w.readings > importer.MaxRecords {
		return importer.Errorf(w.line(), "IntervalReading", "more than %d readings in one file", importer.MaxRecords)
	}
	b := &w.entry.Blocks[len(w.entry.Blocks)-1]
	b.Readings = append(b.Readings, IntervalReading{Line: w.line()})
	return nil
}

func (w *walker) end() error {
	text := strings.TrimSpace(w.text.String())
	w.text.Reset()
	switch len(w.stack) {
	case 2:
		if w.stack[1] == "entry" && w.entry != nil {
			w.feed.Entries = append(w.feed.Entries, *w.entry)
			w.entry = nil
		}
		return w.feedField(w.stack[1], text)
	case 3:
		if w.stack[1] == "author" && w.stack[2] == "name" {
			w.feed.Author = text
		}
	}
	if w.entry == nil {
		return nil
	}
	return w.entryField(w.path(), text)
}

func (w *walker) feedField(name, text string) error {
	switch name {
	case "id":
		w.feed.ID = text
	case "title":
		w.feed.Title = text
	}
	return nil
}

// entryField stores the text of a leaf element of an entry.
func (w *walker) entryField(p, text string) error {
	e := w.entry
	switch {
	case p == "id":
		e.ID = text
	case p == "title":
		e.Title = text
	case p == "content/UsagePoint/ServiceCategory/kind" && e.UsagePoint != nil:
		return w.integer(text, &e.UsagePoint.ServiceKind)
	case strings.HasPrefix(p, "content/ReadingType/") && e.ReadingType != nil:
		return w.readingTypeField(strings.TrimPrefix(p, "content/ReadingType/"), text)
	case strings.HasPrefix(p, "content/LocalTimeParameters/") && e.LocalTime != nil:
		return w.localTimeField(strings.TrimPrefix(p, "content/LocalTimeParameters/"), text)
	case strings.HasPrefix(p, "content/IntervalBlock/") && len(e.Blocks) > 0:
		return w.blockField(strings.TrimPrefix(p, "content/IntervalBlock/"), text)
	}
	return nil
}

func (w *walker) readingTypeField(name, text string) error {
	rt := w.entry.ReadingType
	fields := map[string]*int64{
		"uom": &rt.UOM, "powerOfTenMultiplier": &rt.PowerOfTenMultiplier,
		"intervalLength": &rt.IntervalLength, "commodity": &rt.Commodity,
		"accumulationBehaviour": &rt.AccumulationBehaviour, "flowDirection": &rt.FlowDirection,
		"kind": &rt.Kind,
	}
	f, ok := fields[name]
	if !ok {
		return nil
	}
	if err := w.integer(text, f); err != nil {
		return err
	}
	if name == "powerOfTenMultiplier" && (*f < -18 || *f > 18) {
		return importer.Errorf(w.line(), w.path(), "power of ten %d is out of the ESPI range", *f)
	}
	return nil
}

func (w *walker) localTimeField(name, text string) error {
	lt := w.entry.LocalTime
	switch name {
	case "tzOffset":
		lt.HasTZOffset = true
		return w.integer(text, &lt.TZOffset)
	case "dstOffset":
		lt.HasDSTOffset = true
		return w.integer(text, &lt.DSTOffset)
	case "dstStartRule":
		lt.DSTStartRule = text
	case "dstEndRule":
		lt.DSTEndRule = text
	}
	return nil
}

func (w *walker) blockField(p, text string) error {
	b := &w.entry.Blocks[len(w.entry.Blocks)-1]
	var r *IntervalReading
	if len(b.Readings) > 0 {
		r = &b.Readings[len(b.Readings)-1]
	}
	switch {
	case p == "interval/start":
		return w.integer(text, &b.Start)
	case p == "interval/duration":
		return w.integer(text, &b.Duration)
	case r == nil:
		return nil
	case p == "IntervalReading/timePeriod/start":
		r.HasTime = true
		return w.integer(text, &r.Start)
	case p == "IntervalReading/timePeriod/duration":
		return w.integer(text, &r.Duration)
	case p == "IntervalReading/value":
		return w.integer(text, &r.Value)
	}
	return nil
}

// integer parses an ESPI integer (all ESPI numbers are integers: values are scaled by the
// ReadingType's power of ten rather than written with decimals).
func (w *walker) integer(text string, dst *int64) error {
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return importer.Errorf(w.line(), w.path(), "%s is not a whole number", input.Excerpt(text))
	}
	*dst = n
	return nil
}
