package fulltext

import (
	"regexp"
	"strconv"
	"strings"
)

// months are the month names a person types, folded, in French and in English (January
// first). They are words of the index, not texts shown to anyone.
var months = [12][2]string{
	{"janvier", "january"}, {"fevrier", "february"}, {"mars", "march"}, {"avril", "april"},
	{"mai", "may"}, {"juin", "june"}, {"juillet", "july"}, {"aout", "august"},
	{"septembre", "september"}, {"octobre", "october"}, {"novembre", "november"}, {"decembre", "december"},
}

// isoDate is a date (2026-11-30) or a month (2026-11); dateRuns are the runs of digits and
// dashes of a text, which one must be whole (not 12026-11-30, nor 2026-11-300).
var (
	isoDate  = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?$`)
	dateRuns = regexp.MustCompile(`[0-9][0-9-]*`)
)

// dateWords are the words a person types for the dates s holds: the day without its
// leading zero ("1er" too for the first), the month's names and the year — "30 novembre
// 2026", "November 30, 2026", "novembre 2026" all find 2026-11-30, also written
// 2026-11-30T08:00:00Z.
func dateWords(s string) []string {
	if strings.IndexByte(s, '-') < 0 {
		return nil // no date: most values, spared the regular expression
	}
	var words []string
	for _, run := range dateRuns.FindAllString(s, -1) {
		m := isoDate.FindStringSubmatch(run)
		if m == nil {
			continue
		}
		month, _ := strconv.Atoi(m[2])
		if month < 1 || month > 12 {
			continue
		}
		words = append(words, m[1], months[month-1][0], months[month-1][1])
		if day, _ := strconv.Atoi(m[3]); day >= 1 && day <= 31 {
			words = append(words, strconv.Itoa(day), dayWord(day, month))
			if day == 1 {
				words = append(words, "1er")
			}
		}
	}
	return words
}

// dayWord is the one word a day of a month is indexed by ("30novembre"), so that "30
// novembre" finds the 30th of November, not a November date beside a 30 of something else
// (ParseQuery joins a day and a month typed side by side into it).
func dayWord(day, month int) string { return strconv.Itoa(day) + months[month-1][0] }

// isoDateTime is a value that is an instant (2026-11-29T16:30:00Z): only its date is words
// a person looks for, not its hours and minutes.
var isoDateTime = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}`)

// joinDays replaces a day and a month side by side among terms ("30", "novembre" or
// "november", "30"; "1er" is the 1st) by their dayWord. A month being typed, the last term
// with prefix set, counts when it begins only one month's names ("nov", not "ju"). It
// returns the terms and whether the last one is still a prefix.
func joinDays(terms []string, prefix bool) ([]string, bool) {
	var out []string
	for i := 0; i < len(terms); i++ {
		if i+1 < len(terms) {
			last := prefix && i+1 == len(terms)-1
			day, month := dayOf(terms[i]), monthOf(terms[i+1], last)
			if day == 0 || month == 0 {
				day, month = dayOf(terms[i+1]), monthOf(terms[i], false)
			}
			if day > 0 && month > 0 {
				out = append(out, dayWord(day, month))
				if i+1 == len(terms)-1 {
					prefix = false
				}
				i++
				continue
			}
		}
		out = append(out, terms[i])
	}
	return out, prefix
}

// dayOf is the day a term names (1 to 31, "1er" the 1st), or 0.
func dayOf(term string) int {
	if term == "1er" {
		return 1
	}
	if !digits(term) || len(term) > 2 {
		return 0
	}
	d, _ := strconv.Atoi(term)
	if d < 1 || d > 31 {
		return 0
	}
	return d
}

// monthOf is the month (1 to 12) a term names in French or English — or, as a prefix, the
// one month whose names it begins — or 0.
func monthOf(term string, prefix bool) int {
	found := 0
	for i, names := range months {
		for _, n := range names {
			if n == term {
				return i + 1
			}
			if prefix && len(term) >= 3 && strings.HasPrefix(n, term) {
				if found != 0 && found != i+1 {
					return 0
				}
				found = i + 1
			}
		}
	}
	return found
}

// digits tells whether s is ASCII digits only.
func digits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// slashDate is a date written the French way, 30/11/2026 or 30/11.
var slashDate = regexp.MustCompile(`(^|[^0-9/])([0-9]{1,2})/([0-9]{1,2})(/[0-9]{4})?($|[^0-9/])`)

// slashDates writes the dates of a query typed as 30/11/2026 as "30 novembre 2026", so
// that they find that day (joinDays) and not a 30 and an 11 anywhere in a document.
func slashDates(text string) string {
	return slashDate.ReplaceAllStringFunc(text, func(m string) string {
		p := slashDate.FindStringSubmatch(m)
		day, _ := strconv.Atoi(p[2])
		month, _ := strconv.Atoi(p[3])
		if day < 1 || day > 31 || month < 1 || month > 12 {
			return m
		}
		return p[1] + strconv.Itoa(day) + " " + months[month-1][0] + " " + strings.TrimPrefix(p[4], "/") + p[5]
	})
}
