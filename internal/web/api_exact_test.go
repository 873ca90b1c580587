package web

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestAggregateJSONExact: 365 readings given with three decimals (float64 adds them up to
// 50663.094999999965), written and summed through the API, read as their exact sum, whether
// summed from the day's chunk stats (year) or decoded (hour), and the series says its precision.
func TestAggregateJSONExact(t *testing.T) {
	ts := newTestServer(t)
	create := ts.do(t, request{method: "POST", path: "/api/v1/series", as: "token:alice",
		body: `{"id":"gas-exact","doctype":"reading.gas","name":"Gas","quantity":"volume","unit":"m3"}`})
	if create.status != 201 {
		t.Fatalf("create: %d %s", create.status, create.body)
	}
	var rs []string
	start := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := range 365 {
		rs = append(rs, fmt.Sprintf(`{"at":%q,"value":138.803}`, start.Add(time.Duration(i)*5*time.Second).Format(time.RFC3339)))
	}
	if res := ts.do(t, request{method: "POST", path: "/api/v1/series/gas-exact/readings", as: "token:alice", body: "[" + strings.Join(rs, ",") + "]"}); res.status != 200 {
		t.Fatalf("readings: %d %s", res.status, res.body)
	}
	tests := []struct{ path, want string }{
		{"/api/v1/series/gas-exact/aggregate?step=year&tz=UTC", `"value":50663.095,`},
		{"/api/v1/series/gas-exact/aggregate?step=year&tz=UTC&fn=avg", `"value":138.803,`},
		{"/api/v1/series/gas-exact/aggregate?step=hour&tz=UTC&from=2025-01-01T12:00:00Z&to=2025-01-01T13:00:00Z", `"value":50663.095,`},
		{"/api/v1/series/gas-exact", `"decimals":3`},
		{"/api/v1/series/gas-exact/readings?limit=1", `"value":138.803}`},
	}
	for _, tt := range tests {
		res := ts.do(t, request{method: "GET", path: tt.path, as: "token:alice"})
		if res.status != 200 || !strings.Contains(res.body, tt.want) {
			t.Errorf("GET %s: %d %s, want %s", tt.path, res.status, res.body, tt.want)
		}
	}
}
