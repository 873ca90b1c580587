package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"syscall"
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

// parallelClients is the concurrency of the parallel GET benchmarks: 32 clients at once, as
// the measure of selfdata next to bare net/http and PocketBase was taken.
const parallelClients = 32

// BenchmarkParallelGet is one authenticated document GET by 32 clients at once over loopback
// HTTP (token lookup, permission check, store read, access-log entry committed before the
// answer), next to bare net/http answering a fixed JSON of the same size in the same run:
// the ratio of the two is what holds on a machine whose speed varies from day to day. Run
// with -count to alternate them: go test -run '^$' -bench ParallelGet -count 5 ./internal/web/
func BenchmarkParallelGet(b *testing.B) {
	b.Run("bare", func(b *testing.B) {
		ts := newTestServer(b)
		body := ts.billJSON(b)
		bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(body)
		}))
		defer bare.Close()
		parallelGet(b, bare.URL+"/api/v1/data/bill/bill-alice", "")
	})
	b.Run("selfdata", func(b *testing.B) {
		ts := newTestServer(b)
		parallelGet(b, ts.http.URL+"/api/v1/data/bill/bill-alice", "Bearer "+ts.alice.token)
	})
}

// billJSON is the body selfdata answers for alice's bill, for the bare server to send.
func (ts *testServer) billJSON(b *testing.B) []byte {
	req, _ := http.NewRequest("GET", ts.http.URL+"/api/v1/data/bill/bill-alice", nil)
	req.Header.Set("Authorization", "Bearer "+ts.alice.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("status %d, %v", res.StatusCode, err)
	}
	return body
}

// parallelGet GETs url with parallelClients clients, each on its own connection, and
// reports requests per second.
func parallelGet(b *testing.B, url, authorization string) {
	tr := &http.Transport{MaxIdleConnsPerHost: parallelClients, MaxConnsPerHost: parallelClients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	b.SetParallelism((parallelClients + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	cpu0 := cpuTime(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req, _ := http.NewRequest("GET", url, nil)
		if authorization != "" {
			req.Header.Set("Authorization", authorization)
		}
		for pb.Next() {
			res, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Errorf("status %d", res.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/float64(b.N), "cpu-µs/req")
}

// cpuTime is the CPU time the process has used, user and system: client and server are
// both in it, as the same client is in the bare figure. Unlike the wall time, it moves little
// with the other work of a shared machine.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
