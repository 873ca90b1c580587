package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"selfdata/internal/auth"
	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/restore"
	"selfdata/internal/store"
)

// Eraser erases a person's whole store (store.EraseInstance: secure_delete, the search
// index optimized, the journal truncated), for the Settings page's "Erase my store".
type Eraser interface {
	InstanceByID(ctx context.Context, id string) (store.Instance, error)
	EraseInstance(ctx context.Context, name string) (store.Erased, error)
}

// erasedKinds are what an erasure of the whole store takes away, in the order the pages
// say it (text keys erase.what.KIND; erase.done.KIND counts them afterwards).
var erasedKinds = []string{"documents", "series", "files", "tokens", "sessions", "grants", "connections", "alerts", "log"}

// eraseStoreView is what erase_store.html shows: the store's name to type again, and
// whether the export is there to be taken first.
type eraseStoreView struct {
	Name   string
	Export bool
	Kinds  []string
	Typed  string // the name typed, when the form comes back
}

// eraseStorePage: GET /settings/erase — the step before erasing the whole store: the
// export first, what goes, that nothing comes back, and the passphrase and name to type.
func (s *Server) eraseStorePage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	return s.eraseStoreForm(w, r, p, http.StatusOK, "", "")
}

func (s *Server) eraseStoreForm(w http.ResponseWriter, r *http.Request, p gate.Principal, status int, problem, typed string) error {
	if s.erase == nil {
		return errorf(http.StatusNotFound, "Erasing a store from its pages is not enabled on this server.")
	}
	in, err := s.erase.InstanceByID(r.Context(), p.Instance)
	if err != nil {
		return err
	}
	v := eraseStoreView{Name: in.Name, Export: s.exp != nil, Kinds: erasedKinds, Typed: typed}
	return s.render(w, r, status, "erase_store.html", page{Title: "settings", Error: problem, Data: v})
}

// erasedView is the goodbye page's: how many of each kind went, with its text key.
type erasedView struct {
	Name   string
	Counts []erasedCount
}

type erasedCount struct {
	Key   string
	Count int64
}

// eraseStore: POST /settings/erase (csrf, passphrase, name) — erases the whole store once
// the person typed their passphrase (a wrong one counts as a failed attempt, under the
// limit of passphrase changes) and the store's name again; then the session cookie is
// cleared and the goodbye page says what was erased. Nothing is erased when either is wrong.
func (s *Server) eraseStore(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	if s.erase == nil {
		return errorf(http.StatusNotFound, "Erasing a store from its pages is not enabled on this server.")
	}
	in, err := s.erase.InstanceByID(r.Context(), p.Instance)
	if err != nil {
		return err
	}
	typed := strings.TrimSpace(r.PostFormValue("name"))
	err = s.auth.ConfirmPassphrase(r.Context(), p.Instance, r.PostFormValue("passphrase"))
	switch {
	case errors.Is(err, auth.ErrBadCredentials):
		return s.eraseStoreForm(w, r, p, http.StatusBadRequest, "erase.err.passphrase", typed)
	case err != nil:
		return err // a rate limit answers 429 with when to try again
	}
	if !strings.EqualFold(typed, in.Name) {
		return s.eraseStoreForm(w, r, p, http.StatusBadRequest, "erase.err.name", typed)
	}
	n, err := s.erase.EraseInstance(r.Context(), in.Name)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r), MaxAge: -1})
	v := erasedView{Name: in.Name}
	for i, c := range []int64{n.Documents, n.Series, n.Files, n.Tokens, n.Sessions, n.Grants, n.Connections, n.Alerts, n.LogEntries} {
		v.Counts = append(v.Counts, erasedCount{Key: "erase.done." + erasedKinds[i], Count: c})
	}
	// The page is nobody's now: no menu, no alert badge of a store that is gone.
	r = r.WithContext(context.WithValue(r.Context(), ownerKey{}, nil))
	return s.render(w, r, http.StatusOK, "erase_done.html", page{Title: "erase.done.title", Data: v, NoMenu: true})
}

// eraseSourceView is what erase_source.html shows of one organization: what it holds in the
// store, by doctype, and what becomes of the connection.
type eraseSourceView struct {
	Conn  restore.ConnectionView
	Held  []heldRow
	Total int64
	// End is the decision that ends the connection ("revoke", "refuse"), "" when it has
	// ended already.
	End string
}

type heldRow struct {
	Doctype *doctype.Doctype // nil for a doctype the registry does not know
	Name    string
	Count   int64
}

// connectionOf finds the person's connection id; another person's is not found, the same
// answer as one that does not exist.
func (s *Server) connectionOf(ctx context.Context, p gate.Principal, id string) (restore.ConnectionView, error) {
	list, err := s.orgs.Connections(ctx, p.Instance)
	if err != nil {
		return restore.ConnectionView{}, err
	}
	i := slices.IndexFunc(list, func(c restore.ConnectionView) bool { return c.ID == id })
	if i < 0 {
		return restore.ConnectionView{}, errorf(http.StatusNotFound, "There is no connection %s.", input.Excerpt(id))
	}
	return list[i], nil
}

