package web

import (
	"errors"
	"fmt"
	"net/http"
	"path"
	"strings"

	"selfdata/internal/importer"
	"selfdata/internal/importer/archive"
	"selfdata/internal/input"
)

// importAdvice is what a person reads about a refused file, in their language: what
// happened, what to do, and where to download the file again — from the organizations
// whose files selfdata reads. The importers' own reason (English, technical) stays for the
// expert, folded; it is never the advice, as it may speak of the command line.
type importAdvice struct {
	What  string
	Do    string
	Where []string // how to get the file again, one line per organization
}

// wrongTypes are extensions of files that are certainly no data export, by the text key
// saying what they are.
var wrongTypes = map[string]string{
	".pdf": "advice.type.pdf",
	".jpg": "advice.type.image", ".jpeg": "advice.type.image", ".png": "advice.type.image", ".heic": "advice.type.image", ".gif": "advice.type.image", ".webp": "advice.type.image",
	".doc": "advice.type.text", ".docx": "advice.type.text", ".odt": "advice.type.text", ".rtf": "advice.type.text", ".pages": "advice.type.text",
	".xls": "advice.type.sheet", ".xlsx": "advice.type.sheet", ".ods": "advice.type.sheet", ".numbers": "advice.type.sheet",
}

// adviseImport is the advice for an import's failure, and false for a failure that is not
// the file's (an internal one, or records that do not fit their doctype, which the page
// lists one by one).
func (s *Server) adviseImport(lg string, err error) (importAdvice, bool) {
	var mb *http.MaxBytesError
	var broken *bodyError
	var ie *importer.Error
	switch {
	case errors.As(err, &mb) || errors.Is(err, importer.ErrTooLarge):
		return importAdvice{What: fmt.Sprintf(s.t(lg, "import.toolarge"), formatBytes(s.maxImportBytes(), lg)), Do: s.t(lg, "advice.toolarge")}, true
	case errors.As(err, &broken):
		return importAdvice{What: s.t(lg, "import.broken")}, true
	case errors.As(err, &ie):
		return s.adviseRefusal(lg, err, ie), true
	}
	return importAdvice{}, false
}

// adviseRefusal is the advice for a file an importer refused.
func (s *Server) adviseRefusal(lg string, err error, ie *importer.Error) importAdvice {
	var b *archive.Bound
	if errors.As(err, &b) {
		return importAdvice{What: fmt.Sprintf(s.t(lg, "archive."+b.Name), b.Limit)}
	}
	where := s.whereFrom(lg, ie.Format)
	switch ie.Kind {
	case importer.KindUnknownFormat:
		what := "advice.unknown"
		if k, ok := wrongTypes[strings.ToLower(path.Ext(ie.File))]; ok {
			what = k // first: a spreadsheet saved as .xlsx is a zip too
		} else if ie.Format == "zip" {
			what = "advice.zip.none"
		}
		return importAdvice{What: s.t(lg, what), Do: s.t(lg, "advice.download"), Where: s.whereFrom(lg, "")}
	case importer.KindEmpty:
		return importAdvice{What: s.t(lg, "advice.empty"), Do: s.t(lg, "advice.again"), Where: where}
	case importer.KindNoMeter:
		return importAdvice{What: s.t(lg, "advice.nometer"), Do: s.t(lg, "advice.nometer.do"), Where: where}
	}
	kind := formatKind(ie.Format)
	if kind == "" || kind == "kind.zip" {
		return importAdvice{What: s.t(lg, "advice.damaged"), Do: s.t(lg, "advice.again"), Where: where}
	}
	return importAdvice{What: fmt.Sprintf(s.t(lg, "advice.malformed"), s.t(lg, kind), s.placeIn(lg, ie)), Do: s.t(lg, "advice.redownload"), Where: where}
}

// placeIn says where in the file the importer stopped: ", at line 3, field “index_m3”".
func (s *Server) placeIn(lg string, ie *importer.Error) string {
	field := input.Cut(ie.Element)
	switch {
	case ie.Line > 0 && field != "":
		return fmt.Sprintf(s.t(lg, "advice.at.both"), ie.Line, field)
	case ie.Line > 0:
		return fmt.Sprintf(s.t(lg, "advice.at.line"), ie.Line)
	case field != "":
		return fmt.Sprintf(s.t(lg, "advice.at.field"), field)
	}
	return ""
}

// whereFrom is how to download again a file of format — or, for no format, a file from
// each organization whose files this server reads.
func (s *Server) whereFrom(lg, format string) []string {
	if format == "greenbutton" {
		return []string{s.t(lg, "where.greenbutton")}
	}
	if k := formatKind(format); k != "" && k != "kind.zip" {
		return []string{s.t(lg, "where."+strings.TrimPrefix(k, "kind."))}
	}
	var out []string
	for _, fam := range s.newImportView().Families {
		out = append(out, s.t(lg, "where."+strings.TrimPrefix(fam, "fmt.")))
		if fam == "fmt.electricity" && s.reads("greenbutton") {
			out = append(out, s.t(lg, "where.greenbutton"))
		}
	}
	return out
}

// reads tells whether the importer knows the format.
func (s *Server) reads(format string) bool {
	for _, f := range s.imp.Formats() {
		if f == format {
			return true
		}
	}
	return false
}

// technicalReason is the importer's reason as the expert may read it on a page: never for
// an unknown format (it lists format names and speaks of the command line), and never a
// clause naming a command-line flag.
func technicalReason(ie *importer.Error) string {
	if ie.Kind == importer.KindUnknownFormat {
		return ""
	}
	var keep []string
	for _, clause := range strings.Split(ie.Reason, "; ") {
		if !strings.Contains(clause, " --") && !strings.HasPrefix(clause, "--") {
			keep = append(keep, clause)
		}
	}
	return strings.Join(keep, "; ")
}

// importAPIError is importError in the language the request's Accept-Language asks for:
// English problems stay as they are (scripts read them); a French one says what happened
// and what to do, as the import page does.
func (s *Server) importAPIError(r *http.Request, err error) error {
	out := importError(err)
	if acceptLang(r) != "fr" {
		return out
	}
	a, ok := s.adviseImport("fr", err)
	if !ok {
		return out
	}
	p, _ := problemFor(out)
	detail := strings.TrimSpace(s.t("fr", "import.refused") + " " + a.What + " " + a.Do)
	if len(a.Where) > 0 {
		detail += " " + strings.Join(a.Where, " ; ")
	}
	return &httpError{status: p.Status, detail: detail}
}

// acceptLang is the language the Accept-Language header prefers among French and English,
// English when it names neither: for the API, which has no cookie nor ?lang= of its own.
func acceptLang(r *http.Request) string {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		if strings.HasPrefix(tag, "fr") {
			return "fr"
		}
		if strings.HasPrefix(tag, "en") {
			return "en"
		}
	}
	return "en"
}
