package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMapTilesFlag: serve refuses a --map-tiles that is not a tile address, naming the flag,
// before opening anything.
func TestMapTilesFlag(t *testing.T) {
	for _, bad := range []string{"https://tile.example/{z}/{x}.png", "tile.example/{z}/{x}/{y}.png", "ftp://tile.example/{z}/{x}/{y}"} {
		d := filepath.Join(t.TempDir(), "data")
		code, _, errOut := cli(t, "", "serve", "--data", d, "--addr", "127.0.0.1:0", "--map-tiles", bad)
		if code != 1 || !strings.Contains(errOut, "--map-tiles") {
			t.Errorf("--map-tiles %s: exit %d, %s", bad, code, errOut)
		}
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("--map-tiles %s opened the data directory (%v)", bad, err)
		}
	}
}
