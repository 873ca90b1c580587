package importer

import (
	"errors"
	"strings"
	"testing"
)

// TestErrorIsBounded: whatever a parser puts in an error, a person reads a bounded message,
// on the API (Error) as on the import page (each field).
func TestErrorIsBounded(t *testing.T) {
	huge := strings.Repeat("x", 10<<20)
	for _, e := range []*Error{
		Errorf(3, huge, "bad value %s", huge),
		InFile(huge, Errorf(3, "a", "b")).(*Error),
		InFile("f.csv", errors.New(huge)).(*Error),
		{File: huge, Line: 1, Element: huge, Reason: huge},
	} {
		if n := len(e.Error()); n > 4*3000 {
			t.Errorf("Error() is %d bytes", n)
		}
		if e.Element != huge && len(e.File)+len(e.Element)+len(e.Reason) > 3*3000 {
			t.Errorf("fields are %d bytes", len(e.File)+len(e.Element)+len(e.Reason))
		}
	}
}

// TestLeaveListsAtMostMaxLeftOut: past MaxLeftOut records, the rest are counted, not listed,
// so that a file of a million unmappable rows does not make a report as large as itself.
func TestLeaveListsAtMostMaxLeftOut(t *testing.T) {
	var res Result
	for i := range MaxLeftOut + 7 {
		res.Leave(LeftOut{Line: i + 1, Kind: "x", Reason: ReasonBadValue, Text: "bad"})
	}
	if len(res.LeftOut) != MaxLeftOut || res.LeftOutMore != 7 {
		t.Fatalf("listed %d, counted %d more; want %d and 7", len(res.LeftOut), res.LeftOutMore, MaxLeftOut)
	}
	if last := res.LeftOut[MaxLeftOut-1]; last.Line != MaxLeftOut {
		t.Errorf("the last listed is line %d, want the first ones kept (line %d)", last.Line, MaxLeftOut)
	}
}
