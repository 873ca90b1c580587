package cfonb

import (
	"fmt"
	"io"
	"strings"

	"selfdata/internal/importer"
	"selfdata/internal/input"
	"selfdata/internal/money"
)

// File is a CFONB 120 file in its own terms: its statements, in file order.
type File struct {
	Statements []Statement
}

// Statement is one 01 … 07 sequence: one account from its old balance to its new one.
type Statement struct {
	Bank, Branch, Account string // bank code, branch (guichet) code, account number
	Currency              string // ISO 4217
	Old, New              Balance
	Movements             []Movement
	// Unread lists the movements whose values could not be read: they are left out, and
	// the statement's balances cannot be checked without them.
	Unread []Unread
	Line   int // the line of its 01 (0 in a file without line breaks)
	End    int // the line of its 07
}

// Balance is an 01 or 07 record.
type Balance struct {
	Amount money.Amount
	Date   string // YYYY-MM-DD
	Line   int
}

// Movement is an 04 record with the 05 complements that follow it.
type Movement struct {
	InternalCode  string // the bank's own operation code (8–11)
	InterbankCode string // the interbank operation code (33–34)
	Date          string // booking date, YYYY-MM-DD
	ValueDate     string // "" when blank
	Rejection     string // rejection reason code (41–42), "" when blank
	Label         string // 49–79, trimmed
	Entry         string // entry number (82–88), trimmed
	Amount        money.Amount
	Reference     string // 105–120, trimmed
	Complements   []Complement
	Line          int
}

// Complement is an 05 record: a qualifier (LIB, NPY, NBE, RCN, REF...) and its 70 characters.
type Complement struct {
	Qualifier string
	Text      string // trimmed
	Raw       string // the 70 characters as written: some qualifiers have zones (RCN)
	Line      int
}

// Unread is a movement left out: which line, which field and why.
type Unread struct {
	Line    int
	Element string // the field's positions, as record.where gives them
	Field   string // the field's name and positions in the record, in English
	Reason  string
}

// Parse reads a CFONB 120 account statement file. A file whose layout is broken, or whose
// statements do not add up, is refused whole with the line and the field; a movement whose
// values cannot be read is listed in its statement's Unread.
func Parse(in io.Reader) (*File, error) {
	data, err := io.ReadAll(importer.LimitReader(in))
	if err != nil {
		return nil, err
	}
	recs, err := split(text(data))
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, importer.Errorf(0, "", "the file holds no record").WithKind(importer.KindEmpty)
	}
	p := &parser{}
	for _, r := range recs {
		if err := p.add(r); err != nil {
			return nil, err
		}
	}
	if p.st != nil {
		return nil, p.open.errorf(fCode, "the file ends inside the statement that starts here: its new balance (07) is missing")
	}
	return &p.file, nil
}

// parser follows the statement being read.
type parser struct {
	file File
	st   *Statement // the open statement, nil between statements
	open record     // its 01
	cur  *Movement  // the movement complements attach to, nil when there is none
}

func (p *parser) add(r record) error {
	if _, known := minLen[r.code()]; !known {
		return r.errorf(fCode, "record code %s is none of an account statement's: 01 (old balance), 04 (movement), 05 (complement) or 07 (new balance)", input.Excerpt(r.get(fCode)))
	}
	if err := header(r); err != nil {
		return err
	}
	switch r.code() {
	case codeOld:
		return p.old(r)
	case codeMovement:
		return p.movement(r)
	case codeComplement:
		return p.complement(r)
	default:
		return p.close(r)
	}
}

// header checks the zones every record shares: a record whose layout is not the
// standard's is not a CFONB 120 record, and the file is refused.
func header(r record) error {
	for _, f := range []span{fBank, fBranch} {
		if v := r.get(f); !digits(v) {
			return r.errorf(f, "%s is not a %s: 5 digits are expected", input.Excerpt(v), f.name)
		}
	}
	if v := r.get(fCurrency); !currency(v) {
		return r.errorf(fCurrency, "%s is not an ISO 4217 currency code", input.Excerpt(v))
	}
	if _, err := r.decimals(); err != nil {
		return r.errorf(fDecimals, "%v", err)
	}
	if r.trim(fAccount) == "" {
		return r.errorf(fAccount, "the account number is blank")
	}
	return nil
}

