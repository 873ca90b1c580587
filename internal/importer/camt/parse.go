package camt

import (
	"encoding/xml"
	"io"
	"strings"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// namespacePrefix starts the namespace of every camt.053 version; two digits follow.
const namespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt.053.001."

// Document is a camt.053 message in its own terms.
type Document struct {
	Version    string // "02" to "08", from the namespace
	MessageID  string // GrpHdr/MsgId
	Statements []Statement
}

// Statement is one BkToCstmrStmt/Stmt: one account over one period.
type Statement struct {
	ID       string
	Account  Account
	Balances []Balance
	Entries  []Entry
	Line     int
	at       *node // where the Stmt starts, for errors about what it lacks
}

// Account is Stmt/Acct.
type Account struct {
	IBAN         string
	Other        string // Id/Othr/Id, for accounts without an IBAN
	Currency     string // Ccy, else the currency of its balances or entries
	Name         string // Nm, the account's name
	Owner        string // Ownr/Nm
	Type         string // Tp/Cd: CACC, SVGS, CARD, LOAN...
	ServicerBIC  string // Svcr/FinInstnId/BIC (BICFI from v04)
	ServicerName string // Svcr/FinInstnId/Nm
	Line         int
	at           *node // the Acct element, nil when the statement has none
}

// Balance is Stmt/Bal.
type Balance struct {
	Type     string // Tp/CdOrPrtry/Cd (OPBD, CLBD, CLAV, ITBD...) or Prtry
	Amount   string // signed exact decimal: negative when CdtDbtInd is DBIT
	Currency string
	Date     string // YYYY-MM-DD
	Line     int
}

// Parse reads a camt.053.001.02 to .08 document.
func Parse(in io.Reader) (*Document, error) {
	r := newReader(importer.LimitReader(in))
	root, err := r.root()
	if err != nil {
		return nil, err
	}
	doc := &Document{}
	if doc.Version, err = version(root, r.line()); err != nil {
		return nil, err
	}
	err = r.children("Document", func(se xml.StartElement, _ pos) error {
		if se.Name.Local != "BkToCstmrStmt" {
			return r.skip(se.Name.Local)
		}
		return r.children(se.Name.Local, func(se xml.StartElement, at pos) error {
			return doc.add(r, se, at)
		})
	})
	if err != nil {
		return nil, err
	}
	if err := r.end(); err != nil {
		return nil, err
	}
	if len(doc.Statements) == 0 {
		return nil, importer.Errorf(0, "Document/BkToCstmrStmt/Stmt", "the document holds no statement: Stmt is missing")
	}
	return doc, nil
}

// root reads up to the document element.
func (r *reader) root() (xml.StartElement, error) {
	for {
		tok, err := r.token()
		if err == io.EOF {
			return xml.StartElement{}, importer.Errorf(r.line(), "", "the file holds no XML element")
		}
		if err != nil {
			return xml.StartElement{}, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se, nil
		}
	}
}

// end checks that nothing but comments and spaces follows the document element.
func (r *reader) end() error {
	for {
		tok, err := r.token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			return importer.Errorf(r.line(), se.Name.Local, "element after the end of the document")
		}
	}
}

// version checks that the root is a camt.053 Document of a supported version.
func version(root xml.StartElement, line int) (string, error) {
	ns := root.Name.Space
	if root.Name.Local != "Document" || !strings.HasPrefix(ns, namespacePrefix) {
		return "", importer.Errorf(line, root.Name.Local, "not a camt.053 statement: the root element is <%s> in namespace %s", input.Cut(root.Name.Local), input.Excerpt(ns))
	}
	v := strings.TrimPrefix(ns, namespacePrefix)
	if len(v) != 2 || v < "02" || v > "08" {
		return "", importer.Errorf(line, "Document", "camt.053.001.%s is not supported (versions 02 to 08 are)", input.Cut(v))
	}
	return v, nil
}

