package demo

import (
	"crypto/sha256"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/store"
)

var testEnd = time.Date(2025, 6, 30, 10, 42, 0, 0, time.UTC)

func dataset(t *testing.T, end time.Time) *Dataset {
	t.Helper()
	return Generate(end, 42)
}

func docs(ds *Dataset, doctype string) []Doc {
	var out []Doc
	for _, b := range ds.Docs {
		if b.Doctype == doctype {
			out = append(out, b.Docs...)
		}
	}
	return out
}

func series(t *testing.T, ds *Dataset, id string) []store.Reading {
	t.Helper()
	for _, s := range ds.Series {
		if s.Series.ID == id {
			return s.Readings
		}
	}
	t.Fatalf("no series %s", id)
	return nil
}

var moneyRE = regexp.MustCompile(`^-?[0-9]+\.[0-9]{2}$`)

// cents parses an exact decimal string with two decimals.
func cents(t *testing.T, s any) int64 {
	t.Helper()
	str, _ := s.(string)
	if !moneyRE.MatchString(str) {
		t.Fatalf("money %v is not a decimal string with 2 decimals", s)
	}
	neg := strings.HasPrefix(str, "-")
	n, err := strconv.ParseInt(strings.Replace(strings.TrimPrefix(str, "-"), ".", "", 1), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	if neg {
		return -n
	}
	return n
}

func hash(t *testing.T, ds *Dataset) [32]byte {
	b, err := json.Marshal(ds)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestDeterministic(t *testing.T) {
	a, b := hash(t, Generate(testEnd, 7)), hash(t, Generate(testEnd, 7))
	if a != b {
		t.Error("same seed, different output")
	}
	if a == hash(t, Generate(testEnd, 8)) {
		t.Error("different seeds, same output")
	}
	// The end is truncated to the day in Paris: another instant of that day gives the same
	// readings (only the deposits' time differs).
	x, y := Generate(testEnd, 7), Generate(time.Date(2025, 6, 30, 21, 59, 0, 0, time.UTC), 7)
	for i := range x.Series {
		if !slices.Equal(x.Series[i].Readings, y.Series[i].Readings) {
			t.Errorf("series %s: another instant of the same Paris day changed the readings", x.Series[i].Series.ID)
		}
	}
}

func TestCounts(t *testing.T) {
	ds := dataset(t, testEnd)
	tests := []struct {
		doctype  string
		min, max int
	}{
		{"profile", 1, 1},
		{"meter", 3, 3},
		{"contract", 6, 6},
		{"insurance.contract", 2, 2},
		{"insurance.claim", 1, 1},
		{"bank.account", 2, 2},
		{"bank.operation", 500, 900},
		{"bill", 45, 60},
		{"telecom.record", 1500, 3000},
		{"calendar.event", 8, 15},
		{"place", 6, 10},
		{"visit", 1000, 2500}, // a year of stays and three weeks of the raw trace (life.go)
		{"contact", 5, 5},
		{"health.claim", 6, 6},
		{"health.reimbursement", 6, 12}, // the Assurance Maladie's, and the complementary insurer's paid within the year
	}
	for _, tt := range tests {
		if n := len(docs(ds, tt.doctype)); n < tt.min || n > tt.max {
			t.Errorf("%s: %d documents, want %d..%d", tt.doctype, n, tt.min, tt.max)
		}
	}
	if len(ds.Series) != 7 {
		t.Errorf("%d series, want 7", len(ds.Series))
	}
}

func TestSeriesMeters(t *testing.T) {
	ds := dataset(t, testEnd)
	meters := map[string]bool{}
	for _, d := range docs(ds, "meter") {
		meters[d.ID] = true
	}
	for _, s := range ds.Series {
		if !meters[s.Series.Meter] {
			t.Errorf("series %s: meter %q is not a meter document", s.Series.ID, s.Series.Meter)
		}
		if !strings.HasPrefix(s.Series.Doctype, "reading.") || s.Series.Source.Kind != "organization" {
			t.Errorf("series %s: doctype %q, source %+v", s.Series.ID, s.Series.Doctype, s.Series.Source)
		}
	}
}

func TestBankBalances(t *testing.T) {
	ds := dataset(t, testEnd)
	opening := map[string]int64{checkingID: openingChecking, savingsID: openingSavings}
	sums := map[string]int64{}
	categories := "income housing energy telecom insurance groceries transport restaurants health leisure savings other"
	for _, d := range docs(ds, "bank.operation") {
		sums[d.Data["account"].(string)] += cents(t, d.Data["amount"])
		if c := d.Data["category"].(string); !strings.Contains(" "+categories+" ", " "+c+" ") {
			t.Errorf("operation %s: category %q", d.ID, c)
		}
	}
	accounts := docs(ds, "bank.account")
	for _, a := range accounts {
		if got, want := cents(t, a.Data["balance"]), opening[a.ID]+sums[a.ID]; got != want {
			t.Errorf("account %s: balance %d cents, opening + operations %d", a.ID, got, want)
		}
		if !regexp.MustCompile(`^FR[0-9]{25}$`).MatchString(a.Data["iban"].(string)) {
			t.Errorf("account %s: IBAN %v", a.ID, a.Data["iban"])
		}
	}
	if len(accounts) != 2 {
		t.Errorf("%d accounts", len(accounts))
	}
}

func TestIBAN(t *testing.T) {
	// The example of the French banking federation: FR76 3000 6000 0112 3456 7890 189.
	if got := iban("30006", "00001", "12345678901"); got != "FR7630006000011234567890189" {
		t.Errorf("iban = %s", got)
	}
}

// TestBillsMatch checks that every bill has its PDF and its debit on the due date.
func TestBillsMatch(t *testing.T) {
	ds := dataset(t, testEnd)
	files := map[string]FileData{}
	for _, f := range ds.Files {
		files[f.ID] = f
	}
	type debit struct{ date, ref string }
	debits := map[debit]int64{}
	for _, d := range docs(ds, "bank.operation") {
		if ref, ok := d.Data["reference"].(string); ok {
			debits[debit{d.Data["date"].(string), ref}] = cents(t, d.Data["amount"])
		}
	}
	types := map[string]int{}
	for _, b := range docs(ds, "bill") {
		types[b.Data["type"].(string)]++
		f, ok := files[b.Data["file"].(string)]
		if !ok {
			t.Errorf("bill %s: no file %v", b.ID, b.Data["file"])
			continue
		}
		if len(f.Documents) != 1 || f.Documents[0] != (Ref{"bill", b.ID}) || f.MediaType != "application/pdf" {
			t.Errorf("file %s: documents %v, media type %s", f.ID, f.Documents, f.MediaType)
		}
		if err := checkPDF(f.Content); err != nil {
			t.Errorf("file %s: %v", f.ID, err)
		}
		amount, ok := debits[debit{b.Data["dueDate"].(string), b.Data["reference"].(string)}]
		if !ok || amount != -cents(t, b.Data["amount"]) {
			t.Errorf("bill %s of %v due %v: debit %d cents", b.ID, b.Data["amount"], b.Data["dueDate"], amount)
		}
	}
	for typ, want := range map[string]int{"electricity": 11, "gas": 11, "telecom": 12, "housing": 12, "water": 3, "insurance": 2} {
		if types[typ] < want {
			t.Errorf("%d %s bills, want at least %d", types[typ], typ, want)
		}
	}
	if len(ds.Files) != len(docs(ds, "bill")) {
		t.Errorf("%d files for %d bills", len(ds.Files), len(docs(ds, "bill")))
	}
}

// TestHealthMatchesBank checks that each claim was paid by card and each refund credited.
func TestHealthMatchesBank(t *testing.T) {
	ds := dataset(t, testEnd)
	ops := map[string]int{}
	for _, d := range docs(ds, "bank.operation") {
		if d.Data["category"] == "health" {
			ops[d.Data["date"].(string)+" "+d.Data["amount"].(string)]++
		}
	}
	for _, d := range docs(ds, "health.claim") {
		if ops[d.Data["date"].(string)+" -"+d.Data["amount"].(string)] == 0 {
			t.Errorf("claim %s: no card payment of %v on %v", d.ID, d.Data["amount"], d.Data["date"])
		}
	}
	for _, d := range docs(ds, "health.reimbursement") {
		if ops[d.Data["date"].(string)+" "+d.Data["amount"].(string)] == 0 {
			t.Errorf("reimbursement %s: no credit of %v on %v", d.ID, d.Data["amount"], d.Data["date"])
		}
	}
}

func TestDocumentIDsAndJSON(t *testing.T) {
	ds := dataset(t, testEnd)
	idRE := regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	seen := map[string]bool{}
	for _, b := range ds.Docs {
		if b.Source.Batch == "" || b.Source.At.IsZero() || (b.Source.Kind == "organization") == (b.Source.ID == "") {
			t.Errorf("%s: source %+v", b.Doctype, b.Source)
		}
		for _, d := range b.Docs {
			key := b.Doctype + "/" + d.ID
			if !idRE.MatchString(d.ID) || seen[key] {
				t.Errorf("%s: bad or duplicate id", key)
			}
			seen[key] = true
			if _, err := json.Marshal(d.Data); err != nil {
				t.Errorf("%s: %v", key, err)
			}
		}
	}
	for _, f := range ds.Files {
		if !idRE.MatchString(f.ID) || seen["file/"+f.ID] {
			t.Errorf("file %s: bad or duplicate id", f.ID)
		}
		seen["file/"+f.ID] = true
	}
}

// TestDocumentsValidate checks every document against the declared doctypes, which follow
// docs/doctypes-spec.md.
func TestDocumentsValidate(t *testing.T) {
	reg, err := doctype.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	ds := dataset(t, testEnd)
	for _, b := range ds.Docs {
		for _, d := range b.Docs {
			raw, err := json.Marshal(d.Data)
			if err != nil {
				t.Fatal(err)
			}
			if err := reg.Validate(b.Doctype, raw); err != nil {
				t.Errorf("%s/%s: %v\n%s", b.Doctype, d.ID, err, raw)
			}
		}
	}
}

// TestSummary logs what a dataset holds (go test -v -run Summary).
func TestSummary(t *testing.T) {
	ds := dataset(t, testEnd)
	for _, b := range ds.Docs {
		t.Logf("%-22s %-20s %5d", b.Doctype, b.Source.Name, len(b.Docs))
	}
	for _, s := range ds.Series {
		var sum float64
		for _, r := range s.Readings {
			sum += r.Value
		}
		t.Logf("%-22s %6d readings, sum %.1f %s", s.Series.ID, len(s.Readings), sum, s.Series.Unit)
	}
	var size int
	for _, f := range ds.Files {
		size += len(f.Content)
	}
	t.Logf("%d files, %d bytes", len(ds.Files), size)
	for _, a := range docs(ds, "bank.account") {
		t.Logf("%s: balance %v on %v", a.ID, a.Data["balance"], a.Data["balanceDate"])
	}
}
