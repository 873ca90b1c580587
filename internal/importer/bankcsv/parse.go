package bankcsv

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"selfdata/internal/importer"
)

// Name is the format's name, also Result.Format.
const Name = "bank-csv"

// unknownBank is the bank of every account: a CSV export never says which bank wrote it.
const unknownBank = "unknown bank"

// Parse reads a whole export through m into bank.operation records, and a bank.account
// when m names the account. It refuses the file whole (an *importer.Error) when the mapping
// does not hold, when the file is not delimited text, has a broken quote or no data rows;
// a row that does not map is left out and listed.
func Parse(r io.Reader, m Mapping) (*importer.Result, error) {
	if err := m.valid(); err != nil {
		return nil, importer.Errorf(0, "", "the mapping does not hold: %v", err)
	}
	b, err := io.ReadAll(importer.LimitReader(r))
	if err != nil {
		return nil, &importer.Error{Reason: err.Error(), Err: err}
	}
	text := decode(b)
	if !textual(text) {
		return nil, importer.Errorf(0, "", "the file is not text (it holds NUL or control characters): not a bank's CSV export")
	}
	rows, lines, err := readAll(text, m.Comma)
	if err != nil {
		return nil, err
	}
	if err := m.fits(rows, lines); err != nil {
		return nil, err
	}
	return m.adapt(rows, lines), nil
}

// readAll reads every row with its 1-based line; a broken quote refuses the file.
func readAll(text, comma string) ([][]string, []int, error) {
	cr := newReader(text, comma)
	cr.ReuseRecord = false
	var rows [][]string
	var lines []int
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, lines, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, nil, importer.Errorf(pe.StartLine, "", "%v (line %d, byte %d): the file is not well-formed delimited text", pe.Err, pe.Line, pe.Column)
		}
		if err != nil {
			return nil, nil, importer.Errorf(0, "", "%v", err)
		}
		line, _ := cr.FieldPos(0)
		rows, lines = append(rows, rec), append(lines, line)
	}
}

// fits refuses a file with nothing under its header, or whose header lacks a mapped column.
func (m Mapping) fits(rows [][]string, lines []int) error {
	n := 0
	for _, r := range rows[min(m.HeaderRow+1, len(rows)):] {
		if !blank(r) {
			n++
		}
	}
	if n == 0 {
		return importer.Errorf(0, "", "the file has no data rows under its header (row %d)", m.HeaderRow+1)
	}
	if m.HeaderRow < 0 {
		return nil
	}
	for _, c := range m.columns() {
		if c.i >= len(rows[m.HeaderRow]) {
			return importer.Errorf(lines[m.HeaderRow], "", "the %s column %d is not in the header row, which has %d columns", c.role, c.i+1, len(rows[m.HeaderRow]))
		}
	}
	return nil
}

// adapt turns the data rows into records: the operations that map, the others left out.
func (m Mapping) adapt(rows [][]string, lines []int) *importer.Result {
	res := &importer.Result{Format: Name}
	var header []string
	if m.HeaderRow >= 0 {
		header = rows[m.HeaderRow]
	}
	acct := accountKey(m.Account)
	keys := &importer.Keys{}
	var ops []*op
	badBalances := 0
	for i := m.HeaderRow + 1; i < len(rows); i++ {
		o, lo := m.row(rows[i], header)
		if lo != nil {
			res.Skipped++
			res.Leave(lo.leftOut(lines[i]))
			continue
		}
		if o == nil {
			continue
		}
		if o.badBalance {
			badBalances++
		}
		ops = append(ops, o)
		res.Records = append(res.Records, m.operation(acct, o, keys))
	}
	if m.Account != "" {
		res.Records = append([]importer.Record{m.account(acct, ops)}, res.Records...)
	}
	keys.Note(res, "operation")
	if res.Skipped > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d row(s) that are not operations or do not read were left out", res.Skipped))
	}
	if badBalances > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d balance(s) did not read and were not used", badBalances))
	}
	return res
}

