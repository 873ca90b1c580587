package main

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"none", nil, 50, 0},
		{"one", []time.Duration{7}, 99, 7},
		{"p50 of 100", hundred, 50, 50 * time.Millisecond},
		{"p95 of 100", hundred, 95, 95 * time.Millisecond},
		{"p99 of 100", hundred, 99, 99 * time.Millisecond},
		{"max of 100", hundred, 100, 100 * time.Millisecond},
		{"p50 of 3 is the second", []time.Duration{1, 2, 3}, 50, 2},
		{"p99 of 3 is the last", []time.Duration{1, 2, 3}, 99, 3},
	}
	for _, tt := range tests {
		if got := percentile(tt.sorted, tt.p); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestLoopbackURL(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.1.2.3:8080", true},
		{"http://[::1]:8080/", true},
		{"http://localhost:8080", true},
		{"https://127.0.0.1", true},
		{"http://10.0.0.1:8080", false},
		{"http://192.168.1.10", false},
		{"http://0.0.0.0:8080", false},
		{"http://example.org", false},
		{"http://127.0.0.1.example.org", false},
		{"ftp://127.0.0.1", false},
		{"127.0.0.1:8080", false},
	}
	for _, tt := range tests {
		if _, err := loopbackURL(tt.url); (err == nil) != tt.ok {
			t.Errorf("%s: err %v, want ok=%v", tt.url, err, tt.ok)
		}
	}
}

func TestDialerRefusesOtherAddresses(t *testing.T) {
	if err := loopbackOnly("tcp", "127.0.0.1:80", nil); err != nil {
		t.Errorf("loopback refused: %v", err)
	}
	for _, addr := range []string{"10.1.2.3:80", "[2001:db8::1]:443", "93.184.216.34:80"} {
		if err := loopbackOnly("tcp", addr, nil); err == nil {
			t.Errorf("%s: connection allowed", addr)
		}
	}
}

func TestFlagBounds(t *testing.T) {
	env := func(k string) string {
		if k == "SELFDATA_TOKEN" {
			return "sdpat_x"
		}
		return ""
	}
	tests := []struct {
		args []string
		ok   bool
	}{
		{[]string{"same-series"}, true},
		{[]string{"mix"}, true},
		{[]string{"mix", "-clients", "2000", "-duration", "10m", "-max-requests", "10000000"}, true},
		{[]string{}, false},
		{[]string{"flood"}, false},
		{[]string{"mix", "-clients", "0"}, false},
		{[]string{"mix", "-clients", "2001"}, false},
		{[]string{"mix", "-duration", "11m"}, false},
		{[]string{"mix", "-duration", "500ms"}, false},
		{[]string{"mix", "-max-requests", "10000001"}, false},
		{[]string{"mix", "-seed-docs", "0"}, false},
		{[]string{"mix", "-timeout", "3m"}, false},
		{[]string{"mix", "-weights", "get=0"}, false},
		{[]string{"mix", "-weights", "get=1,delete=1"}, false},
		{[]string{"same-series", "-n", "0"}, false},
		{[]string{"same-series", "-clients", "1000", "-n", "87"}, false}, // 87,000 readings do not fit a day
		{[]string{"same-series", "-clients", "1000", "-n", "86"}, true},
		{[]string{"same-series", "-url", "http://10.0.0.1:8080"}, false},
		{[]string{"same-series", "extra"}, false},
	}
	for _, tt := range tests {
		if _, err := parseArgs(tt.args, env, io.Discard); (err == nil) != tt.ok {
			t.Errorf("%q: err %v, want ok=%v", tt.args, err, tt.ok)
		}
	}
	if _, err := parseArgs([]string{"mix"}, func(string) string { return "" }, io.Discard); err == nil || !strings.Contains(err.Error(), "SELFDATA_TOKEN") {
		t.Errorf("no token: got %v, want an error naming SELFDATA_TOKEN", err)
	}
	cfg, err := parseArgs([]string{"mix", "-token", "sdpat_flag"}, env, io.Discard)
	if err != nil || cfg.token != "sdpat_flag" {
		t.Errorf("-token: got %q, %v; the flag comes before the environment", cfg.token, err)
	}
}

func TestWeights(t *testing.T) {
	w, err := parseWeights("get=2, write-reading=1")
	if err != nil {
		t.Fatal(err)
	}
	var got []kind
	for r := range w.sum() {
		got = append(got, w.pick(r))
	}
	if want := []kind{kindGet, kindGet, kindWriteReading}; !slices.Equal(got, want) {
		t.Errorf("picks %v, want %v", got, want)
	}
}
