package accounts

import (
	"testing"
	"time"

	"selfdata/internal/money"
)

// day is a calendar day of the tests, "2025-03-12".
func day(t testing.TB, s string) time.Time {
	t.Helper()
	d, ok := Day(s)
	if !ok {
		t.Fatalf("bad day %q", s)
	}
	return d
}

// op builds an operation of account "acc" in euros; amount is signed.
func op(t testing.TB, id, date, label, amount, ref string) Operation {
	t.Helper()
	return Operation{ID: id, Account: "acc", Date: day(t, date), Label: label, Amount: money.MustParse(amount), Currency: "EUR", Reference: ref}
}

// bill builds a bill in euros; due may be "".
func bill(t testing.TB, id, vendor, date, due, amount, ref string) Bill {
	t.Helper()
	b := Bill{ID: id, Vendor: vendor, Date: day(t, date), Amount: money.MustParse(amount), Currency: "EUR", Reference: ref}
	if due != "" {
		b.Due = day(t, due)
	}
	return b
}

// mustAmount is an amount written in the test.
func mustAmount(s string) money.Amount { return money.MustParse(s) }

// gbp is o in pounds.
func gbp(o Operation) Operation { o.Currency = "GBP"; return o }
