package accounts

import "sort"

// A bill and the operation that paid it, a reimbursement and the credit that brought it,
// are linked one to one. The evidence is weighed the same way for both: a candidate pair
// has the same currency and the same amount, and either the same reference (strong) or the
// organization's name in the operation's label (weaker, so within fewer days). Among the
// candidates, the pairs closest in days are linked first; a document or an operation with
// two equally close candidates cannot be told apart from its twin, and neither is linked:
// no link is better than a wrong one.

// cand is a possible pair: document doc (a bill, a reimbursement) and operation op, dist
// days apart.
type cand struct{ doc, op, dist int }

// pairing is the one-to-one links made so far, and what may no longer be linked.
type pairing struct {
	opOf, docOf         map[int]int  // doc → op, op → doc
	blockedDoc, blocked map[int]bool // docs and operations left unlinked on purpose
}

func newPairing() *pairing {
	return &pairing{opOf: map[int]int{}, docOf: map[int]int{}, blockedDoc: map[int]bool{}, blocked: map[int]bool{}}
}

func (p *pairing) freeDoc(d int) bool { _, linked := p.opOf[d]; return !linked && !p.blockedDoc[d] }
func (p *pairing) freeOp(o int) bool  { _, linked := p.docOf[o]; return !linked && !p.blocked[o] }

// assign links candidates closest first. At each distance, a pair whose document and
// operation have no other free candidate at that distance is linked; those that do are
// ambiguous and blocked, with every party of the tie.
func (p *pairing) assign(cs []cand) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].dist != cs[j].dist {
			return cs[i].dist < cs[j].dist
		}
		if cs[i].doc != cs[j].doc {
			return cs[i].doc < cs[j].doc
		}
		return cs[i].op < cs[j].op
	})
	for start := 0; start < len(cs); {
		end := start
		for end < len(cs) && cs[end].dist == cs[start].dist {
			end++
		}
		var live []cand
		perDoc, perOp := map[int]int{}, map[int]int{}
		for _, c := range cs[start:end] {
			if p.freeDoc(c.doc) && p.freeOp(c.op) {
				live = append(live, c)
				perDoc[c.doc]++
				perOp[c.op]++
			}
		}
		for _, c := range live {
			if perDoc[c.doc] == 1 && perOp[c.op] == 1 {
				p.opOf[c.doc], p.docOf[c.op] = c.op, c.doc
				continue
			}
			p.blockedDoc[c.doc], p.blocked[c.op] = true, true
		}
		start = end
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// pairUp links documents 0..n-1 to the operations ops (indices) in two passes and returns
// the operation of each document linked, and whether it was linked by reference.
//
// The first pass takes the operations that carry a document's reference (carry) and, of
// those, the ones that settle it whole within the days a reference allows (whole). The
// second takes the operations that name the document's organization, of its amount, within
// the fewer days a name allows (near). Between the passes, a document whose reference is
// carried by an operation left unlinked is kept out of the second: that operation is part
// of it (a bill paid in two debits), so no other is the payment of it all; and such an
// operation is kept out too, as it belongs to that document. An operation carrying a
// reference that settled another document (two reimbursements of one claim share the
// claim's reference) is no evidence of anything.
func pairUp(n int, ops []int, carry, whole, near func(d, o int) bool, dist func(d, o int) int) (opOf map[int]int, byRef map[int]bool) {
	p := newPairing()
	carriers := map[int][]int{}
	var first []cand
	for d := range n {
		for _, o := range ops {
			if !carry(d, o) {
				continue
			}
			carriers[d] = append(carriers[d], o)
			if whole(d, o) {
				first = append(first, cand{d, o, dist(d, o)})
			}
		}
	}
	p.assign(first)
	byRef = map[int]bool{}
	for d := range p.opOf {
		byRef[d] = true
	}
	for d, os := range carriers {
		if !p.freeDoc(d) {
			continue
		}
		for _, o := range os {
			if _, linked := p.docOf[o]; !linked {
				p.blockedDoc[d], p.blocked[o] = true, true
			}
		}
	}
	var second []cand
	for d := range n {
		if !p.freeDoc(d) {
			continue
		}
		for _, o := range ops {
			if p.freeOp(o) && near(d, o) {
				second = append(second, cand{d, o, dist(d, o)})
			}
		}
	}
	p.assign(second)
	return p.opOf, byRef
}
