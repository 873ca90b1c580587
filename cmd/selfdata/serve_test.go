package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrustedProxiesFlag: serve and demo refuse a --trusted-proxies that is not a list of
// networks, at once, with the flag and the culprit named, before opening or seeding
// anything.
func TestTrustedProxiesFlag(t *testing.T) {
	for _, cmd := range []string{"serve", "demo"} {
		for _, bad := range []string{"10.0.0.0/33", "proxy.example", "10.0.0.0/8,,127.0.0.1"} {
			d := filepath.Join(t.TempDir(), "data")
			code, _, errOut := cli(t, "", cmd, "--data", d, "--addr", "127.0.0.1:0", "--trusted-proxies", bad)
			if code != 1 || !strings.Contains(errOut, "--trusted-proxies") {
				t.Errorf("%s --trusted-proxies %q: exit %d, %s", cmd, bad, code, errOut)
			}
			if _, err := os.Stat(d); !os.IsNotExist(err) {
				t.Errorf("%s --trusted-proxies %q opened the data directory (%v)", cmd, bad, err)
			}
		}
	}
	f := serverFlags{proxies: "127.0.0.1, 10.0.0.0/8,2001:db8::/32"}
	if err := f.check(); err != nil || len(f.trusted) != 3 || f.trusted[0].String() != "127.0.0.1/32" {
		t.Errorf("check: %v, %v", f.trusted, err)
	}
}
