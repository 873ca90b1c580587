package bankcsv

import "testing"

// TestGuessByShape: a header whose names no guess knows still gets its columns proposed from
// their values — dates, the text, the signed amounts, the balance — but never for sure.
func TestGuessByShape(t *testing.T) {
	for _, tt := range []struct {
		name, file                   string
		date, label, amount, balance int
	}{
		{"amount then balance", "Compte;FR76 3000\nJour;Texte;Somme;Reste\n03/02/2025;CB BOULANGERIE;-4,20;100,00\n04/02/2025;VIR LOYER;-650,00;50,00\n", 0, 1, 2, 3},
		{"text first, balance never negative before a signed amount", "Quoi;Quand;Reste;Somme\nCB BOULANGERIE;03/02/2025;100,00;-4,20\nVIR SALAIRE;04/02/2025;2 150,00;2 050,00\n", 1, 0, 3, -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tab, ok := Sniff([]byte(tt.file))
			if !ok {
				t.Fatal("not sniffed")
			}
			m, sure := Guess(tab)
			if sure {
				t.Errorf("sure of columns no name gave")
			}
			if m.Date != tt.date || m.Label != tt.label || m.Amount != tt.amount || m.Balance != tt.balance {
				t.Errorf("date %d label %d amount %d balance %d, want %d %d %d %d", m.Date, m.Label, m.Amount, m.Balance, tt.date, tt.label, tt.amount, tt.balance)
			}
		})
	}
}
