package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"selfdata/internal/importer/bankcsv"
	"selfdata/internal/restore"
)

// columnRoles are the roles --columns names by column number (0-based).
var columnRoles = []string{"date", "value_date", "label", "label2", "amount", "debit", "credit", "balance"}

// columnFlags is --columns: "date=0,label=2,amount=4" and the settings header=1,
// comma=";", layout=02/01/2006, decimal=comma|point, currency=EUR, account=....
type columnFlags map[string]string

func parseColumns(s string) (columnFlags, error) {
	out := columnFlags{}
	if s == "" {
		return out, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		known := slices.Contains(columnRoles, k) || slices.Contains([]string{"header", "comma", "layout", "decimal", "currency", "account"}, k)
		if !ok || !known {
			return nil, fmt.Errorf("--columns: %q is not ROLE=COLUMN (roles: %s; settings: header, comma, layout, decimal, currency, account)", kv, strings.Join(columnRoles, ", "))
		}
		out[k] = v
	}
	return out, nil
}

// mapping is the columns of the file at path: those guessed from its head, with what
// --columns says in their place.
func (cf columnFlags) mapping(path string) (*bankcsv.Mapping, error) {
	head, err := readHead(path)
	if err != nil {
		return nil, err
	}
	c, ok := restore.Propose(head)
	if !ok {
		return nil, errors.New("--columns: this file is not a bank's CSV export")
	}
	m := c.Mapping
	if _, ok := cf["amount"]; ok {
		m.Debit, m.Credit = -1, -1
	} else if _, ok := cf["debit"]; ok {
		m.Amount = -1
	}
	ints := map[string]*int{"date": &m.Date, "value_date": &m.ValueDate, "label": &m.Label, "label2": &m.Label2,
		"amount": &m.Amount, "debit": &m.Debit, "credit": &m.Credit, "balance": &m.Balance, "header": &m.HeaderRow}
	for k, v := range cf {
		if p, ok := ints[k]; ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, fmt.Errorf("--columns: %s=%q is not a column number", k, v)
			}
			*p = n
		}
	}
	if v, ok := cf["comma"]; ok {
		m.Comma = map[string]string{"tab": "\t", "semicolon": ";"}[v]
		if m.Comma == "" {
			m.Comma = v
		}
	}
	if v, ok := cf["layout"]; ok {
		m.DateLayout = v
	}
	if v, ok := cf["decimal"]; ok {
		m.DecimalComma = v == "comma"
	}
	if v, ok := cf["currency"]; ok {
		m.Currency = strings.ToUpper(v)
	}
	if v, ok := cf["account"]; ok {
		m.Account = v
	}
	return &m, nil
}

func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, bankcsv.HeadBytes)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return head[:n], nil
}

// explainQuestion says what to do about a file the importer cannot read alone: the
// candidates and --format, or the header's columns and the --columns guessed.
func explainQuestion(err error) error {
	var unsure *restore.UnsureError
	var need *restore.MappingError
	switch {
	case errors.As(err, &unsure):
		return fmt.Errorf("%w; name its format with --format (%s)", err, strings.Join(unsure.Candidates, " or "))
	case errors.As(err, &need):
		var b strings.Builder
		fmt.Fprintf(&b, "%v\n  its columns:", err)
		if t, hr := need.Table, need.Mapping.HeaderRow; t != nil && hr >= 0 && hr < len(t.Rows) {
			for i, name := range t.Rows[hr] {
				fmt.Fprintf(&b, " %d=%q", i, name)
			}
		}
		fmt.Fprintf(&b, "\n  the columns guessed: --columns %s\n  name them with --columns (and --format bank-csv), e.g. --columns date=0,label=1,amount=2", columnsFlag(need.Mapping))
		return errors.New(b.String())
	}
	return err
}

// columnsFlag writes m as --columns takes it.
func columnsFlag(m bankcsv.Mapping) string {
	var parts []string
	for i, v := range []int{m.Date, m.ValueDate, m.Label, m.Label2, m.Amount, m.Debit, m.Credit, m.Balance} {
		if v >= 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", columnRoles[i], v))
		}
	}
	comma := map[string]string{"\t": "tab", ";": "semicolon"}[m.Comma]
	if comma == "" {
		comma = m.Comma
	}
	decimal := "point"
	if m.DecimalComma {
		decimal = "comma"
	}
	parts = append(parts, fmt.Sprintf("header=%d", m.HeaderRow), "comma="+comma, "layout="+m.DateLayout, "decimal="+decimal, "currency="+m.Currency)
	return strings.Join(parts, ",")
}
