package enedis

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestStampParseMatchesTimeParse: the hand-read stamps are the instants, offsets and errors
// time.Parse gives, for every form a row may hold.
func TestStampParseMatchesTimeParse(t *testing.T) {
	var z stampZones
	for _, s := range []string{
		"2021-01-07T14:00:00+01:00", "2021-07-07T14:00:00+02:00", "2021-01-07T14:00:00-05:30",
		"2021-01-07T14:00:00+00:00", "2021-01-07T14:00:00Z", "2021-01-07T14:00:00.5+01:00",
		"2024-02-29T00:30:00+01:00", "2023-02-29T00:30:00+01:00", "2021-13-07T14:00:00+01:00",
		"2021-01-07T24:00:00+01:00", "2021-01-07T14:60:00+01:00", "2021-01-07T14:00:60+01:00",
		"2021-01-07T14:00:00+24:00", "2021-01-07 14:00:00+01:00", "2021-0a-07T14:00:00+01:00",
		"2021-01-00T14:00:00+01:00", "07/01/2021 14:00", "",
	} {
		for range 2 { // the second time from the zone kept
			got, gotErr := z.parse(s)
			want, wantErr := time.Parse(time.RFC3339, s)
			_, gotOff := got.Zone()
			_, wantOff := want.Zone()
			if (gotErr == nil) != (wantErr == nil) || !got.Equal(want) || gotOff != wantOff {
				t.Errorf("%q: got %v (%v), time.Parse %v (%v)", s, got, gotErr, want, wantErr)
			}
		}
	}
}

// TestHDMRowsKeepTheirValues: rows whose values are cut from shared slabs keep each their
// own, across more rows than a slab holds, with empty values in between, and each block
// gets its own rows.
func TestHDMRowsKeepTheirValues(t *testing.T) {
	var b strings.Builder
	b.WriteString("Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;Etape metier;Unite\n")
	b.WriteString("09111642617347;Index;20/10/2020;02/02/2022;Energie active;Consommation;Comptage Brut;\n")
	b.WriteString("Horodate;Type de releve;EAS F1;EAS F2;EAS T\n")
	const n = 3 * slab
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, paris())
	for i := range n {
		f2 := ""
		if i%3 != 0 {
			f2 = "7"
		}
		b.WriteString(day.Add(time.Duration(i)*time.Hour).Format(time.RFC3339) + ";Arrêté quotidien;" + strconv.Itoa(i) + ";" + f2 + ";" + strconv.Itoa(2*i) + "\n")
	}
	b.WriteString("Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;Etape metier;Unite;Pas en minutes\n")
	b.WriteString("09111642617347;Courbe de charge;20/10/2020;02/02/2022;Energie active;Consommation;Comptage Brut;W;30\n")
	b.WriteString("Horodate;Valeur\n2021-01-07T14:00:00+01:00;1061\n")
	f, err := ParseHDM(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Blocks) != 2 || len(f.Blocks[1].Rows) != 1 || *f.Blocks[1].Rows[0].Values[0] != 1061 {
		t.Fatalf("second block: %+v", f.Blocks[1:])
	}
	rows := f.Blocks[0].Rows
	if len(rows) != n {
		t.Fatalf("%d rows, want %d", len(rows), n)
	}
	for i, r := range rows {
		if len(r.Values) != 3 || *r.Values[0] != float64(i) || *r.Values[2] != float64(2*i) || (r.Values[1] == nil) != (i%3 == 0) || r.Label != "Arrêté quotidien" {
			t.Fatalf("row %d: %+v", i, r)
		}
	}
}
