package fhir

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// day turns a FHIR date or dateTime into the "YYYY-MM-DD" the doctypes use. A dateTime
// keeps the calendar day it was written in (the day the person lived it). A partial date
// ("2015", "2015-12") gives "": the doctypes need a full day and inventing one would lie.
func day(s string) (string, error) {
	switch {
	case s == "":
		return "", nil
	case len(s) == 4 || len(s) == 7:
		if _, err := time.Parse("2006-01"[:len(s)], s); err != nil {
			return "", fmt.Errorf("%s is not a date (YYYY-MM-DD)", input.Excerpt(s))
		}
		return "", nil
	case len(s) > 10:
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			return "", fmt.Errorf("%s is not a date-time (YYYY-MM-DDThh:mm:ss+zz:zz)", input.Excerpt(s))
		}
	}
	d := s[:min(len(s), 10)]
	if _, err := time.Parse(time.DateOnly, d); err != nil {
		return "", fmt.Errorf("%s is not a date (YYYY-MM-DD)", input.Excerpt(s))
	}
	return d, nil
}

// money reads an amount from its literal JSON text; Blue Button amounts are in US dollars
// even when the currency is left out.
func money(m Money) (amount, currency string, err error) {
	amount, err = importer.Decimal(string(m.Value))
	if err != nil {
		return "", "", err
	}
	currency = strings.ToUpper(strings.TrimSpace(m.Currency))
	if currency == "" {
		currency = "USD"
	}
	if len(currency) != 3 || strings.Trim(currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return "", "", fmt.Errorf("%s is not an ISO 4217 currency code", input.Excerpt(m.Currency))
	}
	return amount, currency, nil
}

// sum adds decimal strings exactly, keeping as many decimals as the most precise one.
func sum(amounts []string) string {
	total, decimals := new(big.Rat), 2
	for _, a := range amounts {
		r, ok := new(big.Rat).SetString(a)
		if !ok {
			continue // amounts come from importer.Decimal, so this cannot happen
		}
		total.Add(total, r)
		if _, frac, found := strings.Cut(a, "."); found {
			decimals = max(decimals, len(frac))
		}
	}
	return total.FloatString(decimals)
}

func isZero(amount string) bool {
	return strings.Trim(amount, "-0.") == ""
}

// refKey turns a reference ("Patient/123", "https://host/fhir/Patient/123/_history/2") into
// "Type/id", the Key of the record made from that resource.
func refKey(ref string) string {
	ref, _, _ = strings.Cut(ref, "/_history/")
	parts := strings.Split(strings.TrimRight(ref, "/"), "/")
	if len(parts) < 2 {
		return ref
	}
	return parts[len(parts)-2] + "/" + parts[len(parts)-1]
}

// refName is a person-readable name for a referenced party: its display, its identifier
// (an NPI is labelled as such), else the reference itself.
func refName(r Reference) string {
	if d := strings.TrimSpace(r.Display); d != "" {
		return d
	}
	if id := r.Identifier; id != nil && id.Value != "" {
		if strings.Contains(id.System, "us-npi") || id.Type != nil && hasCode(*id.Type, "npi") {
			return "NPI " + id.Value
		}
		return id.Value
	}
	return refKey(r.Reference)
}

func hasCode(c CodeableConcept, code string) bool {
	for _, cd := range c.Coding {
		if strings.EqualFold(cd.Code, code) {
			return true
		}
	}
	return false
}

// conceptText is the concept's text, else its first display, else its first code.
func conceptText(c CodeableConcept) string {
	if c.Text != "" {
		return c.Text
	}
	for _, cd := range c.Coding {
		if cd.Display != "" {
			return cd.Display
		}
	}
	for _, cd := range c.Coding {
		if cd.Code != "" {
			return cd.Code
		}
	}
	return ""
}

// codeIn is the code from the first code system (by its last path segment) that has one.
func codeIn(c CodeableConcept, systems ...string) string {
	for _, s := range systems {
		for _, cd := range c.Coding {
			if strings.HasSuffix(cd.System, "/"+s) && cd.Code != "" {
				return cd.Code
			}
		}
	}
	return ""
}

// pickName prefers the official name, then the usual one, then the first.
func pickName(names []HumanName) *HumanName {
	for _, use := range []string{"official", "usual"} {
		for i := range names {
			if names[i].Use == use {
				return &names[i]
			}
		}
	}
	if len(names) > 0 {
		return &names[0]
	}
	return nil
}

// pickAddress maps the home address (else the first) to the profile's address object.
func pickAddress(addrs []Address) map[string]any {
	if len(addrs) == 0 {
		return nil
	}
	a := addrs[0]
	for _, x := range addrs {
		if x.Use == "home" {
			a = x
			break
		}
	}
	out := map[string]any{}
	setIf(out, "street", strings.Join(nonEmpty(a.Line), ", "))
	setIf(out, "postalCode", a.PostalCode)
	setIf(out, "city", a.City)
	setIf(out, "state", a.State)
	setIf(out, "country", a.Country)
	return out
}

func setIf(m map[string]any, k, v string) {
	if v = strings.TrimSpace(v); v != "" {
		m[k] = v
	}
}

func setOnce(m map[string]any, k, v string) {
	if _, ok := m[k]; !ok {
		setIf(m, k, v)
	}
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
