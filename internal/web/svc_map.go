package web

import (
	"net/http"

	"selfdata/internal/gate"
	"selfdata/internal/services"
)

// mapPage: GET /services/{id} for services.Map, once switched on.
func (s *Server) mapPage(w http.ResponseWriter, r *http.Request, p gate.Principal, rd services.Reader) error {
	return s.genericServicePage(services.Map)(w, r, p, rd)
}
