package accounts

import (
	"maps"
	"testing"
)

// TestMatchBills: each bill is linked to the one debit that paid it, or to nothing when the
// evidence does not single one out.
func TestMatchBills(t *testing.T) {
	tests := []struct {
		name  string
		bills []Bill
		ops   []Operation
		want  map[string]string // bill id → operation id
		by    map[string]string // bill id → ByReference or ByName, for the links whose way matters
	}{
		{name: "nothing", want: map[string]string{}},
		{
			name:  "by reference, amount and date",
			bills: []Bill{bill(t, "edf", "EDF", "2025-02-26", "2025-03-12", "90.43", "1012345678")},
			ops: []Operation{
				op(t, "o-other", "2025-03-12", "PRLV SEPA ORANGE SA", "-55.98", "F123456789"),
				op(t, "o-edf", "2025-03-12", "PRLV SEPA EDF", "-90.43", "1012345678"),
			},
			want: map[string]string{"edf": "o-edf"}, by: map[string]string{"edf": ByReference},
		},
		{
			name:  "the reference inside the label",
			bills: []Bill{bill(t, "eau", "Eau du Grand Lyon", "2025-04-11", "2025-05-06", "61.20", "EGL12345678")},
			ops:   []Operation{op(t, "o-eau", "2025-05-06", "PRLV EGL12345678 FACTURE", "-61.20", "")},
			want:  map[string]string{"eau": "o-eau"}, by: map[string]string{"eau": ByReference},
		},
		{
			name:  "without reference: the same amount, the vendor in the label, near the due date",
			bills: []Bill{bill(t, "orange", "Orange", "2025-03-05", "2025-03-20", "55.98", "")},
			ops: []Operation{
				op(t, "o-cb", "2025-03-20", "CB AMAZON PAYMENTS", "-55.98", ""),
				op(t, "o-orange", "2025-03-21", "PRLV SEPA ORANGE SA", "-55.98", "MANDATE-77"),
			},
			want: map[string]string{"orange": "o-orange"}, by: map[string]string{"orange": ByName},
		},
		{
			name:  "the vendor's name in several words",
			bills: []Bill{bill(t, "glh", "Grand Lyon Habitat", "2025-02-23", "2025-03-04", "600.27", "")},
			ops:   []Operation{op(t, "o-glh", "2025-03-04", "PRLV SEPA GRAND LYON HABITAT LOYER", "-600.27", "")},
			want:  map[string]string{"glh": "o-glh"},
		},
		{
			name:  "the vendor only as counterparty",
			bills: []Bill{bill(t, "maif", "MAIF", "2025-02-20", "2025-03-14", "612.84", "")},
			ops: []Operation{func() Operation {
				o := op(t, "o-maif", "2025-03-14", "PRLV SEPA ECH 0314", "-612.84", "")
				o.Counterparty = "MAIF"
				return o
			}()},
			want: map[string]string{"maif": "o-maif"},
		},
		{
			name:  "a bill without due date, paid by card a few days after",
			bills: []Bill{bill(t, "dentist", "Cabinet Gambetta", "2025-03-03", "", "28.92", "")},
			ops:   []Operation{op(t, "o-cb", "2025-03-05", "CB CABINET GAMBETTA 05/03", "-28.92", "")},
			want:  map[string]string{"dentist": "o-cb"},
		},
		{
			name: "two bills of the same amount, one debit between them: neither",
			bills: []Bill{
				bill(t, "orange-a", "Orange", "2025-03-01", "2025-03-10", "55.98", ""),
				bill(t, "orange-b", "Orange", "2025-03-01", "2025-03-10", "55.98", ""),
			},
			ops:  []Operation{op(t, "o", "2025-03-10", "PRLV SEPA ORANGE SA", "-55.98", "")},
			want: map[string]string{},
		},
		{
			name: "two bills of the same amount, equally far from the one debit: neither",
			bills: []Bill{
				bill(t, "a", "Orange", "2025-03-01", "2025-03-05", "55.98", ""),
				bill(t, "b", "Orange", "2025-03-01", "2025-03-09", "55.98", ""),
			},
			ops:  []Operation{op(t, "o", "2025-03-07", "PRLV SEPA ORANGE SA", "-55.98", "")},
			want: map[string]string{},
		},
		{
			name: "two bills of the same amount, one debit closer to one of them",
			bills: []Bill{
				bill(t, "a", "Orange", "2025-03-01", "2025-03-05", "55.98", ""),
				bill(t, "b", "Orange", "2025-03-01", "2025-03-09", "55.98", ""),
			},
			ops:  []Operation{op(t, "o", "2025-03-05", "PRLV SEPA ORANGE SA", "-55.98", "")},
			want: map[string]string{"a": "o"},
		},
		{
			name: "the same rent every month: each month its debit",
			bills: []Bill{
				bill(t, "jan", "Grand Lyon Habitat", "2024-12-26", "2025-01-06", "600.27", ""),
				bill(t, "feb", "Grand Lyon Habitat", "2025-01-26", "2025-02-04", "600.27", ""),
			},
			ops: []Operation{
				op(t, "o-feb", "2025-02-04", "PRLV SEPA GRAND LYON HABITAT LOYER", "-600.27", ""),
				op(t, "o-jan", "2025-01-06", "PRLV SEPA GRAND LYON HABITAT LOYER", "-600.27", ""),
			},
			want: map[string]string{"jan": "o-jan", "feb": "o-feb"},
		},
		{
			name:  "paid in two parts: no link, and no other debit taken for it",
			bills: []Bill{bill(t, "edf", "EDF", "2025-02-26", "2025-03-12", "90.43", "1012345678")},
			ops: []Operation{
				op(t, "part-1", "2025-03-12", "PRLV SEPA EDF", "-45.00", "1012345678"),
				op(t, "part-2", "2025-04-12", "PRLV SEPA EDF", "-45.43", "1012345678"),
				op(t, "same-amount", "2025-03-13", "PRLV SEPA EDF", "-90.43", ""),
			},
			want: map[string]string{},
		},
		{
			name: "a part of one bill is not the payment of another by name",
			bills: []Bill{
				bill(t, "big", "EDF", "2025-02-26", "2025-03-12", "90.00", "1012345678"),
				bill(t, "small", "EDF", "2025-02-26", "2025-03-12", "45.00", ""),
			},
			ops:  []Operation{op(t, "part", "2025-03-12", "PRLV SEPA EDF", "-45.00", "1012345678")},
			want: map[string]string{},
		},
		{
			name:  "not yet paid",
			bills: []Bill{bill(t, "edf", "EDF", "2025-06-20", "2025-07-07", "81.10", "1099999999")},
			ops:   []Operation{op(t, "o-orange", "2025-07-07", "PRLV SEPA ORANGE SA", "-81.10", "")},
			want:  map[string]string{},
		},
		{
			name:  "a refund is not a payment",
			bills: []Bill{bill(t, "edf", "EDF", "2025-02-26", "2025-03-12", "90.43", "1012345678")},
			ops:   []Operation{op(t, "refund", "2025-03-20", "VIR EDF REMBOURSEMENT", "90.43", "1012345678")},
			want:  map[string]string{},
		},
		{
			name:  "a debit and its refund: the debit pays",
			bills: []Bill{bill(t, "edf", "EDF", "2025-02-26", "2025-03-12", "90.43", "1012345678")},
			ops: []Operation{
				op(t, "debit", "2025-03-12", "PRLV SEPA EDF", "-90.43", "1012345678"),
				op(t, "refund", "2025-03-14", "VIR EDF REMBOURSEMENT TROP PERCU", "90.43", "1012345678"),
			},
			want: map[string]string{"edf": "debit"},
		},
		{
			name:  "a credit note is no bill to pay",
			bills: []Bill{bill(t, "avoir", "EDF", "2025-02-26", "2025-03-12", "-20.00", "AV1234567")},
			ops:   []Operation{op(t, "o", "2025-03-12", "PRLV SEPA EDF", "20.00", "AV1234567")},
			want:  map[string]string{},
		},
		{
			name:  "a cent apart",
			bills: []Bill{bill(t, "edf", "EDF", "2025-02-26", "2025-03-12", "61.20", "")},
			ops:   []Operation{op(t, "o", "2025-03-12", "PRLV SEPA EDF", "-61.02", "")},
			want:  map[string]string{},
		},
		{
			name:  "another currency",
			bills: []Bill{{ID: "uk", Vendor: "Thames Water", Date: day(t, "2025-03-01"), Due: day(t, "2025-03-10"), Amount: mustAmount("50.00"), Currency: "GBP"}},
			ops:   []Operation{op(t, "o", "2025-03-10", "DD THAMES WATER", "-50.00", "")},
			want:  map[string]string{},
		},
		{
			name:  "in its own currency",
			bills: []Bill{{ID: "uk", Vendor: "Thames Water", Date: day(t, "2025-03-01"), Due: day(t, "2025-03-10"), Amount: mustAmount("50.00"), Currency: "GBP"}},
			ops:   []Operation{op(t, "eur", "2025-03-10", "DD THAMES WATER", "-50.00", ""), gbp(op(t, "gbp", "2025-03-10", "DD THAMES WATER", "-50.00", ""))},
			want:  map[string]string{"uk": "gbp"},
		},
		{
			name:  "by name, too long after the due date",
			bills: []Bill{bill(t, "orange", "Orange", "2025-03-05", "2025-03-20", "55.98", "")},
			ops:   []Operation{op(t, "o", "2025-04-09", "PRLV SEPA ORANGE SA", "-55.98", "")},
			want:  map[string]string{},
		},
		{
			name:  "by reference, paid late",
			bills: []Bill{bill(t, "orange", "Orange", "2025-03-05", "2025-03-20", "55.98", "F123456789")},
			ops:   []Operation{op(t, "o", "2025-04-29", "PRLV SEPA ORANGE SA", "-55.98", "F123456789")},
			want:  map[string]string{"orange": "o"},
		},
		{
			name:  "the same amount, the day, but another payee",
			bills: []Bill{bill(t, "orange", "Orange", "2025-03-05", "2025-03-20", "55.98", "")},
			ops:   []Operation{op(t, "o", "2025-03-20", "CB FNAC BELLECOUR 20/03", "-55.98", "")},
			want:  map[string]string{},
		},
		{
			name: "one reference on every bill of a contract: the amounts tell them apart",
			bills: []Bill{
				bill(t, "jan", "EDF", "2025-01-28", "2025-02-12", "61.20", "CT-778899"),
				bill(t, "feb", "EDF", "2025-02-26", "2025-03-12", "58.10", "CT-778899"),
			},
			ops: []Operation{
				op(t, "o-jan", "2025-02-12", "PRLV SEPA EDF", "-61.20", "CT-778899"),
				op(t, "o-feb", "2025-03-12", "PRLV SEPA EDF", "-58.10", "CT-778899"),
			},
			want: map[string]string{"jan": "o-jan", "feb": "o-feb"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := MatchBills(tt.bills, tt.ops)
			got := map[string]string{}
			for _, l := range p.Links {
				got[l.Bill.ID] = l.Operation.ID
				if back, ok := p.ForOperation(l.Operation.ID); !ok || back.Bill.ID != l.Bill.ID {
					t.Errorf("operation %s does not lead back to bill %s", l.Operation.ID, l.Bill.ID)
				}
				if want, ok := tt.by[l.Bill.ID]; ok && l.By != want {
					t.Errorf("bill %s linked by %s, want by %s", l.Bill.ID, l.By, want)
				}
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("links %v, want %v", got, tt.want)
			}
			for _, b := range tt.bills {
				_, linked := p.ForBill(b.ID)
				if _, want := tt.want[b.ID]; linked != want {
					t.Errorf("ForBill(%s) = %v, want %v", b.ID, linked, want)
				}
			}
		})
	}
}