// endAction is the decision that ends a connection in its state: what the Connections page
// offers under the same name.
func endAction(state string) string {
	for _, a := range []string{"revoke", "refuse"} {
		if slices.Contains(connActions[state], a) {
			return a
		}
	}
	return ""
}

// eraseSourcePage: GET /connections/{id}/erase — what the organization holds in the store,
// by kind of data, before erasing it all.
func (s *Server) eraseSourcePage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	c, err := s.connectionOf(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	hs, err := s.gate.Holdings(r.Context(), p)
	if err != nil {
		return err
	}
	v := eraseSourceView{Conn: c, End: endAction(c.State)}
	reg := s.gate.Registry()
	for _, h := range hs {
		if h.SourceKind != string(gate.KindOrganization) || h.SourceID != c.Organization.ID {
			continue
		}
		d, _ := reg.Get(h.Doctype)
		v.Held = append(v.Held, heldRow{Doctype: d, Name: h.Doctype, Count: h.Count})
		v.Total += h.Count
	}
	return s.render(w, r, http.StatusOK, "erase_source.html", page{Title: "connections", Data: v})
}

// eraseSource: POST /connections/{id}/erase (csrf, end) — erases, through the gate, every
// document, series and file the organization deposited, in one transaction logged per
// doctype; with end=1, the connection is also ended as its Revoke (or Refuse) button does.
func (s *Server) eraseSource(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	c, err := s.connectionOf(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	if _, err := s.gate.EraseSource(r.Context(), p, string(gate.KindOrganization), c.Organization.ID); err != nil {
		return err
	}
	done := "erased"
	if a := endAction(c.State); a != "" && r.PostFormValue("end") == "1" {
		err := s.orgs.Decide(r.Context(), p.Instance, c.ID, a)
		if err != nil && !errors.Is(err, store.ErrConflict) { // ended meanwhile: so much the better
			return err
		}
		done = "erased-ended"
	}
	http.Redirect(w, r, "/connections?done="+done+"#conn-"+url.PathEscape(c.ID), http.StatusSeeOther)
	return nil
}

// deleteRecordConfirm is the step before deleting one record (confirm.html).
var deleteRecordConfirm = confirmView{Question: "erase.rec.q", Effects: []string{"erase.rec.gone", "erase.rec.log"},
	Undo: "erase.rec.undo", Button: "erase.rec.button", Keep: "erase.rec.cancel"}

// deleteRecordPage: GET /data/{doctype}/{id}/delete — what deleting the record does, and the
// real button; another person's record is not found, as on the record page.
func (s *Server) deleteRecordPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	d, err := s.documentDoctype(r.PathValue("doctype"))
	if err != nil {
		return err
	}
	doc, err := s.gate.Get(r.Context(), p, d.Name, r.PathValue("id"))
	if err != nil {
		return err
	}
	rv := s.viewer(r.Context(), p, lang(r))
	view := rv.view(doc, false)
	if rv.err != nil {
		return rv.err
	}
	v := deleteRecordConfirm
	v.Effects = slices.Clone(v.Effects)
	if d.Name == "file" {
		v.Effects = append(v.Effects, "erase.rec.file")
	}
	if doc.Source.Kind == string(gate.KindOrganization) {
		v.Effects = append(v.Effects, "erase.rec.again")
	}
	path := "/data/" + url.PathEscape(d.Name) + "/" + url.PathEscape(doc.ID)
	v.Name, v.Action, v.Cancel = view.Title, path+"/delete", path
	v.Fields = map[string]string{"rev": doc.Rev}
	return s.render(w, r, http.StatusOK, "confirm.html", page{Title: "data", Data: v})
}

// deleteRecord: POST /data/{doctype}/{id}/delete (csrf, rev) — deletes the record through
// the gate (a file's content with it, when no other record names it), then back to the list
// with a notice. A record changed since the confirmation is kept: the person looks again.
func (s *Server) deleteRecord(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	d, err := s.documentDoctype(r.PathValue("doctype"))
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	err = s.gate.Delete(r.Context(), p, d.Name, id, r.PostFormValue("rev"))
	switch {
	case errors.Is(err, store.ErrConflict):
		return errorf(http.StatusConflict, "The record %s changed since you asked to delete it: it is kept. Look at it again, then delete it if you still want to.", input.Excerpt(id))
	case errors.Is(err, store.ErrInvalid):
		return errorf(http.StatusBadRequest, "The form to delete %s lacks the record's revision.", input.Excerpt(id))
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/data/"+url.PathEscape(d.Name)+"?done=deleted", http.StatusSeeOther)
	return nil
}
