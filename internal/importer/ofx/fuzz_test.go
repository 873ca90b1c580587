package ofx

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"selfdata/internal/importer/samples"
)

// FuzzParse feeds arbitrary bytes to the importer: it must never panic, a file it accepts
// must give records that have a doctype and a key, keys unique, and its streamed reading
// (Collect over Stream) must give what the whole file's tree gives, Result or error.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{sample(goodTrn, "1"), invStatement, strings.Replace(invStatement, "</OFX>", seclist, 1), "<OFX><A>x</OFX>", "<OFX><![CDATA[", "OFXHEADER:100\n<OFX>"} {
		f.Add([]byte(seed))
	}
	for _, rel := range append(samples.GlobIfPresent("bank/*.ofx"), samples.GlobIfPresent("bank/fail_nice/*.ofx")...) {
		if data, ok := samples.ReadIfPresent(rel); ok {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Format().Parse(bytes.NewReader(data))
		f, werr := Parse(bytes.NewReader(data))
		if fmt.Sprint(err) != fmt.Sprint(werr) {
			t.Fatalf("streamed: %v; whole: %v", err, werr)
		}
		if err == nil && !reflect.DeepEqual(res, adapt(f)) {
			t.Fatalf("streamed result %+v, whole %+v", res, adapt(f))
		}
		if err != nil {
			if res != nil {
				t.Fatal("a result came with an error")
			}
			return
		}
		seen := map[string]bool{}
		for _, r := range res.Records {
			if r.Doctype == "" || r.Key == "" {
				t.Fatalf("record without doctype or key: %+v", r)
			}
			if seen[r.Doctype+" "+r.Key] {
				t.Fatalf("key %q twice", r.Key)
			}
			seen[r.Doctype+" "+r.Key] = true
			if r.Doctype == "bank.operation" && (r.Data["date"] == "" || r.Data["amount"] == "") {
				t.Fatalf("operation without date or amount: %+v", r)
			}
		}
	})
}
