package fhir

import (
	"fmt"
	"math/big"
	"strings"

	"selfdata/internal/importer"
)

// Where a claim's amount was read, in the order claimAmount tries them.
const (
	fromSubmitted = "submitted" // the "submitted" total, else the lines' "submitted" adjudications
	fromDrugCost  = "drugcost"  // the drug cost of a prescription claim (CARIN BB "drugcost")
	fromOnlyTotal = "total"     // the claim's one total, which has no category
	fromLines     = "lines"     // the sum of the lines' net, else unit price × quantity
)

// claimDate is the day care began: billablePeriod.start (FHIR R4), else the earliest day a
// line was served (item.servicedDate or item.servicedPeriod.start: a Part D prescription
// claim has only that), else the day the claim was made (created).
func claimDate(e ExplanationOfBenefit) (string, error) {
	if e.BillablePeriod != nil {
		d, err := day(e.BillablePeriod.Start)
		if err != nil {
			return "", importer.Errorf(e.Line, e.Path+".billablePeriod.start", "%v", err)
		}
		if d != "" {
			return d, nil
		}
	}
	earliest := ""
	for i, it := range e.Item {
		served, field := it.ServicedDate, "servicedDate"
		if served == "" && it.ServicedPeriod != nil {
			served, field = it.ServicedPeriod.Start, "servicedPeriod.start"
		}
		d, err := day(served)
		if err != nil {
			return "", importer.Errorf(e.Line, fmt.Sprintf("%s.item[%d].%s", e.Path, i, field), "%v", err)
		}
		if d != "" && (earliest == "" || d < earliest) {
			earliest = d
		}
	}
	if earliest != "" {
		return earliest, nil
	}
	d, err := day(e.Created)
	if err != nil {
		return "", importer.Errorf(e.Line, e.Path+".created", "%v", err)
	}
	if d == "" {
		return "", importer.Errorf(e.Line, e.Path, "the claim has no date (neither billablePeriod.start, item.servicedDate nor created)")
	}
	return d, nil
}

// claimAmount is the amount charged and where it was read ("" when the claim states none),
// in this order: the "submitted" total, else the sum of the lines' "submitted"
// adjudications; for a prescription claim, the "drugcost" total, else the lines' drug
// costs; the claim's only total when it has no category; the sum of the lines' net amounts
// (unit price × quantity for a line without one).
func claimAmount(e ExplanationOfBenefit) (amount, currency, from string, err error) {
	for _, try := range []struct {
		from string
		read func(ExplanationOfBenefit) (string, string, error)
	}{
		{fromSubmitted, categorised(isSubmitted)},
		{fromDrugCost, categorised(isDrugCost)},
		{fromOnlyTotal, onlyTotal},
		{fromLines, lineAmounts},
	} {
		amount, currency, err = try.read(e)
		if err != nil || amount != "" {
			return amount, currency, try.from, err
		}
	}
	return "", "", "", nil
}

// categorised reads the total of the category is picks, else the sum of the lines'
// adjudications of that category.
func categorised(is func(CodeableConcept) bool) func(ExplanationOfBenefit) (string, string, error) {
	return func(e ExplanationOfBenefit) (amount, currency string, err error) {
		for i, t := range e.Total {
			if t.Amount != nil && is(t.Category) {
				return moneyAt(e, fmt.Sprintf("total[%d].amount", i), *t.Amount)
			}
		}
		var parts []string
		for i, it := range e.Item {
			for j, a := range it.Adjudication {
				if a.Amount == nil || !is(a.Category) {
					continue
				}
				amt, cur, err := moneyAt(e, fmt.Sprintf("item[%d].adjudication[%d].amount", i, j), *a.Amount)
				if err != nil {
					return "", "", err
				}
				parts = append(parts, amt)
				currency = firstOf(currency, cur)
			}
		}
		if len(parts) == 0 {
			return "", "", nil
		}
		return sum(parts), currency, nil
	}
}

// onlyTotal is the claim's one total when it carries no category: it can be nothing but
// what the claim amounts to.
func onlyTotal(e ExplanationOfBenefit) (string, string, error) {
	if len(e.Total) != 1 || e.Total[0].Amount == nil || len(e.Total[0].Category.Coding) > 0 || e.Total[0].Category.Text != "" {
		return "", "", nil
	}
	return moneyAt(e, "total[0].amount", *e.Total[0].Amount)
}

// lineAmounts sums the lines' net amounts, a line without one counting unit price ×
// quantity (a quantity of 1 when absent, as FHIR defines net). "" unless every line has
// one or the other: a partial sum would understate the claim.
func lineAmounts(e ExplanationOfBenefit) (amount, currency string, err error) {
	var parts []string
	for i, it := range e.Item {
		var amt, cur string
		switch {
		case it.Net != nil && it.Net.Value != "":
			amt, cur, err = moneyAt(e, fmt.Sprintf("item[%d].net", i), *it.Net)
		case it.UnitPrice != nil && it.UnitPrice.Value != "":
			amt, cur, err = moneyAt(e, fmt.Sprintf("item[%d].unitPrice", i), *it.UnitPrice)
			if err == nil && it.Quantity != nil && it.Quantity.Value != "" {
				amt, err = times(amt, string(it.Quantity.Value))
				if err != nil {
					err = importer.Errorf(e.Line, fmt.Sprintf("%s.item[%d].quantity", e.Path, i), "%v", err)
				}
			}
		default:
			return "", "", nil
		}
		if err != nil {
			return "", "", err
		}
		parts = append(parts, amt)
		currency = firstOf(currency, cur)
	}
	if len(parts) == 0 {
		return "", "", nil
	}
	return sum(parts), currency, nil
}

// moneyAt reads an amount of the claim, locating its error at the claim's element.
func moneyAt(e ExplanationOfBenefit, element string, m Money) (string, string, error) {
	amount, currency, err := money(m)
	if err != nil {
		return "", "", importer.Errorf(e.Line, e.Path+"."+element, "%v", err)
	}
	return amount, currency, nil
}

// times multiplies a decimal amount by a decimal quantity exactly, keeping the decimals
// both are written with (2 at least): 0.125 × 3 is 0.375.
func times(amount, quantity string) (string, error) {
	q, err := importer.Decimal(quantity)
	if err != nil {
		return "", err
	}
	a, okA := new(big.Rat).SetString(amount)
	b, okB := new(big.Rat).SetString(q)
	if !okA || !okB {
		return "", fmt.Errorf("%s × %s is not a decimal amount", amount, q)
	}
	return new(big.Rat).Mul(a, b).FloatString(max(2, decimals(amount)+decimals(strings.TrimSpace(quantity)))), nil
}

func decimals(s string) int {
	_, frac, _ := strings.Cut(s, ".")
	return len(frac)
}

func isSubmitted(c CodeableConcept) bool {
	for _, cd := range c.Coding {
		if strings.EqualFold(cd.Code, "submitted") || strings.EqualFold(cd.Display, "Submitted Amount") {
			return true
		}
	}
	return false
}

// isDrugCost recognizes the CARIN Blue Button "drugcost" adjudication (ingredient cost,
// dispensing fee and tax of a prescription).
func isDrugCost(c CodeableConcept) bool {
	for _, cd := range c.Coding {
		if strings.EqualFold(cd.Code, "drugcost") || strings.EqualFold(cd.Display, "Drug Cost") {
			return true
		}
	}
	return false
}
