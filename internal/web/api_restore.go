package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"time"

	"github.com/google/uuid"

	"selfdata/internal/gate"
	"selfdata/internal/importer"
	"selfdata/internal/restore"
	"selfdata/internal/store"
)

// importFile: POST /api/v1/imports?name=FILE[&format=F][&mapping=JSON] with the file as the
// body — a file the person downloaded from an organization. Answers what was imported, or
// why not; a file whose format is unsure, or a bank CSV whose columns must be named, is a
// 422 that says the candidates, or the header and the guessed columns (importQuestion).
func (s *Server) importFile(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	q := r.URL.Query()
	name := path.Base(q.Get("name"))
	if name == "" || name == "." || name == "/" {
		return badParam("name", "give the file's name (?name=releve.ofx): it helps recognize the format")
	}
	opt, err := importOptions(q.Get("format"), q.Get("mapping"))
	if err != nil {
		return err
	}
	// The importer asks the gate before it reads a byte: a principal that may not write the
	// original file is refused unread.
	rep, err := s.imp.FileWith(r.Context(), p, importSource(p, name), name, uploadBody(w, r, s.maxImportBytes()), opt, nil)
	if ok, werr := writeImportQuestion(w, r, err); ok {
		return werr
	}
	if err != nil {
		return s.importAPIError(r, err) // in the language Accept-Language asks for (import_advice.go)
	}
	return writeJSON(w, http.StatusOK, rep)
}

// importSource is the provenance of what an import writes. A service's import is the
// service's: the ids of its records derive from it, so it never overwrites what the person
// or an organization stored, and "who has what on me" shows it under the service's name.
// The person's own — from a page, or from a script of theirs with a token — is the person's
// upload, so that one file imported either way lands on the same records.
func importSource(p gate.Principal, name string) store.Source {
	if p.Kind == gate.KindService {
		return store.Source{Kind: string(gate.KindService), ID: p.ActorID, Name: p.ActorName, At: time.Now()}
	}
	return store.Source{Kind: "upload", Name: name, At: time.Now()}
}

// maxImportBytes is the largest file an import reads: the upload limit, or less, the
// importers' own (importer.MaxFileBytes: what they parse is held in memory), so that a file
// too large to import is a 413 as it arrives rather than a refusal once sent.
func (s *Server) maxImportBytes() int64 { return min(s.cfg.MaxFileBytes, importer.MaxFileBytes) }

// importError turns a file's problem into a 422 that names the line or element, and an
// upload that did not arrive whole into a 400.
func importError(err error) error {
	var mb *http.MaxBytesError
	var be *bodyError
	if errors.As(err, &mb) || errors.As(err, &be) {
		return uploadError(err)
	}
	var ie *importer.Error
	if errors.As(err, &ie) {
		return errorf(http.StatusUnprocessableEntity, "The file was refused and nothing was written: %s", ie.Error())
	}
	return err
}

