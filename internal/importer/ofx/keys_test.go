package ofx

import (
	"strings"
	"testing"
)

// TestFITIDSuffixedInTheFile: a bank whose FITIDs are "A1#2", "A1", "A1" gets three distinct
// keys. The key helper OFX had gave "A1#2" twice, and the store refused the whole file
// ("id appears twice in the batch").
func TestFITIDSuffixedInTheFile(t *testing.T) {
	suffixed := strings.Replace(goodTrn, "<FITID>A1\n", "<FITID>A1#2\n", 1)
	trn := suffixed + "\n</STMTTRN><STMTTRN>" + goodTrn + "\n</STMTTRN><STMTTRN>" + goodTrn
	res, err := Format().Parse(strings.NewReader(sample(trn, "1")))
	if err != nil {
		t.Fatal(err)
	}
	const acc = "SAVINGS:111:22:987654:"
	want := []string{acc + "A1#2", acc + "A1", acc + "A1#3"}
	if len(res.Records) != 1+len(want) {
		t.Fatalf("%d records, want %d", len(res.Records), 1+len(want))
	}
	for i, w := range want {
		if got := res.Records[i+1].Key; got != w {
			t.Errorf("key %d = %q, want %q", i, got, w)
		}
	}
}