// leftOut is the LeftOut of a row at line. Only a bad value has a parameter (the column),
// as the reasons' texts say: the column is the element either way.
func (lo *leave) leftOut(line int) importer.LeftOut {
	l := importer.LeftOut{Line: line, Element: lo.column, Kind: "bank.operation", Reason: lo.reason, Text: lo.text}
	if lo.reason == importer.ReasonBadValue {
		l.Params = []string{lo.column}
	}
	return l
}

// operation is the bank.operation of one row, shaped as the OFX and camt adapters shape it.
func (m Mapping) operation(acct string, o *op, keys *importer.Keys) importer.Record {
	d := map[string]any{
		"account": acct, "date": o.date, "label": o.label, "amount": o.amount,
		"currency": m.Currency, "type": operationType(o.label),
	}
	if o.valueDate != "" {
		d["valueDate"] = o.valueDate
	}
	key := strings.Join([]string{acct, o.date, o.amount, o.label}, ":")
	return importer.Record{Doctype: "bank.operation", Key: keys.Unique(key), Data: d}
}

// account is the bank.account the mapping names, with the balance of its latest row.
func (m Mapping) account(acct string, ops []*op) importer.Record {
	d := map[string]any{"bank": unknownBank, "label": accountLabel(m.Account), "currency": m.Currency, "number": m.Account}
	if looksIBAN(acct) {
		d["iban"] = acct
	}
	if o := latest(ops); o != nil {
		d["balance"], d["balanceDate"] = o.balance, o.date
	}
	return importer.Record{Doctype: "bank.account", Key: acct, Data: d}
}

// latest is the operation whose balance is the account's last known one: of the latest
// day, the first row when the bank lists newest first, else the last.
func latest(ops []*op) *op {
	var withBalance []*op
	for _, o := range ops {
		if o.balance != "" && !o.badBalance {
			withBalance = append(withBalance, o)
		}
	}
	if len(withBalance) == 0 {
		return nil
	}
	newestFirst := withBalance[0].date > withBalance[len(withBalance)-1].date
	best := withBalance[0]
	for _, o := range withBalance[1:] {
		if o.date > best.date || o.date == best.date && !newestFirst {
			best = o
		}
	}
	return best
}

// accountKey is the account as written without its spaces ("FR76 3000 ..." and
// "FR763000..." are one account); "" when the mapping names none.
func accountKey(a string) string {
	return strings.Join(strings.Fields(a), "")
}

// accountLabel shows the last four characters of a number, as statements do, and a name
// as it is.
func accountLabel(a string) string {
	k := accountKey(a)
	digits := 0
	for _, r := range k {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits < 4 {
		return cleanText(a)
	}
	r := []rune(k)
	return "Account ••••" + string(r[max(len(r)-4, 0):])
}

func looksIBAN(k string) bool {
	if len(k) < 15 || len(k) > 34 {
		return false
	}
	for i, r := range k {
		if i < 2 && (r < 'A' || r > 'Z') || i >= 2 && i < 4 && (r < '0' || r > '9') || !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// operationTypes are the first words French and English banks begin a label with.
var operationTypes = []struct{ prefix, typ string }{
	{"paiement cb", "card"}, {"paiement par carte", "card"}, {"carte", "card"}, {"cb", "card"}, {"card", "card"}, {"pos", "card"},
	{"vir", "transfer"}, {"virement", "transfer"}, {"transfer", "transfer"}, {"vrt", "transfer"},
	{"prlv", "direct_debit"}, {"prelevement", "direct_debit"}, {"direct debit", "direct_debit"}, {"dd", "direct_debit"},
	{"chq", "check"}, {"cheque", "check"}, {"remise cheque", "check"}, {"check", "check"},
	{"retrait", "cash"}, {"dab", "cash"}, {"atm", "cash"}, {"cash", "cash"},
	{"frais", "fee"}, {"commission", "fee"}, {"cotisation", "fee"}, {"agios", "fee"}, {"fee", "fee"},
}

// operationType tells the kind of operation from the label's first words; "other" when
// they say nothing.
func operationType(label string) string {
	f := fold(label)
	for _, t := range operationTypes {
		if f == t.prefix || strings.HasPrefix(f, t.prefix+" ") {
			return t.typ
		}
	}
	return "other"
}
