package web

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/importer"
	"selfdata/internal/input"
	"selfdata/internal/restore"
	"selfdata/internal/store"
)

// importView is what import.html shows: the form, and after a post the report or the refusal.
type importView struct {
	Families []string // text keys of the format families the importer reads
	Other    []string // formats without a family
	MaxBytes int64    // the largest upload (the page writes it with size)

	Done       bool
	Kind       string // text key of the kind of file read, "" when unknown
	Report     *restore.Report
	Categories []reportCategory
	Known      int // readings received that were already there
	LeftOut    []leftOutItem
	Skipped    int // values left out other than the records listed in LeftOut
	// LeftOutOpen is how many left-out records the page lists unfolded; past it the list
	// is folded under its count, so that the rest of the report stays in view.
	LeftOutOpen int
	LeftOutMore int // left out past those listed, counted only (importer.MaxLeftOut)
	LeftOutAll  int // listed and counted

	Refusal   *importer.Error // the file's problem, located
	Reason    string          // its technical reason, as a page may show it (technicalReason)
	Advice    *importAdvice   // what happened and what to do, in the person's language
	Records   []refusedRecord // or the records that do not fit their doctype
	Problem   string          // or a text key: import.nofile, form.expired.import
	importAsk                 // or a question about the file (import_choose.go)
}

type reportCategory struct {
	Doctype *doctype.Doctype
	Name    string
	Count   int
}

// leftOutItem is a record of the file left out, said in the person's language.
type leftOutItem struct {
	Where, What, Why string
	WhyLang          string // "en" when Why is the importer's English text (an unknown reason)
}

// leftOut says each left-out record of a report in lang: its place, its kind (a doctype's
// label when it is one) and its reason from the table of reason codes (leftout.*), else
// the importer's English text.
func (s *Server) leftOut(lang string, list []importer.LeftOut) []leftOutItem {
	reg := s.gate.Registry()
	items := make([]leftOutItem, 0, len(list))
	for _, l := range list {
		it := leftOutItem{What: l.Kind}
		if d, ok := reg.Get(l.Kind); ok {
			it.What = labelIn(lang, d.Label)
		}
		var where []string
		if l.File != "" {
			where = append(where, l.File)
		}
		if l.Line > 0 {
			where = append(where, fmt.Sprintf(s.t(lang, "import.leftout.line"), l.Line))
		}
		if l.Element != "" {
			where = append(where, l.Element)
		}
		it.Where = strings.Join(where, ", ")
		key := "leftout." + string(l.Reason)
		if text := s.t(lang, key); text != key && strings.Count(text, "%s") == len(l.Params) {
			args := make([]any, len(l.Params))
			for i, p := range l.Params {
				args[i] = p
			}
			it.Why = fmt.Sprintf(text, args...)
		} else {
			it.Why, it.WhyLang = l.Text, "en"
		}
		items = append(items, it)
	}
	return items
}

type refusedRecord struct {
	gate.RecordError
	Doctype *doctype.Doctype
}

// formatKind is the text key naming, in a few words, the kind of file a format reads.
func formatKind(format string) string {
	if strings.HasPrefix(format, "zip") {
		return "kind.zip"
	}
	for _, f := range formatFamilies {
		if slices.Contains(f.formats, format) {
			return "kind." + strings.TrimPrefix(f.key, "fmt.")
		}
	}
	return ""
}

func (s *Server) newImportView() *importView {
	v := &importView{MaxBytes: s.maxImportBytes()}
	known := s.imp.Formats()
	covered := map[string]bool{}
	for _, f := range formatFamilies {
		for _, name := range f.formats {
			covered[name] = true
		}
		if slices.ContainsFunc(f.formats, func(n string) bool { return slices.Contains(known, n) }) {
			v.Families = append(v.Families, f.key)
		}
	}
	for _, name := range known {
		if !covered[name] {
			v.Other = append(v.Other, name)
		}
	}
	return v
}

// importPage: GET /import — what can be imported, and the form.
func (s *Server) importPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	v := s.newImportView()
	v.Check = r.URL.Query().Get("columns") == "1"
	return s.render(w, r, http.StatusOK, "import.html", page{Title: "import", Data: v})
}

