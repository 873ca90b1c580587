package bankcsv

import (
	"slices"
	"strings"
	"unicode"

	"selfdata/internal/store/fulltext"
)

// Roles a header's name may give a column.
const (
	roleNone = iota
	roleDate
	roleValueDate
	roleLabel
	roleAmount
	roleDebit
	roleCredit
	roleBalance
	roleCurrency
)

// fold is a header's name as compared: lower case, no accents, words of letters and digits,
// a camel-cased name cut into its words ("Date de l'opération" → "date de l operation",
// "dateOp" → "date op").
func fold(s string) string {
	var b strings.Builder
	prev := ' '
	for _, r := range s {
		if unicode.IsUpper(r) && unicode.IsLower(prev) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev = r
	}
	return strings.Join(strings.FieldsFunc(fulltext.Fold(b.String()), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// roleOf is the role a folded header name names, in French or English.
func roleOf(n string) int {
	has := func(words ...string) bool {
		for _, w := range words {
			if n == w || strings.HasPrefix(n, w+" ") || strings.Contains(n, " "+w+" ") || strings.HasSuffix(n, " "+w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("valeur", "val", "value", "value date", "date valeur"):
		return roleValueDate
	case has("date", "booking date", "posted date", "transaction date"):
		return roleDate
	case has("solde", "balance"):
		return roleBalance
	case has("devise", "currency", "monnaie"):
		return roleCurrency
	case has("debit", "debits", "withdrawal", "withdrawals", "paid out", "money out"):
		return roleDebit
	case has("credit", "credits", "deposit", "deposits", "paid in", "money in"):
		return roleCredit
	case has("montant", "amount", "somme"):
		return roleAmount
	case has("compte", "account", "iban"):
		return roleNone // the account's name or number beside each row, not the operation's label
	case has("libelle", "libelles", "detail", "details", "description", "memo", "intitule",
		"payee", "narrative", "beneficiaire", "motif", "wording", "label"),
		slices.Contains([]string{"operation", "operations", "nature de l operation", "nature operation"}, n):
		return roleLabel
	}
	return roleNone
}

// roles maps each role to the columns of a header that name it, in order.
func roles(header []string) map[int][]int {
	out := map[int][]int{}
	for i, h := range header {
		if r := roleOf(fold(h)); r != roleNone {
			out[r] = append(out[r], i)
		}
	}
	return out
}

// headerRow is the first row that names a date and an amount (or a debit or a credit):
// the rows before it are the bank's preamble.
func headerRow(t *Table) int {
	for i, r := range t.Rows {
		ro := roles(r)
		if len(ro[roleDate]) > 0 && len(ro[roleAmount])+len(ro[roleDebit])+len(ro[roleCredit]) > 0 {
			return i
		}
	}
	return -1
}

// Guess proposes a mapping of t from its header's names (French and English, accents and
// case folded) and its values' shapes. It is sure only when the header names one date, one
// or two labels and one amount (or one debit and one credit), and the table's values read
// with the guessed date layout and decimal separator.
func Guess(t *Table) (m Mapping, sure bool) {
	if t == nil {
		return None(";"), false
	}
	m = None(t.Comma)
	m.HeaderRow = headerRow(t)
	sure = true
	if m.HeaderRow < 0 {
		// No row names the columns as a guess knows them: the first row as wide as the
		// table is taken for the header, for the values below it to propose the columns.
		m.HeaderRow, sure = widestRow(t), false
		if m.HeaderRow < 0 {
			return m, false
		}
	}
	ro := roles(t.Rows[m.HeaderRow])
	data := t.Rows[m.HeaderRow+1:]
	pick := func(role int) int {
		cs := ro[role]
		if len(cs) == 0 {
			return -1
		}
		sure = sure && len(cs) == 1
		return cs[0]
	}
	ro[roleDate] = booking(t.Rows[m.HeaderRow], ro[roleDate])
	m.Date, m.ValueDate, m.Balance = pick(roleDate), first(ro[roleValueDate]), first(ro[roleBalance])
	if labels := ro[roleLabel]; len(labels) > 0 {
		m.Label, m.Label2 = labels[0], second(labels)
		sure = sure && len(labels) <= 2
	}
	if len(ro[roleAmount]) > 0 {
		m.Amount = pick(roleAmount)
		sure = sure && len(ro[roleDebit])+len(ro[roleCredit]) == 0
	} else {
		m.Debit, m.Credit = pick(roleDebit), pick(roleCredit)
	}
	namedAll := m.Date >= 0 && m.Label >= 0 && (m.Amount >= 0 || m.Debit >= 0 && m.Credit >= 0)
	byShape(&m, data, len(t.Rows[m.HeaderRow]))
	sure = sure && namedAll
	var layoutSure bool
	m.DateLayout, layoutSure = guessLayout(cellsOf(data, m.Date, m.ValueDate), t.Comma == ";")
	amounts := cellsOf(data, m.Amount, m.Debit, m.Credit, m.Balance)
	m.DecimalComma = guessDecimalComma(amounts, t.Comma)
	m.Currency = guessCurrency(t.Rows[m.HeaderRow], ro[roleCurrency], data, amounts)
	m.Account = guessAccount(t.Rows[:m.HeaderRow])
	sure = sure && layoutSure && m.Label >= 0 && m.Check(t) == nil
	return m, sure
}

// bookingWords name the booking date among a file's dates ("Date de comptabilisation"
// beside "Date opération").
var bookingWords = []string{"comptabilisation", "comptable", "booking", "posted", "posting"}

// booking narrows several date columns to the one that names the booking, when one does.
func booking(header []string, cols []int) []int {
	if len(cols) < 2 {
		return cols
	}
	var named []int
	for _, c := range cols {
		f := fold(header[c])
		if slices.ContainsFunc(bookingWords, func(w string) bool { return strings.Contains(f, w) }) {
			named = append(named, c)
		}
	}
	if len(named) == 1 {
		return named
	}
	return cols
}

func first(cs []int) int {
	if len(cs) == 0 {
		return -1
	}
	return cs[0]
}

func second(cs []int) int {
	if len(cs) < 2 {
		return -1
	}
	return cs[1]
}

// cellsOf is the non-empty values of the given columns of the data rows.
func cellsOf(rows [][]string, cols ...int) []string {
	var out []string
	for _, r := range rows {
		for _, c := range cols {
			if c >= 0 && c < len(r) && strings.TrimSpace(r[c]) != "" {
				out = append(out, r[c])
			}
		}
	}
	return out
}

// guessLayout is the layout that reads the most values, the first of Layouts on a tie. It
// is unsure when none reads half the values or more (one odd row is left out by Parse, a
// wrong layout fails them all), or when a day-first and a month-first layout read as many
// (every day of the sample at most 12) in a file that is not French: a French file (";")
// writes the day first.
func guessLayout(values []string, french bool) (string, bool) {
	counts := make([]int, len(Layouts))
	best := 0
	for i, l := range Layouts {
		for _, v := range values {
			if _, err := readDate(v, l); err == nil {
				counts[i]++
			}
		}
		if counts[i] > counts[best] {
			best = i
		}
	}
	if counts[best] == 0 || counts[best]*2 < len(values) {
		return Layouts[0], false
	}
	tie := func(a, b string) bool {
		return counts[slices.Index(Layouts, a)] == counts[best] && counts[slices.Index(Layouts, b)] == counts[best]
	}
	ambiguous := tie("02/01/2006", "01/02/2006") || tie("02/01/06", "01/02/06")
	return Layouts[best], !ambiguous || french
}

func all(vs []string, ok func(string) bool) bool {
	for _, v := range vs {
		if !ok(v) {
			return false
		}
	}
	return true
}

// guessDecimalComma tells from the amounts whether the decimal separator is a comma: the
// separator followed by one or two digits at an amount's end. Without a sign of either, a
// ";" file is French.
func guessDecimalComma(values []string, comma string) bool {
	commas, points := 0, 0
	for _, v := range values {
		t := trimCode(symbols.Replace(spaces.Replace(v)))
		t = strings.TrimSuffix(t, ")")
		i := strings.LastIndexAny(t, ",.")
		if i < 0 || len(t)-i-1 < 1 || len(t)-i-1 > 2 || !digits(t[i+1:]) {
			continue
		}
		if t[i] == ',' {
			commas++
		} else {
			points++
		}
	}
	if commas == points {
		return comma == ";"
	}
	return commas > points
}

// guessCurrency is the file's currency: the one a currency column holds throughout, else
// the one a sign or a code of the header or of the amounts names, else the euro of French
// banks. Labels are not looked at: "ACHAT USD" is a purchase, not the account's currency.
func guessCurrency(header []string, cols []int, data [][]string, amounts []string) string {
	if vs := cellsOf(data, cols...); len(vs) > 0 {
		c := strings.ToUpper(strings.TrimSpace(vs[0]))
		if currencyCode.MatchString(c) && all(vs, func(v string) bool { return strings.EqualFold(strings.TrimSpace(v), c) }) {
			return c
		}
	}
	text := strings.ToUpper(strings.Join(header, " ") + " " + strings.Join(amounts, " "))
	if strings.Contains(text, "€") || strings.Contains(text, "EUR") {
		return "EUR"
	}
	for _, c := range []struct{ sign, code string }{{"£", "GBP"}, {"GBP", "GBP"}, {"CHF", "CHF"}, {"$", "USD"}, {"USD", "USD"}} {
		if strings.Contains(text, c.sign) {
			return c.code
		}
	}
	return "EUR"
}

// guessAccount is the account a preamble names: the value beside or after a label that
// speaks of an account ("Numéro de compte ; 12345", "Compte n° 12345", "IBAN : FR76...").
func guessAccount(preamble [][]string) string {
	for _, r := range preamble {
		for i, c := range r {
			f := fold(c)
			if !strings.Contains(f, "compte") && !strings.Contains(f, "account") && !strings.Contains(f, "iban") {
				continue
			}
			if _, after, ok := strings.Cut(c, ":"); ok && accountToken(after) != "" {
				return accountToken(after)
			}
			if j := strings.LastIndex(c, "°"); j >= 0 && accountToken(c[j+len("°"):]) != "" {
				return accountToken(c[j+len("°"):])
			}
			for _, next := range r[i+1:] {
				if a := accountToken(next); a != "" {
					return a
				}
			}
		}
	}
	return ""
}

// accountToken is the number at the start of s: its first words that hold a digit
// ("12345 - M. DUPONT" → "12345", "FR76 3000 6000 ..." whole), unwrapped of the ="..." a
// bank writes to keep a spreadsheet from reading it as a number.
func accountToken(s string) string {
	s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "=\""), "\"")
	var words []string
	for _, w := range strings.Fields(s) {
		if !hasDigits(w) {
			break
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

func hasDigits(s string) bool {
	return strings.ContainsFunc(s, unicode.IsDigit)
}

// widestRow is the first row with as many fields as the widest, -1 for an empty table.
func widestRow(t *Table) int {
	width, at := 0, -1
	for i, row := range t.Rows {
		if len(row) > width {
			width, at = len(row), i
		}
	}
	return at
}