func currency(s string) bool {
	for _, c := range s {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return len(s) == 3
}

// old opens a statement.
func (p *parser) old(r record) error {
	if p.st != nil {
		return r.errorf(fCode, "a new statement (01) starts before the one that starts at %s has ended with its new balance (07)", p.placeOf(p.open))
	}
	b, err := balance(r)
	if err != nil {
		return err
	}
	p.st = &Statement{Bank: r.get(fBank), Branch: r.get(fBranch), Account: r.trim(fAccount), Currency: r.get(fCurrency), Old: b, Line: r.line}
	p.open, p.cur = r, nil
	return nil
}

// placeOf names where a record is, in English, for a message about another one.
func (p *parser) placeOf(r record) string {
	if r.line == 0 {
		return fmt.Sprintf("record %d", r.number)
	}
	return fmt.Sprintf("line %d", r.line)
}

func balance(r record) (Balance, error) {
	d, err := r.date(fDate)
	if err == nil && d == "" {
		err = fmt.Errorf("the date is blank")
	}
	if err != nil {
		return Balance{}, r.errorf(fDate, "%v", err)
	}
	a, err := r.amount()
	if err != nil {
		return Balance{}, r.errorf(fAmount, "%v", err)
	}
	return Balance{Amount: a, Date: d, Line: r.line}, nil
}

// same refuses a record of another account than its statement's.
func (p *parser) same(r record, what string) error {
	if p.st == nil {
		return r.errorf(fCode, "a %s outside a statement: no old balance (01) opens one before it", what)
	}
	if a := r.trim(fAccount); a != p.st.Account {
		return r.errorf(fAccount, "a %s of account %s in the statement of account %s that starts at %s", what, input.Excerpt(a), input.Excerpt(p.st.Account), p.placeOf(p.open))
	}
	if c := r.get(fCurrency); c != p.st.Currency {
		return r.errorf(fCurrency, "a %s in %s in the statement in %s that starts at %s", what, c, p.st.Currency, p.placeOf(p.open))
	}
	return nil
}

func (p *parser) movement(r record) error {
	if err := p.same(r, "movement (04)"); err != nil {
		return err
	}
	m, bad := readMovement(r)
	if bad != nil {
		p.st.Unread = append(p.st.Unread, *bad)
		p.cur = &Movement{} // its complements are left out with it
		return nil
	}
	p.st.Movements = append(p.st.Movements, m)
	p.cur = &p.st.Movements[len(p.st.Movements)-1]
	return nil
}

// readMovement reads an 04's values; a value that cannot be read leaves the movement out.
func readMovement(r record) (Movement, *Unread) {
	m := Movement{
		InternalCode: r.trim(fInternal), InterbankCode: r.trim(fInterbank), Rejection: r.trim(fRejection),
		Label: r.trim(fLabel), Entry: r.trim(fEntry), Reference: r.trim(fReference), Line: r.line,
	}
	unread := func(f span, err error) *Unread {
		line, el := r.where(f)
		return &Unread{Line: line, Element: el, Field: f.String(), Reason: err.Error()}
	}
	var err error
	if m.Date, err = r.date(fDate); err == nil && m.Date == "" {
		err = fmt.Errorf("the booking date is blank")
	}
	if err != nil {
		return m, unread(fDate, err)
	}
	if m.ValueDate, err = r.date(fValueDate); err != nil {
		return m, unread(fValueDate, err)
	}
	if m.Amount, err = r.amount(); err != nil {
		return m, unread(fAmount, err)
	}
	return m, nil
}

func (p *parser) complement(r record) error {
	if p.st != nil && p.cur == nil {
		return r.errorf(fCode, "a complement (05) that follows no movement (04)")
	}
	if err := p.same(r, "complement (05)"); err != nil {
		return err
	}
	p.cur.Complements = append(p.cur.Complements, Complement{Qualifier: r.trim(fQualifier), Text: r.trim(fComplement), Raw: r.get(fComplement), Line: r.line})
	return nil
}

// close ends the statement with its new balance, which must be the old one plus the
// movements: a statement that does not add up is not the bank's, and is refused.
func (p *parser) close(r record) error {
	if err := p.same(r, "new balance (07)"); err != nil {
		return err
	}
	b, err := balance(r)
	if err != nil {
		return err
	}
	st := p.st
	st.New, st.End = b, r.line
	if len(st.Unread) == 0 {
		sum := st.Old.Amount
		for _, m := range st.Movements {
			sum = sum.Add(m.Amount)
		}
		if !sum.Equal(b.Amount) {
			return r.errorf(fAmount, "the statement of account %s does not add up: old balance %s (%s) + movements %s = %s, but the new balance is %s",
				mask(st.Account), st.Old.Amount, p.placeOf(p.open), sum.Sub(st.Old.Amount), sum, b.Amount)
		}
	}
	p.file.Statements = append(p.file.Statements, *st)
	p.st, p.cur = nil, nil
	return nil
}

// mask shows the last four characters of an account number.
func mask(id string) string {
	r := []rune(id)
	if len(r) > 4 {
		r = r[len(r)-4:]
	}
	return "••••" + strings.TrimSpace(string(r))
}
