package web

import (
	"net/http"

	"selfdata/internal/gate"
	"selfdata/internal/services"
)

// signOfLifePage: GET /services/{id} for services.SignOfLife, once switched on.
func (s *Server) signOfLifePage(w http.ResponseWriter, r *http.Request, p gate.Principal, rd services.Reader) error {
	return s.genericServicePage(services.SignOfLife)(w, r, p, rd)
}
