package whoami

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"

	"selfdata/internal/money"
	"selfdata/internal/store"
)

type profileData struct {
	GivenName  string `json:"givenName"`
	FamilyName string `json:"familyName"`
	BirthDate  string `json:"birthDate"`
	Address    struct {
		Street     string `json:"street"`
		PostalCode string `json:"postalCode"`
		City       string `json:"city"`
	} `json:"address"`
}

func (p profileData) address() string {
	a := p.Address
	town := strings.TrimSpace(a.PostalCode + " " + a.City)
	switch {
	case a.Street == "":
		return town
	case town == "":
		return a.Street
	}
	return a.Street + ", " + town
}

type contractData struct {
	Type      string `json:"type"`
	Provider  string `json:"provider"`
	Label     string `json:"label"`
	Offer     string `json:"offer"`
	Start     string `json:"start"`
	Price     string `json:"price"`
	PriceUnit string `json:"priceUnit"`
	Currency  string `json:"currency"`
	Address   string `json:"address"`
}

type insuranceData struct {
	Insurer string `json:"insurer"`
	Kind    string `json:"kind"`
	Label   string `json:"label"`
	Insured string `json:"insured"`
}

// decode reads a record's data; one that does not decode is counted and skipped.
func decode[T any](r *reader, dt string, d store.Doc) (T, bool) {
	var v T
	if err := json.Unmarshal(d.Data, &v); err != nil {
		r.bad(dt, d.ID)
		return v, false
	}
	return v, true
}

// holder is the organization a record names for itself, else its source's name.
func holder(named string, d store.Doc) string {
	if named != "" {
		return named
	}
	return d.Source.Name
}

// household: who the person is and what they have signed.
func (r *reader) household() []Statement {
	var out []Statement
	profiles := r.get("profile")
	for _, d := range profiles {
		p, ok := decode[profileData](r, "profile", d)
		name := strings.TrimSpace(p.GivenName + " " + p.FamilyName)
		if !ok || name == "" {
			continue
		}
		ev := []Evidence{one(d, "profile", "")}
		if born, err := time.ParseInLocation(time.DateOnly, p.BirthDate, r.loc); err == nil && !born.After(r.now) {
			out = append(out, Statement{Key: "household.identity", Args: []Arg{text(name), day(born), count(age(born, r.now.In(r.loc)), "year")}, Evidence: ev})
		} else {
			out = append(out, Statement{Key: "household.name", Args: []Arg{text(name)}, Evidence: ev})
		}
		break // one profile is the person's
	}

	contracts := r.get("contract")
	insurance := r.get("insurance.contract")
	var orgs []string
	for _, d := range contracts {
		if c, ok := decode[contractData](r, "contract", d); ok {
			if h := holder(c.Provider, d); h != "" && !slices.Contains(orgs, h) {
				orgs = append(orgs, h)
			}
		}
	}
	var cars []Statement
	for _, d := range insurance {
		c, ok := decode[insuranceData](r, "insurance.contract", d)
		if !ok {
			continue
		}
		h := holder(c.Insurer, d)
		if h != "" && !slices.Contains(orgs, h) {
			orgs = append(orgs, h)
		}
		if c.Kind == "car" && c.Insured != "" {
			cars = append(cars, Statement{Key: "household.car", Args: []Arg{text(c.Insured), text(h)}, Evidence: []Evidence{one(d, "insurance.contract", c.Label)}})
		}
	}
	if n := len(contracts) + len(insurance); n > 0 && len(orgs) > 0 {
		ev := append(bySource("contract", contracts), bySource("insurance.contract", insurance)...)
		out = append(out, Statement{Key: "household.contracts", Args: []Arg{count(n, "contract"), count(len(orgs), "organization"), list(orgs)}, Evidence: ev})
	}
	return append(out, cars...)
}

// age is how many full years from born to now.
func age(born, now time.Time) int {
	y := now.Year() - born.Year()
	if now.Month() < born.Month() || now.Month() == born.Month() && now.Day() < born.Day() {
		y--
	}
	return y
}

type meterData struct {
	Kind     string `json:"kind"`
	Provider string `json:"provider"`
	Label    string `json:"label"`
	Address  string `json:"address"`
}

// surface finds a floor area in words such as "T2 de 50 m²" or "flat of 62,5 m2".
var surface = regexp.MustCompile(`(\d{1,4}(?:[.,]\d{1,2})?)\s?m(?:²|2\b)`)

