package export

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"selfdata/internal/store"
)

// contactCard is what standards/contacts.vcf writes of a contact document.
type contactCard struct {
	FullName       string   `json:"fullName"`
	GivenName      string   `json:"givenName"`
	FamilyName     string   `json:"familyName"`
	Emails         []string `json:"emails"`
	Phones         []string `json:"phones"`
	Organization   string   `json:"organization"`
	Address        string   `json:"address"`
	Birthday       string   `json:"birthday"`
	BirthdayNoYear string   `json:"birthdayNoYear"`
}

// writeVCards writes the contacts as vCard 4.0 (RFC 6350), one card per document, as they
// come: UID is the document's id, REV its last change; the address, one line in the store,
// is the street component of ADR. It returns how many cards it wrote.
func writeVCards(w io.Writer, docs eachDocFunc) (int64, error) {
	buf := make([]byte, 0, 8<<10)
	var n int64
	err := docs(func(d store.Doc) error {
		var c contactCard
		if err := json.Unmarshal(d.Data, &c); err != nil {
			return fmt.Errorf("contact %s: %w", d.ID, err)
		}
		var err error
		if buf, err = appendCard(buf, d, c); err != nil {
			return fmt.Errorf("contact %s: %w", d.ID, err)
		}
		n++
		if len(buf) >= 64<<10 {
			_, err = w.Write(buf)
			buf = buf[:0]
		}
		return err
	})
	if err != nil {
		return n, err
	}
	_, err = w.Write(buf)
	return n, err
}

// appendCard writes one VCARD.
func appendCard(buf []byte, d store.Doc, c contactCard) ([]byte, error) {
	buf = contentLine(buf, "BEGIN", "VCARD")
	buf = contentLine(buf, "VERSION", "4.0")
	buf = contentLine(buf, "UID", escapeText(d.ID))
	buf = contentLine(buf, "FN", escapeText(c.FullName))
	if c.FamilyName != "" || c.GivenName != "" {
		buf = contentLine(buf, "N", escapeText(c.FamilyName)+";"+escapeText(c.GivenName)+";;;")
	}
	if c.Organization != "" {
		buf = contentLine(buf, "ORG", escapeText(c.Organization))
	}
	for _, m := range c.Emails {
		buf = contentLine(buf, "EMAIL", escapeText(m))
	}
	for _, p := range c.Phones {
		buf = contentLine(buf, "TEL;VALUE=text", escapeText(p))
	}
	if c.Address != "" {
		buf = contentLine(buf, "ADR", ";;"+escapeText(c.Address)+";;;;")
	}
	switch b := c.Birthday; {
	case b != "":
		if !isDate(b) {
			return buf, fmt.Errorf("birthday %q is not a date (YYYY-MM-DD)", b)
		}
		buf = contentLine(buf, "BDAY", strings.ReplaceAll(b, "-", ""))
	case c.BirthdayNoYear != "":
		b := c.BirthdayNoYear
		if len(b) != 7 || !strings.HasPrefix(b, "--") || b[4] != '-' || !isDigits(b[2:4]+b[5:]) {
			return buf, fmt.Errorf("birthdayNoYear %q is not a day of the year (--MM-DD)", b)
		}
		buf = contentLine(buf, "BDAY", "--"+b[2:4]+b[5:])
	}
	if !d.Updated.IsZero() {
		buf = contentLine(buf, "REV", d.Updated.UTC().Format("20060102T150405Z"))
	}
	return contentLine(buf, "END", "VCARD"), nil
}

func isDate(s string) bool {
	return len(s) == 10 && s[4] == '-' && s[7] == '-' && isDigits(s[:4]+s[5:7]+s[8:])
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