// add reads GrpHdr or a Stmt of BkToCstmrStmt, which started at at.
func (doc *Document) add(r *reader, se xml.StartElement, at pos) error {
	const parent = "Document/BkToCstmrStmt/"
	switch se.Name.Local {
	case "GrpHdr":
		n, err := r.subtree(se, parent+"GrpHdr", at)
		if err != nil {
			return err
		}
		doc.MessageID = n.get("MsgId")
		return nil
	case "Stmt":
		st, err := r.statement(parent+step("Stmt", len(doc.Statements)+1), at)
		if err != nil {
			return err
		}
		doc.Statements = append(doc.Statements, st)
		return nil
	}
	return r.skip(se.Name.Local)
}

// statement reads the Stmt just opened at at, whose path is path, one child at a time.
func (r *reader) statement(path string, at pos) (Statement, error) {
	st := Statement{Line: at.line, at: &node{name: "Stmt", xpath: path, line: at.line, col: at.col}}
	seen := map[string]int{}
	err := r.children("Stmt", func(se xml.StartElement, at pos) error {
		seen[se.Name.Local]++
		n, err := r.subtree(se, path+"/"+step(se.Name.Local, seen[se.Name.Local]), at)
		if err != nil {
			return err
		}
		return st.add(n)
	})
	if err != nil {
		return st, err
	}
	return st, st.complete()
}

func (st *Statement) add(n *node) error {
	switch n.name {
	case "Id":
		st.ID = strings.TrimSpace(n.text)
	case "Acct":
		st.Account = account(n)
	case "Bal":
		b, err := balance(n)
		if err != nil {
			return err
		}
		st.Balances = append(st.Balances, b)
	case "Ntry":
		e, err := entry(n)
		if err != nil {
			return err
		}
		st.Entries = append(st.Entries, e)
	}
	return nil
}

// complete checks that the statement names its account and fills its currency when the
// account does not give it (Acct/Ccy is optional).
func (st *Statement) complete() error {
	a := &st.Account
	if a.IBAN == "" && a.Other == "" {
		if a.at == nil {
			return st.at.errorf("Acct", "Acct is missing: the statement does not say which account it is about")
		}
		return a.at.errorf("Id", "Id/IBAN and Id/Othr/Id are missing: the statement does not say which account it is about")
	}
	for _, b := range st.Balances {
		if a.Currency == "" {
			a.Currency = b.Currency
		}
	}
	for _, e := range st.Entries {
		if a.Currency == "" {
			a.Currency = e.Currency
		}
	}
	if a.Currency == "" {
		return a.at.errorf("Ccy", "the account's currency is missing: given nowhere (Acct/Ccy, Bal/Amt or Ntry/Amt)")
	}
	if !currencyCode.MatchString(a.Currency) {
		if c := a.at.child("Ccy"); c != nil {
			return c.errorf("", "%s is not an ISO 4217 currency code", input.Excerpt(a.Currency))
		}
		return a.at.errorf("Ccy", "%s is not an ISO 4217 currency code", input.Excerpt(a.Currency))
	}
	return nil
}

func account(n *node) Account {
	bic := n.get("Svcr", "FinInstnId", "BIC")
	if bic == "" {
		bic = n.get("Svcr", "FinInstnId", "BICFI")
	}
	return Account{
		IBAN: n.get("Id", "IBAN"), Other: n.get("Id", "Othr", "Id"), Currency: n.get("Ccy"),
		Name: n.get("Nm"), Owner: n.get("Ownr", "Nm"), Type: n.get("Tp", "Cd"),
		ServicerBIC: bic, ServicerName: n.get("Svcr", "FinInstnId", "Nm"), Line: n.line, at: n,
	}
}

func balance(n *node) (Balance, error) {
	b := Balance{Type: n.get("Tp", "CdOrPrtry", "Cd"), Line: n.line}
	if b.Type == "" {
		b.Type = n.get("Tp", "CdOrPrtry", "Prtry")
	}
	var err error
	if b.Amount, b.Currency, err = signedAmount(n, n.get("CdtDbtInd")); err != nil {
		return b, err
	}
	d, err := dateOf(n.child("Dt"))
	if err != nil {
		return b, err
	}
	if d.Date == "" {
		return b, n.errorf("Dt", "Dt is missing: the balance has no date")
	}
	b.Date = d.Date
	return b, nil
}
