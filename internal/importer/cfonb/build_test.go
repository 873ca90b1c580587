package cfonb

import "strings"

// rec builds a 120-character record in the tests: the zones every record shares, then the
// fields set at their 1-based positions.
type rec []rune

// acct is an account as the records' common zones give it.
type acct struct{ bank, branch, currency, decimals, number string }

func newRec(code string, a acct) rec {
	r := rec([]rune(strings.Repeat(" ", recordLen)))
	return r.at(1, code).at(3, a.bank).at(12, a.branch).at(17, a.currency).at(20, a.decimals).at(22, a.number)
}

func (r rec) at(pos int, s string) rec {
	copy(r[pos-1:], []rune(s))
	return r
}

func (r rec) String() string { return string(r) }

// balanceRec is an 01 or 07.
func balanceRec(code string, a acct, date, amount string) string {
	return newRec(code, a).at(35, date).at(91, amount).String()
}

// movementRec is an 04.
func movementRec(a acct, interbank, date, value, label, entry, amount, ref string) string {
	return newRec(codeMovement, a).at(8, "0001").at(33, interbank).at(35, date).at(43, value).at(49, label).at(82, entry).at(91, amount).at(105, ref).String()
}

// complementRec is an 05.
func complementRec(a acct, date, qualifier, text string) string {
	return newRec(codeComplement, a).at(35, date).at(46, qualifier).at(49, text).String()
}
