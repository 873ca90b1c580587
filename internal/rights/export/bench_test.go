package export

import (
	"crypto/rand"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"selfdata/internal/benchmem"
	"strconv"
	"testing"
	"time"

	"selfdata/internal/consent"
	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite"
)

// BenchmarkExport exports a person holding N readings and files of F MB in all, from a
// SQLite store, to a file on the disk of the temporary directory (fsynced), and beside it
// writes as many bytes to a file of the same disk and fsyncs it: the disk's sequential
// write, measured in the same run. It reports the export's and the disk's MB/s, their ratio
// and the heap's peak above its start during the export. N and F are
// SELFDATA_EXPORT_READINGS (default 1,000,000) and SELFDATA_EXPORT_FILES_MB (default 128);
// the run is 10,000,000 and 1024.
func BenchmarkExport(b *testing.B) {
	n, mb := envInt(b, "SELFDATA_EXPORT_READINGS", 1_000_000), envInt(b, "SELFDATA_EXPORT_FILES_MB", 128)
	dir := b.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "data"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	reg, err := doctype.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	in, err := st.CreateInstance(ctx, "alice", "h")
	if err != nil {
		b.Fatal(err)
	}
	g := gate.New(st, reg)
	seedReadings(b, g, in.ID, n)
	seedFiles(b, g, in.ID, mb)
	x := &Exporter{Gate: g, Grants: consent.NewGrants(st, reg), Instances: st}
	out := filepath.Join(dir, "export.zip")
	var size int64
	var exportSecs, diskSecs, peak float64
	b.ResetTimer()
	for range b.N {
		runtime.GC()
		stop := benchmem.HeapPeak()
		start := time.Now()
		size = exportTo(b, x, in.ID, out)
		exportSecs += time.Since(start).Seconds()
		peak = max(peak, stop())
		b.StopTimer()
		diskSecs += diskWrite(b, filepath.Join(dir, "disk.bin"), size)
		b.StartTimer()
	}
	b.StopTimer()
	exp, disk := float64(size)*float64(b.N)/exportSecs/1e6, float64(size)*float64(b.N)/diskSecs/1e6
	b.ReportMetric(float64(size)/1e6, "archive-MB")
	b.ReportMetric(exp, "export-MB/s")
	b.ReportMetric(disk, "disk-MB/s")
	b.ReportMetric(exp/disk, "ratio")
	b.ReportMetric(peak, "peak-heap-MB")
	b.ReportMetric(float64(n)*float64(b.N)/exportSecs, "readings/s")
}

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		b.Fatalf("%s=%q: give a whole number", name, v)
	}
	return n
}

// seedReadings writes n readings of a water meter every minute, in litres to three
// decimals of m³, in batches of a day's chunks.
func seedReadings(b *testing.B, g *gate.Gate, inst string, n int) {
	own := gate.Owner(inst)
	t0 := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	r := mrand.New(mrand.NewPCG(1, 2))
	err := g.Write(ctx, own, func(bt *gate.Batch) error {
		_, err := bt.CreateSeries(store.Series{ID: "water", Doctype: "reading.water", Name: "Water", Quantity: "volume", Unit: "m3", Source: own.Source("", g)})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	const batch = 200_000
	for done := 0; done < n; done += batch {
		rs := make([]store.Reading, min(batch, n-done))
		for i := range rs {
			rs[i] = store.Reading{At: t0.Add(time.Duration(done+i) * time.Minute), Value: math.Round(r.Float64()*100000) / 1000}
		}
		err := g.Write(ctx, own, func(bt *gate.Batch) error {
			_, err := bt.AddReadings("water", rs)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// seedFiles deposits mb MB of random content as 8 MB files (incompressible, as PDFs and
// photos nearly are).
func seedFiles(b *testing.B, g *gate.Gate, inst string, mb int) {
	own := gate.Owner(inst)
	for i := 0; i*8 < mb; i++ {
		size := int64(min(8, mb-i*8)) << 20
		err := g.Write(ctx, own, func(bt *gate.Batch) error {
			_, err := bt.PutFile(fmt.Sprintf("f%04d", i), fmt.Sprintf("scan %d.pdf", i), "application/pdf", io.LimitReader(rand.Reader, size), nil, own.Source("", g))
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// exportTo writes the archive to path, fsynced, and returns its size.
func exportTo(b *testing.B, x *Exporter, inst, path string) int64 {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, err := x.Write(ctx, gate.Owner(inst), f, nil); err != nil {
		b.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		b.Fatal(err)
	}
	fi, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

// diskWrite writes size bytes to path in 1 MiB writes, fsyncs, and returns the seconds.
func diskWrite(b *testing.B, path string, size int64) float64 {
	buf := make([]byte, 1<<20)
	rand.Read(buf)
	start := time.Now()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	for left := size; left > 0; left -= int64(len(buf)) {
		if _, err := f.Write(buf[:min(left, int64(len(buf)))]); err != nil {
			b.Fatal(err)
		}
	}
	if err := f.Sync(); err != nil {
		b.Fatal(err)
	}
	secs := time.Since(start).Seconds()
	f.Close()
	os.Remove(path)
	return secs
}
