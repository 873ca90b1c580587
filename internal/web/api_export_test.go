package web

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"selfdata/internal/rights/export"
)

// TestExportDownload: alice's download is an attachment holding her store and not bob's,
// the export is in her access log, and the Settings page offers it in both languages.
func TestExportDownload(t *testing.T) {
	ts := newTestServer(t)
	res := ts.do(t, request{method: "GET", path: "/api/v1/export", as: "session:alice"})
	if res.status != 200 || res.header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(res.header.Get("Content-Disposition"), "attachment; filename=selfdata-export-") {
		t.Fatalf("status %d, headers %v", res.status, res.header)
	}
	zr, err := zip.NewReader(strings.NewReader(res.body), int64(len(res.body)))
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) []byte {
		f, err := zr.Open(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		return b
	}
	var m export.Manifest
	if err := json.Unmarshal(read("manifest.json"), &m); err != nil || m.Instance.Name != "alice" || m.Counts.ByDoctype["bill"] == 0 {
		t.Fatalf("manifest %v %+v", err, m)
	}
	if bills := read("documents/bill.jsonl"); !bytes.Contains(bills, []byte("bill-alice")) || bytes.Contains(bills, []byte("bill-bob")) {
		t.Errorf("documents/bill.jsonl: %s", bills)
	}
	if log := ts.do(t, request{method: "GET", path: "/api/v1/access-log", as: "session:alice"}); !strings.Contains(log.body, `"verb":"export"`) {
		t.Errorf("alice's log has no export: %s", log.body)
	}
	for lang, want := range map[string]string{"en": "Download everything (export)", "fr": "Tout télécharger (export)"} {
		page := ts.do(t, request{method: "GET", path: "/settings", as: "session:alice", header: map[string]string{"Accept-Language": lang}})
		if !strings.Contains(page.body, `href="/api/v1/export" download>`+want+`</a>`) {
			t.Errorf("%s settings page does not offer the export", lang)
		}
	}
	logPage := ts.do(t, request{method: "GET", path: "/access-log?mine=1", as: "session:alice", header: map[string]string{"Accept-Language": "fr"}})
	if !strings.Contains(logPage.body, "a tout exporté") {
		t.Errorf("the access-log page does not name the export")
	}
}