// importUpload: POST /import (multipart: csrf, then file). The body is read as a stream: the
// csrf part must come first (forms send their fields in order, and import.html puts it
// first), so a forged post is refused before a byte of its file is read, and the file goes
// to the importer (which spools it) as it arrives. The result page is the answer itself:
// 200 with the report, 422 with why the file was refused, 400 when it did not arrive whole.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	if err := s.gate.MayWrite(r.Context(), p, "file"); err != nil {
		return err // the importer would refuse it too, but only once the form is read this far
	}
	r.Body = uploadBody(w, r, s.maxImportBytes()+64<<10) // room for the envelope
	v := s.newImportView()
	mr, err := r.MultipartReader()
	if err != nil {
		// Not a multipart form: it cannot carry a file, but a forged one is still a 403.
		if err := checkCSRF(r); err != nil {
			return err
		}
		v.Problem = "import.nofile"
		return s.render(w, r, http.StatusBadRequest, "import.html", page{Title: "import", Data: v})
	}
	part, err := mr.NextPart()
	if err != nil || part.FormName() != "csrf" {
		return errCSRF
	}
	tok, err := io.ReadAll(io.LimitReader(part, 256))
	if err != nil {
		return err
	}
	if err := sameCSRF(r, string(tok)); err != nil {
		return err
	}
	check := false // the person asks to check a bank CSV's columns (import_choose.go)
	for {
		part, err = mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A part whose headers do not parse is a broken upload, like one cut short.
			var mb *http.MaxBytesError
			if !errors.As(err, &mb) {
				err = &bodyError{err}
			}
			return s.importRefused(w, r, v, err)
		}
		if part.FormName() == "file" {
			break
		}
		check = check || part.FormName() == "check"
	}
	name := ""
	if part != nil && err == nil {
		name = path.Base(part.FileName())
	}
	if name == "" || name == "." || name == "/" {
		v.Problem = "import.nofile"
		return s.render(w, r, http.StatusBadRequest, "import.html", page{Title: "import", Data: v})
	}
	return s.importSent(w, r, p, v, name, &capped{r: part, left: s.maxImportBytes(), limit: s.maxImportBytes()}, check)
}

// importReport shows what an import wrote.
func (s *Server) importReport(w http.ResponseWriter, r *http.Request, v *importView, rep *restore.Report) error {
	v.Done, v.Report, v.Known, v.Kind = true, rep, rep.ReadingsReceived-rep.ReadingsAdded, formatKind(rep.Format)
	if v.Saved == nil {
		v.Saved = rep.Columns
	}
	v.LeftOut, v.LeftOutOpen = s.leftOut(lang(r), rep.LeftOut), 10
	v.LeftOutMore, v.LeftOutAll = rep.LeftOutMore, len(rep.LeftOut)+rep.LeftOutMore
	v.Skipped = max(rep.Skipped-v.LeftOutAll, 0) // each record left out counts once in Skipped
	reg := s.gate.Registry()
	for dt, n := range rep.ByDoctype {
		d, _ := reg.Get(dt)
		v.Categories = append(v.Categories, reportCategory{Doctype: d, Name: dt, Count: n})
	}
	sort.Slice(v.Categories, func(i, j int) bool { return v.Categories[i].Name < v.Categories[j].Name })
	return s.render(w, r, http.StatusOK, "import.html", page{Title: "import", Data: v})
}

// importRefused shows why a file was refused, and what to do (import_advice.go); an
// internal failure is returned as is.
func (s *Server) importRefused(w http.ResponseWriter, r *http.Request, v *importView, err error) error {
	var mb *http.MaxBytesError
	var broken *bodyError
	var ie *importer.Error
	var be *gate.BatchError
	status := http.StatusUnprocessableEntity
	if a, ok := s.adviseImport(lang(r), err); ok {
		v.Advice = &a
	}
	switch {
	case errors.As(err, &mb) || errors.Is(err, importer.ErrTooLarge):
		status = http.StatusRequestEntityTooLarge
	case errors.As(err, &broken):
		status = http.StatusBadRequest
	case errors.As(err, &ie):
		v.Refusal, v.Reason = ie, technicalReason(ie)
	case errors.As(err, &be):
		reg := s.gate.Registry()
		for _, re := range be.Records {
			d, _ := reg.Get(re.Doctype)
			v.Records = append(v.Records, refusedRecord{RecordError: re, Doctype: d})
		}
	default:
		return err
	}
	return s.render(w, r, status, "import.html", page{Title: "import", Data: v})
}

// capped reads at most left bytes and then fails the way http.MaxBytesReader does, so that
// the file part alone is held to the limit, whatever the size of the rest of the form.
type capped struct {
	r     io.Reader
	left  int64
	limit int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, &http.MaxBytesError{Limit: c.limit}
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n - 1, &http.MaxBytesError{Limit: c.limit}
	}
	return n, err
}

