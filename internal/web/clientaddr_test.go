package web

import (
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func TestClientAddr(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:a::/48")}
	tests := []struct {
		name    string
		peer    string
		xff     []string // X-Forwarded-For lines
		trusted []netip.Prefix
		want    string
	}{
		{"no proxy trusted: the peer", "192.0.2.1:5555", nil, nil, "192.0.2.1"},
		{"no proxy trusted: a spoofed header changes nothing", "192.0.2.1:5555", []string{"203.0.113.9"}, nil, "192.0.2.1"},
		{"an untrusted peer's header is ignored", "192.0.2.1:5555", []string{"203.0.113.9"}, proxies, "192.0.2.1"},
		{"a trusted proxy's client", "10.0.0.2:443", []string{"203.0.113.9"}, proxies, "203.0.113.9"},
		{"what the client wrote left of it is ignored", "10.0.0.2:443", []string{"198.51.100.7, 203.0.113.9"}, proxies, "203.0.113.9"},
		{"a chain of trusted proxies", "10.0.0.2:443", []string{"198.51.100.7, 203.0.113.9, 10.0.0.5"}, proxies, "203.0.113.9"},
		{"several header lines read as one list", "10.0.0.2:443", []string{"198.51.100.7", "203.0.113.9, 10.0.0.5"}, proxies, "203.0.113.9"},
		{"a trusted proxy without header: the proxy", "10.0.0.2:443", nil, proxies, "10.0.0.2"},
		{"garbage where the proxy writes: the last trusted hop", "10.0.0.2:443", []string{"203.0.113.9, not-an-address"}, proxies, "10.0.0.2"},
		{"garbage left of the client is never reached", "10.0.0.2:443", []string{"<script>, 203.0.113.9"}, proxies, "203.0.113.9"},
		{"an address with a port", "10.0.0.2:443", []string{"203.0.113.9:61000"}, proxies, "203.0.113.9"},
		{"IPv6 client", "10.0.0.2:443", []string{"2001:db8:b::7"}, proxies, "2001:db8:b::7"},
		{"IPv6 client with a port", "10.0.0.2:443", []string{"[2001:db8:b::7]:61000"}, proxies, "2001:db8:b::7"},
		{"IPv6 proxy", "[2001:db8:a::1]:443", []string{"203.0.113.9"}, proxies, "203.0.113.9"},
		{"IPv4-mapped peer is the IPv4 proxy", "[::ffff:10.0.0.2]:443", []string{"203.0.113.9"}, proxies, "203.0.113.9"},
		{"IPv4-mapped client is the IPv4 client", "10.0.0.2:443", []string{"::ffff:203.0.113.9"}, proxies, "203.0.113.9"},
		{"every hop trusted: the farthest", "10.0.0.2:443", []string{"10.9.9.9, 10.0.0.5"}, proxies, "10.9.9.9"},
		{"spaces and empty items", "10.0.0.2:443", []string{" , 203.0.113.9 ,, "}, proxies, "203.0.113.9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.peer
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := clientAddr(r, tt.trusted); got != tt.want {
				t.Errorf("clientAddr = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseTrustedProxies(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		problem string // in the error; "" for none
	}{
		{"", nil, ""},
		{"10.0.0.0/8", []string{"10.0.0.0/8"}, ""},
		{"10.0.0.0/8, 192.0.2.7 ,2001:db8::/32", []string{"10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"}, ""},
		{"10.1.2.3/8", []string{"10.0.0.0/8"}, ""},
		{"::ffff:10.0.0.1", []string{"10.0.0.1/32"}, ""},
		{"10.0.0.0/33", nil, `"10.0.0.0/33"`},
		{"10.0.0.0/8,proxy.example", nil, `"proxy.example"`},
		{"10.0.0.0/8,,192.0.2.7", nil, "empty"},
		{strings.Repeat("x", 500), nil, "not a network"},
	}
	for _, tt := range tests {
		got, err := ParseTrustedProxies(tt.in)
		if tt.problem != "" {
			if err == nil || !strings.Contains(err.Error(), tt.problem) || len(err.Error()) > 200 {
				t.Errorf("ParseTrustedProxies(%.20q) = %v, %v; want an error naming %s", tt.in, got, err, tt.problem)
			}
			continue
		}
		var s []string
		for _, p := range got {
			s = append(s, p.String())
		}
		if err != nil || !slices.Equal(s, tt.want) {
			t.Errorf("ParseTrustedProxies(%q) = %v, %v; want %v", tt.in, s, err, tt.want)
		}
	}
}
