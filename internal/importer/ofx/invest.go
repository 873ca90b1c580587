package ofx

import (
	"fmt"
	"strings"

	"selfdata/internal/importer"
)

// Investment is what an INVSTMTRS adds to a statement: cash balances and positions.
type Investment struct {
	AsOf          DateTime // INVSTMTRS/DTASOF
	AvailableCash string   // INVBAL/AVAILCASH, exact decimal ("" when absent)
	MarginBalance string
	ShortBalance  string
	BuyingPower   string
	Positions     []Position
	Skipped       int // investment transactions that moved no cash (no TOTAL, or noCash)
	NoCash        []NoCash
}

// NoCash is an investment transaction that moved no cash, left out: its aggregate's name
// (REINVEST, TRANSFER, SPLIT...) and line, for the report.
type NoCash struct {
	Name string
	Line int
}

// Holding names a security and how much of it a transaction or position concerns.
type Holding struct {
	SecID     string // SECID/UNIQUEID, e.g. a CUSIP
	SecIDType string // SECID/UNIQUEIDTYPE
	Name      string // SECLIST SECNAME, filled in after the whole file is read
	Ticker    string
	Units     string // exact decimal
	UnitPrice string // exact decimal
}

// Position is one INVPOS of INVPOSLIST.
type Position struct {
	Holding
	Kind        string // POSSTOCK, POSMF, POSDEBT, POSOPT, POSOTHER
	MarketValue string // MKTVAL, exact decimal
	PriceAsOf   DateTime
	Type        string // POSTYPE: LONG or SHORT
	HeldIn      string // HELDINACCT: CASH, MARGIN...
}

// investmentStatement reads the parts of INVSTMTRS beyond the account and currency.
func (f *File) investmentStatement(rs *node, st Statement) (Statement, error) {
	inv := &Investment{}
	var err error
	if inv.AsOf, err = date(rs, "DTASOF", false); err != nil {
		return st, err
	}
	if bal := rs.child("INVBAL"); bal != nil {
		for _, f := range []struct {
			name string
			dst  *string
		}{{"AVAILCASH", &inv.AvailableCash}, {"MARGINBALANCE", &inv.MarginBalance}, {"SHORTBALANCE", &inv.ShortBalance}, {"BUYPOWER", &inv.BuyingPower}} {
			if bal.child(f.name) == nil {
				continue
			}
			if *f.dst, err = amount(bal, f.name); err != nil {
				return st, err
			}
		}
	}
	for _, p := range rs.path("INVPOSLIST").kids() {
		if p.leaf {
			continue
		}
		pos, err := position(p)
		if err != nil {
			return st, err
		}
		inv.Positions = append(inv.Positions, pos)
	}
	st.Investment = inv
	st.Transactions, inv.NoCash, err = f.investmentTransactions(rs.child("INVTRANLIST"), st.Currency)
	inv.Skipped = len(inv.NoCash)
	return st, err
}

// investmentTransactions reads INVTRANLIST: INVBANKTRAN/STMTTRN are plain cash movements;
// other aggregates (BUYSTOCK, SELLMF, INCOME...) count when they carry a cash TOTAL, except
// those of noCash (REINVEST). When streaming, the plan takes them.
func (f *File) investmentTransactions(list *node, currency string) ([]Transaction, []NoCash, error) {
	if list == nil {
		return nil, nil, nil
	}
	var out []Transaction
	var skipped []NoCash
	for _, c := range list.children {
		if c.leaf {
			continue // DTSTART, DTEND
		}
		if c.name == "INVBANKTRAN" {
			for _, tn := range c.all("STMTTRN") {
				if f.plan != nil {
					if err := f.plan.take(tn, stubBank, len(f.Statements)); err != nil {
						return nil, nil, err
					}
					continue
				}
				t, err := transaction(tn, currency)
				if err != nil {
					return nil, nil, err
				}
				out = append(out, t)
			}
			continue
		}
		if f.plan != nil {
			cash, err := f.plan.takeInvestment(c, len(f.Statements))
			if err != nil {
				return nil, nil, err
			}
			if !cash {
				skipped = append(skipped, NoCash{Name: c.name, Line: c.line})
			}
			continue
		}
		t, ok, err := investmentTransaction(c)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			skipped = append(skipped, NoCash{Name: c.name, Line: c.line})
			continue
		}
		out = append(out, t)
	}
	return out, skipped, nil
}

