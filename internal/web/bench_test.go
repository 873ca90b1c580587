package web

import (
	"io"
	"net/http"
	"slices"
	"testing"
	"time"
)

// BenchmarkDocGetHTTP measures one authenticated document GET through the gate (permission
// check, store read, access-log append) over loopback HTTP, reporting the median latency.
func BenchmarkDocGetHTTP(b *testing.B) {
	ts := newTestServer(b)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	req, _ := http.NewRequest("GET", ts.http.URL+"/api/v1/data/bill/bill-alice", nil)
	req.Header.Set("Authorization", "Bearer "+ts.alice.token)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("status %d", res.StatusCode)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
