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

// TestMaxInFlightFlag: serve refuses a --max-in-flight out of range before opening anything.
func TestMaxInFlightFlag(t *testing.T) {
	for _, bad := range []string{"-1", "100001"} {
		d := filepath.Join(t.TempDir(), "data")
		code, _, errOut := cli(t, "", "serve", "--data", d, "--addr", "127.0.0.1:0", "--max-in-flight", bad)
		if code != 1 || !strings.Contains(errOut, "--max-in-flight") {
			t.Errorf("--max-in-flight %s: exit %d, %s", bad, code, errOut)
		}
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("--max-in-flight %s opened the data directory (%v)", bad, err)
		}
	}
}
