package web

// This file renders My contracts (internal/services/contracts) and the letter that changes or
// ends one: the service decides the dates, the amounts and the rule; this page writes them in
// the person's language, and the letter in French.

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/money"
	"selfdata/internal/services"
	"selfdata/internal/services/contracts"
	"selfdata/internal/web/chart"
)

func contractsText(lg, key string) string { return textIn(contractsTexts, lg, key) }

// contractsView is what svc_contracts.html shows.
type contractsView struct {
	Intro   string
	Empty   bool
	Stats   []chartStat
	Compare *chartBlock
	Cards   []contractCard
	Skipped string
}

// contractCard is one contract.
type contractCard struct {
	Key, Heading, Type string
	Fields             []chartStat
	Notes              []string
	Rule               contractRuleView
}

// contractRuleView says what the person can do, and links the letter when there is one.
type contractRuleView struct {
	Title, Text string
	Notes       []string
	Letter      string // the letter's address
	LetterLabel string
}

// contractsPage: GET /services/{id} for services.Contracts, once switched on.
func (s *Server) contractsPage(w http.ResponseWriter, r *http.Request, _ gate.Principal, rd services.Reader) error {
	today := householdToday()
	ov, err := contracts.Load(r.Context(), rd, today)
	if err != nil {
		return err
	}
	lg := lang(r)
	return s.render(w, r, http.StatusOK, "svc_contracts.html", page{Title: "svc." + services.Contracts, Data: contractsViewOf(ov, lg)})
}

// contractsAmount writes an amount in the contract's currency (euros when it says none).
func contractsAmount(a money.Amount, currency, lg string) string {
	if currency == "" {
		currency = "EUR"
	}
	m, _ := formatMoney(a.Round(2).String(), currency, lg)
	return m
}

func contractsViewOf(ov contracts.Overview, lg string) contractsView {
	v := contractsView{Intro: fmt.Sprintf(contractsText(lg, "contracts.intro"), contractsLongDate(ov.AsOf, lg), chartDateRange(ov.PaidFrom, ov.PaidTo, lg)),
		Empty: len(ov.Contracts) == 0}
	if ov.Skipped > 0 {
		v.Skipped = householdPlural(lg, myHomeText(lg, "myhome.skipped"), ov.Skipped)
	}
	if v.Empty {
		return v
	}
	cur := ov.Currency
	v.Stats = []chartStat{
		{contractsText(lg, "contracts.yearly.total"), contractsAmount(ov.Yearly, cur, lg)},
		{contractsText(lg, "contracts.paid.total"), contractsAmount(ov.Paid, cur, lg)},
	}
	for _, c := range ov.Contracts {
		v.Cards = append(v.Cards, contractCardOf(c, lg))
	}
	v.Compare = contractsCompare(ov, lg)
	return v
}

// contractsTypeName names a contract's kind.
func contractsTypeName(c contracts.Contract, lg string) string {
	if c.Type == "insurance" {
		k := c.InsuranceKind
		if _, ok := contractsTexts["contracts.kind."+k]; !ok {
			k = "other"
		}
		return contractsText(lg, "contracts.kind."+k)
	}
	if _, ok := contractsTexts["contracts.type."+c.Type]; ok {
		return contractsText(lg, "contracts.type."+c.Type)
	}
	return contractsText(lg, "contracts.type.other")
}

func contractsHeading(c contracts.Contract) string {
	switch {
	case c.Label != "" && c.Provider != "":
		return c.Provider + " — " + c.Label
	case c.Label != "":
		return c.Label
	}
	return c.Provider
}