// listConnections: GET /api/v1/connections — the organizations connected to me, or asking.
func (s *Server) listConnections(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	list, err := s.orgs.Connections(r.Context(), p.Instance)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

// decideConnection: POST /api/v1/connections/{id}/{approve|refuse|pause|resume|revoke}
func (s *Server) decideConnection(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	if err := s.orgs.Decide(r.Context(), p.Instance, r.PathValue("id"), r.PathValue("action")); err != nil {
		return err
	}
	list, err := s.orgs.Connections(r.Context(), p.Instance)
	if err != nil {
		return err
	}
	for _, c := range list {
		if c.ID == r.PathValue("id") {
			return writeJSON(w, http.StatusOK, c)
		}
	}
	return errorf(http.StatusNotFound, "No such connection.")
}

// requestConnection: POST /api/v1/org/connections {"instance": NAME, "doctypes": [...]}
func (s *Server) requestConnection(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	body, err := s.readJSON(w, r)
	if err != nil {
		return err
	}
	var in struct {
		Instance string   `json:"instance"`
		Doctypes []string `json:"doctypes"`
	}
	if err := json.Unmarshal(body, &in); err != nil || in.Instance == "" {
		return errorf(http.StatusBadRequest, "Send {\"instance\": \"the person's store name\", \"doctypes\": [...]}.")
	}
	org, err := s.orgs.Get(r.Context(), p.ActorID)
	if err != nil {
		return err
	}
	c, err := s.orgs.Request(r.Context(), org, in.Instance, in.Doctypes)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/org/connections/"+c.ID)
	return writeJSON(w, http.StatusCreated, c)
}

// orgConnection: GET /api/v1/org/connections/{id} — the state of a request; once approved,
// the deposit credential, given once.
func (s *Server) orgConnection(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	org, err := s.orgs.Get(r.Context(), p.ActorID)
	if err != nil {
		return err
	}
	c, secret, err := s.orgs.Claim(r.Context(), org, r.PathValue("id"))
	if err != nil {
		return err
	}
	out := map[string]any{"id": c.ID, "state": c.State, "doctypes": c.Doctypes, "credential_issued": c.Claimed}
	if secret != "" {
		out["credential"] = secret
	}
	return writeJSON(w, http.StatusOK, out)
}

// depositBody is a deposit: documents by the organization's own ids, and series readings.
type depositBody struct {
	Documents []struct {
		Doctype string         `json:"doctype"`
		ID      string         `json:"id"`
		Data    map[string]any `json:"data"`
	} `json:"documents"`
	Series []struct {
		ID       string          `json:"id"`
		Doctype  string          `json:"doctype"`
		Name     string          `json:"name"`
		Quantity string          `json:"quantity"`
		Unit     string          `json:"unit"`
		Meter    string          `json:"meter"`
		Readings []store.Reading `json:"readings"`
	} `json:"series"`
}

// deposit: POST /api/v1/deposits — all or nothing; sending the same batch again changes
// nothing; a refused batch lists each refused record.
func (s *Server) deposit(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	if !p.WritesAny() { // a deposit credential always writes; this holds whatever comes to this route
		return fmt.Errorf("%w: this %s may not write anything", gate.ErrForbidden, p.Kind)
	}
	body, err := s.readJSON(w, r)
	if err != nil {
		return err
	}
	var in depositBody
	if err := json.Unmarshal(body, &in); err != nil {
		return errorf(http.StatusBadRequest, "The deposit must be {\"documents\": [{\"doctype\", \"id\", \"data\"}], \"series\": [{\"id\", \"doctype\", \"name\", \"quantity\", \"unit\", \"readings\": [{\"at\", \"value\"}]}]}: %s", err.Error())
	}
	res := &importer.Result{}
	for _, d := range in.Documents {
		res.Records = append(res.Records, importer.Record{Doctype: d.Doctype, Key: d.ID, Data: d.Data})
	}
	for _, se := range in.Series {
		res.Series = append(res.Series, importer.Series{Key: se.ID, Doctype: se.Doctype, Name: se.Name, Quantity: se.Quantity, Unit: se.Unit, MeterKey: se.Meter, Readings: se.Readings})
	}
	src := store.Source{Kind: "organization", ID: p.ActorID, Name: p.ActorName, At: time.Now()}
	rep, err := restore.Store(r.Context(), s.gate, p, src, "deposit-"+uuid.NewString(), res, nil)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

// depositFile: POST /api/v1/deposits/files?id=FILE_ID&name=NAME[&doctype=DT&record=ID] with
// the content as the body, e.g. a bill's PDF linked to the bill the organization deposited.
// As for the person's uploads, the gate is asked before the body is read, and the body is
// spooled before the transaction that stores it.
func (s *Server) depositFile(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	if err := s.gate.MayWrite(r.Context(), p, "file"); err != nil {
		return err
	}
	q := r.URL.Query()
	key, name := q.Get("id"), path.Base(q.Get("name"))
	if key == "" || name == "" || name == "." || name == "/" {
		return badParam("id", "give the file's id at your end (?id=) and its name (?name=)")
	}
	src := store.Source{Kind: "organization", ID: p.ActorID, Name: p.ActorName, Batch: "deposit-" + uuid.NewString(), At: time.Now()}
	var refs []gate.FileRef
	if dt, rec := q.Get("doctype"), q.Get("record"); dt != "" && rec != "" {
		refs = []gate.FileRef{{Doctype: dt, ID: restore.ID(src, dt, rec)}}
	}
	mediaType := r.Header.Get("Content-Type")
	if mediaType == "" {
		mediaType = "application/octet-stream"
	}
	sp, err := restore.Spool(uploadBody(w, r, s.cfg.MaxFileBytes))
	if err != nil {
		return uploadError(err)
	}
	defer sp.Close()
	id := restore.ID(src, "file", key)
	err = s.gate.Write(r.Context(), p, func(b *gate.Batch) error {
		_, err := b.PutFile(id, name, mediaType, sp.Reader(), refs, src)
		return err
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]string{"id": id})
}
