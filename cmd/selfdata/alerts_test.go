package main

import (
	"strings"
	"testing"
)

// TestServeSMTPSettings: serve refuses a malformed relay setting before serving, naming it,
// and never echoes the password it was given.
func TestServeSMTPSettings(t *testing.T) {
	t.Setenv("SELFDATA_SMTP_PASSWORD", "relay-secret-123")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"relay without a port", []string{"--smtp-addr", "smtp.example.org", "--smtp-from", "s@example.org"}, "give it as host:port"},
		{"sender with a name", []string{"--smtp-addr", "smtp.example.org:587", "--smtp-from", "Selfdata <s@example.org>"}, "give a bare address"},
		{"password without a user", []string{"--smtp-addr", "smtp.example.org:587", "--smtp-from", "s@example.org"}, "both a user and a password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0"}, tt.args...)
			code, out, errOut := cli(t, "", args...)
			if code != 1 || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want 1 and %q", code, errOut, tt.want)
			}
			if strings.Contains(out+errOut, "relay-secret-123") {
				t.Fatalf("the password is in the output: %s%s", out, errOut)
			}
		})
	}
}