func contractCardOf(c contracts.Contract, lg string) contractCard {
	amount := func(a money.Amount) string { return contractsAmount(a, c.Currency, lg) }
	card := contractCard{Key: c.Key, Heading: contractsHeading(c), Type: contractsTypeName(c, lg)}
	add := func(key, value string) { card.Fields = append(card.Fields, chartStat{contractsText(lg, key), value}) }
	if c.Reference != "" {
		add("contracts.f.reference", c.Reference)
	}
	if c.Offer != "" {
		add("contracts.f.offer", c.Offer)
	}
	if !c.Start.IsZero() {
		add("contracts.f.start", contractsLongDate(c.Start, lg))
	}
	switch {
	case !c.HasPrice:
		add("contracts.f.price", contractsText(lg, "contracts.price.none"))
	case c.PriceUnit == "month":
		add("contracts.f.price", fmt.Sprintf(contractsText(lg, "contracts.price.month"), amount(c.Price), amount(c.Yearly)))
	default:
		add("contracts.f.price", fmt.Sprintf(contractsText(lg, "contracts.price.year"), amount(c.Yearly)))
	}
	paid := fmt.Sprintf(contractsText(lg, "contracts.paid.count"), amount(c.Paid), householdPlural(lg, contractsText(lg, "contracts.payments"), c.Payments))
	add("contracts.f.paid", paid)
	switch {
	case c.Payments == 0:
		card.Notes = append(card.Notes, contractsText(lg, "contracts.paid.none"))
	case c.HasPrice && c.Subscription:
		card.Notes = append(card.Notes, contractsText(lg, "contracts.paid.sub"))
	case c.HasPrice && c.Difference.Sign() > 0:
		card.Notes = append(card.Notes, fmt.Sprintf(contractsText(lg, "contracts.paid.more"), amount(c.Difference)))
	case c.HasPrice && c.Difference.Sign() < 0:
		card.Notes = append(card.Notes, fmt.Sprintf(contractsText(lg, "contracts.paid.less"), amount(c.Difference.Neg())))
	case c.HasPrice:
		card.Notes = append(card.Notes, contractsText(lg, "contracts.paid.same"))
	}
	switch {
	case !c.Renewal.IsZero() && c.TacitRenewal:
		add("contracts.f.renewal", fmt.Sprintf(contractsText(lg, "contracts.renewal.tacit"), contractsLongDate(c.Renewal, lg)))
	case !c.Renewal.IsZero():
		add("contracts.f.renewal", contractsLongDate(c.Renewal, lg))
	case !c.End.IsZero():
		add("contracts.f.end", contractsLongDate(c.End, lg))
	default:
		add("contracts.f.renewal", contractsText(lg, "contracts.renewal.none"))
	}
	if !c.Notice.IsZero() {
		add("contracts.f.notice", contractsLongDate(c.Notice, lg))
	}
	if !c.CommitmentEnd.IsZero() && c.Type == "telecom" {
		add("contracts.f.commitment", contractsLongDate(c.CommitmentEnd, lg))
	}
	card.Rule = contractRuleOf(c, lg)
	return card
}

