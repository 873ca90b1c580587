// Package requests prepares the person's requests to an organization under the GDPR — access
// (Art. 15), rectification (16), erasure (17), restriction (18), portability (20), objection
// (21) — as a letter and an email, in French or English, and keeps track of them as
// rights.request documents: when the request was sent, when the answer is due (one month,
// Art. 12(3)), and the answer.
//
// The texts are written here, not borrowed: they name the article, what the person asks, the
// deadline and the authority to complain to, which is what the CNIL's and the ICO's model
// letters hold, in words of our own.
package requests

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// The kinds of request, as rights.request's kind field spells them.
const (
	Access        = "access"
	Rectification = "rectification"
	Erasure       = "erasure"
	Restriction   = "restriction"
	Portability   = "portability"
	Objection     = "objection"
)

// Kinds lists the kinds in the order the person is offered them.
var Kinds = []string{Access, Rectification, Erasure, Restriction, Portability, Objection}

// articles is the GDPR article each kind rests on.
var articles = map[string]int{Access: 15, Rectification: 16, Erasure: 17, Restriction: 18, Portability: 20, Objection: 21}

// Article is the GDPR article a kind of request rests on, 0 for an unknown kind.
func Article(kind string) int { return articles[kind] }

// Identity is who writes: from the person's profile document, or typed in the page.
type Identity struct {
	Name    string
	Address []string // postal address, one line each
	Email   string
}

// Recipient is the organization written to.
type Recipient struct {
	Name string
	DPO  string // its data protection officer's contact: an email address, a postal address or a web page
}

// Letter is one request worded in one language: the lines of a printed letter and the
// subject and body of the same request as an email.
type Letter struct {
	Lang       string
	Sender     []string
	Recipient  []string
	PlaceDate  string
	Subject    string
	Dear       string
	Paragraphs []string
	Close      string
	Signature  string
	// Due is the date the answer is due if the request is sent on the letter's date.
	Due time.Time
}

// Compose words a request of kind in lang ("fr", anything else is English), dated on (the
// day it is to be sent); details, when not empty, is what the person adds in their own words
// (the data to correct, the processing objected to).
func Compose(lang, kind string, who Identity, to Recipient, on time.Time, details string) (Letter, error) {
	art := Article(kind)
	if art == 0 {
		return Letter{}, fmt.Errorf("requests: %q is not a kind of request (one of %s)", kind, strings.Join(Kinds, ", "))
	}
	w := english
	if lang == "fr" {
		w = french
	}
	due := Due(on)
	l := Letter{Lang: w.lang, Sender: sender(who), Recipient: recipient(w, to), PlaceDate: FormatDate(w.lang, on),
		Subject: fmt.Sprintf(w.subject, w.kinds[kind], art), Dear: w.dear, Close: w.close, Signature: who.Name, Due: due}
	l.Paragraphs = append(l.Paragraphs, fmt.Sprintf(w.asks[kind], art))
	if d := strings.TrimSpace(details); d != "" {
		l.Paragraphs = append(l.Paragraphs, w.details+" "+d)
	}
	l.Paragraphs = append(l.Paragraphs, w.identify(who), fmt.Sprintf(w.deadline, FormatDate(w.lang, due)), w.complaint)
	return l, nil
}

func sender(who Identity) []string {
	s := []string{who.Name}
	s = append(s, who.Address...)
	if who.Email != "" {
		s = append(s, who.Email)
	}
	return s
}

func recipient(w wording, to Recipient) []string {
	r := []string{w.dpo, to.Name}
	if to.DPO != "" {
		r = append(r, to.DPO)
	}
	return r
}

// Text is the letter as plain text, the body of its email.
func (l Letter) Text() string {
	var b strings.Builder
	b.WriteString(l.Dear + "\n\n")
	for _, p := range l.Paragraphs {
		b.WriteString(p + "\n\n")
	}
	b.WriteString(l.Close + "\n\n" + l.Signature + "\n")
	return b.String()
}

// Mailto is a mailto: link that opens the request as an email to address, or "" when the
// address is not a bare email address (the DPO is reached by post or a web form).
func (l Letter) Mailto(address string) string {
	address = strings.TrimPrefix(address, "mailto:")
	if !isAddress(address) {
		return ""
	}
	q := "subject=" + mailtoEscape(l.Subject) + "&body=" + mailtoEscape(l.Text())
	return "mailto:" + url.PathEscape(address) + "?" + q
}

// isAddress tells whether s is one bare email address, as net/mail reads one, with a dot in
// its domain (a DPO's address is on the internet, not "dpo@localhost").
func isAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at:], ".") && !strings.HasSuffix(s, ".") && strings.IndexFunc(s, unicode.IsControl) < 0
}

// mailtoEscape escapes a header's value for a mailto: link; RFC 6068 wants spaces as %20,
// where a query's escaping gives "+", which mail clients show as it is.
func mailtoEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// EmailOf finds an email address in an organization's DPO contact ("" when there is none):
// the contact may be "dpo@example.org", "mailto:dpo@example.org" or words around one.
func EmailOf(contact string) string {
	for _, f := range strings.FieldsFunc(contact, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("<>,;()", r) }) {
		f = strings.TrimRight(strings.TrimPrefix(f, "mailto:"), ".")
		if isAddress(f) {
			return f
		}
	}
	return ""
}

// Due is the day an answer to a request received on sent is due: one month later (Art. 12(3)),
// counted as Regulation 1182/71 counts months — the same day of the next month, or its last
// day when it has no such day (31 January → 28 or 29 February, where Go's AddDate would give
// 2 or 3 March).
func Due(sent time.Time) time.Time {
	y, m, d := sent.Date()
	first := time.Date(y, m+1, 1, 0, 0, 0, 0, sent.Location())
	last := first.AddDate(0, 1, -1).Day()
	h, mi, s := sent.Clock()
	return time.Date(first.Year(), first.Month(), min(d, last), h, mi, s, sent.Nanosecond(), sent.Location())
}

var (
	monthsFR = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	monthsEN = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// FormatDate writes a day as a letter does in lang: "1er mars 2027", "3 December 2026".
func FormatDate(lang string, t time.Time) string {
	if lang == "fr" {
		day := fmt.Sprint(t.Day())
		if t.Day() == 1 {
			day = "1er"
		}
		return day + " " + monthsFR[t.Month()-1] + " " + fmt.Sprint(t.Year())
	}
	return fmt.Sprintf("%d %s %d", t.Day(), monthsEN[t.Month()-1], t.Year())
}
