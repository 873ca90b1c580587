package ofx

import (
	"io"
	"strings"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// File is what an OFX file says, in OFX's own terms.
type File struct {
	Version     string // "102", "200", "203"... or "" when the file has no header
	Institution Institution
	Statements  []Statement
	Notes       []string
	plan        *planner // when streaming: the transactions are stubs, taken by the plan
}

// Institution is SONRS/FI: who produced the file. Both fields may be empty.
type Institution struct {
	Org string // ORG, e.g. "fidelity.com"
	FID string // FID, the institution's OFX id
}

// Kinds of statement.
const (
	KindBank       = "bank"       // STMTRS
	KindCreditCard = "creditcard" // CCSTMTRS
	KindInvestment = "investment" // INVSTMTRS
)

// Statement is one account's statement.
type Statement struct {
	Kind         string
	Currency     string // CURDEF
	Account      Account
	Transactions []Transaction
	Ledger       *Balance // LEDGERBAL
	Available    *Balance // AVAILBAL
	Investment   *Investment
	Line         int
}

// Account identifies the account (BANKACCTFROM, CCACCTFROM or INVACCTFROM).
type Account struct {
	BankID   string // BANKID, or BROKERID for investment accounts
	BranchID string
	ID       string // ACCTID
	Type     string // ACCTTYPE: CHECKING, SAVINGS, MONEYMRKT, CREDITLINE, CD; empty for cards
}

// Balance is LEDGERBAL or AVAILBAL.
type Balance struct {
	Amount string // exact decimal
	AsOf   DateTime
}

// Transaction is a STMTTRN, or an investment transaction with a cash total.
type Transaction struct {
	Type         string // TRNTYPE (DEBIT, POS...) or the investment aggregate (BUYSTOCK...)
	Posted       DateTime
	User         DateTime // DTUSER, when given
	Available    DateTime // DTAVAIL, when given
	Amount       string   // TRNAMT (or TOTAL), exact decimal
	FITID        string
	Name         string
	Memo         string
	Payee        string // PAYEE/NAME
	CheckNum     string
	RefNum       string
	Currency     string // CURRENCY/CURSYM when the transaction is not in CURDEF
	OrigCurrency string // ORIGCURRENCY/CURSYM: the amount was converted from it
	Security     *Holding
	Line         int
}

// Parse reads an OFX 1.x (SGML) or 2.x (XML) file.
func Parse(r io.Reader) (*File, error) {
	return parse(r, nil)
}

// parse is Parse; with a planner, the transactions are read as they close and their nodes
// let go (Stream's first reading): the statements then hold none, the plan says which count.
func parse(r io.Reader, p *planner) (*File, error) {
	s, err := readBody(r)
	if err != nil {
		return nil, err
	}
	s.plan = p
	root, err := buildTree(s)
	if err != nil {
		return nil, err
	}
	f := &File{Version: s.version, plan: p}
	if fi := root.path("SIGNONMSGSRSV1", "SONRS", "FI"); fi != nil {
		f.Institution = Institution{Org: fi.text("ORG"), FID: fi.text("FID")}
	}
	if err := f.messages(root); err != nil {
		return nil, err
	}
	f.nameSecurities(root)
	return f, nil
}

// messages reads every statement response of every message set.
func (f *File) messages(root *node) error {
	sets := []struct{ set, trnrs, rs, kind string }{
		{"BANKMSGSRSV1", "STMTTRNRS", "STMTRS", KindBank},
		{"CREDITCARDMSGSRSV1", "CCSTMTTRNRS", "CCSTMTRS", KindCreditCard},
		{"INVSTMTMSGSRSV1", "INVSTMTTRNRS", "INVSTMTRS", KindInvestment},
	}
	for _, set := range sets {
		for _, msg := range root.all(set.set) {
			for _, trnrs := range msg.all(set.trnrs) {
				rs := trnrs.child(set.rs)
				if rs == nil {
					f.Notes = append(f.Notes, noStatementNote(trnrs))
					continue
				}
				st, err := f.statement(rs, set.kind)
				if err != nil {
					return err
				}
				f.Statements = append(f.Statements, st)
			}
		}
	}
	if len(f.Statements) == 0 {
		return importer.Errorf(root.line, "OFX", "the file holds no bank, credit-card or investment statement")
	}
	return nil
}

func noStatementNote(trnrs *node) string {
	st := trnrs.child("STATUS")
	if st == nil {
		return trnrs.name + " without a statement was left out"
	}
	msg := strings.TrimSpace(st.text("CODE") + " " + st.text("MESSAGE"))
	return trnrs.name + " without a statement was left out (status " + msg + ")"
}

// statement reads STMTRS, CCSTMTRS or INVSTMTRS, the next of f.Statements.
func (f *File) statement(rs *node, kind string) (Statement, error) {
	st := Statement{Kind: kind, Currency: strings.ToUpper(rs.text("CURDEF")), Line: rs.line}
	if st.Currency == "" {
		return st, importer.Errorf(rs.line, rs.name+"/CURDEF", "the statement gives no currency (CURDEF)")
	}
	if !isCurrency(st.Currency) {
		return st, importer.Errorf(rs.child("CURDEF").line, rs.name+"/CURDEF", "%s is not an ISO 4217 currency code", input.Excerpt(st.Currency))
	}
	var err error
	if st.Account, err = account(rs, kind); err != nil {
		return st, err
	}
	if kind == KindInvestment {
		return f.investmentStatement(rs, st)
	}
	for _, tn := range rs.path("BANKTRANLIST").allOrNil("STMTTRN") {
		if f.plan != nil {
			if err := f.plan.take(tn, stubBank, len(f.Statements)); err != nil {
				return st, err
			}
			continue
		}
		t, err := transaction(tn, st.Currency)
		if err != nil {
			return st, err
		}
		st.Transactions = append(st.Transactions, t)
	}
	if st.Ledger, err = balance(rs.child("LEDGERBAL")); err != nil {
		return st, err
	}
	st.Available, err = balance(rs.child("AVAILBAL"))
	return st, err
}

// allOrNil is all on a node that may be absent.
func (n *node) allOrNil(name string) []*node {
	if n == nil {
		return nil
	}
	return n.all(name)
}

func account(rs *node, kind string) (Account, error) {
	from := map[string]string{KindBank: "BANKACCTFROM", KindCreditCard: "CCACCTFROM", KindInvestment: "INVACCTFROM"}[kind]
	a := rs.child(from)
	if a == nil {
		return Account{}, importer.Errorf(rs.line, from, "the statement does not say which account it is about (%s)", from)
	}
	acc := Account{BankID: a.text("BANKID"), BranchID: a.text("BRANCHID"), ID: a.text("ACCTID"), Type: a.text("ACCTTYPE")}
	if kind == KindInvestment {
		acc.BankID = a.text("BROKERID")
	}
	if acc.ID == "" {
		return acc, importer.Errorf(a.line, from+"/ACCTID", "the account has no number (ACCTID)")
	}
	return acc, nil
}

// transaction reads a STMTTRN. The amount is checked before the dates so that a file with
// both wrong reports the amount, the more telling of the two.
func transaction(n *node, currency string) (Transaction, error) {
	t := Transaction{
		Type: n.text("TRNTYPE"), FITID: n.text("FITID"), Name: n.text("NAME"), Memo: n.text("MEMO"),
		CheckNum: n.text("CHECKNUM"), RefNum: n.text("REFNUM"), Line: n.line,
		Payee: n.path("PAYEE", "NAME").valueOrEmpty(),
	}
	var err error
	if t.Amount, err = amount(n, "TRNAMT"); err != nil {
		return t, err
	}
	if t.Posted, err = date(n, "DTPOSTED", true); err != nil {
		return t, err
	}
	if t.User, err = date(n, "DTUSER", false); err != nil {
		return t, err
	}
	if t.Available, err = date(n, "DTAVAIL", false); err != nil {
		return t, err
	}
	for _, c := range []struct {
		agg string
		dst *string
	}{{"CURRENCY", &t.Currency}, {"ORIGCURRENCY", &t.OrigCurrency}} {
		sym := n.path(c.agg, "CURSYM")
		if sym == nil {
			continue
		}
		if *c.dst = strings.ToUpper(sym.value); !isCurrency(*c.dst) {
			return t, importer.Errorf(sym.line, c.agg+"/CURSYM", "%s is not an ISO 4217 currency code", input.Excerpt(sym.value))
		}
	}
	return t, nil
}

// isCurrency tells whether s looks like an ISO 4217 code (three capital letters).
func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, c := range s {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// kids is the children of a node that may be absent.
func (n *node) kids() []*node {
	if n == nil {
		return nil
	}
	return n.children
}

func (n *node) valueOrEmpty() string {
	if n == nil {
		return ""
	}
	return n.value
}

// balance reads LEDGERBAL or AVAILBAL; an absent aggregate is nil, an empty BALAMT an error.
func balance(n *node) (*Balance, error) {
	if n == nil {
		return nil, nil
	}
	amt, err := amount(n, "BALAMT")
	if err != nil {
		return nil, err
	}
	asOf, err := date(n, "DTASOF", false)
	if err != nil {
		return nil, err
	}
	return &Balance{Amount: amt, AsOf: asOf}, nil
}

// amount reads a required money leaf of n as an exact decimal.
func amount(n *node, name string) (string, error) {
	elem := n.name + "/" + name
	c := n.child(name)
	if c == nil {
		return "", importer.Errorf(n.line, elem, "%s has no %s (amount)", n.name, name)
	}
	if c.value == "" {
		return "", importer.Errorf(c.line, elem, "the amount is empty")
	}
	v, err := money(c.value)
	if err != nil {
		return "", importer.Errorf(c.line, elem, "%v: write it as a plain number such as -12.34, without a currency sign", err)
	}
	return v, nil
}

// money is importer.Decimal without the zeros that brokers pad amounts with
// ("-00000000000000.9700" is "-0.97"); at least two decimals stay.
func money(s string) (string, error) {
	v, err := importer.Decimal(s)
	if err != nil {
		return "", err
	}
	dot := strings.IndexByte(v, '.')
	for len(v) > dot+3 && v[len(v)-1] == '0' {
		v = v[:len(v)-1]
	}
	return v, nil
}

// date reads a datetime leaf of n; required tells whether its absence is an error.
func date(n *node, name string, required bool) (DateTime, error) {
	elem := n.name + "/" + name
	c := n.child(name)
	if c == nil {
		if required {
			return DateTime{}, importer.Errorf(n.line, elem, "%s has no %s (date)", n.name, name)
		}
		return DateTime{}, nil
	}
	d, err := parseDateTime(c.value)
	if err != nil {
		return DateTime{}, importer.Errorf(c.line, elem, "%v", err)
	}
	return d, nil
}
