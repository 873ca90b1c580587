package web

// This file holds the one set of locale formatters every page uses: counted nouns with the
// language's plural rules, numbers, sizes, percentages, times in the person's zone, and
// French spacing before high punctuation. Handlers call the Go functions; templates call
// the functions of localeFuncs (registered in parseTemplates).

import (
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"selfdata/internal/money"
	"selfdata/internal/web/chart"
)

// French typography puts a no-break space before ":", ";", "?" and "!", English none. The
// texts of the tables write French with a plain space (" :"), which a line may break at;
// frenchSpacing turns it into a narrow no-break space (U+202F) as the texts leave the
// tables, so no table has to be edited and no French colon starts a line.
var frenchSpacing = strings.NewReplacer(
	" :", "\u202f:", "\u00a0:", "\u202f:",
	" ;", "\u202f;", "\u00a0;", "\u202f;",
	" ?", "\u202f?", "\u00a0?", "\u202f?",
	" !", "\u202f!", "\u00a0!", "\u202f!",
	" %%", "\u202f%%", // in a format: "42 %"
)

// englishSpacing drops the space French puts before high punctuation.
var englishSpacing = strings.NewReplacer(" :", ":", " ;", ";", " ?", "?", " !", "!")

// punctuate writes a sentence built in Go with French spacing ("%s : %s ; %s") with lang's:
// English drops the space, French makes it a narrow no-break space.
func punctuate(lang, s string) string {
	if lang == "fr" {
		return frenchSpacing.Replace(s)
	}
	return englishSpacing.Replace(s)
}

// colonIn is what comes between a label and its value: "Source: x", "Source : x".
func colonIn(lang string) string {
	if lang == "fr" {
		return "\u202f:"
	}
	return ":"
}

// Plurals. A counted text is one catalog entry per plural form, in the same {en, fr}
// tables as every other text: key+".one" and key+".other", each a format whose one %s is
// the number as the language writes it:
//
//	"records.one":   {"%s record", "%s enregistrement"},
//	"records.other": {"%s records", "%s enregistrements"},
//
// The form is chosen by the CLDR rules of golang.org/x/text, not by hand: French "one" is 0
// and 1, English "one" is 1 alone. A form a table does not give (CLDR's French "many", for
// a round million) falls back to ".other", which every counted text has.

// pluralTags are the languages of the pages, as the plural rules know them.
var pluralTags = map[string]language.Tag{"en": language.English, "fr": language.French}

// pluralForm is "one" or "other": the form of a count n in lang.
func pluralForm(lang string, n int64) string {
	tag, ok := pluralTags[lang]
	if !ok {
		tag = language.English
	}
	if n < 0 {
		n = -n
	}
	// MatchPlural takes an int; a count beyond it takes the form of its last six digits,
	// which is what the rules of both languages look at.
	if n > 1<<31-1 {
		n = n%1000000 + 1000000
	}
	if plural.Cardinal.MatchPlural(tag, int(n), 0, 0, 0, 0) == plural.One {
		return "one"
	}
	return "other"
}

// countIn writes the count n with key's text of table in lang: "1 record", "0 enregistrement",
// "1 234 records". A key without forms is written as it is, which the tests catch.
func countIn(table map[string][2]string, lang, key string, n int64) string {
	k := key + "." + pluralForm(lang, n)
	if _, ok := table[k]; !ok {
		k = key + ".other"
	}
	f := textIn(table, lang, k)
	if !strings.Contains(f, "%s") {
		return f
	}
	return fmt.Sprintf(f, formatInt(n, lang))
}

// tn is countIn over every page's table.
func (s *Server) tn(lang, key string, n int64) string { return countIn(s.words, lang, key, n) }

// formatInt writes an integer with the language's groups: "1,234,567", "1 234 567" (with
// narrow no-break spaces).
func formatInt(n int64, lang string) string { return groupDigits(strconv.FormatInt(n, 10), lang) }

// formatDecimal writes v with decimals digits after the language's decimal mark: "1,234.5",
// "1 234,5". It is the charts' formatter, so that a number reads the same in a chart and
// beside it.
func formatDecimal(v float64, decimals int, lang string) string {
	return chart.Format(v, decimals, lang)
}

// formatPercent writes a percentage (42 for 42 %): "42.0%" in English, "42,0 %" in French.
func formatPercent(v float64, decimals int, lang string) string {
	if lang == "fr" {
		return formatDecimal(v, decimals, lang) + "\u202f%"
	}
	return formatDecimal(v, decimals, lang) + "%"
}

