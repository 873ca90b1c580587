package signoflife

import (
	"fmt"
	"strings"

	"selfdata/internal/store"
)

// noticeEmail words a notice as a short plain-text email, in French then English (the
// server does not know which the relative reads). It says that no activity was seen by the
// expected hour, and nothing of the readings.
func noticeEmail(r store.Relative, rep Report, pageURL string) (subject, body string) {
	person, hour := oneLine(r.PersonName), rep.Expect.Format("15:04")
	fr, en := rep.Expect.Format("02/01/2006"), rep.Expect.Format("2 January 2006")
	subject = fmt.Sprintf("selfdata : pas d'activité vue chez %s à %s / no activity seen at %s's by %s", person, hour, person, hour)
	var b strings.Builder
	fmt.Fprintf(&b, "Bonjour %s,\n\n", oneLine(r.Name))
	fmt.Fprintf(&b, "Aucune activité n'a été vue chez %s ce matin avant %s (le %s), d'après ses compteurs. Ce peut être une absence ou un retard des relevés : prenez de ses nouvelles.\n", person, hour, fr)
	fmt.Fprintf(&b, "%s a choisi de partager ce signe de vie avec vous ; vos consultations figurent dans son journal des accès.\n", person)
	if pageURL != "" {
		fmt.Fprintf(&b, "\nVotre page : %s\n", pageURL)
	}
	fmt.Fprintf(&b, "\n-- \n\nHello %s,\n\n", oneLine(r.Name))
	fmt.Fprintf(&b, "No activity was seen at %s's home this morning by %s (%s), from their meters. They may be away, or the readings late: check on them.\n", person, hour, en)
	fmt.Fprintf(&b, "%s chose to share this sign of life with you; each time you look is in their access log.\n", person)
	if pageURL != "" {
		fmt.Fprintf(&b, "\nYour page: %s\n", pageURL)
	}
	return subject, b.String()
}

// oneLine keeps a name on one line, so that it cannot break a header or a paragraph.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}
