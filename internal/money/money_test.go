package money

import (
	"errors"
	"testing"
)

func TestParseString(t *testing.T) {
	for _, c := range []struct{ in, out string }{
		{"12", "12.00"}, {"-0.10", "-0.10"}, {"+7.5", "7.50"}, {"0.25160", "0.25160"}, {"-0", "0.00"}, {"-0.00", "0.00"},
		{"90.43", "90.43"}, {"007.1", "7.10"}, {"123456789012345678901234567890.12", "123456789012345678901234567890.12"},
	} {
		a, err := Parse(c.in)
		if err != nil || a.String() != c.out {
			t.Errorf("Parse(%q) = %q, %v; want %q", c.in, a, err, c.out)
		}
	}
	for _, bad := range []string{"", "-", ".5", "1.", "1e3", "1,5", " 1", "1 000", "--1", "0x10", "1.2.3", "NaN", "12345678901234567890123456789012345678901", "0.12345678901234567890123456789012345678901"} {
		if _, err := Parse(bad); !errors.Is(err, ErrSyntax) {
			t.Errorf("Parse(%q): %v, want ErrSyntax", bad, err)
		}
	}
}

func TestArithmetic(t *testing.T) {
	m := MustParse
	for _, c := range []struct {
		name string
		got  Amount
		want string
	}{
		{"add", m("0.1").Add(m("0.2")), "0.30"},
		{"add scales", m("90.43").Add(m("-0.005")), "90.425"},
		{"sub", m("10").Sub(m("10.01")), "-0.01"},
		{"mul", m("0.2516").Mul(m("1234.5")), "310.60020"},
		{"round half up", m("2.345").Round(2), "2.35"},
		{"round half away neg", m("-2.345").Round(2), "-2.35"},
		{"round down", m("2.344").Round(2), "2.34"},
		{"div", m("100").Div(3), "33.33"},
		{"div round", m("2").Div(3), "0.67"},
		{"div neg", m("-2").Div(3), "-0.67"},
		{"sum", Sum(m("1.10"), m("2.20"), m("-3.30")), "0.00"},
		{"cents", Cents(-9043), "-90.43"},
		{"abs", m("-4.2").Abs(), "4.20"},
	} {
		if c.got.String() != c.want {
			t.Errorf("%s: %s, want %s", c.name, c.got, c.want)
		}
	}
	if !m("1.5").Equal(m("1.50")) || m("1.5").Cmp(m("1.49")) != 1 || m("-1").Cmp(Amount{}) != -1 {
		t.Error("comparisons wrong")
	}
	if (Amount{}).String() != "0.00" || !(Amount{}).IsZero() {
		t.Error("zero value is not 0")
	}
	if f := m("-90.43").Float(); f > -90.4299 || f < -90.4301 {
		t.Errorf("Float %v", f)
	}
}

// FuzzParse: whatever Parse accepts prints back to the same number, and parses again.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"12", "-0.10", "+7.5", "0.25160", "1e3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		b, err := Parse(a.String())
		if err != nil || !a.Equal(b) {
			t.Fatalf("%q → %q → %v, %v", s, a, b, err)
		}
	})
}
