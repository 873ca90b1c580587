package bankcsv

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"selfdata/internal/input"
)

// Mapping says which column of one bank's export holds what. Columns are 0-based; -1: none.
type Mapping struct {
	Comma        string `json:"comma"`       // ";", ",", "\t" or "|"
	HeaderRow    int    `json:"header_row"`  // 0-based row of the column names; the rows before are the bank's preamble
	Date         int    `json:"date"`        // booking date
	DateLayout   string `json:"date_layout"` // a Go layout: "02/01/2006", "02/01/06", "2006-01-02", "01/02/2006"
	ValueDate    int    `json:"value_date"`
	Label        int    `json:"label"`
	Label2       int    `json:"label2"` // a second label column, joined to the first
	Amount       int    `json:"amount"` // one signed amount column
	Debit        int    `json:"debit"`  // or two: debit and credit
	Credit       int    `json:"credit"`
	DecimalComma bool   `json:"decimal_comma"` // "1 234,56"
	Currency     string `json:"currency"`      // ISO 4217 of the whole file
	Balance      int    `json:"balance"`
	Account      string `json:"account"` // the account's number or name, as the person or the preamble says; "" if unknown
}

// Table is the first rows of a file as text, for a preview and a guess.
type Table struct {
	Comma string
	Rows  [][]string // at most PreviewRows rows, the preamble included, decoded to UTF-8
}

// PreviewRows is how many rows a Table holds: enough to see the preamble, the header and
// a few weeks of operations, and to guess from values.
const PreviewRows = 30

// Commas are the separators a file may use, in the order a tie is broken.
var Commas = []string{";", ",", "\t", "|"}

// None is a Mapping that maps nothing yet, to fill in: every column -1, and HeaderRow -1,
// which Check and Parse read as a file without a header, whose every row is data.
func None(comma string) Mapping {
	return Mapping{Comma: comma, HeaderRow: -1, Date: -1, ValueDate: -1, Label: -1, Label2: -1,
		Amount: -1, Debit: -1, Credit: -1, Balance: -1}
}

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// column is one mapped column and the role it plays, for messages and checks.
type column struct {
	role string
	i    int
}

func (m Mapping) columns() []column {
	return []column{{"date", m.Date}, {"value date", m.ValueDate}, {"label", m.Label}, {"second label", m.Label2},
		{"amount", m.Amount}, {"debit", m.Debit}, {"credit", m.Credit}, {"balance", m.Balance}}
}

// valid checks the mapping alone, without a file: a separator, the needed columns, each
// column used once, a date layout and a currency.
func (m Mapping) valid() error {
	if !isComma(m.Comma) {
		return fmt.Errorf("the separator %s is none of ; , tab |", input.Excerpt(m.Comma))
	}
	if m.HeaderRow < -1 || m.HeaderRow >= maxHeaderRow {
		return fmt.Errorf("the header row %d is not between -1 (none) and %d", m.HeaderRow, maxHeaderRow-1)
	}
	if m.Date < 0 || m.Label < 0 {
		return errors.New("the mapping needs a date column and a label column")
	}
	if (m.Amount >= 0) == (m.Debit >= 0 || m.Credit >= 0) || (m.Amount < 0 && (m.Debit < 0 || m.Credit < 0)) {
		return errors.New("the mapping needs either one amount column or both a debit and a credit column")
	}
	used := map[int]string{}
	for _, c := range m.columns() {
		if c.i < -1 || c.i >= maxColumns {
			return fmt.Errorf("the %s column %d is not between -1 (none) and %d", c.role, c.i, maxColumns-1)
		}
		if prev, ok := used[c.i]; ok && c.i >= 0 {
			return fmt.Errorf("column %d is mapped twice, as %s and as %s", c.i+1, prev, c.role)
		}
		used[c.i] = c.role
	}
	if err := checkLayout(m.DateLayout); err != nil {
		return err
	}
	if !currencyCode.MatchString(m.Currency) {
		return fmt.Errorf("the currency %s is not an ISO 4217 code such as EUR", input.Excerpt(m.Currency))
	}
	if strings.ContainsAny(m.Account, "\x00\r\n") || len(m.Account) > 200 {
		return errors.New("the account holds a control character or is longer than 200 bytes")
	}
	return nil
}

// Bounds on a mapping's numbers: a bank's preamble is a few lines, its columns a dozen.
const (
	maxHeaderRow = 1000
	maxColumns   = 1000
)

func isComma(c string) bool {
	for _, k := range Commas {
		if c == k {
			return true
		}
	}
	return false
}

// Check tells whether m fits t: the columns exist in the header row, and the dates and
// amounts of the table's data rows read. A row without a date is not checked (Parse leaves
// it out as a total or balance line), nor a row whose debit and credit are both filled; a
// value that does not read fails the mapping when it fails in half the rows or more, since
// a wrong column, layout or decimal separator fails in every row, while one odd row is
// left out by Parse and must not keep the person from importing the others.
func (m Mapping) Check(t *Table) error {
	if err := m.valid(); err != nil {
		return err
	}
	if t == nil || m.Comma != t.Comma {
		return fmt.Errorf("the mapping's separator %s is not the table's", input.Excerpt(m.Comma))
	}
	if m.HeaderRow >= len(t.Rows) {
		return fmt.Errorf("the header row %d is past the table's %d rows", m.HeaderRow+1, len(t.Rows))
	}
	width := m.width(t)
	for _, c := range m.columns() {
		if c.i >= width {
			return fmt.Errorf("the %s column %d is not in the header row, which has %d columns", c.role, c.i+1, width)
		}
	}
	var header []string
	if m.HeaderRow >= 0 {
		header = t.Rows[m.HeaderRow]
	}
	read, failed := 0, 0
	var firstErr error
	for r := m.HeaderRow + 1; r < len(t.Rows); r++ {
		op, lo := m.row(t.Rows[r], header)
		switch {
		case op != nil:
			read++
		case lo != nil && lo.unread:
			failed++
			if firstErr == nil {
				firstErr = fmt.Errorf("row %d: %s", r+1, lo.text)
			}
		}
	}
	if failed > 0 && failed >= read {
		return firstErr
	}
	if read == 0 {
		return errors.New("no row of the table under the header reads as an operation")
	}
	return nil
}

// width is how many columns the header row has (the first data row's, without a header).
func (m Mapping) width(t *Table) int {
	if m.HeaderRow >= 0 {
		return len(t.Rows[m.HeaderRow])
	}
	if len(t.Rows) == 0 {
		return 0
	}
	return len(t.Rows[0])
}