// home: where the person lives, how big it is, what it costs, what it runs on.
func (r *reader) home() []Statement {
	var out []Statement
	profiles := r.get("profile")
	meters := r.get("meter")
	contracts := r.get("contract")
	insurance := r.get("insurance.contract")

	// The address: the profile's, else the one most meters and contracts give.
	addr := ""
	var addrEv []Evidence
	for _, d := range profiles {
		if p, ok := decode[profileData](r, "profile", d); ok && p.address() != "" {
			addr, addrEv = p.address(), []Evidence{one(d, "profile", "")}
			break
		}
	}
	seen := map[string]int{}
	type meterRec struct {
		doc store.Doc
		meterData
	}
	var meterList []meterRec
	for _, d := range meters {
		if m, ok := decode[meterData](r, "meter", d); ok {
			meterList = append(meterList, meterRec{d, m})
			seen[m.Address]++
		}
	}
	var cs []contractData
	for _, d := range contracts {
		c, _ := decode[contractData](r, "contract", d)
		cs = append(cs, c)
		seen[c.Address]++
	}
	if addr == "" {
		best := 0
		for a, n := range seen {
			if a != "" && (n > best || n == best && a < addr) {
				addr, best = a, n
			}
		}
	}
	if addr != "" {
		for _, m := range meterList {
			if m.Address == addr {
				addrEv = append(addrEv, one(m.doc, "meter", m.Label))
			}
		}
		out = append(out, Statement{Key: "home.address", Args: []Arg{text(addr)}, Evidence: addrEv})
	}

	// The floor area, from the first lease or insurance policy that states it.
	found := false
	look := func(d store.Doc, dt, label string, texts ...string) {
		for _, s := range texts {
			if m := surface.FindStringSubmatch(s); m != nil && !found {
				found = true
				out = append(out, Statement{Key: "home.surface", Args: []Arg{area(strings.Replace(m[1], ",", ".", 1))}, Evidence: []Evidence{one(d, dt, label)}})
			}
		}
	}
	for i, d := range contracts {
		if cs[i].Type == "housing" {
			look(d, "contract", cs[i].Label, cs[i].Label, cs[i].Offer)
		}
	}
	for _, d := range insurance {
		if c, ok := decode[insuranceData](r, "insurance.contract", d); ok && c.Kind == "home" {
			look(d, "insurance.contract", c.Label, c.Insured, c.Label)
		}
	}

	// What the home costs, and since when the person has lived there.
	var since time.Time
	var sinceDoc store.Doc
	var sinceLabel string
	for i, d := range contracts {
		c := cs[i]
		if c.Type == "housing" && (c.PriceUnit == "month" || c.PriceUnit == "year") {
			if p, err := money.Parse(c.Price); err == nil && p.Sign() > 0 {
				out = append(out, Statement{Key: "home.cost", Args: []Arg{amount(p, c.Currency), enum("val." + c.PriceUnit), text(holder(c.Provider, d))},
					Evidence: []Evidence{one(d, "contract", c.Label)}})
			}
		}
		atHome := c.Address == "" || addr == "" || c.Address == addr
		if start, err := time.ParseInLocation(time.DateOnly, c.Start, r.loc); err == nil && atHome && c.Type != "telecom" && (since.IsZero() || start.Before(since) || start.Equal(since) && c.Type == "housing") {
			since, sinceDoc, sinceLabel = start, d, c.Label
		}
	}
	if !since.IsZero() {
		out = append(out, Statement{Key: "home.since", Args: []Arg{month(since)}, Evidence: []Evidence{one(sinceDoc, "contract", sinceLabel)}})
	}

	// The meters, and what a gas meter says about heating or cooking.
	if len(meterList) > 0 {
		var kinds []string
		for _, m := range meterList {
			if k := "val." + m.Kind; m.Kind != "" && !slices.Contains(kinds, k) {
				kinds = append(kinds, k)
			}
		}
		out = append(out, Statement{Key: "home.meters", Args: []Arg{count(len(meterList), "meter"), enums(kinds)}, Evidence: bySource("meter", meters)})
		for _, m := range meterList {
			if m.Kind == "gas" {
				out = append(out, Statement{Key: "home.gas", Args: []Arg{text(holder(m.Provider, m.doc))}, Evidence: []Evidence{one(m.doc, "meter", m.Label)}})
				break
			}
		}
	}
	return out
}