// shownZone is the time zone every page shows times in. The platform serves people in France,
// so it is Europe/Paris unless the operator sets another (SetTimeZone); where the system
// has no zone database it is UTC, and formatInstant says so.
var shownZone atomic.Pointer[time.Location]

// SetTimeZone sets the zone pages show times in, by its IANA name ("Europe/Paris"); the
// server calls it once, from its flags, before serving.
func SetTimeZone(name string) error {
	z, err := time.LoadLocation(name)
	if err != nil {
		return fmt.Errorf("time zone %q: %w", name, err)
	}
	shownZone.Store(z)
	return nil
}

// displayZone is the zone of every time a page shows; every formatter of times goes
// through it.
func displayZone() *time.Location {
	if z := shownZone.Load(); z != nil {
		return z
	}
	z, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		z = time.UTC
	}
	shownZone.CompareAndSwap(nil, z)
	return shownZone.Load()
}

// formatClock writes the time of day of an instant in the display zone: "14:00".
func formatClock(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(displayZone()).Format("15:04")
}

// localeFuncs are the template functions of this file; each takes the page's language
// first, as "t" does:
//
//	{{tn $lang "records" .Count}}     "1 record", "2 enregistrements"
//	{{num $lang .Count}}              "1,234", "1 234"
//	{{size $lang .Bytes}}             "100 MB", "100 Mo"
//	{{pct $lang .Share 1}}            "42.0%", "42,0 %"
//	{{money $lang .Amount "EUR"}}     "€23,503.68", "23 503,68 €"
//	{{when $lang .At}}                "29 Mar 2026, 01:30", "29/03/2026 à 01:30"
//	{{day $lang .At}}                 "29 Mar 2026", "29/03/2026" (also of "2026-03-29")
//	{{clock .At}}                     "01:30"
//	{{colon $lang}}                   ":", " :" (narrow no-break space)
//
// Times are shown in the display zone, whatever zone the value carries.
func localeFuncs(all map[string][2]string) map[string]any {
	return map[string]any{
		"tn":    func(lang, key string, n any) string { return countIn(all, lang, key, toInt(n)) },
		"num":   func(lang string, n any) string { return numText(n, lang) },
		"size":  func(lang string, n any) string { return formatBytes(toInt(n), lang) },
		"pct":   func(lang string, v float64, decimals int) string { return formatPercent(v, decimals, lang) },
		"money": moneyText,
		"when":  func(lang string, t any) string { return formatInstant(toTime(t), lang) },
		"day":   dayText,
		"clock": func(t any) string { return formatClock(toTime(t)) },
		"colon": colonIn,
	}
}

// toInt reads the counts templates pass (int, int64, ...); anything else is 0.
func toInt(n any) int64 {
	switch x := n.(type) {
	case int:
		return int64(x)
	case int64:
		return x
	case int32:
		return int64(x)
	case uint:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		return int64(x)
	}
	return 0
}

// toTime reads a time.Time or a *time.Time (nil is the zero time, shown as "—").
func toTime(t any) time.Time {
	switch x := t.(type) {
	case time.Time:
		return x
	case *time.Time:
		if x != nil {
			return *x
		}
	}
	return time.Time{}
}

// numText writes an integer or a float (with the digits it needs, up to 2).
func numText(n any, lang string) string {
	switch x := n.(type) {
	case float64:
		s := formatDecimal(x, 2, lang)
		if strings.ContainsAny(s, ".,") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".,")
		}
		return s
	case float32:
		return numText(float64(x), lang)
	case string:
		return formatNumber(x, lang)
	}
	return formatInt(toInt(n), lang)
}

// moneyText writes an amount given as a money.Amount or a decimal string.
func moneyText(lang string, amount any, currency string) string {
	switch x := amount.(type) {
	case money.Amount:
		return formatAmount(x, currency, lang)
	case string:
		s, _ := formatMoney(x, currency, lang)
		return s
	}
	return fmt.Sprint(amount)
}

// dayText writes the day of an instant, or of a "2006-01-02" date.
func dayText(lang string, t any) string {
	if s, ok := t.(string); ok {
		if s == "" {
			return "—"
		}
		return formatDate(s, lang)
	}
	return formatDay(toTime(t), lang)
}
