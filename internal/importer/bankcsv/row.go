package bankcsv

import (
	"fmt"
	"strconv"
	"strings"

	"selfdata/internal/importer"
	"selfdata/internal/input"
	"selfdata/internal/store/fulltext"
)

// op is one data row read through a mapping.
type op struct {
	date, valueDate, label, amount, balance string
	badBalance                              bool
}

// leave is why a row is left out: the reason, the column concerned (the reason's
// parameter for a bad value) and the English text.
type leave struct {
	reason importer.Reason
	column string
	text   string
	unread bool // a value does not read: the mapping may be wrong
}

// summaryWords start the label of a total or a balance line that some banks end with.
var summaryWords = []string{"total", "sous total", "solde", "balance", "closing balance", "opening balance", "nouveau solde", "ancien solde"}

// row reads one data row: an operation, a reason to leave it out, or neither for a row
// with no text at all. header names the columns in messages; nil when the file has none.
func (m Mapping) row(cells, header []string) (*op, *leave) {
	if blank(cells) {
		return nil, nil
	}
	get := func(i int) string {
		if i < 0 || i >= len(cells) {
			return ""
		}
		return strings.TrimSpace(cells[i])
	}
	name := func(i int) string { return columnName(header, i) }
	o := &op{label: joinLabels(cleanText(get(m.Label)), cleanText(get(m.Label2)))}
	d := get(m.Date)
	if d == "" {
		text := fmt.Sprintf("no date in column %s: not an operation", name(m.Date))
		if isSummary(cells) {
			text = fmt.Sprintf("no date in column %s: a total or balance line, not an operation", name(m.Date))
		}
		return nil, &leave{importer.ReasonNoDate, name(m.Date), text, false}
	}
	var err error
	if o.date, err = readDate(d, m.DateLayout); err != nil {
		return nil, &leave{importer.ReasonBadValue, name(m.Date), fmt.Sprintf("column %s: %v", name(m.Date), err), true}
	}
	if v := get(m.ValueDate); v != "" {
		if o.valueDate, err = readDate(v, m.DateLayout); err != nil {
			return nil, &leave{importer.ReasonBadValue, name(m.ValueDate), fmt.Sprintf("column %s: %v", name(m.ValueDate), err), true}
		}
	}
	if l := m.amount(get, name, o); l != nil {
		return nil, l
	}
	if b := get(m.Balance); b != "" {
		o.balance, err = readAmount(b, m.DecimalComma)
		o.badBalance = err != nil
	}
	return o, nil
}

// amount reads the row's amount into o: the signed column, or the debit (negative, whether
// the bank writes its sign or not) or the credit.
func (m Mapping) amount(get func(int) string, name func(int) string, o *op) *leave {
	if m.Amount >= 0 {
		s := get(m.Amount)
		if s == "" {
			return &leave{importer.ReasonNoAmount, name(m.Amount), fmt.Sprintf("no amount in column %s", name(m.Amount)), false}
		}
		a, err := readAmount(s, m.DecimalComma)
		if err != nil {
			return &leave{importer.ReasonBadValue, name(m.Amount), fmt.Sprintf("column %s: %v", name(m.Amount), err), true}
		}
		o.amount = a
		return nil
	}
	d, c := get(m.Debit), get(m.Credit)
	both := name(m.Debit) + "/" + name(m.Credit)
	switch dz, cz := isZero(d, m.DecimalComma), isZero(c, m.DecimalComma); {
	case d == "" && c == "":
		return &leave{importer.ReasonNoAmount, both, fmt.Sprintf("no amount in columns %s", both), false}
	case !dz && !cz:
		return &leave{importer.ReasonBadValue, both, fmt.Sprintf("both debit %s and credit %s are filled", input.Excerpt(d), input.Excerpt(c)), false}
	case !dz || c == "":
		a, err := readAmount(d, m.DecimalComma)
		if err != nil {
			return &leave{importer.ReasonBadValue, name(m.Debit), fmt.Sprintf("column %s: %v", name(m.Debit), err), true}
		}
		o.amount = negate(a)
	default:
		a, err := readAmount(c, m.DecimalComma)
		if err != nil {
			return &leave{importer.ReasonBadValue, name(m.Credit), fmt.Sprintf("column %s: %v", name(m.Credit), err), true}
		}
		o.amount = positive(a)
	}
	return nil
}

// columnName is how a message names column i: its header and number, or its number.
func columnName(header []string, i int) string {
	n := strconv.Itoa(i + 1)
	if i < len(header) {
		if h := cleanText(header[i]); h != "" {
			return input.Cut(h) + " (" + n + ")"
		}
	}
	return n
}

// joinLabels joins two label columns without repeating: banks often put a short label
// beside a longer one that starts with it.
func joinLabels(a, b string) string {
	fa, fb := fulltext.Fold(a), fulltext.Fold(b)
	switch {
	case b == "" || strings.Contains(fa, fb):
		return nonEmpty(a)
	case a == "" || strings.Contains(fb, fa):
		return b
	}
	return a + " — " + b
}

func nonEmpty(l string) string {
	if l == "" {
		return "Bank operation"
	}
	return l
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// isSummary tells whether a row's first text is a total or a balance.
func isSummary(cells []string) bool {
	for _, c := range cells {
		if f := fold(c); f != "" {
			for _, w := range summaryWords {
				if strings.HasPrefix(f, w) {
					return true
				}
			}
			return false
		}
	}
	return false
}
