package ofx

import (
	"selfdata/internal/importer"
)

// Stream reads an OFX file as Parse and adapt do, handing its records to sink at most
// batchRecords at a time, without holding the file's transactions: each is read when its
// element closes and its node let go (the file's text is still read whole, at most
// importer.MaxFileBytes).
//
// It reads the file twice. An account's record comes before its operations but its balance
// after them (LEDGERBAL follows BANKTRANLIST), the securities' names follow the investment
// statements (SECLIST), and a malformed file is refused with the error Parse gives, the
// tree's errors before any transaction's: so the first reading checks the whole file and
// plans, keeping of each transaction only its place and, when it is wrong, its error; the
// second hands the transactions that count to sink as they close, in the order of adapt,
// with the same keys (one importer.Keys over the whole file).
//
// A file whose transactions sit where the plan cannot follow them (an aggregate left open
// around them, statements out of the order adapt takes them) is read whole, as Parse does,
// and its records sent in batches.
func Stream(open importer.Open, sink importer.Sink) (*importer.Result, error) {
	p := &planner{}
	f, err := parse(open(), p)
	if p.fallback {
		return whole(open, sink)
	}
	if err != nil {
		return nil, err
	}
	e := &emitter{sink: sink, statements: f.Statements, accounts: accountRecords(f), secs: p.secs}
	second := &planner{plan: p.trns, emit: e.transaction}
	s, err := readBody(open())
	if err != nil {
		return nil, err
	}
	s.plan = second
	if _, err := buildTree(s); err != nil {
		return nil, err
	}
	if err := e.end(); err != nil {
		return nil, err
	}
	return leftOut(f), nil
}

// whole is Stream for the files the plan cannot follow: Parse, adapt, then batches.
func whole(open importer.Open, sink importer.Sink) (*importer.Result, error) {
	f, err := Parse(open())
	if err != nil {
		return nil, err
	}
	res := adapt(f)
	for rs := res.Records; len(rs) > 0; {
		n := min(len(rs), batchRecords)
		if err := sink.Records(rs[:n]); err != nil {
			return nil, err
		}
		rs = rs[n:]
	}
	res.Records = nil
	return res, nil
}

// Kinds of stub: read by transaction, or by investmentTransaction.
const (
	stubBank = iota + 1
	stubInvestment
)

// stub is what a reading keeps of a transaction once read: its number among the stubs,
// how it reads and what came of it. A run of transactions read without error (and, for
// investment ones, moving cash) is one stub of their count, so that a statement's list of
// transactions is a few nodes, whatever its length.
type stub struct {
	seq   int
	count int
	kind  int
	cash  bool  // an investment transaction that moved cash
	err   error // the error reading it gave
}

// runs tells whether the transaction st can join the run of stubs prev.
func (prev *stub) runs(st *stub) bool {
	clean := func(s *stub) bool { return s.err == nil && (s.kind == stubBank || s.cash) }
	return prev.kind == st.kind && clean(prev) && clean(st) && prev.seq+prev.count == st.seq
}

// planned is a run of transactions that count: the first one's stub number, how many, and
// their statement's index.
type planned struct {
	seq, count, statement int
}

// planner follows the transactions as they close. In the first reading (emit nil) it reads
// each, keeps its stub in place of its children, then takes the stubs in adapt's order
// (take, takeInvestment) into trns. In the second it hands those of plan to emit.
type planner struct {
	seq      int
	trns     []planned
	fallback bool           // a transaction the plan cannot follow: read the file whole
	secs     map[string]sec // SECLIST, for the second reading
	plan     []planned      // the second reading's: what to emit
	next     int            // in plan
	emit     func(statement int, t Transaction) error
}

// stubPaths are where the transactions Parse reads are, from the root: the element's
// ancestors' names. A transaction elsewhere is left whole.
var stubPaths = []struct {
	path []string
	kind int
}{
	{[]string{"OFX", "BANKMSGSRSV1", "STMTTRNRS", "STMTRS", "BANKTRANLIST", "STMTTRN"}, stubBank},
	{[]string{"OFX", "CREDITCARDMSGSRSV1", "CCSTMTTRNRS", "CCSTMTRS", "BANKTRANLIST", "STMTTRN"}, stubBank},
	{[]string{"OFX", "INVSTMTMSGSRSV1", "INVSTMTTRNRS", "INVSTMTRS", "INVTRANLIST", "INVBANKTRAN", "STMTTRN"}, stubBank},
	{[]string{"OFX", "INVSTMTMSGSRSV1", "INVSTMTTRNRS", "INVSTMTRS", "INVTRANLIST", ""}, stubInvestment},
}

// stubKind is the kind of the element closing at the top of stack (stack[0] is the root
// above <OFX>), 0 when it is no transaction Parse reads.
func stubKind(stack []*node) int {
	names := stack[1:]
	for _, sp := range stubPaths {
		if len(names) != len(sp.path) {
			continue
		}
		match := true
		for i, want := range sp.path {
			if want == "" {
				match = names[i].name != "INVBANKTRAN"
			} else if names[i].name != want {
				match = false
			}
			if !match {
				break
			}
		}
		if match {
			return sp.kind
		}
	}
	return 0
}

