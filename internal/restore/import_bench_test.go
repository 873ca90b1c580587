package restore

// Benchmarks of an import end to end, as `selfdata import` does it (spool, detect, parse,
// adapt, one transaction into a fresh SQLite store), each beside the store's own write of
// the same data measured in the same run: on a shared machine only the ratio holds.
//
// Each also reports the peak of the heap during one import above the heap before it
// ("peak-heap-MB", sampled every millisecond), the most of its runs.
//
// Run: go test -run XXX -bench Import -benchmem ./internal/restore/

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"selfdata/internal/benchmem"
	"strings"
	"testing"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/importer/enedis"
	"selfdata/internal/importer/formats"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// hdmReadings is ten years of half-hourly values: 175,344 with the leap days of 2016–2025.
const hdmReadings = 175_344

// hdmFile is an SGE HDM load curve of n 30-minute values in W, shaped as the sample
// (Enedis_SGE_HDM_A06NW0ZI.csv): BOM, two header lines, "Horodate;Valeur", end stamps with
// their Paris offset.
func hdmFile(b testing.TB, n int) []byte {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		b.Skipf("no time zone data: %v", err)
	}
	start := time.Date(2016, 1, 1, 0, 0, 0, 0, paris)
	end := start.Add(time.Duration(n) * 30 * time.Minute)
	var buf bytes.Buffer
	buf.WriteString("\ufeffIdentifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;Etape metier;Unite;Pas en minutes\n")
	fmt.Fprintf(&buf, "09111642617347;Courbe de charge;%s;%s;Energie active;Consommation;Comptage Brut;W;30\n", start.Format("02/01/2006"), end.Format("02/01/2006"))
	buf.WriteString("Horodate;Valeur\n")
	for i := 1; i <= n; i++ {
		t := start.Add(time.Duration(i) * 30 * time.Minute)
		fmt.Fprintf(&buf, "%s;%d\n", t.Format(time.RFC3339), 150+(i*37)%2500+(i/48)%900)
	}
	return buf.Bytes()
}

// ofxFile is a bank statement of n transactions, shaped as the OFX samples.
func ofxFile(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n")
	buf.WriteString("<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20250101120000<LANGUAGE>FRA</SONRS></SIGNONMSGSRSV1>\n")
	buf.WriteString("<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>EUR\n")
	buf.WriteString("<BANKACCTFROM><BANKID>30001<BRANCHID>00794<ACCTID>12345678901<ACCTTYPE>CHECKING</BANKACCTFROM>\n")
	buf.WriteString("<BANKTRANLIST><DTSTART>20150101<DTEND>20241231\n")
	day := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		d := day.AddDate(0, 0, i*3650/n).Format("20060102")
		fmt.Fprintf(&buf, "<STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>%s\n<TRNAMT>-%d.%02d\n<FITID>T%08d\n<NAME>CARTE X%04d LYON 3E\n<MEMO>PAIEMENT CB %s\n</STMTTRN>\n", d, 1+i%900, i%100, i, i%10000, d)
	}
	buf.WriteString("</BANKTRANLIST><LEDGERBAL><BALAMT>1234.56<DTASOF>20241231</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n")
	return buf.Bytes()
}

// measured runs one import or write of b's loop, in a fresh store made by setup (its time
// not counted), after a collection, and keeps the largest peak of the heap.
type measured struct {
	b    *testing.B
	peak float64
}

func (m *measured) run(setup func(), do func()) {
	m.b.StopTimer()
	setup()
	runtime.GC()
	stop := benchmem.HeapPeak()
	m.b.StartTimer()
	do()
	m.b.StopTimer()
	m.peak = max(m.peak, stop())
	m.b.StartTimer()
}

// halfHours is how many half hours there are in the given years from 2016 (175,344 in ten,
// with their leap days).
func halfHours(years int) int {
	start := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	return int(start.AddDate(years, 0, 0).Sub(start) / (30 * time.Minute))
}