// contractRuleOf writes the rule of c.
func contractRuleOf(c contracts.Contract, lg string) contractRuleView {
	r := c.Rule
	d := func(t time.Time) string { return contractsLongDate(t, lg) }
	key := "contracts.rule." + string(r.Code)
	title, text := contractsText(lg, key), contractsText(lg, key+".text")
	org := c.Provider
	var v contractRuleView
	switch r.Code {
	case contracts.Hamon:
		v.Title, v.Text = title, fmt.Sprintf(text, org)
		if c.InsuranceKind == "car" || c.InsuranceKind == "home" {
			v.Notes = append(v.Notes, contractsText(lg, "contracts.rule.hamon.compulsory"))
		}
	case contracts.InsuranceAnnual:
		v.Title, v.Text = title, fmt.Sprintf(text, d(r.At), d(r.Deadline))
	case contracts.InsuranceWait:
		v.Title, v.Text = fmt.Sprintf(title, d(r.Until)), fmt.Sprintf(text, d(r.Deadline), d(r.Until))
	case contracts.InsuranceLife, contracts.TelecomFree, contracts.Water, contracts.Unknown:
		v.Title, v.Text = title, fmt.Sprintf(text, org)
	case contracts.TelecomEarly:
		v.Title = contractsText(lg, "contracts.rule.telecom-early.nofee")
		if r.HasFee {
			v.Title = fmt.Sprintf(title, contractsAmount(r.Fee, c.Currency, lg))
		}
		v.Text = fmt.Sprintf(text, c.CommitmentMonths, d(r.Until), org)
	case contracts.TelecomCommitted:
		v.Title, v.Text = fmt.Sprintf(title, d(r.Until.AddDate(0, 0, 1))), fmt.Sprintf(text, d(r.Until), d(r.Until.AddDate(0, 0, 1)))
	case contracts.Energy:
		v.Title, v.Text = title, fmt.Sprintf(text, d(r.At))
	case contracts.Chatel:
		v.Title, v.Text = fmt.Sprintf(title, d(r.At)), fmt.Sprintf(text, d(r.Deadline), d(r.At))
	case contracts.ChatelPassed:
		v.Title, v.Text = fmt.Sprintf(title, d(r.Until)), fmt.Sprintf(text, d(r.Deadline), org, d(r.Until))
	case contracts.Ended:
		v.Title, v.Text = fmt.Sprintf(title, d(r.Until)), text
	default: // Bank, Lease
		v.Title, v.Text = title, text
	}
	if r.Chatel && r.Code != contracts.Chatel && r.Code != contracts.ChatelPassed && !c.Notice.IsZero() {
		v.Notes = append(v.Notes, fmt.Sprintf(contractsText(lg, "contracts.chatel"), org, d(c.Notice)))
	}
	if r.Letter {
		v.Letter = "/services/" + services.Contracts + "/letter/" + c.Key
		v.LetterLabel = fmt.Sprintf(contractsText(lg, "contracts.letter.link"), org)
	}
	return v
}

// contractsCompare charts what each contract with a price was paid against that price.
func contractsCompare(ov contracts.Overview, lg string) *chartBlock {
	heading := contractsText(lg, "contracts.compare")
	paid := chart.Series{Name: contractsText(lg, "contracts.compare.paid")}
	price := chart.Series{Name: contractsText(lg, "contracts.compare.price")}
	tbl := chartTable{Caption: contractsText(lg, "contracts.compare.caption") + ", " + chartDateRange(ov.PaidFrom, ov.PaidTo, lg),
		Head: []string{contractsText(lg, "contracts.col.contract"), contractsText(lg, "contracts.compare.paid"), contractsText(lg, "contracts.compare.price"), contractsText(lg, "contracts.col.diff")}}
	providers := map[string]int{}
	for _, c := range ov.Contracts {
		providers[c.Provider]++
	}
	for _, c := range ov.Contracts {
		if !c.HasPrice {
			continue
		}
		name := c.Provider // short enough for the chart's axis, with its kind when the provider has several
		if providers[c.Provider] > 1 {
			k := c.Type
			if c.Type == "insurance" {
				k = c.InsuranceKind
			}
			if _, ok := contractsTexts["contracts.short."+k]; !ok {
				k = "other"
			}
			name += " · " + contractsText(lg, "contracts.short."+k)
		}
		paid.Points = append(paid.Points, chart.Point{Label: name, Value: c.Paid.Float()})
		price.Points = append(price.Points, chart.Point{Label: name, Value: c.Yearly.Float()})
		diff := contractsAmount(c.Difference, c.Currency, lg)
		if c.Difference.Sign() > 0 {
			diff = "+" + diff
		}
		tbl.Rows = append(tbl.Rows, []string{name, contractsAmount(c.Paid, c.Currency, lg), contractsAmount(c.Yearly, c.Currency, lg), diff})
	}
	if len(tbl.Rows) == 0 {
		return nil
	}
	tbl.Foot = []string{myHomeText(lg, "myhome.col.total"), contractsAmount(ov.Paid, ov.Currency, lg), contractsAmount(ov.Yearly, ov.Currency, lg), ""}
	c := chart.Bar{ID: "c-contracts", Title: contractsText(lg, "contracts.compare.title"), Unit: chartCurrency(ov.Currency), Lang: lg, Decimals: 2,
		Horizontal: true, Series: paid, Compare: &price,
		Desc: punctuate(lg, contractsText(lg, "contracts.paid.total")+" : "+contractsAmount(ov.Paid, ov.Currency, lg)+" ; "+contractsText(lg, "contracts.yearly.total")+" : "+contractsAmount(ov.Yearly, ov.Currency, lg)+".")}
	return &chartBlock{ID: "c-contracts", Heading: heading, SVG: c.SVG(), Table: tbl}
}

