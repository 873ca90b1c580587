package web

import (
	"net/http"

	"selfdata/internal/gate"
	"selfdata/internal/services"
)

// accountsPage: GET /services/{id} for services.Accounts, once switched on.
func (s *Server) accountsPage(w http.ResponseWriter, r *http.Request, p gate.Principal, rd services.Reader) error {
	return s.genericServicePage(services.Accounts)(w, r, p, rd)
}
