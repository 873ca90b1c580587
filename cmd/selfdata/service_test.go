package main

import (
	"regexp"
	"testing"
)

func TestServiceCommands(t *testing.T) {
	d := t.TempDir()
	add := func(id string, extra ...string) []string {
		return append([]string{"service", "add", "--data", d, "--id", id, "--name", "Watt " + id, "--company", "Watt SAS",
			"--description", "Compares your electricity use with similar homes.", "--privacy-policy", "https://watt.example/privacy",
			"--redirect-uri", "https://watt.example/cb", "--doctypes", "meter,reading.electricity", "--verbs", "read",
			"--purpose", "dpv:ServiceProvision", "--legal-basis", "consent", "--retention", "until the account is closed",
			"--description-fr", "Compare votre consommation d'électricité à celle de foyers semblables.", "--retention-fr", "jusqu'à la clôture du compte"}, extra...)
	}
	tests := []struct {
		name string
		args []string
		code int
		out  string // a regular expression over stdout and stderr
	}{
		{"add", add("watt", "--retention-days", "365", "--leaves-store", "--redirect-uri", "http://127.0.0.1:8123/cb,http://localhost/cb"), 0,
			`^sdc_[A-Za-z0-9_-]{43}\nservice watt added; its client id is watt`},
		{"add again", add("watt"), 1, `already exists`},
		{"add a public client", add("app", "--public", "--verbs", "read,write"), 0, `^service app added as a public client: no secret`},
		{"bad purpose", add("x", "--purpose", "dpv:Profit"), 1, `purpose "dpv:Profit" is not one of the DPV purposes accepted: dpv:ServiceProvision, `},
		{"bad legal basis", add("x", "--legal-basis", "whim"), 1, `legal basis "whim"`},
		{"unknown doctype", add("x", "--doctypes", "meter,reading.elec"), 1, `unknown doctype "reading.elec"`},
		{"bad redirect URI", add("x", "--redirect-uri", "http://watt.example/cb"), 1, `redirect URI "http://watt.example/cb": use https`},
		{"bad verb", add("x", "--verbs", "read,delete"), 1, `unknown verb "delete"`},
		{"no doctypes", add("x", "--doctypes", ""), 1, `name the doctypes`},
		{"no French description", add("x", "--description-fr", ""), 1, `--description-fr: the description is given in English only`},
		{"retention in French only", add("x", "--retention", ""), 1, `--retention: the retention is given in French only`},
		{"list", []string{"service", "list", "--data", d}, 0,
			`(?s)ID\s+NAME.*\napp\s+Watt app\s+Watt SAS\s+dpv:ServiceProvision\s+read,write\s+meter,reading.electricity\s+public\n` +
				`watt\s+Watt watt\s+Watt SAS\s+dpv:ServiceProvision\s+read\s+meter,reading.electricity\s+confidential\n`},
		{"show in French", []string{"service", "show", "watt", "--data", d}, 0, `(?s)"description_fr": "Compare votre consommation.*"retention_fr": "jusqu'à la clôture du compte"`},
		{"show", []string{"service", "show", "watt", "--data", d}, 0,
			`(?s)"redirect_uris": \[\s+"https://watt.example/cb",\s+"http://127.0.0.1:8123/cb",\s+"http://localhost/cb"\s+\].*"retention_days": 365,\s+"leaves_store": true.*"public": false.*"client_id": "watt"`},
		{"remove", []string{"service", "remove", "watt", "--data", d}, 0, `removed service watt`},
		{"show removed", []string{"service", "show", "watt", "--data", d}, 1, `not found`},
		{"remove twice", []string{"service", "remove", "watt", "--data", d}, 1, `not found`},
		{"no subcommand", []string{"service"}, 1, `give a subcommand`},
		{"unknown use", []string{"service", "show", "--data", d}, 1, `unknown use of service`},
	}
	// The client secret is printed by add and never again, nor is its hash.
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(t, "", tt.args...)
			if code != tt.code || !regexp.MustCompile(tt.out).MatchString(out+errOut) || regexp.MustCompile(`sdc_|secret_hash`).MatchString(out+errOut) != (tt.name == "add") {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant match: %s", code, tt.code, out, errOut, tt.out)
			}
		})
	}
}
