package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"

	"selfdata/internal/consent"
	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/restore"
	"selfdata/internal/store"
)

// Admin is the operator's API. It has no authentication of its own: it must only listen on
// the loopback interface, where only the operator's machine reaches it (CheckAdminAddr).
type Admin struct {
	cfg      Config // only the body's grace and rate apply
	orgs     *restore.Orgs
	services *consent.Services
	log      *slog.Logger
	mux      *http.ServeMux
}

// NewAdmin builds the admin API; of cfg, only the body's grace and rate apply.
func NewAdmin(cfg Config, orgs *restore.Orgs, services *consent.Services, log *slog.Logger) *Admin {
	a := &Admin{cfg: cfg, orgs: orgs, services: services, log: log, mux: http.NewServeMux()}
	for _, rt := range a.routes() {
		a.mux.Handle(rt.pattern, a.wrap(rt.h))
	}
	return a
}

// routes is the admin API's one table.
func (a *Admin) routes() []route {
	return []route{
		{"GET /admin/v1/organizations", public, a.listOrgs},
		{"POST /admin/v1/organizations", public, a.addOrg},
		{"GET /admin/v1/organizations/{id}", public, a.getOrg},
		{"DELETE /admin/v1/organizations/{id}", public, a.removeOrg},
		{"GET /admin/v1/services", public, a.listServices},
		{"POST /admin/v1/services", public, a.addService},
		{"GET /admin/v1/services/{id}", public, a.getService},
		{"DELETE /admin/v1/services/{id}", public, a.removeService},
	}
}

// Handler serves the admin API, to the operator's tools only (adminGuard).
func (a *Admin) Handler() http.Handler {
	return slowBodies(securityHeaders(a.adminGuard(a.mux)), a.cfg.BodyGrace, a.cfg.BodyMinRate, a.log)
}

func (a *Admin) wrap(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r, gate.Principal{}); err != nil {
			writeProblem(w, r, a.log, err)
		}
	})
}

// decodeAdmin reads an admin request's JSON body into v, after refusing text no store can
// hold (a NUL, bytes that are not UTF-8: PostgreSQL would refuse it with a 500, SQLite would
// keep it), named by its JSON pointer. strict refuses fields v does not have.
func decodeAdmin(w http.ResponseWriter, r *http.Request, v any, strict bool) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		return err
	}
	if p := doctype.JSONTextProblem(body); p != nil {
		return &httpError{status: http.StatusUnprocessableEntity, detail: "The body holds text that cannot be stored; see invalid_params.", params: []doctype.Problem{*p}}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if strict {
		dec.DisallowUnknownFields() // a misspelt field would otherwise be dropped without a word
	}
	if err := dec.Decode(v); err != nil {
		return &badBody{err}
	}
	return nil
}

// badBody is a body that is not the JSON an admin route takes.
type badBody struct{ err error }

func (b *badBody) Error() string { return b.err.Error() }

// adminBodyError is err of decodeAdmin as the client reads it: a body that does not decode
// says what to send (hint, then the decoder's reason when there is one).
func adminBodyError(err error, hint string) error {
	var bb *badBody
	if errors.As(err, &bb) {
		return errorf(http.StatusBadRequest, "%s (%s)", hint, input.CutMessage(bb.err.Error()))
	}
	var he *httpError
	var mb *http.MaxBytesError
	if errors.As(err, &he) || errors.As(err, &mb) {
		return err
	}
	return errorf(http.StatusBadRequest, "The request body could not be read.")
}

// CheckAdminAddr refuses to expose the admin API beyond the loopback interface.
func CheckAdminAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("the admin API has no password: listen on 127.0.0.1 or [::1], not %q", addr)
	}
	return nil
}

func (a *Admin) listOrgs(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	list, err := a.orgs.List(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.Organization{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

// addOrg: POST /admin/v1/organizations with the organization and its declaration; answers
// with its key, shown once. The declaration's texts come in English and French.
func (a *Admin) addOrg(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	var o store.Organization
	if err := decodeAdmin(w, r, &o, false); err != nil {
		return adminBodyError(err, "Send the organization as JSON: id, name, website, contact, dpo, declaration {purposes, purposes_fr, legal_basis, doctypes, retention, retention_fr, recipients, recipients_fr}.")
	}
	if err := untranslated(o.Untranslated()); err != nil {
		return err
	}
	key, err := a.orgs.Add(r.Context(), o)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]string{"id": o.ID, "key": key})
}

func (a *Admin) getOrg(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	o, err := a.orgs.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}

func (a *Admin) removeOrg(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	if err := a.orgs.Remove(r.Context(), r.PathValue("id")); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return errorf(http.StatusNotFound, "No organization %s.", input.Excerpt(r.PathValue("id")))
		}
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// untranslated refuses a registration whose texts for people are given in one language
// only, naming each missing field by its JSON pointer (422).
//
// The operator's registrations — this API and the command line — must give both: a person
// reads these texts next to their data, on pages in French or English, and a text given
// in one language would be shown in the other language's pages as it is, which is what
// people on the French pages complained of. Nothing else is required of an operator here
// (a registration in neither language is refused by the registry as incomplete), and what
// was registered before French came is still shown, in its one language, on every page.
func untranslated(gaps []store.TextGap) error {
	if len(gaps) == 0 {
		return nil
	}
	params := make([]doctype.Problem, len(gaps))
	for i, g := range gaps {
		params[i] = doctype.Problem{Path: "/" + g.Path, Message: g.Message}
	}
	return &httpError{status: http.StatusUnprocessableEntity, detail: "Texts people read are given in English and French; " + gaps[0].Path + ": " + gaps[0].Message + ". See invalid_params.", params: params}
}
