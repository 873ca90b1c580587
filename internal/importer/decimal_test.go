package importer

import "testing"

func TestDecimal(t *testing.T) {
	tests := []struct{ in, want string }{
		{"12.5", "12.50"}, {"-12.50", "-12.50"}, {"+3", "3.00"}, {"1 234,56", "1234.56"}, {"0012.3456", "12.3456"},
		{".5", "0.50"}, {"-0.00", "0.00"}, {"1234.", "1234.00"}, {"\u00a0-7,1", "-7.10"},
		{"$120", ""}, {"", ""}, {"1.2.3", ""}, {"1,234.5", ""}, {"12e3", ""}, {"-", ""}, {"NaN", ""},
	}
	for _, tt := range tests {
		got, err := Decimal(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("Decimal(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Decimal(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func FuzzDecimal(f *testing.F) {
	for _, s := range []string{"12.5", "-1 234,50", "$120", ".5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Decimal(s)
		if err != nil {
			return
		}
		again, err := Decimal(d)
		if err != nil || again != d {
			t.Fatalf("Decimal(%q) = %q, which normalizes to %q, %v", s, d, again, err)
		}
	})
}
