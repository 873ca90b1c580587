package vcard

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"selfdata/internal/importer"
)

// Doctype is the doctype every card becomes.
const Doctype = "contact"

// Adapt turns parsed cards into contact records. A card that cannot become one is left out
// and listed; a book of which no card imports is refused for its first unreadable value.
func Adapt(book *Book) (*importer.Result, error) {
	res := &importer.Result{Format: Name, Records: make([]importer.Record, 0, len(book.Cards))}
	res.Notes = append(res.Notes, book.Notes...)
	var keys importer.Keys
	var firstBad error
	for i := range book.Cards {
		c := &book.Cards[i]
		d := contactData(c)
		if !usable(res, c, d) {
			if c.Bad != nil && firstBad == nil {
				firstBad = c.Bad
			}
			continue
		}
		key := keys.Unique(cardKey(c, d))
		res.Records = append(res.Records, importer.Record{Doctype: Doctype, Key: key, Data: d})
	}
	if firstBad != nil && len(res.Records) == 0 {
		return nil, firstBad // nothing imports: the file is refused with the first reason
	}
	keys.Note(res, "card")
	return res, nil
}

// usable tells whether a card can become a contact; if not, it lists the card in res as left
// out, by its line and reason, and counts it in Skipped: a card with a value that cannot be
// read, or with nothing to list it by (no name, e-mail or phone).
func usable(res *importer.Result, c *Card, d map[string]any) bool {
	l := importer.LeftOut{Line: c.Line, Element: "VCARD", Kind: Doctype}
	switch name, _ := d["fullName"].(string); {
	case c.Bad != nil:
		l.Reason, l.Params = importer.ReasonBadValue, []string{c.Bad.Element}
		l.Text = fmt.Sprintf("card left out: %v", c.Bad)
	case name == "":
		l.Reason = importer.ReasonNoName
		l.Text = "card with no name, e-mail or phone: left out"
	default:
		return true
	}
	res.Skipped++
	res.Leave(l)
	return false
}

// cardKey is the card's UID; lacking one, a digest of its name and first e-mail or
// phone, which stays the same when the same file is imported again.
func cardKey(c *Card, d map[string]any) string {
	if c.UID != "" {
		return c.UID
	}
	contact := ""
	if es, _ := d["emails"].([]string); len(es) > 0 {
		contact = es[0]
	} else if ps, _ := d["phones"].([]string); len(ps) > 0 {
		contact = ps[0]
	}
	sum := sha256.Sum256([]byte(d["fullName"].(string) + "\x00" + contact))
	return "nouid:" + hex.EncodeToString(sum[:12])
}

func contactData(c *Card) map[string]any {
	d := map[string]any{}
	emails := dedupe(c.Emails, func(s string) string { return s })
	phones := dedupe(c.Phones, phone)
	setString(d, "familyName", nComponent(c.N, 0))
	setString(d, "givenName", nComponent(c.N, 1))
	if len(c.Org) > 0 {
		setString(d, "organization", c.Org[0])
	}
	if len(emails) > 0 {
		d["emails"] = emails
	}
	if len(phones) > 0 {
		d["phones"] = phones
	}
	setString(d, "address", address(c.Addresses))
	if b := c.Birthday; b != nil && b.Year != 0 {
		d["birthday"] = b.String()
	} else if b != nil {
		d["birthdayNoYear"] = b.String()
	}
	d["fullName"] = fullName(c, emails, phones)
	return d
}

// fullName is FN; else N put in reading order; else the organization, e-mail or phone,
// so that a card Android saved with only an e-mail still has a name to be listed by.
func fullName(c *Card, emails, phones []string) string {
	if c.FN != "" {
		return c.FN
	}
	var parts []string
	for _, i := range []int{3, 1, 2, 0, 4} {
		if s := nComponent(c.N, i); s != "" {
			parts = append(parts, s)
		}
	}
	switch {
	case len(parts) > 0:
		return strings.Join(parts, " ")
	case len(c.Org) > 0 && c.Org[0] != "":
		return c.Org[0]
	case len(emails) > 0:
		return emails[0]
	case len(phones) > 0:
		return phones[0]
	}
	return ""
}

// nComponent joins the values of one N component ("Richter,James" → "Richter James").
func nComponent(n [][]string, i int) string {
	if i >= len(n) {
		return ""
	}
	return joinNonEmpty(n[i], " ")
}

// phone turns a 4.0 tel: URI back into a number a person reads.
func phone(s string) string {
	if len(s) >= 4 && strings.EqualFold(s[:4], "tel:") {
		s = s[4:]
	}
	return strings.Replace(s, ";ext=", " ext. ", 1)
}

// address formats the preferred ADR (else the first) on one line: street, then city,
// region, postal code, country, with the post office box and extended address first.
func address(addrs []Address) string {
	if len(addrs) == 0 {
		return ""
	}
	a := addrs[0]
	for _, x := range addrs {
		if x.Pref {
			a = x
			break
		}
	}
	var parts []string
	for _, comp := range a.Parts {
		for _, v := range comp {
			for _, line := range strings.Split(v, "\n") {
				if s := strings.Trim(line, " \t\r,"); s != "" {
					parts = append(parts, s)
				}
			}
		}
	}
	return strings.Join(parts, ", ")
}

func dedupe(list []string, norm func(string) string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range list {
		s = norm(s)
		if k := strings.ToLower(s); !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}

func joinNonEmpty(vs []string, sep string) string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return strings.Join(out, sep)
}

func setString(d map[string]any, k, v string) {
	if v != "" {
		d[k] = v
	}
}
