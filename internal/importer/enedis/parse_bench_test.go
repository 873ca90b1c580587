package enedis

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// BenchmarkParseHDM parses and adapts ten years of a 30-minute HDM curve (175,344 rows),
// without a store: the share of an import that is this package's.
func BenchmarkParseHDM(b *testing.B) {
	const n = 175_344
	start := time.Date(2016, 1, 1, 0, 0, 0, 0, paris())
	var buf bytes.Buffer
	buf.WriteString("\ufeffIdentifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;Etape metier;Unite;Pas en minutes\n")
	buf.WriteString("09111642617347;Courbe de charge;01/01/2016;01/01/2026;Energie active;Consommation;Comptage Brut;W;30\nHorodate;Valeur\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&buf, "%s;%d\n", start.Add(time.Duration(i)*30*time.Minute).Format(time.RFC3339), 150+(i*37)%2500)
	}
	content := buf.Bytes()
	b.ReportAllocs()
	b.SetBytes(int64(len(content)))
	for b.Loop() {
		res, err := FormatHDM().Parse(bytes.NewReader(content))
		if err != nil {
			b.Fatal(err)
		}
		if got := len(res.Series[0].Readings); got != n {
			b.Fatalf("%d readings, want %d", got, n)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "readings/s")
}
