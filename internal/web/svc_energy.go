package web

import (
	"net/http"

	"selfdata/internal/gate"
	"selfdata/internal/services"
)

// energyPage: GET /services/{id} for services.Energy, once switched on.
func (s *Server) energyPage(w http.ResponseWriter, r *http.Request, p gate.Principal, rd services.Reader) error {
	return s.genericServicePage(services.Energy)(w, r, p, rd)
}
