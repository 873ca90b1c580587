package cfonb

import (
	"strings"
	"testing"

	"selfdata/internal/importer"
)

var (
	acA = acct{"42559", "00001", "EUR", "2", "21012345678"}
	acB = acct{"42559", "00001", "EUR", "2", "08765432100"}
)

// statement is a well-formed statement of acA: 100.00, one movement of -20.00, 80.00.
func statement() []string {
	return []string{
		balanceRec(codeOld, acA, "010426", "0000000001000{"),
		movementRec(acA, "B1", "020426", "020426", "PRLV SEPA ORANGE", "0000001", "0000000000200}", ""),
		balanceRec(codeNew, acA, "300426", "0000000000800{"),
	}
}

// edit returns statement() with line i (0-based) replaced.
func edit(i int, l string) []string {
	s := statement()
	s[i] = l
	return s
}

func parseLines(lines []string, sep string) (*importer.Result, error) {
	return Format().Parse(strings.NewReader(strings.Join(lines, sep) + sep))
}

// TestLayoutRefused: each break of the layout refuses the file, naming the line and the field.
func TestLayoutRefused(t *testing.T) {
	mv := statement()[1]
	for _, tt := range []struct {
		name          string
		lines         []string
		line          int
		element, text string
	}{
		{"unknown record code", edit(1, "03"+mv[2:]), 2, "positions 1–2", "record code \"03\" is none of an account statement's"},
		{"letters in the bank code", edit(0, balanceRec(codeOld, acct{"4255X", "00001", "EUR", "2", "21012345678"}, "010426", "0000000001000{")), 1, "positions 3–7", "is not a bank code"},
		{"no currency", edit(0, balanceRec(codeOld, acct{"42559", "00001", "   ", "2", "21012345678"}, "010426", "0000000001000{")), 1, "positions 17–19", "not an ISO 4217"},
		{"no decimals", edit(0, balanceRec(codeOld, acct{"42559", "00001", "EUR", " ", "21012345678"}, "010426", "0000000001000{")), 1, "position 20", "not a digit"},
		{"blank account", edit(0, balanceRec(codeOld, acct{"42559", "00001", "EUR", "2", ""}, "010426", "0000000001000{")), 1, "positions 22–32", "blank"},
		{"bad balance date", edit(0, balanceRec(codeOld, acA, "310226", "0000000001000{")), 1, "positions 35–40", `"310226" is not a date`},
		{"bad balance amount", edit(2, balanceRec(codeNew, acA, "300426", "00000000008X0{")), 3, "positions 91–104", "is not an amount"},
		{"movement outside a statement", []string{mv}, 1, "positions 1–2", "movement (04) outside a statement"},
		{"complement after no movement", []string{statement()[0], complementRec(acA, "010426", "LIB", "X"), statement()[2]}, 2, "positions 1–2", "complement (05) that follows no movement"},
		{"complement after a new balance", append(statement(), complementRec(acA, "010426", "LIB", "X")), 4, "positions 1–2", "outside a statement"},
		{"new balance without old", statement()[2:], 1, "positions 1–2", "new balance (07) outside a statement"},
		{"two old balances", append(statement()[:2], statement()...), 3, "positions 1–2", "starts before the one that starts at line 1 has ended"},
		{"no new balance", statement()[:2], 1, "positions 1–2", "its new balance (07) is missing"},
		{"another account inside", edit(1, movementRec(acB, "B1", "020426", "020426", "X", "1", "0000000000200}", "")), 2, "positions 22–32", `of account "08765432100" in the statement of account "21012345678"`},
		{"another currency inside", edit(1, movementRec(acct{"42559", "00001", "USD", "2", "21012345678"}, "B1", "020426", "020426", "X", "1", "0000000000200}", "")), 2, "positions 17–19", "in USD in the statement in EUR that starts at line 1"},
		{"line too long", edit(1, mv+"0000"), 2, "", "the line is 124 characters long"},
		{"control character", edit(1, mv[:60]+"\x00"+mv[61:]), 2, "position 61", "U+0000 is not text"},
		{"unknown record code on a short line", edit(1, "31"+mv[2:50]), 2, "positions 1–2", "record code \"31\" is none"},
		{"short complement", edit(1, mv+"\n"+complementRec(acA, "020426", "LIB", "X")[:40]), 3, "", "the record is 40 characters long"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := parseLines(tt.lines, "\n")
			if res != nil {
				t.Error("a result came with the error")
			}
			assertError(t, err, tt.line, tt.element, tt.text)
		})
	}
}

// TestNoLineBreaksWhere: in a file without line breaks a refusal names the record and its
// first byte, as there is no line to name.
func TestNoLineBreaksWhere(t *testing.T) {
	res, err := parseLines(edit(2, balanceRec(codeNew, acA, "300426", "0000000000850{")), "")
	if res != nil {
		t.Error("a result came with the error")
	}
	assertError(t, err, 1, "positions 331–344", "record 3: the statement of account ••••5678 does not add up: old balance 100.00 (record 1)")
}

