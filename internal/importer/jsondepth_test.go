package importer

import (
	"strings"
	"testing"
)

func TestJSONTooDeep(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	tests := []struct {
		name  string
		json  string
		limit int
		want  int
	}{
		{"flat", `{"a": 1}`, 1, -1},
		{"at the limit", deep(200), MaxJSONDepth, -1},
		{"one past the limit", deep(201), MaxJSONDepth, 200},
		{"objects and arrays", `{"a": [{"b": 1}]}`, 2, 7},
		{"brackets in a string", `{"a": "[[[{{{"}`, 1, -1},
		{"escaped quote in a string", `{"a": "\"[[["}`, 1, -1},
		{"escaped backslash ends the string", `{"a": "\\", "b": [[1]]}`, 2, 18},
		{"siblings do not add up", `[[1],[2],[3]]`, 2, -1},
		{"limit zero", `1`, 0, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := JSONTooDeep([]byte(tt.json), tt.limit); got != tt.want {
				t.Errorf("JSONTooDeep = %d, want %d", got, tt.want)
			}
		})
	}
}
