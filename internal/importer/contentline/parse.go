package contentline

import (
	"errors"
	"fmt"
	"strings"

	"selfdata/internal/input"
)

// Parse splits one unfolded content line into group, name, parameters and value. The
// value begins after the first ':' that is not inside a quoted parameter value, so a
// TZID="GMT +0100 (Standard)" or an X-ADDRESS="a:b" does not cut the line short.
func Parse(s string) (Line, error) {
	var l Line
	end := strings.IndexAny(s, ";:")
	if end < 0 {
		return l, errors.New("no ':' between the property name and its value")
	}
	if err := l.setName(s[:end]); err != nil {
		return l, err
	}
	rest := s[end:]
	for rest[0] == ';' {
		p, r, err := parseParam(rest[1:])
		if err != nil {
			return l, fmt.Errorf("%s: %w", input.Cut(l.Name), err)
		}
		l.Params = append(l.Params, p)
		rest = r
	}
	l.Value = rest[1:]
	return l, nil
}

// setName reads "NAME" or "group.NAME" and checks that both are RFC names.
func (l *Line) setName(s string) error {
	group, name := "", s
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		group, name = s[:i], s[i+1:]
		if !isName(group) {
			return fmt.Errorf("property group %s is not a valid name", input.Excerpt(group))
		}
	}
	if !isName(name) {
		return fmt.Errorf("property name %s is not valid (expected NAME:value)", input.Excerpt(name))
	}
	l.Group, l.Name = group, strings.ToUpper(name)
	return nil
}

// isName accepts letters, digits and '-' (RFC 5545 iana-token / x-name), plus '_' that
// some vendors use in X- names.
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// parseParam reads one parameter from just after its ';' and returns what follows it,
// which starts with ';' (another parameter) or ':' (the value).
func parseParam(s string) (Param, string, error) {
	i := strings.IndexAny(s, "=;:")
	if i < 0 {
		return Param{}, "", errors.New("no ':' between the parameters and the value")
	}
	name := s[:i]
	if !isName(name) {
		return Param{}, "", fmt.Errorf("parameter name %s is not valid", input.Excerpt(name))
	}
	if s[i] != '=' {
		return Param{Values: []string{name}}, s[i:], nil
	}
	p := Param{Name: strings.ToUpper(name)}
	rest := s[i+1:]
	for {
		v, r, err := paramValue(rest)
		if err != nil {
			return Param{}, "", fmt.Errorf("parameter %s: %w", input.Cut(p.Name), err)
		}
		p.Values = append(p.Values, v)
		if r == "" {
			return Param{}, "", errors.New("no ':' between the parameters and the value")
		}
		if r[0] != ',' {
			return p, r, nil
		}
		rest = r[1:]
	}
}

// paramValue reads one (possibly quoted) parameter value and returns what follows it.
func paramValue(s string) (string, string, error) {
	if strings.HasPrefix(s, `"`) {
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return "", "", errors.New("quoted value is never closed")
		}
		return s[1 : 1+end], s[2+end:], checkAfterQuote(s[2+end:])
	}
	end := strings.IndexAny(s, ",;:")
	if end < 0 {
		return s, "", nil
	}
	return s[:end], s[end:], nil
}

func checkAfterQuote(r string) error {
	if r != "" && r[0] != ',' && r[0] != ';' && r[0] != ':' {
		return fmt.Errorf("unexpected %q after a quoted value", r[0])
	}
	return nil
}
