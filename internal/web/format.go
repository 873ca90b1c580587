package web

// This file formats records for pages: field values in plain language, money without
// floats, dates in the reader's language.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"selfdata/internal/money"
)

// member is one property of a JSON object, kept in the order the record has it.
type member struct {
	Key string
	Val any
}

// object is a JSON object in its own order: a record reads as it was written.
type object []member

func (o object) get(k string) any {
	for _, m := range o {
		if m.Key == k {
			return m.Val
		}
	}
	return nil
}

// decodeOrdered decodes JSON into object, []any, string, json.Number, bool or nil.
func decodeOrdered(raw []byte) any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil
	}
	return v
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		o := object{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			o = append(o, member{Key: fmt.Sprint(k), Val: v})
		}
		_, err = dec.Token()
		return o, err
	case json.Delim('['):
		a := []any{}
		for dec.More() {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err = dec.Token()
		return a, err
	}
	return tok, nil
}

// formatter shows values in plain language: amounts with their currency, dates as people
// write them, declared words translated. What is money and which words are declared comes
// from the record's doctype (see recordViewer.formatter).
type formatter struct {
	lang  string
	money map[string]string                      // money field → the record's currency
	enum  func(key, value string) (string, bool) // the label of a declared value
}

func (f formatter) label(key string) string {
	if _, ok := browseTexts["field."+key]; ok {
		return tr(f.lang, "field."+key)
	}
	return humanize(key)
}

// field shows one property, recursively.
func (f formatter) field(key string, v any) fieldView {
	fv := fieldView{Label: f.label(key)}
	switch x := v.(type) {
	case object:
		fv.Fields = []fieldView{}
		for _, m := range x {
			fv.Fields = append(fv.Fields, f.field(m.Key, m.Val))
		}
		if len(x) == 0 {
			fv.Fields, fv.Text = nil, "—"
		}
	case []any:
		for _, it := range x {
			item := f.field(key, it)
			item.Label = ""
			if o, ok := it.(object); ok {
				dt, _ := o.get("doctype").(string)
				id, _ := o.get("id").(string)
				if dt != "" && id != "" {
					item.Href = "/data/" + url.PathEscape(dt) + "/" + url.PathEscape(id)
				}
			}
			fv.Items = append(fv.Items, item)
		}
		if len(x) == 0 {
			fv.Text = "—"
		}
	default:
		fv.Text, fv.Class = f.scalar(key, v)
	}
	return fv
}

// inline writes a field on one line: an address as "1 rue X, 69001 Lyon".
func (f formatter) inline(fv fieldView) string {
	var parts []string
	for _, c := range fv.Fields {
		if t := f.inline(c); t != "" && t != "—" {
			parts = append(parts, t)
		}
	}
	for _, c := range fv.Items {
		if t := f.inline(c); t != "" {
			parts = append(parts, t)
		}
	}
	if parts == nil {
		return fv.Text
	}
	return strings.Join(parts, ", ")
}

