package export

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"selfdata/internal/money"
	"selfdata/internal/store"
)

// healthClaim and healthReimbursement are what standards/health.json writes of the
// health.claim and health.reimbursement documents.
type healthClaim struct {
	Date      string   `json:"date"`
	Amount    string   `json:"amount"`
	Currency  string   `json:"currency"`
	Provider  string   `json:"provider"`
	Care      string   `json:"care"`
	Reference string   `json:"reference"`
	Patient   string   `json:"patient"`
	ClaimType string   `json:"claimType"`
	Status    string   `json:"status"`
	PeriodEnd string   `json:"periodEnd"`
	Diagnoses []string `json:"diagnoses"`
	Coverage  string   `json:"coverage"`
}

type healthReimbursement struct {
	Date      string `json:"date"`
	Amount    string `json:"amount"`
	Currency  string `json:"currency"`
	Claim     string `json:"claim"`
	Payer     string `json:"payer"`
	Reference string `json:"reference"`
}

// The FHIR R4 elements written: those of ExplanationOfBenefit that a claim and its payment
// fill (https://hl7.org/fhir/R4/explanationofbenefit.html).
type (
	fhirCoding struct {
		System  string `json:"system,omitempty"`
		Code    string `json:"code,omitempty"`
		Display string `json:"display,omitempty"`
	}
	fhirConcept struct {
		Coding []fhirCoding `json:"coding,omitempty"`
		Text   string       `json:"text,omitempty"`
	}
	fhirRef struct {
		Reference string `json:"reference,omitempty"`
		Display   string `json:"display,omitempty"`
	}
	fhirMoney struct {
		Value    json.Number `json:"value"`
		Currency string      `json:"currency"`
	}
	fhirEOB struct {
		ResourceType   string        `json:"resourceType"`
		ID             string        `json:"id"`
		Identifier     []fhirIdent   `json:"identifier,omitempty"`
		Status         string        `json:"status"`
		Type           fhirConcept   `json:"type"`
		Use            string        `json:"use"`
		Patient        *fhirRef      `json:"patient,omitempty"`
		BillablePeriod *fhirPeriod   `json:"billablePeriod,omitempty"`
		Created        string        `json:"created"`
		Insurer        fhirRef       `json:"insurer"`
		Provider       fhirRef       `json:"provider"`
		Claim          *fhirRef      `json:"claim,omitempty"`
		Outcome        string        `json:"outcome"`
		Diagnosis      []fhirDiag    `json:"diagnosis,omitempty"`
		Insurance      []fhirInsured `json:"insurance,omitempty"`
		Total          []fhirTotal   `json:"total,omitempty"`
		Payment        *fhirPayment  `json:"payment,omitempty"`
	}
	fhirIdent struct {
		System string `json:"system"`
		Value  string `json:"value"`
	}
	fhirPeriod struct {
		Start string `json:"start"`
		End   string `json:"end,omitempty"`
	}
	fhirDiag struct {
		Sequence  int         `json:"sequence"`
		Diagnosis fhirConcept `json:"diagnosisCodeableConcept"`
	}
	fhirInsured struct {
		Focal    bool    `json:"focal"`
		Coverage fhirRef `json:"coverage"`
	}
	fhirTotal struct {
		Category fhirConcept `json:"category"`
		Amount   fhirMoney   `json:"amount"`
	}
	fhirPayment struct {
		Date   string    `json:"date,omitempty"`
		Amount fhirMoney `json:"amount"`
	}
)

// fhirReferenceSystem names the claim numbers the insurers give (their reference).
const fhirReferenceSystem = "urn:selfdata:health:reference"

