package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"

	"selfdata/internal/gate"
	"selfdata/internal/restore"
	"selfdata/internal/store"
)

// uploadFile: POST /api/v1/files, either multipart/form-data (field "file", optional field
// "documents": a JSON array of {"doctype","id"}) or a raw body named by ?name=.
//
// The gate is asked first whether the principal may write files, so that a refused upload is
// not read. The content is then spooled to a temporary file before the transaction that
// stores it: no transaction (on SQLite, the one write lock of the whole server) stays open
// while a client sends 100 MB, however slowly.
func (s *Server) uploadFile(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	if err := s.gate.MayWrite(r.Context(), p, "file"); err != nil {
		return err
	}
	r.Body = uploadBody(w, r, s.cfg.MaxFileBytes)
	var (
		content   io.Reader
		name      = r.URL.Query().Get("name")
		mediaType = r.Header.Get("Content-Type")
		refsJSON  = r.URL.Query().Get("documents")
	)
	if mt, _, _ := mime.ParseMediaType(mediaType); mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			return errorf(http.StatusBadRequest, "The multipart body could not be read.")
		}
		for content == nil {
			part, err := mr.NextPart()
			if err != nil {
				var mb *http.MaxBytesError
				if errors.As(err, &mb) {
					return err
				}
				return errorf(http.StatusBadRequest, "The multipart body has no \"file\" field.")
			}
			switch part.FormName() {
			case "documents":
				b, _ := io.ReadAll(io.LimitReader(part, 1<<20))
				refsJSON = string(b)
			case "file":
				content, name, mediaType = part, part.FileName(), part.Header.Get("Content-Type")
			}
		}
		if err := partTextError(name, mediaType); err != nil {
			return err
		}
	} else {
		content = r.Body
	}
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "" || name == "." || name == "/" {
		return badParam("name", "give the file's name (?name=bill.pdf, or the filename of the multipart field)")
	}
	if mediaType == "" {
		mediaType = "application/octet-stream"
	}
	var refs []gate.FileRef
	if refsJSON != "" {
		if err := json.Unmarshal([]byte(refsJSON), &refs); err != nil {
			return badParam("documents", "give a JSON array of {\"doctype\": ..., \"id\": ...}")
		}
	}
	sp, err := restore.Spool(content)
	if err != nil {
		return uploadError(err)
	}
	defer sp.Close()
	var d store.Doc
	err = s.gate.Write(r.Context(), p, func(b *gate.Batch) error {
		var err error
		d, err = b.PutFile("", name, mediaType, sp.Reader(), refs, p.Source("", s.gate))
		return err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/files/"+d.ID)
	return writeJSON(w, http.StatusCreated, d)
}

type fileMeta struct {
	Name      string `json:"name"`
	MediaType string `json:"mediaType"`
}

// fileContent: GET /api/v1/files/{id}. The content is always sent as an attachment, so that
// an uploaded HTML file never runs as a page of this origin.
func (s *Server) fileContent(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	d, rc, err := s.gate.OpenFile(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	defer rc.Close()
	var m fileMeta
	json.Unmarshal(d.Data, &m)
	if mt, _, err := mime.ParseMediaType(m.MediaType); err != nil || mt == "" {
		m.MediaType = "application/octet-stream"
	}
	w.Header().Set("Content-Type", m.MediaType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": m.Name}))
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = io.Copy(w, rc)
	return err
}

// fileMeta: GET /api/v1/files/{id}/meta
func (s *Server) fileMeta(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	d, err := s.gate.Get(r.Context(), p, "file", r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}
