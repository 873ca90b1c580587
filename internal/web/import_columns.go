package web

import (
	"net/http"
	"strconv"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/importer/bankcsv"
	"selfdata/internal/restore"
)

// columnsView asks which columns of a bank's CSV hold what: a preview of its first rows
// (the bank's preamble dimmed, the row of column names marked), a choice of column per
// role, preselected with the saved columns or the guess, and how the file writes numbers
// and dates.
type columnsView struct {
	Token, File string
	Rows        []previewRow
	Width       int
	Options     []columnOption // the choices of every role's list
	Roles       []roleField
	HeaderRow   int
	Commas      []valueChoice
	Layouts     []valueChoice
	Comma       string
	DateLayout  string
	Decimal     string // "comma" or "point"
	Currency    string
	Account     string
	Bank        string
	Saved       bool                   // the columns proposed are those saved for this bank
	Errors      map[string]columnError // by field: said next to it
	General     *columnError           // a problem of no one field
}

// previewRow is one row of the preview.
type previewRow struct {
	N        int // 1-based
	Index    int // 0-based, the header row's value
	Cells    []string
	Preamble bool // before the header: the bank's account number, balance, period
	Header   bool
}

// columnOption is a column of the file, as the lists name it: its number and header.
type columnOption struct {
	Index int
	Name  string
}

// roleField is the list of one role.
type roleField struct {
	Field    string
	Value    int
	Optional bool
	Error    *columnError
}

// valueChoice is one choice of a list: its value, and its text key or shown text.
type valueChoice struct {
	Value, Text string
}

// columnError is a problem said in the person's language; Detail is the parser's own
// English text, when it said more.
type columnError struct {
	Text, Detail string
}

// commaNames are the separators a bank CSV may use, by the text key naming them.
var commaNames = []valueChoice{{";", "columns.comma.semicolon"}, {",", "columns.comma.comma"}, {"\t", "columns.comma.tab"}, {"|", "columns.comma.pipe"}}

// askColumns keeps the file and asks its columns, with the problems of a posted form
// (problems, by field) or the parser's refusal of the columns given (checkErr).
func (s *Server) askColumns(w http.ResponseWriter, r *http.Request, p gate.Principal, v *importView, name string, sp *restore.Spooled, c restore.Columns, problems map[string]fieldProblem, checkErr error) error {
	tok, err := s.pending.keep(p.Instance, name, sp, nil)
	if err != nil {
		return err
	}
	lg := lang(r)
	cv := s.columnsView(lg, tok, name, c)
	if checkErr != nil {
		field, fp := placeCheck(c.Mapping, checkErr)
		if problems == nil {
			problems = map[string]fieldProblem{}
		}
		if field == "" {
			cv.General = &columnError{Text: s.say(lg, fp), Detail: fp.Detail}
		} else {
			problems[field] = fp
		}
	}
	for field, fp := range problems {
		cv.Errors[field] = columnError{Text: s.say(lg, fp), Detail: fp.Detail}
	}
	for i := range cv.Roles {
		if e, ok := cv.Errors[cv.Roles[i].Field]; ok {
			cv.Roles[i].Error = &e
		}
	}
	v.Columns = cv
	status := http.StatusOK
	if len(problems) > 0 || cv.General != nil {
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, "import.html", page{Title: "import", Data: v})
}

// columnsView is the form for c's table, preselected with c's mapping.
func (s *Server) columnsView(lg, tok, name string, c restore.Columns) *columnsView {
	m, t := c.Mapping, c.Table
	cv := &columnsView{Token: tok, File: name, HeaderRow: m.HeaderRow, Currency: m.Currency, Account: m.Account, Bank: c.Bank,
		Comma: t.Comma, DateLayout: m.DateLayout, Saved: c.Saved, Errors: map[string]columnError{}, Decimal: "point"}
	if m.DecimalComma {
		cv.Decimal = "comma"
	}
	for _, row := range t.Rows {
		cv.Width = max(cv.Width, len(row))
	}
	var header []string
	if m.HeaderRow >= 0 && m.HeaderRow < len(t.Rows) {
		header = t.Rows[m.HeaderRow]
	}
	for i, row := range t.Rows {
		cells := make([]string, cv.Width)
		copy(cells, row)
		cv.Rows = append(cv.Rows, previewRow{N: i + 1, Index: i, Cells: cells, Preamble: i < m.HeaderRow, Header: i == m.HeaderRow})
	}
	for i := range cv.Width {
		name := strconv.Itoa(i + 1)
		if i < len(header) && header[i] != "" {
			name += " · " + header[i]
		}
		cv.Options = append(cv.Options, columnOption{Index: i, Name: name})
	}
	for _, role := range columnRoles {
		cv.Roles = append(cv.Roles, roleField{Field: role.field, Value: *roleOf(&m, role.field), Optional: role.optional})
	}
	for _, c := range commaNames {
		cv.Commas = append(cv.Commas, valueChoice{Value: c.Value, Text: s.t(lg, c.Text)})
	}
	day := time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)
	for _, l := range bankcsv.Layouts {
		cv.Layouts = append(cv.Layouts, valueChoice{Value: l, Text: day.Format(l)})
	}
	return cv
}
