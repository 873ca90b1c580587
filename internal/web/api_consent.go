package web

import (
	"encoding/json"
	"net/http"

	"selfdata/internal/gate"
	"selfdata/internal/store"
)

// listConsents: GET /api/v1/consents — the person's grants to services, newest first.
func (s *Server) listConsents(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	gs, err := s.cons.List(r.Context(), p.Instance)
	if err != nil {
		return err
	}
	if gs == nil {
		gs = []store.Grant{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": gs})
}

// consentReceipt: GET /api/v1/consents/{id}/receipt — the grant's Kantara consent receipt,
// signed by the instance's key, as a compact JWS.
func (s *Server) consentReceipt(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	jws, err := s.cons.Receipt(r.Context(), p.Instance, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/jose")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="consent-receipt.jws"`)
	_, err = w.Write([]byte(jws))
	return err
}

// jwks: GET /api/v1/jwks/{instance} — the public keys that sign the instance's receipts, for
// anyone to check them. It tells that the instance exists, and nothing else about it.
func (s *Server) jwks(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	set, err := s.cons.JWKSOf(r.Context(), r.PathValue("instance"))
	if err != nil {
		return err
	}
	b, err := json.Marshal(set)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/jwk-set+json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err = w.Write(b)
	return err
}
