package vcard

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/importer/contentline"
	"selfdata/internal/input"
)

// birthday reads BDAY in the shapes exporters write: 19800322 (2.1, Outlook),
// 2012-06-06 (3.0, iPhone), --0203 (4.0, no year), any of them followed by a time. A
// date reduced to a year or a month (4.0 "1985", "1985-04") or to a day ("---12"), and a
// free-text BDAY (VALUE=text), say too little to be a birthday and are dropped.
func (p *parser) birthday(l contentline.Line, v string) error {
	if l.Has("VALUE", "text") {
		return nil
	}
	s := strings.TrimSpace(contentline.Unescape(v))
	if i := strings.IndexByte(s, 'T'); i >= 0 {
		s = s[:i]
	}
	if strings.HasPrefix(s, "---") || reducedPrecision(s) {
		return nil
	}
	b, ok := parseBirthday(s)
	if !ok {
		return importer.Errorf(l.Num, "BDAY", "%s is not a date (YYYY-MM-DD, YYYYMMDD or --MMDD)", input.Excerpt(v))
	}
	if omit, ok := l.Param("X-APPLE-OMIT-YEAR"); ok && omit == strconv.Itoa(b.Year) {
		b.Year = 0
	}
	p.card.Birthday = &b
	return nil
}

// reducedPrecision tells a 4.0 year ("1985") or year-month ("1985-04") date.
func reducedPrecision(s string) bool {
	return len(s) == 4 && digits(s) || len(s) == 7 && s[4] == '-' && digits(s[:4]) && digits(s[5:])
}

func parseBirthday(s string) (Birthday, bool) {
	year := 0
	switch {
	case strings.HasPrefix(s, "--"):
		s = s[2:]
	case len(s) >= 8 && digits(s[:4]):
		year, _ = strconv.Atoi(s[:4])
		s = strings.TrimPrefix(s[4:], "-")
	default:
		return Birthday{}, false
	}
	s = strings.ReplaceAll(s, "-", "")
	if len(s) != 4 || !digits(s) {
		return Birthday{}, false
	}
	m, _ := strconv.Atoi(s[:2])
	d, _ := strconv.Atoi(s[2:])
	check := year
	if check == 0 {
		check = 2000 // a leap year, so that --0229 is a date
	}
	t := time.Date(check, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Month() != time.Month(m) || t.Day() != d {
		return Birthday{}, false
	}
	return Birthday{Year: year, Month: m, Day: d}, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// String writes the birthday as a date (YYYY-MM-DD), or --MM-DD without a year.
func (b Birthday) String() string {
	if b.Year == 0 {
		return fmt.Sprintf("--%02d-%02d", b.Month, b.Day)
	}
	return fmt.Sprintf("%04d-%02d-%02d", b.Year, b.Month, b.Day)
}