// sameCSRF is checkCSRF for a token read from a multipart stream.
func sameCSRF(r *http.Request, tok string) error {
	c, err := r.Cookie(csrfCookie)
	if err != nil || tok == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(tok)) != 1 {
		return errCSRF
	}
	return nil
}

// connView is a connection with its doctypes' declarations, for connections.html.
type connView struct {
	restore.ConnectionView
	Categories []*doctype.Doctype
	Others     []string // doctypes the registry does not know (shown by name)
	Actions    []string // what the person may do now
}

// connGroup is a heading of connections.html and the connections under it.
type connGroup struct {
	Title string // text key
	Help  bool   // explain pause and revoke under it
	Items []connView
}

// connActions says which decisions each state allows (restore.Orgs.Decide checks them again).
var connActions = map[string][]string{
	store.Pending: {"approve", "refuse"},
	store.Active:  {"pause", "revoke"},
	store.Paused:  {"resume", "revoke"},
}

// connDone names the confirmation shown after each action.
var connDone = map[string]string{"approve": "approved", "refuse": "refused", "pause": "paused", "resume": "resumed", "revoke": "revoked"}

// connConfirmed are the decisions that cannot be taken back: the button of each leads first
// to a page that says what will happen (connectionsPage with ?confirm=ID&action=...), and
// the POST itself stays as it was, for the API and for that page's form.
var connConfirmed = map[string]confirmView{
	"revoke": {Question: "confirm.revoke.q", Effects: []string{"confirm.revoke.stop", "confirm.revoke.keep"}, Undo: "confirm.revoke.undo",
		Button: "confirm.revoke.button", Keep: "confirm.revoke.cancel"},
	"refuse": {Question: "confirm.refuse.q", Effects: []string{"confirm.refuse.stop", "confirm.refuse.keep"}, Undo: "confirm.refuse.undo",
		Button: "confirm.refuse.button", Keep: "confirm.refuse.cancel"},
}

// connUndo says, after a decision, how to take it back, when it can be.
var connUndo = map[string]string{"paused": "conn.undo.paused", "resumed": "conn.undo.resumed", "revoked": "conn.undo.revoked", "refused": "conn.undo.refused"}

// connectionsPage: GET /connections[?done=ACTIONED|error=conflict|confirm=ID&action=revoke|refuse]
func (s *Server) connectionsPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	list, err := s.orgs.Connections(r.Context(), p.Instance)
	if err != nil {
		return err
	}
	if id := r.URL.Query().Get("confirm"); id != "" {
		return s.confirmConnection(w, r, list, id, r.URL.Query().Get("action"))
	}
	reg := s.gate.Registry()
	groups := []*connGroup{{Title: "conn.pending"}, {Title: "conn.current", Help: true}, {Title: "conn.ended"}}
	for _, c := range list {
		v := connView{ConnectionView: c, Actions: connActions[c.State]}
		for _, dt := range c.Doctypes {
			if d, ok := reg.Get(dt); ok {
				v.Categories = append(v.Categories, d)
			} else {
				v.Others = append(v.Others, dt)
			}
		}
		g := groups[2]
		switch c.State {
		case store.Pending:
			g = groups[0]
		case store.Active, store.Paused:
			g = groups[1]
		}
		g.Items = append(g.Items, v)
	}
	data := map[string]any{"Groups": groups, "Empty": len(list) == 0}
	q := r.URL.Query()
	if d := q.Get("done"); slices.Contains([]string{"approved", "refused", "paused", "resumed", "revoked", "erased", "erased-ended"}, d) {
		data["Done"], data["Undo"] = "conn.done."+d, connUndo[d]
	}
	pg := page{Title: "connections", Data: data}
	if q.Get("error") == "conflict" {
		pg.Error = "conn.conflict"
	}
	return s.render(w, r, http.StatusOK, "connections.html", pg)
}

// confirmConnection is the step before a decision that cannot be taken back: what it will
// do, in words, with the real button and a way back. Another person's connection, or one
// the decision no longer applies to, is not found.
func (s *Server) confirmConnection(w http.ResponseWriter, r *http.Request, list []restore.ConnectionView, id, action string) error {
	v, ok := connConfirmed[action]
	i := slices.IndexFunc(list, func(c restore.ConnectionView) bool { return c.ID == id })
	if !ok || i < 0 || !slices.Contains(connActions[list[i].State], action) {
		return errorf(http.StatusNotFound, "There is no connection %s to %s.", input.Excerpt(id), input.Excerpt(action))
	}
	v.Name = list[i].Organization.Name
	v.Action = "/connections/" + url.PathEscape(id) + "/" + action
	v.Cancel = "/connections#conn-" + url.PathEscape(id)
	return s.render(w, r, http.StatusOK, "confirm.html", page{Title: "connections", Data: v})
}

