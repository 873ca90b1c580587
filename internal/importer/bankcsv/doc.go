// Package bankcsv imports the operations a bank lets people download as CSV. No standard
// exists: each French bank writes its own (";"-separated, decimal comma, dd/mm/yyyy dates, a
// signed "Montant" column or two "Débit"/"Crédit" columns, a preamble of a few lines before
// the header, Windows-1252 as often as UTF-8), and English exports use "," and "." with
// "Date, Description, Amount". So the format is not recognized by a signature but read
// through a Mapping that says which column holds what.
//
// # Reading
//
// Sniff reads the first 8 KiB into a Table (the separator that splits the rows most
// regularly, the text decoded to UTF-8: Windows-1252 when the bytes are not UTF-8), Guess
// names the columns from the header's words and the values' shapes, and Check tells
// whether a mapping fits the table. Signature names a bank's layout (its header row and
// separator, hashed), so that a mapping the person confirmed once is found again for the
// same bank's next export. Format's Detect claims a file only when the guess is sure;
// otherwise its Parse answers importer.KindNeedsMapping and the import page asks the
// person to name the columns, then calls Parse with their Mapping.
//
// # What a file yields
//
//   - one bank.operation per data row, shaped as the OFX and camt adapters shape theirs:
//     date (the booking date, ISO), label (the label columns joined), amount (exact, signed:
//     a debit column is negative whether the bank writes it with a sign or not, a credit
//     column positive), currency
//     (the file's), type (told by the label's first words: "CB", "VIR", "PRLV"...),
//     valueDate when a column holds it, and account, the Key of the bank.account.
//   - one bank.account when the mapping names the account (Key = the account without
//     spaces; bank "unknown bank", as a CSV never says which bank it is from), with the
//     balance of the latest row when a balance column is mapped. Without an account,
//     operations have account "" and point at no record.
//
// Keys are natural: account, date, amount and label, with "#2", "#3"... for identical
// operations of one file (importer.Keys), so two identical payments of a day stay two and
// importing the file again, or a later export that overlaps it, adds nothing for the same
// rows. Their known limit: a later export that holds one more identical operation on a day
// already imported (a third coffee at the same price, booked late) gives that row the key
// "#2" or "#3" already taken by the first export's copy, in whichever order the bank
// lists them — the copies are told apart by their position only, since the file has no
// other identity for them.
//
// A row that does not map — no date (a total or a balance line: they are told by their
// missing date, not by their words, as "TOTAL" is also a payee), a date or an amount that
// does not read, both debit and credit filled — is left out, listed in Result.LeftOut with
// its line and its column (the Element) and counted in Skipped. A row with no text at all is
// no record and is passed over. The file is refused whole only when it is malformed: not
// delimited text, a broken quote, no data rows.
package bankcsv
