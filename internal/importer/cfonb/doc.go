// Package cfonb imports CFONB 120 account statements ("relevé de compte 120 caractères"),
// the format in which every French bank delivers statements to the software of its
// customers — Crédit Coopératif, the MesInfos pilot's bank, among them — published by the
// Comité français d'organisation et de normalisation bancaires.
//
// # The format
//
// A file is a sequence of records of 120 characters: one per line (LF, CRLF or CR; a line
// whose trailing blanks were trimmed, or that has more of them, is padded back), or one
// every 120 characters when the file has no line breaks. A statement is an old balance
// (01), movements (04) each followed by its complements (05), and a new balance (07); a
// file holds any number of statements, of one or several accounts. The positions read
// (1-based, as the standard numbers them):
//
//	all records   1–2 record code, 3–7 bank code, 12–16 branch (guichet) code,
//	              17–19 ISO 4217 currency, 20 number of decimals of the amount, 22–32 account
//	01 and 07     35–40 balance date (DDMMYY), 91–104 balance
//	04            8–11 the bank's internal operation code, 33–34 interbank operation code,
//	              35–40 booking date, 41–42 rejection reason, 43–48 value date, 49–79 label,
//	              82–88 entry number, 91–104 amount, 105–120 reference
//	05            46–48 qualifier (LIB, NPY, NBE, RCN, REF, LCC...), 49–118 its text
//
// An amount is 13 digits and a last character that carries both the last digit and the
// sign: "{" and A to I are +0 to +9, "}" and J to R are −0 to −9; the number of decimals
// places the decimal point. Amounts are read exactly (internal/money), never as floats.
// Dates are French calendar days, kept as dates (YYYY-MM-DD): no time of day, so no time
// zone conversion; years 80–99 are 1980–1999 and 00–79 are 2000–2079.
//
// These positions are those of the CFONB brochure "Relevé de compte sur support
// informatique" (July 2004), as the open-source readers of the format apply it: the regular
// expressions of charlycoste's gist "CFONB regex" (gist.github.com/charlycoste/
// bc4ee758999732fc77a9, after jerome.girod.perso.sfr.fr/finance/structures.php), the line
// parsers of pennylane-hq/cfonb (lib/cfonb/line_parser, which links the brochure) and of
// silarhi/cfonb-parser (src/Parser/Cfonb120/Line04Parser.php, Line05Parser.php), and the
// field table of the Elixir cfonb package (hex.pm/packages/cfonb, FORMAT.md). They agree
// on every field read here but the label, which pennylane-hq reads to position 80; the
// others, and this package, read 31 characters (49–79), 80–81 being reserved. The
// operation types come from the list of interbank operation codes as silarhi/cfonb-parser
// gives it (src/CfonbCodes.php).
//
// # Checks
//
// A file whose layout is not the standard's is refused whole, with the line and the
// field's positions, words of no language that a page shows as they are (a file without
// line breaks is one line: the positions are in the file, and the reason names the
// record): a record cut short
// (shorter than its last field that cannot be blank), longer than 120 characters, holding a
// control character, of an unknown code, with letters where digits must be, a movement
// outside a statement, a complement after no movement, a statement without its new
// balance, a record of another account inside a statement. A statement whose old balance
// plus its movements is not its new balance is refused, with the lines of both balances:
// the file is not what the bank sent.
//
// A movement whose own values — its amount, booking date or value date — cannot be read is
// left out with its complements, listed in Result.LeftOut with its line and field and
// counted in Skipped; its statement's balances cannot then be checked, and a note says by
// how much the balances say the left-out movements moved the account.
//
// # What a file yields
//
//   - one bank.account per account, Key = bank code:branch code:account number (the
//     French BBAN without its check key). The bank is named by its code (as camt.053 names
//     it by its BIC when it has no name): no table of bank names is guessed from. balance is
//     the new balance of its latest statement, openingBalance the old balance of its
//     earliest.
//   - one bank.operation per readable movement, its label the 04's label followed by its
//     label complements (LIB, LCC, LC2, LCS); the counterparty is the beneficiary (NBE) of
//     a debit and the payer (NPY) of a credit; RCN gives the end-to-end reference and the
//     purpose, REF the bank's reference; every complement is kept in "complements" with
//     its qualifier. Key = account Key:booking date:entry number:amount:label, with "#2",
//     "#3"... for the same movement twice in a file (importer.Keys), so that two identical
//     movements of one day stay two and importing the file again adds nothing.
//
// References to other records: bank.operation.account holds the Key of its bank.account.
package cfonb
