// Package ofx imports the statements that banks, card issuers and brokers hand out as OFX (Open
// Financial Exchange) files, the "download for Quicken/Money" export of most North American and
// Australian banks.
//
// # Two syntaxes, one tokenizer
//
// OFX 1.x is SGML: a block of "KEY:VALUE" header lines, then tags where a leaf element usually
// has no closing tag (its value ends at the next '<') and only aggregates are closed, sometimes
// with the whole body on one line. OFX 2.x is XML with an <?OFX ...?> processing instruction,
// yet real 2.x files (ANZ's) still leave leaves unclosed. encoding/xml refuses both, so this
// package has one small tokenizer (tree.go) that reads either: a tag followed by text is a leaf,
// a tag followed by another tag is an aggregate, an optional </TAG> after a leaf is consumed,
// and an aggregate left unclosed becomes an empty leaf. Every node keeps its line, so an error
// names the element and the line. DOCTYPE and ENTITY declarations are refused.
//
// # What a file yields
//
//   - one bank.account per account (bank statement STMTRS, credit-card CCSTMTRS, investment
//     INVSTMTRS). Key = account type, bank or broker id, branch and account id joined by ":"
//     (e.g. "CHECKING:5472369148:1452687~7", "CREDITCARD:1234123412341234",
//     "INVESTMENT:fidelity.com:01234567890"). bank = SONRS/FI/ORG, or "unknown bank" when the
//     file does not say (never guessed from the file name). Investment accounts carry their
//     positions (decimal strings) and cash balances as extra properties.
//   - one bank.operation per STMTTRN, and per investment transaction with a cash TOTAL (buys,
//     sells, income); a REINVEST, income used at once to buy more of the security, moves no
//     cash and makes none (see noCash). Key = the account Key + ":" + FITID (the bank's own transaction id); a
//     transaction without FITID gets a natural key (date, amount, name). A key seen twice in a
//     file is made unique with "#2", "#3"... in file order.
//
// References to other records: bank.operation.account holds the Key of its bank.account record.
//
// # Streaming
//
// Format streams (Stream): the file is read twice, first to check it whole and plan, each
// transaction read as its element closes and only its place kept, then to hand the operations
// to the sink as they close, in batches, with the records, keys and order Parse and adapt give
// (Format's Parse is importer.Collect over Stream).
//
// # Dates
//
// OFX datetimes are "YYYYMMDD[HHMMSS[.XXX]][[offset:TZ]]". A bank.operation's date is the date
// part as written: the bank's own day, which converting to UTC could shift. The full instant is
// kept in UTC as postedAt, and the offset the bank gave as tzOffset (OFX says GMT when none is
// given, so no tzOffset is written then).
package ofx
