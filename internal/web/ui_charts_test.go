package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/demo"
	"selfdata/internal/gate"
	"selfdata/internal/services/energy"
	"selfdata/internal/store"
	"selfdata/internal/web/chart"
)

// addChartData gives alice, besides her bill of 61.20 (EDF, 2025-01-31) and her water of
// 120 + 130 L (2025-01-01 and 02), a bank account and two Orange bills:
//
//	balance on 2025-01-31: -57.90; operations: 01-10 -42.10 groceries, 01-12 -15.00 transport,
//	01-20 +200.00 income, 01-25 -300.00 savings.
//
// End-of-day balances, walking back: 01-31 -57.90; 01-24 242.10; 01-17 42.10; 01-10 57.10;
// 01-03 99.20. Spending: groceries 42.10 + transport 15.00 = 57.10 (savings left out).
// Bills: Dec 2024 29.99; Jan 2025 61.20 + 29.99 = 91.19; total 121.18.
func addChartData(t *testing.T, ts *testServer) {
	t.Helper()
	owner := gate.Owner(ts.alice.in.ID)
	docs := map[string][]string{
		"bank.account": {`{"bank":"La Banque Postale","label":"Compte courant","balance":"-57.90","balanceDate":"2025-01-31","currency":"EUR"}`},
		"bank.operation": {
			`{"account":"doc-bank.account-0","date":"2025-01-10","label":"CB MARCHE","amount":"-42.10","currency":"EUR","category":"groceries"}`,
			`{"account":"doc-bank.account-0","date":"2025-01-12","label":"TCL","amount":"-15.00","currency":"EUR","category":"transport"}`,
			`{"account":"doc-bank.account-0","date":"2025-01-20","label":"SALAIRE","amount":"200.00","currency":"EUR","category":"income"}`,
			`{"account":"doc-bank.account-0","date":"2025-01-25","label":"VIR LIVRET A","amount":"-300.00","currency":"EUR","category":"savings"}`,
			`{"account":"elsewhere","date":"2023-01-25","label":"OLD","amount":"-1.00","currency":"EUR","category":"other"}`,
		},
		"bill": {
			`{"vendor":"Orange","date":"2024-12-05","amount":"29.99","currency":"EUR","type":"telecom"}`,
			`{"vendor":"Orange","date":"2025-01-05","amount":"29.99","currency":"EUR","type":"telecom"}`,
		},
	}
	err := ts.gate.Write(bg, owner, func(b *gate.Batch) error {
		for _, dt := range []string{"bank.account", "bank.operation", "bill"} {
			var in []gate.Input
			for i, d := range docs[dt] {
				in = append(in, gate.Input{ID: fmt.Sprintf("doc-%s-%d", dt, i), Data: json.RawMessage(d)})
			}
			checked, err := ts.gate.Check(dt, in)
			if err != nil {
				return err
			}
			if _, err := b.Create(dt, checked, owner.Source("", ts.gate)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestChartPages(t *testing.T) {
	ts := newTestServer(t)
	addChartData(t, ts)
	const nbsp = "\u00a0"
	tests := []struct {
		name     string
		path     string
		status   int
		contains []string
		absent   []string
	}{
		{"index", "/charts", 200, []string{`href="/charts/water"`, `href="/charts/bank"`, `href="/charts/bills"`, "Electricity</span> — <span class=\"meta\">no data yet"}, []string{`href="/charts/electricity"`}},
		{"index in French", "/charts?lang=fr", 200, []string{"Graphiques", "Eau", "pas encore de données"}, nil},
		{"water by month", "/charts/water?step=month", 200, []string{"<svg", "Water consumption", "January 2025 (1 Jan 2025 – 2 Jan 2025): 250" + nbsp + "L", "<td>250</td>", "Feb 2024 – 2 Jan 2025", `aria-current="page">Month`,
			"The last period is partial (1 Jan 2025 – 2 Jan 2025)", "0 of the 12 periods have the same span a year earlier",
			`fill="url(#c-water-hatch)"`, ">partial period (2 days)</text>", "January 2025 (1 Jan 2025 – 2 Jan 2025) — partial period (2 days)</th>"}, nil},
		{"water by month in French", "/charts/water?step=month&lang=fr", 200, []string{"Consommation d&#39;eau", "janvier 2025 (1 janv. 2025 – 2 janv. 2025)\u202f: 250" + nbsp + "L", "Mois",
			">période incomplète (2 jours)</text>", "— période incomplète (2 jours)</th>"}, nil},
		{"water by day", "/charts/water?step=day", 200, []string{"2 Jan 2025: 130" + nbsp + "L", "1 Jan 2025: 120" + nbsp + "L", "3 Dec 2024 – 2 Jan 2025", `aria-current="page">Day`}, []string{"hatch", "partial period"}},
		{"water by week", "/charts/water?step=week&at=2025-01-05", 200, []string{"week of 30 Dec 2024 (1 Jan 2025 – 2 Jan 2025): 250" + nbsp + "L", "7 Oct 2024 – 2 Jan 2025",
			"(1 Jan 2025 – 2 Jan 2025) — partial period (2 days)</th>", `fill="url(#c-water-n-hatch)"`}, nil},
		{"water by year", "/charts/water?step=year", 200, []string{"2025: 250" + nbsp + "L", `href="/charts/water?at=2020-01-02&amp;step=year"`}, nil},
		{"step links keep the day", "/charts/water", 200, []string{`href="/charts/water?at=2025-01-02&amp;step=day"`, `href="/charts/water?at=2024-01-02&amp;step=month"`}, []string{`rel="next"`}},
		{"an earlier chartWindow has a later link", "/charts/water?at=2024-06-01", 200, []string{"No data for this period.", `rel="next"`, `href="/charts/water?at=2025-01-02&amp;step=month"`}, nil},
		{"no electricity", "/charts/electricity", 200, []string{"No electricity consumption in your store yet"}, []string{"<svg"}},
		{"no gas, in French", "/charts/gas?lang=fr", 200, []string{"Pas encore de consommation de gaz"}, []string{"<svg"}},
		{"bank", "/charts/bank", 200, []string{"<svg", "Balance of Compte courant (La Banque Postale)", "-57.90", "242.10", "42.10", "57.10", "99.20", "Groceries", "Transport", "<td>57.10</td>"}, []string{"Savings", "300.00"}},
		{"bank in French", "/charts/bank?lang=fr", 200, []string{"Solde de Compte courant", "-57,90", "242,10", "Courses", "Dépenses par catégorie"}, nil},
		{"bills", "/charts/bills", 200, []string{"<svg", "Total billed per month", "January 2025: 91.19" + nbsp + "€", "<td>121.18</td>", `<th scope="col">EDF</th>`, `<th scope="col">Orange</th>`, "<td>59.98</td>"}, nil},
		{"bills in French", "/charts/bills?lang=fr", 200, []string{"Total facturé par mois", "janvier 2025\u202f: 91,19" + nbsp + "€", "<td>121,18</td>"}, nil},
		{"bills a year earlier", "/charts/bills?at=2024-01-31", 200, []string{"No data for this period."}, nil},
		{"unknown chart", "/charts/nope", 404, nil, nil},
		{"bad step", "/charts/water?step=hour", 400, nil, nil},
		{"bad date", "/charts/water?at=yesterday", 400, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ts.do(t, request{method: "GET", path: tt.path, as: "session:alice"})
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			for _, c := range tt.contains {
				if !strings.Contains(res.body, c) {
					t.Errorf("lacks %q", c)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(res.body, a) {
					t.Errorf("has %q", a)
				}
			}
			if t.Failed() {
				t.Log(res.body)
			}
		})
	}
}

// TestChartComparison: the readings of a year earlier are the comparison, over the same
// span: January 2025 has two days (1 and 2, 250 L), compared with 1 and 2 January 2024
// (100 + 50 L), not with all of January 2024 (which has 31 L more on the 20th).
func TestChartComparison(t *testing.T) {
	ts := newTestServer(t)
	owner := gate.Owner(ts.alice.in.ID)
	err := ts.gate.Write(bg, owner, func(b *gate.Batch) error {
		_, err := b.AddReadings(ts.alice.seriesID, []store.Reading{
			{At: time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC), Value: 100}, {At: time.Date(2024, 1, 2, 10, 0, 0, 0, time.UTC), Value: 50},
			{At: time.Date(2024, 1, 20, 10, 0, 0, 0, time.UTC), Value: 31}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	res := ts.do(t, request{method: "GET", path: "/charts/water?step=month", as: "session:alice"})
	for _, c := range []string{"Same months a year earlier — 1 Jan 2024 – 2 Jan 2024: 150\u00a0L", "<dd>&#43;66.7%</dd>", "<dd>150\u00a0L</dd>", "<dd>250\u00a0L</dd>", "1 of the 12 periods"} {
		if !strings.Contains(res.body, c) {
			t.Errorf("lacks %q: %s", c, res.body)
		}
	}
	res = ts.do(t, request{method: "GET", path: "/charts/water?step=month&lang=fr", as: "session:alice"})
	if !strings.Contains(res.body, "&#43;66,7\u202f%") {
		t.Errorf("no French change: %s", res.body)
	}
}

// TestChartsDemo draws the demo person's year: the electricity month chart has 12 bars whose
// total is the store's own aggregation, and the bank and bills charts render.
func TestChartsDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a year of demo data")
	}
	ts := newTestServer(t)
	h, err := auth.HashPassphraseWith("demo pass", auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	in, err := ts.db.CreateInstance(bg, "demo", h)
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)
	if err := demo.Seed(bg, ts.gate, in.ID, demo.Generate(end, 1)); err != nil {
		t.Fatal(err)
	}
	session, _, err := ts.auth.Login(bg, "demo", "demo pass", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) string {
		t.Helper()
		res := ts.do(t, request{method: "GET", path: path, header: map[string]string{"Cookie": sessionCookie + "=" + session}})
		if res.status != http.StatusOK {
			t.Fatalf("%s: status %d: %s", path, res.status, res.body)
		}
		if dir := os.Getenv("CHARTS_DUMP"); dir != "" { // to look at the pages: CHARTS_DUMP=/tmp/x go test -run TestChartsDemo
			os.WriteFile(filepath.Join(dir, strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "_").Replace(path)+".html"), []byte(res.body), 0o644)
		}
		return res.body
	}

	body := get("/charts/electricity?step=month")
	wide, _, _ := strings.Cut(body[strings.Index(body, "chart-wide"):], "</svg>")
	if n := strings.Count(wide, "><title>This period — "); n != 12 {
		t.Errorf("%d bars, want 12", n)
	}
	if !strings.Contains(body, "Courbe de charge (30 min)") {
		t.Error("not drawn from the load curve")
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	bs, err := ts.gate.Aggregate(bg, gate.Owner(in.ID), "enedis-load-curve", store.Aggregation{
		From: time.Date(2024, 7, 1, 0, 0, 0, 0, paris), To: time.Date(2025, 6, 15, 0, 0, 0, 0, paris), Step: store.Month, Fn: store.Sum, Location: paris})
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 12 {
		t.Fatalf("%d buckets", len(bs))
	}
	total := 0.0
	for _, b := range bs {
		total += b.Value / 1000
		if cell := "<td>" + chart.Format(b.Value/1000, 0, "en") + "</td>"; !strings.Contains(body, cell) {
			t.Errorf("no %s for %s", cell, b.Start)
		}
	}
	if want := "<dd>" + chart.Format(total, 0, "en") + "\u00a0kWh</dd>"; !strings.Contains(body, want) {
		t.Errorf("total: lacks %q", want)
	}

	for _, path := range []string{"/charts", "/charts/electricity?step=day", "/charts/electricity?step=week&lang=fr", "/charts/gas?step=year", "/charts/water", "/charts/bank", "/charts/bills?lang=fr"} {
		if b := get(path); path != "/charts" && !strings.Contains(b, "<svg") {
			t.Errorf("%s: no chart", path)
		}
	}
	bank := get("/charts/bank")
	if n := strings.Count(bank, `class="chart-svg chart-wide"`); n != 3 || strings.Count(bank, `class="chart-svg chart-narrow"`) != n {
		t.Errorf("bank: %d charts, want 2 balances and the spending, each drawn wide and narrow", n)
	}
}

// TestChartCoveredDays counts calendar days, whatever the hours and the clock changes.
func TestChartCoveredDays(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, paris) }
	for _, tt := range []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"a weekend", at(2025, 1, 4, 0), at(2025, 1, 6, 0), 2},
		{"one day of December", at(2025, 12, 1, 0), at(2025, 12, 2, 0), 1},
		{"readings stop at noon", at(2025, 12, 1, 0), at(2025, 12, 3, 12), 3},
		{"over the spring clock change", at(2025, 3, 29, 0), at(2025, 4, 1, 0), 3},
		{"over the autumn clock change", at(2025, 10, 25, 0), at(2025, 10, 28, 0), 3},
		{"nothing", at(2025, 1, 1, 0), at(2025, 1, 1, 0), 0},
	} {
		if got := chartCoveredDays(tt.from, tt.to); got != tt.want {
			t.Errorf("%s: %d days, want %d", tt.name, got, tt.want)
		}
	}
}

// TestUsageChartPartial: a window whose first and last months the readings cover in part
// hatches both bars, names each in the table with its days, and says which one in the note.
func TestUsageChartPartial(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, paris) }
	month := func(m time.Month, from, to time.Time, v float64) energy.Bucket {
		start := day(m, 1)
		b := energy.Bucket{Start: start, End: start.AddDate(0, 1, 0), From: from, To: to, Value: v, Has: true}
		b.Partial = from.After(b.Start) || to.Before(b.End)
		return b
	}
	step, _ := energy.ParseStep("month")
	u := energy.Usage{Meter: &energy.Meter{Unit: "kWh"}, Step: step, Buckets: []energy.Bucket{
		month(time.October, day(time.October, 20), day(time.November, 1), 80),
		month(time.November, day(time.November, 1), day(time.December, 1), 250),
		month(time.December, day(time.December, 1), day(time.December, 2), 9),
	}}
	tests := []struct {
		lang     string
		contains []string
		rows     []string
	}{
		{"en", []string{`fill="url(#c-t-hatch)"`, ">partial period</text>", "December 2025 (1 Dec 2025 – 1 Dec 2025): 9 kWh — partial period (1 day)"},
			[]string{"October 2025 (20 Oct 2025 – 31 Oct 2025) — partial period (12 days)", "November 2025", "December 2025 (1 Dec 2025 – 1 Dec 2025) — partial period (1 day)"}},
		{"fr", []string{">période incomplète</text>"},
			[]string{"octobre 2025 (20 oct. 2025 – 31 oct. 2025) — période incomplète (12 jours)", "novembre 2025", "décembre 2025 (1 déc. 2025 – 1 déc. 2025) — période incomplète (1 jour)"}},
	}
	for _, tt := range tests {
		d := usageChart(u, tt.lang, "c-t", "t")
		svg := strings.ReplaceAll(string(d.svg), "\u00a0", " ")
		for _, c := range tt.contains {
			if !strings.Contains(svg, c) {
				t.Errorf("%s: the chart lacks %q", tt.lang, c)
			}
		}
		if n := strings.Count(svg, `-hatch)" stroke="#0b5cad" stroke-width="1.5"><title>`); n != 2*2 {
			t.Errorf("%s: %d hatched bars in the two drawings, want 2 each", tt.lang, n)
		}
		for i, want := range tt.rows {
			if got := d.table.Rows[i][0]; got != want {
				t.Errorf("%s: row %d is %q, want %q", tt.lang, i, got, want)
			}
		}
		first, last := chartText(tt.lang, "charts.partial.first"), chartText(tt.lang, "charts.partial")
		for _, key := range []string{first[:20], last[:20]} {
			if !strings.Contains(d.note, key) {
				t.Errorf("%s: the note %q does not say %q", tt.lang, d.note, key)
			}
		}
	}
	for _, tt := range []struct {
		i, n int
		want string
	}{{0, 1, "charts.partial"}, {0, 3, "charts.partial.first"}, {1, 3, "charts.partial.some"}, {2, 3, "charts.partial"}} {
		if got := chartPartialKey(tt.i, tt.n); got != tt.want {
			t.Errorf("chartPartialKey(%d, %d) = %s, want %s", tt.i, tt.n, got, tt.want)
		}
	}
}
