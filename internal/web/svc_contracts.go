package web

import (
	"net/http"

	"selfdata/internal/gate"
	"selfdata/internal/services"
)

// contractsPage: GET /services/{id} for services.Contracts, once switched on.
func (s *Server) contractsPage(w http.ResponseWriter, r *http.Request, p gate.Principal, rd services.Reader) error {
	return s.genericServicePage(services.Contracts)(w, r, p, rd)
}