var (
	isoDate    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	isoInstant = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}`)
)

// scalar shows a string, number, boolean or null.
func (f formatter) scalar(key string, v any) (text, class string) {
	switch x := v.(type) {
	case nil:
		return "—", ""
	case bool:
		if x {
			return tr(f.lang, "browse.yes"), ""
		}
		return tr(f.lang, "browse.no"), ""
	case json.Number:
		switch key {
		case "durationSeconds":
			if n, err := x.Int64(); err == nil {
				return formatDuration(n), "num"
			}
		case "size", "bytes":
			if n, err := x.Int64(); err == nil {
				return formatBytes(n, f.lang), "num"
			}
		case "confidence":
			if n, err := x.Float64(); err == nil && n >= 0 && n <= 1 {
				return formatPercent(n*100, 0, f.lang), "num"
			}
		}
		return formatNumber(x.String(), f.lang), "num"
	case string:
		switch {
		case f.isMoney(key):
			if m, ok := formatMoney(x, f.money[key], f.lang); ok {
				return m, "num"
			}
		case isoDate.MatchString(x):
			return formatDate(x, f.lang), ""
		case isoInstant.MatchString(x):
			if t, err := time.Parse(time.RFC3339, x); err == nil {
				return formatInstant(t, f.lang), ""
			}
		}
		if f.enum != nil {
			if t, ok := f.enum(key, x); ok {
				return t, ""
			}
		}
		return x, ""
	}
	return fmt.Sprint(v), ""
}

// isMoney tells whether the record's doctype declares key as money.
func (f formatter) isMoney(key string) bool {
	_, ok := f.money[key]
	return ok
}

// humanize turns a field name the registry does not label ("meterPoint", "tarif_option")
// into words ("Meter point", "Tarif option").
func humanize(key string) string {
	var b strings.Builder
	for i, c := range key {
		switch {
		case c == '_' || c == '-' || c == '.':
			b.WriteByte(' ')
		case i > 0 && c >= 'A' && c <= 'Z':
			b.WriteByte(' ')
			b.WriteRune(c + 'a' - 'A')
		default:
			b.WriteRune(c)
		}
	}
	s := b.String()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// currencySymbols are the currencies written with a sign; others keep their code.
var currencySymbols = map[string]string{"EUR": "€", "USD": "$", "GBP": "£"}

// formatMoney writes an exact decimal amount ("61.20", "-1234.5") as people read it:
// "61,20 €" in French, "€61.20" in English. It reads the amount with internal/money, never
// through a float, so that no cent is ever rounded away, and keeps every decimal past the
// cent that is not a trailing zero ("0.2516"). ok is false when amount is not a plain
// decimal as the doctypes write them (no "+", no exponent).
func formatMoney(amount, currency, lang string) (string, bool) {
	s := strings.TrimSpace(amount)
	if strings.HasPrefix(s, "+") {
		return amount, false
	}
	a, err := money.Parse(strings.TrimSuffix(s, ".")) // "12." is 12
	if err != nil || s == "." {
		return amount, false
	}
	return formatAmount(a, currency, lang), true
}

// formatAmount writes an exact amount as formatMoney does.
func formatAmount(a money.Amount, currency, lang string) string {
	whole, frac, _ := strings.Cut(a.Abs().String(), ".") // at least two decimals
	for len(frac) > 2 && strings.HasSuffix(frac, "0") {
		frac = frac[:len(frac)-1]
	}
	num := groupDigits(whole, lang)
	if lang == "fr" {
		num += "," + frac
	} else {
		num += "." + frac
	}
	sign := ""
	if a.Sign() < 0 {
		sign = "-"
	}
	sym, hasSym := currencySymbols[currency]
	switch {
	case currency == "":
		return sign + num
	case lang == "fr" && hasSym:
		return sign + num + "\u00a0" + sym
	case lang == "fr":
		return sign + num + "\u00a0" + currency
	case hasSym:
		return sign + sym + num
	}
	return sign + currency + "\u00a0" + num
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// groupDigits separates thousands: "1 234 567" in French (narrow no-break spaces, as the
// charts write them, so that a number never breaks across lines), "1,234,567" in English.
func groupDigits(digits, lang string) string {
	sep := ","
	if lang == "fr" {
		sep = "\u202f"
	}
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// formatNumber writes a JSON number with the language's decimal mark.
func formatNumber(n, lang string) string {
	whole, frac, hasFrac := strings.Cut(n, ".")
	if strings.ContainsAny(n, "eE") || !allDigits(strings.TrimPrefix(whole, "-")) {
		return n
	}
	out := groupDigits(whole, lang)
	if hasFrac {
		if lang == "fr" {
			out += "," + frac
		} else {
			out += "." + frac
		}
	}
	return out
}

// formatDate writes "2025-01-31" as "31/01/2025" in French and "31 Jan 2025" in English;
// anything that is not such a date is returned as it is.
func formatDate(iso, lang string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	if lang == "fr" {
		return t.Format("02/01/2006")
	}
	return t.Format("2 Jan 2006")
}

// formatDay writes the day of an instant, as formatDate does.
func formatDay(t time.Time, lang string) string {
	if t.IsZero() {
		return "—"
	}
	return formatDate(t.In(displayZone()).Format(time.DateOnly), lang)
}

// formatInstant writes an instant with its time of day.
func formatInstant(t time.Time, lang string) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(displayZone())
	out := t.Format("2 Jan 2006, 15:04")
	if lang == "fr" {
		out = t.Format("02/01/2006 à 15:04")
	}
	if t.Location() == time.UTC {
		out += " UTC"
	}
	return out
}

// formatDuration writes seconds as "1 h 02 min 05 s", "3 min 20 s" or "45 s".
func formatDuration(sec int64) string {
	h, m, s := sec/3600, sec%3600/60, sec%60
	switch {
	case h > 0:
		return fmt.Sprintf("%d h %02d min %02d s", h, m, s)
	case m > 0:
		return fmt.Sprintf("%d min %02d s", m, s)
	}
	return fmt.Sprintf("%d s", s)
}

// formatBytes writes a size in binary multiples, as file limits are set: "100 MB", "1.5 KB"
// in English, "100 Mo", "1,5 Ko" in French, one decimal at most, with a no-break space
// before the unit.
func formatBytes(n int64, lang string) string {
	units := []string{"B", "KB", "MB", "GB", "TB"}
	if lang == "fr" {
		units = []string{"o", "Ko", "Mo", "Go", "To"}
	}
	v, i := float64(n), 0
	for (v >= 1024 || v <= -1024) && i < len(units)-1 {
		v /= 1024
		i++
	}
	s := formatDecimal(v, 1, lang)
	s = strings.TrimSuffix(strings.TrimSuffix(s, ".0"), ",0")
	return s + "\u00a0" + units[i]
}