// connectionAction: POST /connections/{id}/{approve|refuse|pause|resume|revoke} (csrf), then
// back to the list with what happened. Another person's connection is not found (404).
func (s *Server) connectionAction(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	action := r.PathValue("action")
	err := s.orgs.Decide(r.Context(), p.Instance, r.PathValue("id"), action)
	switch {
	case errors.Is(err, store.ErrConflict):
		// A second click, or another window: show the state it is in now.
		http.Redirect(w, r, "/connections?error=conflict", http.StatusSeeOther)
		return nil
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/connections?done="+connDone[action], http.StatusSeeOther)
	return nil
}

// logPageSize is how many entries the access log shows at once.
const logPageSize = 100

// logRow is one entry of the access log with its doctype.
type logRow struct {
	store.LogEntry
	Doctype *doctype.Doctype
}

// logActor is one choice of the "who" filter.
type logActor struct {
	ID, Name, Principal string
}

// logKeys are the access log page's filters, which its links to other pages keep.
var logKeys = []string{"actor", "doctype", "from", "to", "mine"}

// accessLogPage: GET /access-log?actor=&doctype=&from=&to=&before=&mine=1 — who read or
// deposited what and when, newest first, 100 at a time. By default it shows what others
// did (organizations, services, relatives, scripts): the person's own page views would be
// most of it and hide the rest. They are one link away (mine=1), and the page says how
// many are left out.
func (s *Server) accessLogPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	ctx := r.Context()
	q := r.URL.Query()
	lq := store.LogQuery{ActorID: q.Get("actor"), Doctype: q.Get("doctype"), Limit: logPageSize + 1}
	mine := q.Get("mine") == "1"
	if !mine {
		lq.ExceptPrincipal = string(gate.KindOwner)
	}
	pg := page{Title: "log"}
	status := http.StatusOK
	var err error
	from, to := q.Get("from"), q.Get("to")
	if lq.From, err = logDay(from, 0); err == nil {
		lq.To, err = logDay(to, 1) // "to" includes its day
	}
	if err != nil {
		pg.Error, status, lq.From, lq.To = "log.baddate", http.StatusBadRequest, time.Time{}, time.Time{}
	}
	if b, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && b > 0 {
		lq.Before = b
	}
	entries, err := s.gate.AccessLog(ctx, p, lq)
	if err != nil {
		return err
	}
	reg := s.gate.Registry()
	data := map[string]any{"Actor": lq.ActorID, "Doctype": lq.Doctype, "From": from, "To": to, "Doctypes": reg.All(), "Before": lq.Before, "Mine": mine}
	if data["Hidden"], data["MineLink"], err = s.ownEntries(r, p, lq, mine); err != nil {
		return err
	}
	if len(entries) > logPageSize {
		entries = entries[:logPageSize]
		older := url.Values{"before": {strconv.FormatInt(entries[len(entries)-1].Seq, 10)}}
		for _, k := range logKeys {
			if v := q.Get(k); v != "" {
				older.Set(k, v)
			}
		}
		data["Older"] = "/access-log?" + older.Encode()
	}
	rows := make([]logRow, len(entries))
	for i, e := range entries {
		d, _ := reg.Get(e.Doctype)
		if e.Principal == string(gate.KindBuiltin) {
			e.ActorName = s.t(lang(r), "svc."+e.ActorID) // the built-in service's name in the person's language
		}
		rows[i] = logRow{LogEntry: e, Doctype: d}
	}
	if err := s.logPurposes(ctx, lang(r), rows); err != nil {
		return err
	}
	data["Rows"] = rows
	if lq.Before > 0 {
		newest := url.Values{}
		for _, k := range logKeys {
			if v := q.Get(k); v != "" {
				newest.Set(k, v)
			}
		}
		data["Newest"] = "/access-log?" + newest.Encode()
	}
	actors, err := s.logActors(r, p, entries)
	if err != nil {
		return err
	}
	data["Actors"] = actors
	pg.Data = data
	return s.render(w, r, status, "accesslog.html", pg)
}