func TestMovementValuesLeftOut(t *testing.T) {
	for _, tt := range []struct {
		name, date, value, amount, field string
	}{
		{"booking date", "300226", "020426", "0000000000200}", "positions 35–40"},
		{"blank booking date", "      ", "020426", "0000000000200}", "positions 35–40"},
		{"value date", "020426", "02042X", "0000000000200}", "positions 43–48"},
		{"blank in the amount", "020426", "020426", "000000000 200}", "positions 91–104"},
		{"accent in the amount", "020426", "020426", "0000000000200é", "positions 91–104"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lines := append(statement()[:2], movementRec(acA, "11", tt.date, tt.value, "CB", "2", tt.amount, ""), statement()[2])
			res, err := parseLines(lines, "\n")
			if err != nil {
				t.Fatal(err)
			}
			if len(res.LeftOut) != 1 || res.LeftOut[0].Line != 3 || res.LeftOut[0].Params[0] != tt.field || res.Skipped != 1 || len(res.Records) != 2 {
				t.Errorf("left out %+v, %d records", res.LeftOut, len(res.Records))
			}
		})
	}
}

// TestOneLineWithABreak: records without line breaks but for one at the end of the file
// are read as a file without line breaks.
func TestOneLineWithABreak(t *testing.T) {
	for _, end := range []string{"\n", "\r\n", "\x1a"} {
		res, err := Format().Parse(strings.NewReader(strings.Join(statement(), "") + end))
		if err != nil || len(res.Records) != 2 {
			t.Errorf("%q at the end: %v", end, err)
		}
	}
}

// TestLenientLayout: what banks really write is read — leading blanks in an amount, a
// blank or zero value date, CR line ends, trailing blanks added, a DOS end-of-file mark,
// blank lines between statements.
func TestLenientLayout(t *testing.T) {
	lines := []string{
		balanceRec(codeOld, acA, "010426", "         1000{"),
		"",
		movementRec(acA, "B1", "020426", "      ", "PRLV", "1", "          200}", "") + "    ",
		movementRec(acA, "B1", "020426", "000000", "PRLV", "2", "0000000000000{", ""),
		balanceRec(codeNew, acA, "300426", "0000000000800{"),
		"\x1a",
	}
	res, err := parseLines(lines, "\r")
	if err != nil {
		t.Fatal(err)
	}
	_, ops := byDoctype(res)
	if len(ops) != 2 || ops[0].Data["amount"] != "-20.00" || ops[1].Data["amount"] != "0.00" || ops[0].Data["valueDate"] != nil || ops[1].Data["valueDate"] != nil {
		t.Errorf("operations %v", ops)
	}
}

// TestEncodings: a record is 120 characters, whether the file is UTF-8 (an accent is two
// bytes) or Windows-1252 (one byte), and the label reads the same.
func TestEncodings(t *testing.T) {
	utf := strings.Join(edit(1, movementRec(acA, "B1", "020426", "020426", "PRLV SEPA CRÉDIT COOPÉRATIF", "1", "0000000000200}", "")), "\n")
	latin := strings.NewReplacer("É", "\xc9").Replace(utf)
	for name, content := range map[string]string{"UTF-8": utf, "UTF-8 with a byte order mark": "\xef\xbb\xbf" + utf, "Windows-1252": latin} {
		t.Run(name, func(t *testing.T) {
			res, err := Format().Parse(strings.NewReader(content))
			if err != nil {
				t.Fatal(err)
			}
			if _, ops := byDoctype(res); ops[0].Data["label"] != "PRLV SEPA CRÉDIT COOPÉRATIF" || ops[0].Data["amount"] != "-20.00" {
				t.Errorf("operation %v", ops[0].Data)
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	for _, content := range []string{"", "\n\n", "   \r\n"} {
		_, err := Format().Parse(strings.NewReader(content))
		if e, ok := err.(*importer.Error); !ok || e.Kind != importer.KindEmpty {
			t.Errorf("%q: %v, want an empty-file refusal", content, err)
		}
	}
}

// TestSeveralDays: daily statements of one account give one account, with the opening
// balance of the first day and the closing one of the last, whatever their order.
func TestSeveralDays(t *testing.T) {
	day := func(d, old, mv, nw string) []string {
		return []string{balanceRec(codeOld, acA, d, old), movementRec(acA, "B1", d, d, "PRLV", "1", mv, ""), balanceRec(codeNew, acA, d, nw)}
	}
	lines := append(day("030426", "0000000000800{", "0000000000100}", "0000000000700{"), day("020426", "0000000001000{", "0000000000200}", "0000000000800{")...)
	res, err := parseLines(lines, "\n")
	if err != nil {
		t.Fatal(err)
	}
	accounts, ops := byDoctype(res)
	d := accounts[0].Data
	if len(accounts) != 1 || len(ops) != 2 || d["balance"] != "70.00" || d["balanceDate"] != "2026-04-03" || d["openingBalance"] != "100.00" || d["openingBalanceDate"] != "2026-04-02" {
		t.Errorf("accounts %v", accounts)
	}
}

// TestRCNZones: the reference and the purpose of an RCN are read at their places, also
// when the reference is blank; NOTPROVIDED is no reference.
func TestRCNZones(t *testing.T) {
	for _, tt := range []struct{ text, e2e, purpose string }{
		{strings.Repeat(" ", 35) + "SALA", "", "SALA"},
		{"NOTPROVIDED", "", ""},
		{"REF-42", "REF-42", ""},
	} {
		lines := edit(1, statement()[1]+"\n"+complementRec(acA, "020426", "RCN", tt.text))
		res, err := parseLines(lines, "\n")
		if err != nil {
			t.Fatal(err)
		}
		d := res.Records[1].Data
		if e, _ := d["endToEndId"].(string); e != tt.e2e {
			t.Errorf("%q: endToEndId %q, want %q", tt.text, e, tt.e2e)
		}
		if p, _ := d["purpose"].(string); p != tt.purpose {
			t.Errorf("%q: purpose %q, want %q", tt.text, p, tt.purpose)
		}
	}
}
