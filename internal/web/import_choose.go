package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/importer/bankcsv"
	"selfdata/internal/restore"
	"selfdata/internal/store"
)

// importAsk is what the import page asks about a file the importer cannot read alone — which
// kind of file it is, or which columns of a bank's CSV hold what — and what its report says
// of those columns.
type importAsk struct {
	Choose  *chooseView
	Columns *columnsView
	// Saved are the columns a bank CSV was read with: saved before (the report says so and
	// links to change them), or just now (SavedNow).
	Saved    *restore.SavedColumns
	SavedNow bool
	Check    bool // the upload form's "let me check the columns" is ticked (GET /import?columns=1)
}

// chooseView asks which kind of file an upload is.
type chooseView struct {
	Token, File string
	Candidates  []formatChoice
	Error       string // text key
}

// formatChoice is one likely format, named in the person's language.
type formatChoice struct {
	Name string // the format's
	Kind string // text key of the kind of file, "" when it has none
}

// importSent spools a file the person sent and imports it, or keeps it to ask about it.
// check: the person asked to see a bank CSV's columns before it is imported.
func (s *Server) importSent(w http.ResponseWriter, r *http.Request, p gate.Principal, v *importView, name string, body io.Reader, check bool) error {
	sp, err := restore.Spool(body)
	if err != nil {
		return s.importRefused(w, r, v, err)
	}
	if check {
		c, ok, err := s.imp.ColumnsOf(r.Context(), p, sp)
		if err != nil {
			sp.Close()
			return err
		}
		if ok {
			return s.askColumns(w, r, p, v, name, sp, c, nil, nil)
		}
	}
	return s.importHeld(w, r, p, v, name, sp, restore.Options{}, nil)
}

// importHeld imports a spooled file as opt says, and closes it — or keeps it, when the
// person must say more, and asks. then, if set, runs once the file is imported.
func (s *Server) importHeld(w http.ResponseWriter, r *http.Request, p gate.Principal, v *importView, name string, sp *restore.Spooled, opt restore.Options, then func(*restore.Report) error) error {
	src := store.Source{Kind: "upload", Name: name, At: time.Now()}
	rep, err := s.imp.FileWith(r.Context(), p, src, name, sp.Reader(), opt, nil)
	var unsure *restore.UnsureError
	var need *restore.MappingError
	switch {
	case errors.As(err, &unsure) && opt.Format == "" && slices.Equal(unsure.Candidates, []string{restore.MappingFormat}):
		// A bank's CSV is the only kind it may be: naming its columns says it is one.
		return s.importHeld(w, r, p, v, name, sp, restore.Options{Format: restore.MappingFormat}, then)
	case errors.As(err, &unsure):
		return s.askFormat(w, r, p, v, name, sp, unsure.Candidates, "")
	case errors.As(err, &need) && opt.Mapping != nil:
		return s.askColumns(w, r, p, v, name, sp, need.Columns, nil, need.Err) // the columns given do not fit
	case errors.As(err, &need):
		return s.askColumns(w, r, p, v, name, sp, need.Columns, nil, nil)
	}
	sp.Close()
	if err != nil {
		return s.importRefused(w, r, v, err)
	}
	if then != nil {
		if err := then(rep); err != nil {
			return err
		}
	}
	return s.importReport(w, r, v, rep)
}

// askFormat keeps the file and asks which of the candidates it is.
func (s *Server) askFormat(w http.ResponseWriter, r *http.Request, p gate.Principal, v *importView, name string, sp *restore.Spooled, candidates []string, problem string) error {
	tok, err := s.pending.keep(p.Instance, name, sp, candidates)
	if err != nil {
		return err
	}
	c := &chooseView{Token: tok, File: name, Error: problem}
	for _, f := range candidates {
		kind := "format." + f // its name as people know the file, or else its family's
		if _, ok := formatNameTexts[kind]; !ok {
			kind = formatKind(f)
		}
		c.Candidates = append(c.Candidates, formatChoice{Name: f, Kind: kind})
	}
	v.Choose = c
	status := http.StatusOK
	if problem != "" {
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, "import.html", page{Title: "import", Data: v})
}

