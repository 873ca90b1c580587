package export

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"selfdata/internal/store"
)

// StandardCounts are the numbers of what standards/ holds: the same data as the JSON Lines
// and CSV parts, in the standard format of each kind where one exists.
type StandardCounts struct {
	GreenButtonSeries    int64 `json:"greenbutton_series"`
	GreenButtonReadings  int64 `json:"greenbutton_readings"`
	CalendarEvents       int64 `json:"calendar_events"`
	Contacts             int64 `json:"contacts"`
	HealthClaims         int64 `json:"health_claims"`
	HealthReimbursements int64 `json:"health_reimbursements"`
}

// eachDocFunc calls fn on documents one at a time: the writers of standards/ take their
// documents this way, from the store page by page (run.docsOf) or, in the tests, from a list.
type eachDocFunc func(fn func(store.Doc) error) error

// docsOf reads the documents of dt page by page.
func (e *run) docsOf(dt string) eachDocFunc {
	return func(fn func(store.Doc) error) error {
		_, err := e.eachDoc(dt, fn)
		return err
	}
}

// standards writes standards/: the meter series as Green Button (NAESB ESPI) feeds, the
// calendar as iCalendar, the contacts as vCard 4.0 and the health claims as a FHIR R4
// Bundle, each only when the store holds some.
func (e *run) standards() error {
	if err := e.greenButton(); err != nil {
		return fmt.Errorf("Green Button: %w", err)
	}
	if e.m.Counts.ByDoctype["calendar.event"] > 0 {
		w, err := e.create("standards/calendar.ics")
		if err != nil {
			return err
		}
		n, err := writeCalendar(w, e.m.Exported, e.docsOf("calendar.event"))
		if err != nil {
			return fmt.Errorf("standards/calendar.ics: %w", err)
		}
		e.m.Counts.Standards.CalendarEvents = n
	}
	if e.m.Counts.ByDoctype["contact"] > 0 {
		w, err := e.create("standards/contacts.vcf")
		if err != nil {
			return err
		}
		n, err := writeVCards(w, e.docsOf("contact"))
		if err != nil {
			return fmt.Errorf("standards/contacts.vcf: %w", err)
		}
		e.m.Counts.Standards.Contacts = n
	}
	if e.m.Counts.ByDoctype["health.claim"]+e.m.Counts.ByDoctype["health.reimbursement"] > 0 {
		w, err := e.create("standards/health.json")
		if err != nil {
			return err
		}
		claims, paid, err := writeFHIR(w, e.m.Exported, e.docsOf("health.claim"), e.docsOf("health.reimbursement"))
		if err != nil {
			return fmt.Errorf("standards/health.json: %w", err)
		}
		e.m.Counts.Standards.HealthClaims, e.m.Counts.Standards.HealthReimbursements = claims, paid
	}
	return nil
}

// contentLine appends one content line of iCalendar (RFC 5545 §3.1) or vCard (RFC 6350
// §3.2), name and value as given, folded so that no line is longer than 75 octets (a
// continuation starts with a space, which counts), never inside a UTF-8 sequence, each line
// ended by CRLF.
func contentLine(buf []byte, name, value string) []byte {
	line := name + ":" + value
	const limit = 75
	first := true
	for len(line) > 0 {
		room := limit
		if !first {
			room--
			buf = append(buf, ' ')
		}
		n := min(room, len(line))
		for n < len(line) && n > 0 && !utf8.RuneStart(line[n]) {
			n--
		}
		buf = append(buf, line[:n]...)
		buf = append(buf, '\r', '\n')
		line, first = line[n:], false
	}
	return buf
}

// escapeText writes a TEXT value (RFC 5545 §3.3.11, RFC 6350 §3.4): backslash, semicolon
// and comma escaped, each line break (CRLF, LF or CR) as \n; other control characters,
// which a TEXT value may not hold, are dropped.
func escapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r < ' ' && r != '\t' || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// paramValue writes a parameter value (RFC 5545 §3.2): quoted when it holds a colon,
// semicolon or comma; a double quote, which no parameter value may hold, becomes a single
// one, and control characters a space.
func paramValue(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r < ' ' || r == 0x7f:
			return ' '
		}
		return r
	}, s)
	if strings.ContainsAny(s, ":;,") {
		return `"` + s + `"`
	}
	return s
}
