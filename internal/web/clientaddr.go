package web

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// The client's address counts failed logins. Behind a reverse proxy every request comes from
// the proxy, so the proxy's X-Forwarded-For has to be read — but only the proxy's: anyone
// can send that header, and believing it from anyone would let a client pick a fresh
// address for each guess. So it is read only when the TCP peer is a proxy the operator
// named (--trusted-proxies), and then from the right: each proxy appends the address it got
// the request from, so the rightmost address that is not itself a trusted proxy is the
// client as the outermost trusted proxy saw it; what lies left of it was written by the
// client.

// clientAddr is the address of the client of r, without port.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	peer, ok := parseAddr(r.RemoteAddr)
	if !ok {
		return r.RemoteAddr
	}
	if !isTrusted(peer, trusted) {
		return peer.String()
	}
	hops := forwardedFor(r.Header.Values("X-Forwarded-For"))
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseAddr(hops[i])
		if !ok {
			break // a trusted proxy wrote no address here: keep the last trusted hop
		}
		client = a
		if !isTrusted(a, trusted) {
			break
		}
	}
	return client.String()
}

// forwardedFor is the list of X-Forwarded-For, its header lines joined in order.
func forwardedFor(lines []string) []string {
	var out []string
	for _, l := range lines {
		for h := range strings.SplitSeq(l, ",") {
			if h = strings.TrimSpace(h); h != "" {
				out = append(out, h)
			}
		}
	}
	return out
}

// parseAddr reads "ip", "ip:port" or "[ip6]:port"; an IPv4-mapped address is its IPv4.
func parseAddr(s string) (netip.Addr, bool) {
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.WithZone("").Unmap(), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies reads --trusted-proxies: networks (10.0.0.0/8) or single addresses,
// separated by commas. An empty list trusts no proxy.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	var out []netip.Prefix
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, errors.New("an empty item in the list; separate networks by single commas")
		}
		p, err := parsePrefix(item)
		if err != nil {
			return nil, fmt.Errorf("%.50q is not a network (10.0.0.0/8, 2001:db8::/32) nor an address", item)
		}
		out = append(out, p)
	}
	return out, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return p, err
	}
	return p.Masked(), nil
}
