package fhir

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// Adapt turns parsed resources into records: Patient → profile, Coverage →
// insurance.contract, ExplanationOfBenefit → health.claim (+ health.reimbursement when
// something was paid).
func Adapt(f *File) (*importer.Result, error) {
	b := &builder{res: &importer.Result{Format: Name}, seen: map[string]bool{}, from: map[string]int{}}
	for _, p := range f.Patients {
		if err := b.patient(p); err != nil {
			return nil, err
		}
	}
	for _, c := range f.Coverages {
		if err := b.coverage(c); err != nil {
			return nil, err
		}
	}
	var firstErr error
	for _, e := range f.Claims {
		if err := b.claim(e); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	if firstErr != nil && len(b.res.Records) == 0 {
		return nil, firstErr // nothing imports: the file is refused with the first reason
	}
	b.notes(f)
	return b.res, nil
}

// builder collects records and keeps keys unique within the Result.
type builder struct {
	res   *importer.Result
	seen  map[string]bool
	dupes int
	noID  int
	// from counts the imported claims by where their amount was read (claimAmount).
	from map[string]int
}

// add appends a record unless its key was already used (a resource listed twice).
func (b *builder) add(doctype, key string, data map[string]any) {
	if b.seen[doctype+"\x00"+key] {
		b.dupes++
		b.res.Skipped++
		return
	}
	b.seen[doctype+"\x00"+key] = true
	b.res.Records = append(b.res.Records, importer.Record{Doctype: doctype, Key: key, Data: data})
}

// keyOf is the resource's stable key, "Type/id"; without an id the resource cannot be
// imported twice without duplicates, so it is skipped.
func (b *builder) keyOf(rt, id string) (string, bool) {
	if strings.TrimSpace(id) == "" {
		b.noID++
		b.res.Skipped++
		return "", false
	}
	return rt + "/" + id, true
}

func (b *builder) patient(p Patient) error {
	key, ok := b.keyOf("Patient", p.ID)
	if !ok {
		return nil
	}
	data := map[string]any{}
	if n := pickName(p.Name); n != nil {
		setIf(data, "givenName", strings.Join(nonEmpty(n.Given), " "))
		setIf(data, "familyName", n.Family)
	}
	birth, err := day(p.BirthDate)
	if err != nil {
		return importer.Errorf(p.Line, p.Path+".birthDate", "%v", err)
	}
	setIf(data, "birthDate", birth)
	for _, t := range p.Telecom {
		switch t.System {
		case "email":
			setOnce(data, "email", t.Value)
		case "phone", "sms":
			setOnce(data, "phone", t.Value)
		}
	}
	if a := pickAddress(p.Address); len(a) > 0 {
		data["address"] = a
	}
	b.add("profile", key, data)
	return nil
}

func (b *builder) coverage(c Coverage) error {
	key, ok := b.keyOf("Coverage", c.ID)
	if !ok {
		return nil
	}
	data := map[string]any{"insurer": "Medicare", "kind": "health"}
	if len(c.Payor) > 0 {
		setIf(data, "insurer", refName(c.Payor[0]))
	}
	setIf(data, "reference", firstOf(c.SubscriberID, c.ID))
	setIf(data, "label", coverageLabel(c))
	if c.Period != nil {
		start, err := day(c.Period.Start)
		if err != nil {
			return importer.Errorf(c.Line, c.Path+".period.start", "%v", err)
		}
		end, err := day(c.Period.End)
		if err != nil {
			return importer.Errorf(c.Line, c.Path+".period.end", "%v", err)
		}
		setIf(data, "start", start)
		setIf(data, "end", end)
	}
	setIf(data, "status", c.Status)
	setIf(data, "beneficiary", refKey(c.Beneficiary.Reference))
	b.add("insurance.contract", key, data)
	return nil
}

// coverageLabel names the plan: Blue Button puts "Part A".."Part D" in the subplan class.
func coverageLabel(c Coverage) string {
	for _, want := range []string{"subplan", "plan", "subgroup", "group"} {
		for _, cl := range c.Class {
			if hasCode(cl.Type, want) {
				if l := firstOf(cl.Value, cl.Name); l != "" {
					return l
				}
			}
		}
	}
	if c.Type != nil {
		return conceptText(*c.Type)
	}
	return ""
}

// claim maps one ExplanationOfBenefit to its health.claim and health.reimbursement. A
// claim that cannot be mapped (a malformed date or amount) is left out whole, claim and
// payment, and reported by its place in the file, so that one bad claim does not refuse a
// Bundle of good ones; the error is returned only for Adapt to refuse a file of which
// nothing at all can be imported.
func (b *builder) claim(e ExplanationOfBenefit) error {
	key, ok := b.keyOf("ExplanationOfBenefit", e.ID)
	if !ok {
		return nil
	}
	recs, from, err := claimRecords(e, key)
	if err != nil {
		b.res.Skipped++
		b.refuse(e, importer.ReasonBadValue, err, fmt.Sprintf("claim %s not imported, nor its payment: %v", input.Cut(key), err))
		return err
	}
	if len(recs) == 0 || recs[0].Doctype != "health.claim" {
		b.res.Skipped++
		b.refuse(e, importer.ReasonNoAmount, nil, fmt.Sprintf("%s: claim %s has no amount (no submitted, drug-cost or uncategorised total, no line amount): not imported (its payment, if any, is imported on its own)", e.Path, input.Cut(key)))
	}
	for _, r := range recs {
		if r.Doctype == "health.claim" && !b.seen[r.Doctype+"\x00"+r.Key] {
			b.from[from]++
		}
		b.add(r.Doctype, r.Key, r.Data)
	}
	return nil
}

// refuse lists a claim left out in the report, where it is in the file and why: for a value
// that cannot be read, the place of that value (err's element) is the reason's parameter.
func (b *builder) refuse(e ExplanationOfBenefit, why importer.Reason, err error, text string) {
	l := importer.LeftOut{Line: e.Line, Element: e.Path, Kind: "health.claim", Reason: why, Text: text}
	var located *importer.Error
	switch {
	case errors.As(err, &located) && located.Element == e.Path:
		l.Reason = importer.ReasonNoDate // the one refusal of the claim as a whole (claimDate)
	case located != nil:
		l.Params = []string{located.Element}
	}
	b.res.Leave(l)
}

// claimRecords builds the records of one claim without adding them, so that a claim is
// written whole or not at all, and says where its amount was read (see claimAmount).
func claimRecords(e ExplanationOfBenefit, key string) (recs []importer.Record, from string, err error) {
	date, err := claimDate(e)
	if err != nil {
		return nil, "", err
	}
	amount, currency, from, err := claimAmount(e)
	if err != nil {
		return nil, "", err
	}
	reference := claimReference(e)
	if amount != "" {
		recs = append(recs, importer.Record{Doctype: "health.claim", Key: key, Data: claimData(e, date, amount, currency, reference)})
	}
	pay, err := payment(e, key, date, reference, amount != "")
	if err != nil {
		return nil, "", err
	}
	if pay != nil {
		recs = append(recs, *pay)
	}
	return recs, from, nil
}

func claimData(e ExplanationOfBenefit, date, amount, currency, reference string) map[string]any {
	data := map[string]any{"date": date, "amount": amount, "currency": currency}
	setIf(data, "provider", provider(e))
	setIf(data, "care", conceptText(e.Type))
	setIf(data, "reference", reference)
	setIf(data, "patient", refKey(e.Patient.Reference))
	setIf(data, "claimType", codeIn(e.Type, "eob-type", "claim-type"))
	setIf(data, "status", e.Status)
	if e.BillablePeriod != nil {
		if end, err := day(e.BillablePeriod.End); err == nil && end != date {
			setIf(data, "periodEnd", end)
		}
	}
	var codes []string
	for _, d := range e.Diagnosis {
		for _, c := range d.Diagnosis.Coding {
			if c.Code != "" && !slices.Contains(codes, c.Code) {
				codes = append(codes, c.Code)
			}
		}
	}
	if len(codes) > 0 {
		data["diagnoses"] = codes
	}
	if len(e.Insurance) > 0 {
		setIf(data, "coverage", refKey(e.Insurance[0].Coverage.Reference))
	}
	return data
}

// payment is the reimbursement: what the insurer paid on the claim, linked to the claim
// when the claim is imported. A zero payment (a denied claim) is no reimbursement.
func payment(e ExplanationOfBenefit, claimKey, claimDay, reference string, hasClaim bool) (*importer.Record, error) {
	if e.Payment == nil || e.Payment.Amount == nil || e.Payment.Amount.Value == "" {
		return nil, nil
	}
	path := e.Path + ".payment"
	amount, currency, err := money(*e.Payment.Amount)
	if err != nil {
		return nil, importer.Errorf(e.Line, path+".amount", "%v", err)
	}
	if isZero(amount) {
		return nil, nil
	}
	date, err := day(e.Payment.Date)
	if err != nil {
		return nil, importer.Errorf(e.Line, path+".date", "%v", err)
	}
	data := map[string]any{"date": firstOf(date, claimDay), "amount": amount, "currency": currency, "payer": "Medicare"}
	if e.Insurer != nil {
		setIf(data, "payer", refName(*e.Insurer))
	}
	if hasClaim {
		data["claim"] = claimKey
	}
	setIf(data, "reference", reference)
	return &importer.Record{Doctype: "health.reimbursement", Key: claimKey + "/payment", Data: data}, nil
}

// claimReference is the claim number the insurer uses (Blue Button's clm_id or pde_id).
func claimReference(e ExplanationOfBenefit) string {
	for _, id := range e.Identifier {
		if strings.HasSuffix(id.System, "/clm_id") || strings.HasSuffix(id.System, "/pde_id") {
			return id.Value
		}
	}
	for _, id := range e.Identifier {
		if id.Type != nil && hasCode(*id.Type, "uc") && id.Value != "" {
			return id.Value
		}
	}
	if len(e.Identifier) > 0 && e.Identifier[0].Value != "" {
		return e.Identifier[0].Value
	}
	return e.ID
}

// provider names who gave the care: the claim's provider, else the care team member
// responsible for it (or performing it), else the first one.
func provider(e ExplanationOfBenefit) string {
	if e.Provider != nil {
		if n := refName(*e.Provider); n != "" {
			return n
		}
	}
	best := -1
	for i, m := range e.CareTeam {
		if m.Responsible || hasCode(m.Role, "performing") || hasCode(m.Role, "primary") || hasCode(m.Role, "rendering") {
			best = i
			break
		}
	}
	if best < 0 && len(e.CareTeam) > 0 {
		best = 0
	}
	if best < 0 {
		return ""
	}
	return refName(e.CareTeam[best].Provider)
}

func (b *builder) notes(f *File) {
	types := make([]string, 0, len(f.Other))
	for t := range f.Other {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, t := range types {
		b.res.Skipped += f.Other[t]
		b.res.Notes = append(b.res.Notes, fmt.Sprintf("%d %s resource(s) not imported: no doctype for them", f.Other[t], input.Cut(t)))
	}
	if f.Empty > 0 {
		b.res.Skipped += f.Empty
		b.res.Notes = append(b.res.Notes, fmt.Sprintf("%d Bundle entry(ies) without a resource skipped", f.Empty))
	}
	note := func(n int, format string) {
		if n > 0 {
			b.res.Notes = append(b.res.Notes, fmt.Sprintf(format, n))
		}
	}
	note(b.noID, "%d resource(s) without an id skipped: they could not be imported again without duplicates")
	note(b.dupes, "%d resource(s) listed more than once imported once")
	note(b.from[fromDrugCost], "%d claim(s) without a submitted amount took the drug cost (the prescription's total cost) as their amount")
	note(b.from[fromOnlyTotal], "%d claim(s) without a submitted amount took their one uncategorised total as their amount")
	note(b.from[fromLines], "%d claim(s) without any total took the sum of their lines (net, else unit price × quantity) as their amount")
}
