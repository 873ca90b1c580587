package web

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// The admin API listens on loopback only, but a browser on the operator's machine is on
// loopback too, and any page it shows can aim requests at 127.0.0.1. Two ways in are closed
// here, before a route runs:
//
//   - DNS rebinding: a page of rebind.evil.example makes its own name resolve to 127.0.0.1
//     and then reads and writes the admin API as same-origin. The browser still sends
//     Host: rebind.evil.example, so a Host that is not a loopback name or address is refused
//     (421 Misdirected Request: the request was meant for another server).
//   - Cross-site requests (a form posted by another site, a fetch in no-cors mode): refused
//     by their Origin, when it is not this API's own, and by Sec-Fetch-Site, when it says
//     another site sent them (403). A request without these headers — curl, a script — is
//     not a browser's cross-site request and passes.

// adminGuard refuses what did not come from the operator's own tools.
func (a *Admin) adminGuard(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, a.log, errCrossSite)
	}))
	checked := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case !loopbackHost(r.Host):
			writeProblem(w, r, a.log, errorf(http.StatusMisdirectedRequest, "The admin API answers only requests addressed to localhost, 127.0.0.1 or [::1]."))
		case crossSite(r):
			writeProblem(w, r, a.log, errCrossSite)
		default:
			checked.ServeHTTP(w, r) // for unsafe methods, the Origin must also be this API's own
		}
	})
}

var errCrossSite = errorf(http.StatusForbidden, "The admin API does not answer requests sent by a web page of another origin.")

// loopbackHost tells whether a Host header (name or address, with or without a port) names
// this machine by a name no other site can hold: localhost or a loopback address.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Zone() == "" && ip.IsLoopback()
}

// crossSite tells whether a browser says another site (or another port of this machine,
// "same-site") sent the request, or whether its Origin is not on loopback. GET is included:
// a page must not even read the list of organizations.
func crossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err != nil || (u.Scheme != "http" && u.Scheme != "https") || !loopbackHost(u.Host)
}