// BenchmarkImportHDM imports one, five and ten years of a 30-minute HDM curve ("import"),
// and has the store ingest the same readings in one transaction ("store"): compare their
// readings/s, and see that the peak of the heap ("peak-heap-MB") does not grow with the file.
func BenchmarkImportHDM(b *testing.B) {
	for _, years := range []int{1, 5, 10} {
		n := halfHours(years)
		path, size := benchFile(b, "hdm.csv", hdmFile(b, n))
		b.Run(fmt.Sprintf("%dy/import", years), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(size)
			m := &measured{b: b}
			for b.Loop() {
				var im *Importer
				var in store.Instance
				var f *os.File
				m.run(func() { _, im, in = benchImporter(b); f = open(b, path) }, func() {
					rep, err := im.File(ctx, gate.Owner(in.ID), upload("hdm.csv"), "hdm.csv", f, "", nil)
					if err != nil {
						b.Fatal(err)
					}
					if rep.ReadingsAdded != n {
						b.Fatalf("added %d readings, want %d", rep.ReadingsAdded, n)
					}
				})
				f.Close()
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "readings/s")
			b.ReportMetric(m.peak, "peak-heap-MB")
		})
		b.Run(fmt.Sprintf("%dy/store", years), func(b *testing.B) {
			f := open(b, path)
			res, err := enedis.FormatHDM().Parse(f) // what the import stores
			f.Close()
			if err != nil || len(res.Series) != 1 || len(res.Series[0].Readings) != n {
				b.Fatalf("parse: %v", err)
			}
			readings := res.Series[0].Readings
			b.ReportAllocs()
			m := &measured{b: b}
			for b.Loop() {
				var db store.Store
				var in store.Instance
				m.run(func() { db, _, in = benchImporter(b) }, func() {
					err := db.Update(ctx, in.ID, func(w store.Writer) error {
						if _, err := w.CreateSeries(ctx, store.Series{ID: "meter", Doctype: "reading.electricity", Name: "Compteur", Quantity: "power", Unit: "W", Source: upload("hdm.csv")}); err != nil {
							return err
						}
						n, err := w.AddReadings(ctx, "meter", readings)
						if err == nil && n != len(readings) {
							err = fmt.Errorf("added %d readings, want %d", n, len(readings))
						}
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				})
			}
			b.ReportMetric(float64(len(readings)*b.N)/b.Elapsed().Seconds(), "readings/s")
			b.ReportMetric(m.peak, "peak-heap-MB")
		})
	}
}

// benchFile writes a benchmark's file to disk and returns its path and size: the file is
// read from there, as `selfdata import` reads it, not held in memory, where it would raise the
// heap the collector lets grow (the peak measured) by its size.
func benchFile(b *testing.B, name string, content []byte) (string, int64) {
	path := filepath.Join(b.TempDir(), name)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		b.Fatal(err)
	}
	return path, int64(len(content))
}

// open opens a file of the benchmark.
func open(b *testing.B, path string) *os.File {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// benchImporter is a fresh SQLite store with one person and the importer of every format.
func benchImporter(b *testing.B) (store.Store, *Importer, store.Instance) {
	db, reg := sqlitetest.Open(b)
	in, err := db.CreateInstance(ctx, "bench", "h")
	if err != nil {
		b.Fatal(err)
	}
	if err := db.EnsureIndexes(ctx, reg.Indexes()); err != nil {
		b.Fatal(err)
	}
	return db, NewImporter(gate.New(db, reg), formats.All()), in
}

// BenchmarkImportOFX imports a statement of 2,500 and of 10,000 transactions ("import") and
// has the store write the same documents in one transaction ("store").
func BenchmarkImportOFX(b *testing.B) {
	for _, n := range []int{2_500, 10_000} {
		path, size := benchFile(b, "releve.ofx", ofxFile(n))
		var docs []store.NewDoc
		b.Run(fmt.Sprintf("%d/import", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(size)
			m := &measured{b: b}
			for b.Loop() {
				var db store.Store
				var im *Importer
				var in store.Instance
				var f *os.File
				m.run(func() { db, im, in = benchImporter(b); f = open(b, path) }, func() {
					rep, err := im.File(ctx, gate.Owner(in.ID), upload("releve.ofx"), "releve.ofx", f, "", nil)
					if err != nil {
						b.Fatal(err)
					}
					if rep.ByDoctype["bank.operation"] != n {
						b.Fatalf("report: %+v", rep)
					}
				})
				f.Close()
				if docs == nil {
					b.StopTimer()
					docs = storedDocs(b, db, in.ID, "bank.operation")
					b.StartTimer()
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
			b.ReportMetric(m.peak, "peak-heap-MB")
		})
		if docs == nil {
			return
		}
		b.Run(fmt.Sprintf("%d/store", n), func(b *testing.B) {
			b.ReportAllocs()
			m := &measured{b: b}
			for b.Loop() {
				var db store.Store
				var in store.Instance
				m.run(func() { db, _, in = benchImporter(b) }, func() {
					err := db.Update(ctx, in.ID, func(w store.Writer) error {
						up, err := w.UpsertDocs(ctx, "bank.operation", docs)
						if err == nil && up.Created != len(docs) {
							err = fmt.Errorf("created %d documents, want %d", up.Created, len(docs))
						}
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				})
			}
			b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
			b.ReportMetric(m.peak, "peak-heap-MB")
		})
	}
}

// storedDocs reads back every document of a doctype, as new documents to write elsewhere.
func storedDocs(b *testing.B, db store.Store, inst, doctype string) []store.NewDoc {
	var out []store.NewDoc
	q := store.Query{Doctype: doctype, Limit: 1000}
	for {
		p, err := db.Query(ctx, inst, q)
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range p.Items {
			out = append(out, store.NewDoc{ID: d.ID, Data: d.Data, Source: d.Source})
		}
		if p.Next == "" || len(p.Items) == 0 {
			break
		}
		q.Cursor = p.Next
	}
	if len(out) == 0 || strings.TrimSpace(string(out[0].Data)) == "" {
		b.Fatalf("no %s documents stored", doctype)
	}
	return out
}
