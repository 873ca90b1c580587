package fulltext

import (
	"regexp"
	"strconv"
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
			words = append(words, strconv.Itoa(day))
			if day == 1 {
				words = append(words, "1er")
			}
		}
	}
	return words
}