// closed reads the transaction closing at the top of stack, if it is one, lets its children
// go, and in the second reading hands it to emit if it is planned.
func (p *planner) closed(stack []*node) error {
	kind := stubKind(stack)
	if kind == 0 {
		return nil
	}
	n, parent := stack[len(stack)-1], stack[len(stack)-2]
	st := &stub{seq: p.seq, count: 1, kind: kind}
	p.seq++
	var t Transaction
	if kind == stubBank {
		t, st.err = transaction(n, "")
	} else {
		t, st.cash, st.err = investmentTransaction(n)
	}
	n.children, n.stub = nil, st
	p.join(parent)
	if p.emit == nil || p.next >= len(p.plan) || st.seq < p.plan[p.next].seq {
		return nil
	}
	if st.err != nil {
		return st.err
	}
	run := p.plan[p.next]
	if st.seq == run.seq+run.count-1 {
		p.next++
	}
	return p.emit(run.statement, t)
}

// join merges the stub that just closed, parent's last child, into the run before it.
func (p *planner) join(parent *node) {
	k := len(parent.children)
	if k < 2 {
		return
	}
	prev, last := parent.children[k-2].stub, parent.children[k-1].stub
	if prev == nil || !prev.runs(last) {
		return
	}
	prev.count++
	parent.children[k-1] = nil
	parent.children = parent.children[:k-1]
}

// moved is told of children moving up out of an aggregate left open: a stub among them
// would leave the place the plan expects it.
func (p *planner) moved(children []*node) {
	for _, c := range children {
		if c.stub != nil {
			p.fallback = true
		}
	}
}

// take takes a STMTTRN (or a run of them) of the statement of that index into the plan; its
// error if it had one.
func (p *planner) take(n *node, kind, statement int) error {
	if n.stub == nil || n.stub.kind != kind {
		p.fallback = true
		return nil
	}
	if n.stub.err != nil {
		return n.stub.err
	}
	p.add(n.stub, statement)
	return nil
}

// takeInvestment is take for an aggregate of INVTRANLIST; false when it moved no cash.
func (p *planner) takeInvestment(n *node, statement int) (bool, error) {
	if n.stub == nil || n.stub.kind != stubInvestment {
		p.fallback = true
		return true, nil
	}
	if n.stub.err != nil {
		return false, n.stub.err
	}
	if n.stub.cash {
		p.add(n.stub, statement)
	}
	return n.stub.cash, nil
}

// add plans a run of transactions; out of the file's order, the second reading could not
// follow.
func (p *planner) add(st *stub, statement int) {
	if k := len(p.trns); k > 0 {
		last := &p.trns[k-1]
		switch {
		case last.seq+last.count > st.seq:
			p.fallback = true
		case last.seq+last.count == st.seq && last.statement == statement:
			last.count += st.count
			return
		}
	}
	p.trns = append(p.trns, planned{seq: st.seq, count: st.count, statement: statement})
}

// emitter builds the records of the second reading and hands them to the sink in batches:
// each account before the operations of the statement where it first appears, as adapt
// orders them.
type emitter struct {
	sink       importer.Sink
	statements []Statement
	accounts   []placed
	secs       map[string]sec
	keys       importer.Keys
	next       int // accounts sent
	buf        []importer.Record
}

// transaction adds the operation of a planned transaction of the statement of that index.
func (e *emitter) transaction(statement int, t Transaction) error {
	if err := e.accountsUpTo(statement); err != nil {
		return err
	}
	if h := t.Security; h != nil {
		s := e.secs[key(h.SecIDType, h.SecID)]
		h.Name, h.Ticker = s.name, s.ticker
	}
	st := e.statements[statement]
	return e.add(operation(accountKey(st), st.Currency, t, &e.keys))
}

// accountsUpTo adds the accounts first appearing up to the statement of that index.
func (e *emitter) accountsUpTo(statement int) error {
	for ; e.next < len(e.accounts) && e.accounts[e.next].statement <= statement; e.next++ {
		if err := e.add(e.accounts[e.next].rec); err != nil {
			return err
		}
	}
	return nil
}

func (e *emitter) add(r importer.Record) error {
	e.buf = append(e.buf, r)
	if len(e.buf) < batchRecords {
		return nil
	}
	return e.flush()
}

func (e *emitter) flush() error {
	if len(e.buf) == 0 {
		return nil
	}
	err := e.sink.Records(e.buf)
	clear(e.buf)
	e.buf = e.buf[:0]
	return err
}

// end sends the accounts not sent yet, and what is held.
func (e *emitter) end() error {
	if err := e.accountsUpTo(len(e.statements)); err != nil {
		return err
	}
	return e.flush()
}

// batchRecords is the stream's batch, below importer.StreamRecords: an operation is a map of
// a dozen fields (about 1.7 KB) that restore then encodes and the store copies, so a batch of
// 10,000 was most of the import's heap at 10,000 transactions (see docs/benchmarks.md).
const batchRecords = 1_000
