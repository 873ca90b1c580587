package web

import (
	"net/http"

	"selfdata/internal/gate"
	"selfdata/internal/services"
)

// homeServicePage: GET /services/{id} for services.Home, once switched on.
func (s *Server) homeServicePage(w http.ResponseWriter, r *http.Request, p gate.Principal, rd services.Reader) error {
	return s.genericServicePage(services.Home)(w, r, p, rd)
}
