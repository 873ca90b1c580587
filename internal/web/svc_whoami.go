package web

import (
	"net/http"

	"selfdata/internal/gate"
	"selfdata/internal/services"
)

// whoAmIPage: GET /services/{id} for services.WhoAmI, once switched on.
func (s *Server) whoAmIPage(w http.ResponseWriter, r *http.Request, p gate.Principal, rd services.Reader) error {
	return s.genericServicePage(services.WhoAmI)(w, r, p, rd)
}