// importChoose: POST /import/choose (csrf, token, format) — the person said which kind of
// file they sent; it is imported as that.
func (s *Server) importChoose(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	v := s.newImportView()
	u, ok := s.pending.take(p.Instance, r.PostFormValue("token"))
	if !ok {
		return s.importGone(w, r, v)
	}
	format := r.PostFormValue("format")
	if !slices.Contains(u.candidates, format) {
		return s.askFormat(w, r, p, v, u.name, u.file, u.candidates, "choose.none")
	}
	return s.importHeld(w, r, p, v, u.name, u.file, restore.Options{Format: format}, nil)
}

// importGone answers a form whose kept file is no more: imported already, expired, lost in
// a restart — or never this person's. The person chooses the file again.
func (s *Server) importGone(w http.ResponseWriter, r *http.Request, v *importView) error {
	v.Problem = "import.gone"
	return s.render(w, r, http.StatusGone, "import.html", page{Title: "import", Data: v})
}

// importColumns: POST /import/columns (csrf, token, the columns and settings, bank) — the
// person confirmed a bank CSV's columns: the file is imported with them, and they are saved
// for the bank's layout, so that its next exports import at once.
func (s *Server) importColumns(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	v := s.newImportView()
	u, ok := s.pending.take(p.Instance, r.PostFormValue("token"))
	if !ok {
		return s.importGone(w, r, v)
	}
	c, ok, err := s.imp.ColumnsOf(r.Context(), p, u.file)
	if err != nil || !ok {
		u.file.Close()
		if err == nil {
			err = errorf(http.StatusUnprocessableEntity, "This file is not a bank's CSV export.")
		}
		return err
	}
	if split := r.PostFormValue("split"); split != c.Table.Comma && slices.Contains(bankcsv.Commas, split) {
		// The preview the person answered was split at a separator they chose before.
		if c, err = s.imp.ColumnsAs(r.Context(), p, u.file, split); err != nil {
			u.file.Close()
			return s.importRefused(w, r, v, err)
		}
	}
	if comma := r.PostFormValue("comma"); comma != c.Table.Comma && slices.Contains(bankcsv.Commas, comma) {
		// Another separator: the preview is split again at it, and the columns asked again.
		if c, err = s.imp.ColumnsAs(r.Context(), p, u.file, comma); err != nil {
			u.file.Close()
			return s.importRefused(w, r, v, err)
		}
		c.Bank = r.PostFormValue("bank")
		return s.askColumns(w, r, p, v, u.name, u.file, c, nil, nil)
	}
	m, bank, problems := readColumns(r.PostForm, c.Table)
	c.Mapping, c.Bank = m, bank
	if len(problems) > 0 {
		return s.askColumns(w, r, p, v, u.name, u.file, c, problems, nil)
	}
	save := func(*restore.Report) error {
		sc := restore.SavedColumns{Signature: c.Signature, Bank: bank, Mapping: m}
		if err := s.imp.SaveColumns(r.Context(), p, sc); err != nil {
			return err
		}
		v.Saved, v.SavedNow = &sc, true
		return nil
	}
	return s.importHeld(w, r, p, v, u.name, u.file, restore.Options{Format: restore.MappingFormat, Mapping: &m}, save)
}

// columnRoles are the roles a column may play, in the order the form asks them, with
// whether the form may leave them at "none".
var columnRoles = []struct {
	field    string
	optional bool
}{
	{"date", false}, {"value_date", true}, {"label", false}, {"label2", true},
	{"amount", true}, {"debit", true}, {"credit", true}, {"balance", true},
}

// roleOf is the column of a role in m, and a pointer to set it.
func roleOf(m *bankcsv.Mapping, field string) *int {
	return map[string]*int{"date": &m.Date, "value_date": &m.ValueDate, "label": &m.Label, "label2": &m.Label2,
		"amount": &m.Amount, "debit": &m.Debit, "credit": &m.Credit, "balance": &m.Balance}[field]
}