// ownEntries counts the person's own accesses the page leaves out (0 when it shows them),
// with the same filters, and makes the link that shows them or hides them again.
func (s *Server) ownEntries(r *http.Request, p gate.Principal, lq store.LogQuery, mine bool) (int64, string, error) {
	link := url.Values{}
	for _, k := range logKeys[:4] {
		if v := r.URL.Query().Get(k); v != "" {
			link.Set(k, v)
		}
	}
	if mine {
		return 0, "/access-log?" + link.Encode(), nil
	}
	link.Set("mine", "1")
	var hidden int64
	if lq.ActorID == "" { // the person's own entries carry no actor id
		sums, err := s.gate.AccessSummary(r.Context(), p, store.LogQuery{Principal: string(gate.KindOwner), Doctype: lq.Doctype, From: lq.From, To: lq.To})
		if err != nil {
			return 0, "", err
		}
		for _, sum := range sums {
			hidden += sum.Reads + sum.Writes + sum.Refused
		}
	}
	return hidden, "/access-log?" + link.Encode(), nil
}

// logActors lists who may be chosen in the "who" filter: the organizations connected to the
// person, and whoever appears in the latest 1,000 entries (the store's largest page) or in
// the page shown. The person's own accesses carry no actor id and are not a choice.
func (s *Server) logActors(r *http.Request, p gate.Principal, shown []store.LogEntry) ([]logActor, error) {
	seen := map[string]bool{}
	var out []logActor
	add := func(id, name, principal string) {
		if id == "" || seen[id] {
			return
		}
		seen[id] = true
		out = append(out, logActor{ID: id, Name: name, Principal: principal})
	}
	conns, err := s.orgs.Connections(r.Context(), p.Instance)
	if err != nil {
		return nil, err
	}
	for _, c := range conns {
		add(c.Organization.ID, c.Organization.Name, "organization")
	}
	recent, err := s.gate.AccessLog(r.Context(), p, store.LogQuery{Limit: 1000})
	if err != nil {
		return nil, err
	}
	for _, e := range append(recent, shown...) {
		name := e.ActorName
		if e.Principal == string(gate.KindBuiltin) {
			name = s.t(lang(r), "svc."+e.ActorID)
		}
		if name == "" {
			name = e.ActorID
		}
		add(e.ActorID, name, e.Principal)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Principal != out[j].Principal {
			return out[i].Principal < out[j].Principal
		}
		return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name)
	})
	return out, nil
}

// logDay reads a date input (YYYY-MM-DD) as the start of that day plus days, in the zone
// the log's times are shown in (displayZone); empty means no bound.
func logDay(v string, days int) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, v, displayZone())
	if err != nil {
		return time.Time{}, fmt.Errorf("date %s is not a date like 2025-01-31", input.Excerpt(v))
	}
	return t.AddDate(0, 0, days), nil
}

// settingsPage: GET /settings[?done=passphrase|email]
func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	done := r.URL.Query().Get("done")
	if done != "passphrase" && done != "email" {
		done = ""
	}
	data, err := s.settingsData(r, p, done)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "settings.html", page{Title: "settings", Data: data})
}

// changePassphrase: POST /settings/passphrase (csrf, current, new, confirm).
//
// auth.Service.ChangePassphrase ends every session of the store, this one included. The
// person has just proved they know both passphrases, so this browser is logged in again
// with the new one and stays on the settings page with a confirmation; every other session
// (a forgotten computer, a lost phone) stays closed. Were that new login to fail, the person
// is sent to the login page, which is where a closed session leads anyway.
func (s *Server) changePassphrase(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	current, next, confirm := r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("confirm")
	fail := func(key string) error {
		data, err := s.settingsData(r, p, "")
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusBadRequest, "settings.html", page{Title: "settings", Error: key, Data: data})
	}
	if next != confirm {
		return fail("settings.mismatch")
	}
	if auth.CheckPassphrase(next) != nil {
		return fail("settings.weak")
	}
	var name string
	if c, err := r.Cookie(sessionCookie); err == nil {
		if in, err := s.auth.Session(r.Context(), c.Value); err == nil {
			name = in.Name
		}
	}
	err := s.auth.ChangePassphrase(r.Context(), p.Instance, current, next)
	switch {
	case errors.Is(err, auth.ErrBadCredentials):
		return fail("settings.wrong")
	case errors.Is(err, auth.ErrWeakPassphrase):
		return fail("settings.weak")
	case err != nil:
		return err
	}
	if err := s.logIn(w, r, name, next); err != nil {
		s.log.Warn("login after passphrase change", "err", err)
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r), MaxAge: -1})
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/settings?done=passphrase", http.StatusSeeOther)
	return nil
}