// noCash are the investment transaction aggregates that carry a TOTAL and yet move no cash
// in the account. The OFX 2.x specification (chapter 13, Investments: the INVTRANLIST
// investment transaction aggregates) tells INCOME, "investment income is realized as cash
// into the investment account", from REINVEST, "reinvestment of income": the dividend,
// interest or capital gain (INCOMETYPE) is used at once to buy more of the security (SECID,
// UNITS, UNITPRICE), and its TOTAL is the amount of income reinvested, which never reaches
// the account's cash. The account's cash is what bank.operation records, so a REINVEST makes
// none (its sum, income in and purchase out, is nil); it is counted with the transactions
// that moved no cash. A broker that credits the income first sends an INCOME and a BUY*,
// which are imported.
var noCash = map[string]bool{"REINVEST": true}

// investmentTransaction reads a buy, sell, income... ok is false when it moved no cash.
func investmentTransaction(n *node) (Transaction, bool, error) {
	inv, total := n.find("INVTRAN"), n.find("TOTAL")
	if inv == nil || total == nil || noCash[n.name] {
		return Transaction{}, false, nil
	}
	t := Transaction{Type: n.name, FITID: inv.text("FITID"), Memo: inv.text("MEMO"), Line: n.line}
	amt, err := money(total.value)
	if err != nil {
		return t, false, importer.Errorf(total.line, n.name+"/TOTAL", "%v", err)
	}
	t.Amount = amt
	if t.Posted, err = date(inv, "DTTRADE", true); err != nil {
		return t, false, err
	}
	if t.Available, err = date(inv, "DTSETTLE", false); err != nil {
		return t, false, err
	}
	h, err := holding(n)
	if err != nil {
		return t, false, err
	}
	t.Security = &h
	if cur := n.find("CURRENCY"); cur != nil && isCurrency(strings.ToUpper(cur.text("CURSYM"))) {
		t.Currency = strings.ToUpper(cur.text("CURSYM"))
	}
	return t, true, nil
}

// holding reads SECID, UNITS and UNITPRICE found anywhere under n.
func holding(n *node) (Holding, error) {
	var h Holding
	if id := n.find("SECID"); id != nil {
		h.SecID, h.SecIDType = id.text("UNIQUEID"), id.text("UNIQUEIDTYPE")
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"UNITS", &h.Units}, {"UNITPRICE", &h.UnitPrice}} {
		c := n.find(f.name)
		if c == nil {
			continue
		}
		v, err := importer.Decimal(c.value)
		if err != nil {
			return h, importer.Errorf(c.line, f.name, "%v", err)
		}
		*f.dst = v
	}
	return h, nil
}

// position reads one POSSTOCK/POSMF/... aggregate.
func position(p *node) (Position, error) {
	pos := Position{Kind: p.name}
	inv := p.child("INVPOS")
	if inv == nil {
		return pos, importer.Errorf(p.line, p.name, "position without INVPOS")
	}
	var err error
	if pos.Holding, err = holding(inv); err != nil {
		return pos, err
	}
	if pos.SecID == "" {
		return pos, importer.Errorf(inv.line, "INVPOS/SECID", "position without a security id")
	}
	if pos.MarketValue, err = amount(inv, "MKTVAL"); err != nil {
		return pos, err
	}
	if pos.PriceAsOf, err = date(inv, "DTPRICEASOF", false); err != nil {
		return pos, err
	}
	pos.Type, pos.HeldIn = inv.text("POSTYPE"), inv.text("HELDINACCT")
	return pos, nil
}

// nameSecurities fills security names and tickers from SECLISTMSGSRSV1/SECLIST, which OFX
// sends apart from the statements that refer to them by id.
func (f *File) nameSecurities(root *node) {
	secs := securities(root)
	if f.plan != nil {
		f.plan.secs = secs
	}
	name := func(h *Holding) {
		s := secs[key(h.SecIDType, h.SecID)]
		h.Name, h.Ticker = s.name, s.ticker
	}
	for i := range f.Statements {
		st := &f.Statements[i]
		for j := range st.Transactions {
			if st.Transactions[j].Security != nil {
				name(st.Transactions[j].Security)
			}
		}
		if st.Investment != nil {
			for j := range st.Investment.Positions {
				name(&st.Investment.Positions[j].Holding)
			}
		}
	}
}

// sec is a security's name and ticker, from SECLIST.
type sec struct{ name, ticker string }

// securities reads SECLIST: each security's name and ticker by key(UNIQUEIDTYPE, UNIQUEID).
func securities(root *node) map[string]sec {
	secs := map[string]sec{}
	for _, list := range root.path("SECLISTMSGSRSV1").allOrNil("SECLIST") {
		for _, info := range list.children {
			si := info.child("SECINFO")
			if si == nil {
				continue
			}
			if id := si.child("SECID"); id != nil {
				secs[key(id.text("UNIQUEIDTYPE"), id.text("UNIQUEID"))] = sec{si.text("SECNAME"), si.text("TICKER")}
			}
		}
	}
	return secs
}

func key(typ, id string) string { return fmt.Sprintf("%s:%s", typ, id) }
