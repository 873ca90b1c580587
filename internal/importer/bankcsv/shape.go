package bankcsv

import "strings"

// byShape fills, from the values alone, the roles the header's names did not give: a column
// whose every value is a date is the date, the widest column of text the label, and the
// first column of amounts (one with a sign, if any has) the amount, a later one the balance.
// What it proposes is never sure — a person confirms it — but the page then starts from
// the right columns for most banks, whatever their names.
func byShape(m *Mapping, data [][]string, width int) {
	isDate := func(c int) bool {
		vs := cellsOf(data, c)
		_, ok := guessLayout(vs, true)
		return len(vs) > 0 && ok && all(vs, func(v string) bool {
			for _, l := range Layouts {
				if _, err := readDate(v, l); err == nil {
					return true
				}
			}
			return false
		})
	}
	isAmount := func(c int) bool {
		vs := cellsOf(data, c)
		comma := guessDecimalComma(vs, ";")
		return len(vs) > 0 && all(vs, func(v string) bool { _, err := readAmount(v, comma); return err == nil })
	}
	used := map[int]bool{m.Date: true, m.ValueDate: true, m.Label: true, m.Label2: true, m.Amount: true, m.Debit: true, m.Credit: true, m.Balance: true}
	free := func(c int) bool { return !used[c] }
	if m.Date < 0 {
		for c := range width {
			if free(c) && isDate(c) {
				m.Date, used[c] = c, true
				break
			}
		}
	}
	var amounts []int
	for c := range width {
		if free(c) && isAmount(c) {
			amounts = append(amounts, c)
		}
	}
	if m.Amount < 0 && m.Debit < 0 && m.Credit < 0 {
		for _, c := range amounts {
			if m.Amount < 0 && strings.Contains(strings.Join(cellsOf(data, c), " "), "-") {
				m.Amount = c
			}
		}
		if m.Amount < 0 && len(amounts) > 0 {
			m.Amount = amounts[0]
		}
		used[m.Amount] = true
	}
	last := max(m.Amount, m.Debit, m.Credit)
	for _, c := range amounts {
		if m.Balance < 0 && last >= 0 && c > last && free(c) {
			m.Balance = c
		}
	}
	used[m.Balance] = true
	if m.Label < 0 {
		best, longest := -1, 0
		for c := range width {
			if !free(c) || isDate(c) || isAmount(c) {
				continue
			}
			if n := len(strings.Join(cellsOf(data, c), "")); n > longest {
				best, longest = c, n
			}
		}
		m.Label = best
	}
}