// contractsLongDate writes a day in full: "1er décembre 2026", "1 December 2026".
func contractsLongDate(t time.Time, lg string) string {
	if t.IsZero() {
		return "—"
	}
	day := fmt.Sprint(t.Day())
	if lg == "fr" && t.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %d", day, chartMonthsLong[chartLangIdx(lg)][t.Month()-1], t.Year())
}

// letterText is a letter, in one language.
type letterText struct {
	Sender, Recipient     []string
	PlaceDate             string
	Registered            string
	SubjectLabel, Subject string
	Dear                  string
	Paragraphs            []string
	Close, Signature      string
	Enclosed              string
}

// contractsLetterView is what svc_contracts_letter.html shows.
type contractsLetterView struct {
	Title       string
	Rule        contractRuleView
	HasLetter   bool
	Letter      letterText // in French
	Translation *letterText
	Action      string
	Name        string
	Address     string
}

// contractsLetterPage: GET /services/selfdata-contracts/letter/{id}, the letter that ends or
// changes the contract {id}, ready to print. ?name= and ?address= put the person's name and
// address in it when the contract lacks them (or writes them otherwise); nothing is saved.
func (s *Server) contractsLetterPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	d, _ := services.Lookup(services.Contracts)
	bp, on, err := s.cons.BuiltIn(r.Context(), p.Instance, d.ID)
	if err != nil {
		return err
	}
	if !on {
		return s.render(w, r, http.StatusOK, "service_off.html", page{Title: "svc." + d.ID, Data: d})
	}
	q := r.URL.Query()
	name, err := contractsField("name", q.Get("name"))
	if err != nil {
		return err
	}
	addr, err := contractsField("address", q.Get("address"))
	if err != nil {
		return err
	}
	ov, err := contracts.Load(r.Context(), services.Through(s.gate, bp), householdToday())
	if err != nil {
		return err
	}
	l, ok, err := ov.LetterFor(r.PathValue("id"))
	if !ok {
		return errorf(http.StatusNotFound, "There is no contract %s among yours.", input.Excerpt(r.PathValue("id")))
	}
	lg := lang(r)
	v := contractsLetterView{Title: fmt.Sprintf(contractsText(lg, "contracts.letter.title"), l.Contract.Provider), Rule: contractRuleOf(l.Contract, lg),
		Action: r.URL.Path}
	v.Rule.Letter = ""
	if errors.Is(err, contracts.ErrNoLetter) {
		return s.render(w, r, http.StatusOK, "svc_contracts_letter.html", page{Title: "svc." + services.Contracts, Data: v})
	}
	if err != nil {
		return err
	}
	if name != "" {
		l.Holder = name
	}
	if addr != "" {
		l.Address, l.City = addr, contracts.CityOf(addr)
	}
	v.HasLetter, v.Name, v.Address = true, l.Holder, l.Address
	v.Letter = contractsLetterText(l, "fr")
	if lg != "fr" {
		t := contractsLetterText(l, lg)
		v.Translation = &t
	}
	return s.render(w, r, http.StatusOK, "svc_contracts_letter.html", page{Title: "svc." + services.Contracts, Data: v})
}

