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
	benchGet(b, ts, "Bearer "+ts.alice.token)
}

// BenchmarkDocGetHTTPService is the same GET by a service with its OAuth access token: the
// token is checked by fosite against its stored signature, then the grant is read.
func BenchmarkDocGetHTTPService(b *testing.B) {
	ts := newTestServer(b)
	benchGet(b, ts, "Bearer "+ts.serviceToken(b, "", "bill").AccessToken)
}

// benchGet times GETs of one of alice's bills with authorization, and reports percentiles.
func benchGet(b *testing.B, ts *testServer, authorization string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	req, _ := http.NewRequest("GET", ts.http.URL+"/api/v1/data/bill/bill-alice", nil)
	req.Header.Set("Authorization", authorization)
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
