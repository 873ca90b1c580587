package water

import (
	"bytes"
	"os"
	"testing"
)

func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile(sample); err == nil {
		f.Add(b)
	}
	f.Add([]byte("# fournisseur: X\n" + hdr + "A;2024-01-01;1,5;2;\nA;2024-01-02;1,6;100;3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Format().Parse(bytes.NewReader(data))
		if err != nil {
			if res != nil {
				t.Fatalf("result with an error: %v", err)
			}
			return
		}
		for _, r := range res.Records {
			if r.Doctype != "meter" || r.Key == "" {
				t.Fatalf("bad record %+v", r)
			}
		}
		keys := map[string]bool{}
		for _, s := range res.Series {
			if s.Key == "" || keys[s.Key] || s.Doctype != "reading.water" || s.MeterKey == "" || len(s.Readings) == 0 {
				t.Fatalf("bad series %+v", s)
			}
			keys[s.Key] = true
		}
	})
}
