package web

import (
	"net/http"

	"selfdata/internal/gate"
	"selfdata/internal/services"
)

// communicationPage: GET /services/{id} for services.Communication, once switched on.
func (s *Server) communicationPage(w http.ResponseWriter, r *http.Request, p gate.Principal, rd services.Reader) error {
	return s.genericServicePage(services.Communication)(w, r, p, rd)
}
