// Package register is the operator's register of processing activities (GDPR Art. 30): what
// a selfdata server processes, why, about whom, for whom, how long and how it is protected.
// It is configuration — a JSON file given to `serve --register` and `register export`, or
// the built-in Default, which describes what any selfdata operator does — and people read it
// on the server's public page /register in their language.
package register

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Text is one text in English and French; every text of the register has both.
type Text struct {
	EN string `json:"en"`
	FR string `json:"fr"`
}

// In is the text in lang ("fr", anything else English).
func (t Text) In(lang string) string {
	if lang == "fr" {
		return t.FR
	}
	return t.EN
}

// Activity is one processing activity of the register (one entry of Art. 30(1)).
type Activity struct {
	ID         string `json:"id"`
	Name       Text   `json:"name"`
	Purposes   []Text `json:"purposes"`
	LegalBasis string `json:"legal_basis"` // one of store.LegalBases
	People     []Text `json:"people"`      // categories of data subjects
	Data       []Text `json:"data"`        // categories of personal data
	Recipients []Text `json:"recipients"`
	Transfers  Text   `json:"transfers"` // to third countries, and their safeguards
	Retention  Text   `json:"retention"`
	Security   []Text `json:"security"`
}

// Register is the whole register.
type Register struct {
	Controller string `json:"controller"` // the operator's name and address
	Contact    string `json:"contact"`    // how to reach the operator (or its DPO)
	// ControllerFR and ContactFR are the same in French, when they differ (a placeholder,
	// an address written otherwise); "" shows the one text on both languages' pages.
	ControllerFR string     `json:"controller_fr,omitempty"`
	ContactFR    string     `json:"contact_fr,omitempty"`
	Updated      string     `json:"updated"` // the day the register was last reviewed, YYYY-MM-DD
	Activities   []Activity `json:"activities"`
}

// maxFile is the largest register file read: a register is a few pages.
const maxFile = 1 << 20

// Load reads a register from a JSON file, refused whole when it is malformed or incomplete.
func Load(path string) (Register, error) {
	f, err := os.Open(path)
	if err != nil {
		return Register{}, err
	}
	defer f.Close()
	r, err := Parse(io.LimitReader(f, maxFile+1))
	if err != nil {
		return Register{}, fmt.Errorf("register %s: %w", path, err)
	}
	return r, nil
}

// Parse reads a register in JSON: no unknown field (a typo would silently drop a text),
// one object only, and every activity complete (Check).
func Parse(rd io.Reader) (Register, error) {
	data, err := io.ReadAll(rd)
	if err != nil {
		return Register{}, err
	}
	if len(data) > maxFile {
		return Register{}, fmt.Errorf("larger than %d bytes", maxFile)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Register
	if err := dec.Decode(&r); err != nil {
		return Register{}, jsonError(data, err)
	}
	if dec.More() {
		return Register{}, errors.New("more than one JSON value")
	}
	return r, r.Check()
}

// jsonError says where in data a decoding error is, by line.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := int64(-1)
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return err
	}
	return fmt.Errorf("line %d: %w", 1+bytes.Count(data[:off], []byte("\n")), err)
}

// Check tells what is missing: a register without an activity, an activity without an id,
// a name, a purpose, its people, data, retention or security, or a text in one language only.
func (r Register) Check() error {
	if strings.TrimSpace(r.Controller) == "" {
		return errors.New("controller: the operator's name is missing")
	}
	if len(r.Activities) == 0 {
		return errors.New("activities: none")
	}
	seen := map[string]bool{}
	for i, a := range r.Activities {
		if a.ID == "" || seen[a.ID] {
			return fmt.Errorf("activities[%d]: an id, unique, is needed (got %q)", i, a.ID)
		}
		seen[a.ID] = true
		if err := a.check(); err != nil {
			return fmt.Errorf("activity %q: %w", a.ID, err)
		}
	}
	return nil
}

func (a Activity) check() error {
	if a.LegalBasis == "" {
		return errors.New("legal_basis is missing")
	}
	one := map[string]Text{"name": a.Name, "transfers": a.Transfers, "retention": a.Retention}
	for _, f := range []string{"name", "transfers", "retention"} {
		if err := one[f].check(f); err != nil {
			return err
		}
	}
	lists := []struct {
		field string
		ts    []Text
	}{{"purposes", a.Purposes}, {"people", a.People}, {"data", a.Data}, {"recipients", a.Recipients}, {"security", a.Security}}
	for _, l := range lists {
		if len(l.ts) == 0 {
			return fmt.Errorf("%s: none", l.field)
		}
		for i, t := range l.ts {
			if err := t.check(fmt.Sprintf("%s[%d]", l.field, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t Text) check(where string) error {
	if strings.TrimSpace(t.EN) == "" || strings.TrimSpace(t.FR) == "" {
		return fmt.Errorf("%s: the text is needed in English (en) and French (fr)", where)
	}
	return nil
}

// WriteJSON writes the register as indented JSON, the form Load reads.
func (r Register) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// csvHeader is the CSV export's first line: one row per activity, each text in English and
// French, a list's items joined by " | ".
var csvHeader = []string{"controller", "contact", "updated", "id", "legal_basis",
	"name_en", "name_fr", "purposes_en", "purposes_fr", "people_en", "people_fr", "data_en", "data_fr",
	"recipients_en", "recipients_fr", "transfers_en", "transfers_fr", "retention_en", "retention_fr", "security_en", "security_fr"}

// WriteCSV writes the register as CSV, one row per activity (a spreadsheet's view of it).
func (r Register) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, a := range r.Activities {
		row := []string{r.Controller, r.Contact, r.Updated, a.ID, a.LegalBasis, a.Name.EN, a.Name.FR}
		for _, l := range [][]Text{a.Purposes, a.People, a.Data, a.Recipients} {
			row = append(row, join(l, "en"), join(l, "fr"))
		}
		row = append(row, a.Transfers.EN, a.Transfers.FR, a.Retention.EN, a.Retention.FR, join(a.Security, "en"), join(a.Security, "fr"))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func join(ts []Text, lang string) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.In(lang)
	}
	return strings.Join(s, " | ")
}