// fieldProblem is what is wrong with one field of the columns form: a text key and its
// arguments, said in the person's language next to the field; Detail is the parser's
// English text, when it said more.
type fieldProblem struct {
	Key    string
	Args   []any
	Detail string
}

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// readColumns reads the columns form into a mapping, and says what is wrong field by field
// (the parser's Check then tests the mapping against the rows).
func readColumns(f url.Values, t *bankcsv.Table) (bankcsv.Mapping, string, map[string]fieldProblem) {
	problems := map[string]fieldProblem{}
	m := bankcsv.None(t.Comma)
	width := 0
	for _, row := range t.Rows {
		width = max(width, len(row))
	}
	m.HeaderRow = formInt(f, "header_row", -2)
	if m.HeaderRow < -1 || m.HeaderRow >= len(t.Rows) {
		problems["header_row"] = fieldProblem{Key: "columns.err.header"}
		m.HeaderRow = 0
	}
	used := map[int]string{}
	for _, role := range columnRoles {
		col := formInt(f, role.field, -2)
		if col < -1 || col >= width {
			problems[role.field] = fieldProblem{Key: "columns.err.column"}
			col = -1
		}
		*roleOf(&m, role.field) = col
		if prev, ok := used[col]; ok && col >= 0 {
			problems[role.field] = fieldProblem{Key: "columns.err.twice", Args: []any{"columns." + prev}}
		}
		if col >= 0 {
			used[col] = role.field
		}
		if !role.optional && col < 0 {
			problems[role.field] = fieldProblem{Key: "columns.err.need"}
		}
	}
	switch {
	case m.Amount >= 0 && (m.Debit >= 0 || m.Credit >= 0):
		problems["amount"] = fieldProblem{Key: "columns.err.amount.both"}
	case m.Amount < 0 && (m.Debit < 0 || m.Credit < 0):
		problems["amount"] = fieldProblem{Key: "columns.err.amount"}
	}
	m.DateLayout = f.Get("date_layout")
	if !slices.Contains(bankcsv.Layouts, m.DateLayout) {
		problems["date_layout"] = fieldProblem{Key: "columns.err.layout"}
	}
	m.DecimalComma = f.Get("decimal") == "comma"
	m.Currency = strings.ToUpper(strings.TrimSpace(f.Get("currency")))
	if !currencyCode.MatchString(m.Currency) {
		problems["currency"] = fieldProblem{Key: "columns.err.currency"}
	}
	m.Account = strings.TrimSpace(f.Get("account"))
	bank := strings.TrimSpace(f.Get("bank"))
	for field, val := range map[string]string{"account": m.Account, "bank": bank} {
		if len(val) > 100 || strings.ContainsAny(val, "\x00\r\n") {
			problems[field] = fieldProblem{Key: "columns.err.long"}
		}
	}
	return m, bank, problems
}

// formInt is the form's integer field, or def when it is not one.
func formInt(f url.Values, field string, def int) int {
	n, err := strconv.Atoi(f.Get(field))
	if err != nil {
		return def
	}
	return n
}

// checkRow finds, in the parser's refusal of a mapping, the row and the column it names
// ("row 5: column Débit (4): ..."), so that the page says it next to that column's field.
var checkRow = regexp.MustCompile(`^row (\d+): .*?column [^:]*?\(?(\d+)\)?:`)

// placeCheck turns the parser's refusal of a mapping into a problem of the field it is about.
func placeCheck(m bankcsv.Mapping, err error) (string, fieldProblem) {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": row "); i >= 0 {
		msg = msg[i+2:] // the refusal names the file first
	}
	sub := checkRow.FindStringSubmatch(msg)
	if sub == nil {
		return "", fieldProblem{Key: "columns.err.rows", Detail: msg}
	}
	row, _ := strconv.Atoi(sub[1])
	col, _ := strconv.Atoi(sub[2])
	for _, role := range columnRoles {
		if *roleOf(&m, role.field) == col-1 {
			return role.field, fieldProblem{Key: "columns.err.row", Args: []any{row}, Detail: msg}
		}
	}
	return "", fieldProblem{Key: "columns.err.row", Args: []any{row}, Detail: msg}
}

// say is a field problem in lang.
func (s *Server) say(lang string, fp fieldProblem) string {
	args := make([]any, len(fp.Args))
	for i, a := range fp.Args {
		if k, ok := a.(string); ok && strings.HasPrefix(k, "columns.") {
			a = strings.ToLower(s.t(lang, k))
		}
		args[i] = a
	}
	if len(args) == 0 {
		return s.t(lang, fp.Key)
	}
	return fmt.Sprintf(s.t(lang, fp.Key), args...)
}