// contractsField checks a name or an address typed for a letter.
func contractsField(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	if p := input.TextProblem(v); p != "" {
		return "", errorf(http.StatusBadRequest, "%s %s.", field, p)
	}
	if utf8.RuneCountInString(v) > 200 {
		return "", errorf(http.StatusBadRequest, "%s is longer than 200 characters.", field)
	}
	if strings.IndexFunc(v, unicode.IsControl) >= 0 {
		return "", errorf(http.StatusBadRequest, "%s holds a control character.", field)
	}
	return v, nil
}

// contractsLetterText writes the letter l in lg: French for the letter, English for what it says.
func contractsLetterText(l contracts.Letter, lg string) letterText {
	tx := func(key string, args ...any) string {
		return fmt.Sprintf(contractsText(lg, "contracts.l."+key), args...)
	}
	c := l.Contract
	d := func(t time.Time) string { return contractsLongDate(t, lg) }
	named := tx("named", c.Label)
	if c.Label == "" {
		named = tx("named", contractsTypeName(c, lg))
	}
	id := named // "n° X (label)", or the label alone without a number
	if c.Reference != "" {
		id = tx("no", c.Reference)
		if c.Label != "" {
			id += " (" + c.Label + ")"
		}
	}
	subjectID := named
	if c.Reference != "" {
		subjectID = tx("no", c.Reference)
	}
	t := letterText{Registered: tx("registered"), SubjectLabel: tx("subject"), Dear: tx("dear"), Close: tx("close"), Signature: l.Holder}
	if l.Holder != "" {
		t.Sender = append(t.Sender, l.Holder)
	}
	for _, part := range strings.Split(l.Address, ", ") {
		if part = strings.TrimSpace(part); part != "" {
			t.Sender = append(t.Sender, part)
		}
	}
	t.Recipient = []string{c.Provider, tx("customers")}
	if l.City != "" {
		t.PlaceDate = tx("placedate", l.City, d(l.Date))
	} else {
		t.PlaceDate = tx("date", d(l.Date))
	}
	t.Subject = tx("subject."+string(l.Kind), subjectID)
	r := c.Rule
	switch r.Code {
	case contracts.Hamon:
		if c.Start.IsZero() {
			t.Paragraphs = append(t.Paragraphs, tx("hamon.nostart", id))
		} else {
			t.Paragraphs = append(t.Paragraphs, tx("hamon", id, d(c.Start)))
		}
		t.Paragraphs = append(t.Paragraphs, tx("hamon.refund"))
	case contracts.InsuranceAnnual:
		t.Paragraphs = append(t.Paragraphs, tx("annual", id, d(r.At)))
	case contracts.TelecomFree:
		t.Paragraphs = append(t.Paragraphs, tx("telecom", id))
		if !c.CommitmentEnd.IsZero() {
			t.Paragraphs = append(t.Paragraphs, tx("telecom.over", d(c.CommitmentEnd)))
		}
		t.Paragraphs = append(t.Paragraphs, tx("telecom.equipment"))
	case contracts.TelecomEarly:
		t.Paragraphs = append(t.Paragraphs, tx("telecom", id), tx("telecom.early", c.CommitmentMonths, d(c.CommitmentEnd)), tx("telecom.equipment"))
	case contracts.Energy:
		t.Paragraphs = append(t.Paragraphs, tx("energy", tx("energy."+c.Type), id, d(r.At)), tx("energy.close"))
	case contracts.Bank:
		t.Paragraphs = append(t.Paragraphs, tx("bank", id), tx("bank.balance"))
		t.Enclosed = tx("enclosed")
	case contracts.Chatel:
		t.Paragraphs = append(t.Paragraphs, tx("chatel", id, d(r.At)))
	}
	t.Paragraphs = append(t.Paragraphs, tx("confirm"))
	return t
}
