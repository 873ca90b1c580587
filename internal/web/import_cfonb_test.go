package web

import (
	"os"
	_ "strings"
	"testing"
)

// TestImportCFONB: the import page lists the CFONB 120 statements in both languages; a
// statement file is imported, and one that does not add up is refused with advice that
// names the kind of file, where it stopped, and where a French bank lets one download it.
func TestImportCFONB(t *testing.T) {
	ts := newTestServer(t)
	for lg, want := range map[string]string{
		"en": "Bank: account statements of French banks in the CFONB 120 format",
		"fr": "Banque\u202f: relevés de compte des banques françaises au format CFONB 120",
	} {
		res := ts.do(t, request{method: "GET", path: "/import?lang=" + lg, as: "session:alice"})
		manageWant(t, "import page "+lg, res.body, want)
	}
	good, err := os.ReadFile("../importer/cfonb/testdata/two-accounts.txt")
	if err != nil {
		t.Fatal(err)
	}
	status, body := postImportIn(t, ts, "en", "releve.txt", string(good))
	if status != 200 {
		t.Errorf("import: %d", status)
	}
	manageWant(t, "import", body, "The file was imported.", "CFONB bank statement", "cfonb120", "<strong>9</strong> new records", "<strong>Bank operation</strong></a> — 7 records")
	bad, err := os.ReadFile("../importer/cfonb/testdata/unbalanced.txt")
	if err != nil {
		t.Fatal(err)
	}
	for lg, want := range map[string][]string{
		"en": {"selfdata recognized the kind of file (CFONB bank statement), but could not read it at line 3, field “positions 91–104”.",
			"For a French bank (Crédit Coopératif, for example), in your online banking", "does not add up"},
		"fr": {"selfdata a reconnu le type de fichier (relevé de compte CFONB), mais n'a pas pu le lire à la ligne 3, champ « positions 91–104 ».",
			"Pour une banque française (le Crédit Coopératif, par exemple), dans votre banque en ligne\u202f: téléchargez vos relevés de compte au format CFONB 120"},
	} {
		status, body := postImportIn(t, ts, lg, "releve.txt", string(bad))
		if status != 422 {
			t.Errorf("%s: status %d", lg, status)
		}
		manageWant(t, "refusal "+lg, body, want...)
	}
}