// writeFHIR writes the health claims as a FHIR R4 Bundle of type "collection": one
// ExplanationOfBenefit per health.claim, with, as its payment, the first health.reimbursement
// that names it (claim), and one ExplanationOfBenefit without a total per other
// reimbursement (one that names no claim, or a claim paid by another already), its claim
// referenced when it names one. The claims are read once; the reimbursements twice, the
// first pass keeping only those that name a claim. It returns how many claims and
// reimbursements it wrote.
func writeFHIR(w io.Writer, stamp time.Time, claims, reimbursements eachDocFunc) (nClaims, nPaid int64, err error) {
	payments := map[string]store.Doc{} // claim id -> its first reimbursement
	err = reimbursements(func(d store.Doc) error {
		var r healthReimbursement
		if err := json.Unmarshal(d.Data, &r); err != nil {
			return fmt.Errorf("health.reimbursement %s: %w", d.ID, err)
		}
		if _, ok := payments[r.Claim]; r.Claim != "" && !ok {
			payments[r.Claim] = d
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	if _, err := fmt.Fprintf(w, `{"resourceType":"Bundle","type":"collection","timestamp":%q,"entry":[`, stamp.UTC().Format(time.RFC3339)); err != nil {
		return 0, 0, err
	}
	first := true
	entry := func(eob fhirEOB) error {
		b, err := json.Marshal(struct {
			Resource fhirEOB `json:"resource"`
		}{eob})
		if err != nil {
			return err
		}
		if !first {
			b = append([]byte{','}, b...)
		}
		first = false
		_, err = w.Write(append(b, '\n'))
		return err
	}
	paidClaims := map[string]string{} // claim id -> the reimbursement written as its payment
	err = claims(func(d store.Doc) error {
		var c healthClaim
		if err := json.Unmarshal(d.Data, &c); err != nil {
			return fmt.Errorf("health.claim %s: %w", d.ID, err)
		}
		eob, err := claimEOB(d, c)
		if err != nil {
			return fmt.Errorf("health.claim %s: %w", d.ID, err)
		}
		if p, ok := payments[d.ID]; ok {
			if err := addPayment(&eob, p); err != nil {
				return err
			}
			paidClaims[d.ID] = p.ID
			nPaid++
		}
		nClaims++
		return entry(eob)
	})
	if err != nil {
		return nClaims, nPaid, err
	}
	err = reimbursements(func(d store.Doc) error {
		var r healthReimbursement
		json.Unmarshal(d.Data, &r) // read once already
		if paidClaims[r.Claim] == d.ID {
			return nil
		}
		eob := fhirEOB{ResourceType: "ExplanationOfBenefit", ID: d.ID, Status: "active", Use: "claim", Outcome: "complete",
			Created: r.Date, Provider: fhirRef{Display: r.Payer}}
		if r.Reference != "" {
			eob.Identifier = []fhirIdent{{System: fhirReferenceSystem, Value: r.Reference}}
		}
		if r.Claim != "" {
			eob.Claim = &fhirRef{Reference: "Claim/" + r.Claim}
		}
		if err := addPayment(&eob, d); err != nil {
			return err
		}
		nPaid++
		return entry(eob)
	})
	if err != nil {
		return nClaims, nPaid, err
	}
	_, err = io.WriteString(w, "]}\n")
	return nClaims, nPaid, err
}

// claimEOB is the ExplanationOfBenefit of a claim: its amount is the "submitted" total.
func claimEOB(d store.Doc, c healthClaim) (fhirEOB, error) {
	amount, err := fhirAmount(c.Amount, c.Currency)
	if err != nil {
		return fhirEOB{}, err
	}
	status := "active"
	switch c.Status {
	case "active", "cancelled", "draft", "entered-in-error":
		status = c.Status
	}
	eob := fhirEOB{
		ResourceType: "ExplanationOfBenefit", ID: d.ID, Status: status, Use: "claim", Outcome: "complete",
		Type:           fhirConcept{Text: c.Care},
		Patient:        patientRef(c.Patient),
		BillablePeriod: &fhirPeriod{Start: c.Date, End: c.PeriodEnd},
		Created:        c.Date,
		Insurer:        fhirRef{Display: d.Source.Name},
		Provider:       fhirRef{Display: c.Provider},
		Total: []fhirTotal{{
			Category: fhirConcept{Coding: []fhirCoding{{System: "http://terminology.hl7.org/CodeSystem/adjudication", Code: "submitted", Display: "Submitted Amount"}}},
			Amount:   amount,
		}},
	}
	if c.ClaimType != "" {
		eob.Type.Coding = []fhirCoding{{System: "http://terminology.hl7.org/CodeSystem/claim-type", Code: c.ClaimType}}
	}
	if c.Reference != "" {
		eob.Identifier = []fhirIdent{{System: fhirReferenceSystem, Value: c.Reference}}
	}
	for i, code := range c.Diagnoses {
		eob.Diagnosis = append(eob.Diagnosis, fhirDiag{Sequence: i + 1, Diagnosis: fhirConcept{Coding: []fhirCoding{{Code: code}}}})
	}
	if c.Coverage != "" {
		eob.Insurance = []fhirInsured{{Focal: true, Coverage: fhirRef{Reference: c.Coverage}}}
	}
	return eob, nil
}

// patientRef is a reference when the claim names the patient by one ("Patient/<id>"),
// else the name as its display.
func patientRef(p string) *fhirRef {
	switch {
	case p == "":
		return nil
	case strings.Count(p, "/") == 1 && !strings.ContainsAny(p, " \t"):
		return &fhirRef{Reference: p}
	}
	return &fhirRef{Display: p}
}

// addPayment puts a reimbursement in an ExplanationOfBenefit as its payment, its payer as
// the insurer.
func addPayment(eob *fhirEOB, d store.Doc) error {
	var r healthReimbursement
	if err := json.Unmarshal(d.Data, &r); err != nil {
		return fmt.Errorf("health.reimbursement %s: %w", d.ID, err)
	}
	amount, err := fhirAmount(r.Amount, r.Currency)
	if err != nil {
		return fmt.Errorf("health.reimbursement %s: %w", d.ID, err)
	}
	eob.Payment = &fhirPayment{Date: r.Date, Amount: amount}
	if r.Payer != "" {
		eob.Insurer = fhirRef{Display: r.Payer}
	}
	return nil
}

// fhirAmount is an amount as a FHIR Money: its exact decimal, never through a float.
func fhirAmount(amount, currency string) (fhirMoney, error) {
	a, err := money.Parse(amount)
	if err != nil {
		return fhirMoney{}, fmt.Errorf("amount %q: %w", amount, err)
	}
	return fhirMoney{Value: json.Number(a.String()), Currency: currency}, nil
}
