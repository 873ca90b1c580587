// Package camt imports ISO 20022 camt.053 bank-to-customer statements, the XML account
// statement that European banks give (EBICS, SEPA countries, Switzerland) in place of the
// older MT940. Versions camt.053.001.02 to .08 are read; the version is told by the
// document's namespace, since the same element names mean the same things across them.
//
// # Reading
//
// encoding/xml reads the file in strict mode and refuses DOCTYPE and ENTITY declarations.
// Each child of a statement (account, balance, entry) is built into a small tree that keeps
// the line of every element, so that a bad amount or date is reported with its line and its
// path (e.g. "Ntry/Amt") while the file is never held whole in memory as a tree.
//
// # What a file yields
//
//   - one bank.account per account (Key = the IBAN, or Acct/Id/Othr/Id when the account has
//     no IBAN). Its balance is the closing booked balance (CLBD), else the closing available
//     one (CLAV), with balanceDate; the bank is the servicer's name, else its BIC, else
//     "unknown bank" (never guessed from the IBAN).
//   - one bank.operation per transaction detail (TxDtls) of each booked entry (Ntry), or per
//     entry when it has none. An entry with several TxDtls (a batch) gives one operation per
//     TxDtls with its own amount when it has one; an entry with a single TxDtls keeps the
//     entry's amount and direction, which are what was booked on the account.
//     Key = account Key + ":" + AcctSvcrRef (the bank's reference of the entry), else NtryRef,
//     else a natural key "booking date:amount:reference"; "/n" is added for the n-th TxDtls of
//     a batch, and "#2", "#3"... when a key repeats in the file (banks reuse AcctSvcrRef for
//     collective credits).
//
// References to other records: bank.operation.account holds the Key of its bank.account record.
//
// Entries whose status is not BOOK (pending, information) are left out and counted in
// Result.Skipped, each listed in Result.LeftOut: they may change or vanish before they are booked.
package camt
