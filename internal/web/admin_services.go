package web

import (
	"errors"
	"net/http"

	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/store"
)

// serviceJSON is a service as the admin API shows it: its OAuth client id spelled out and,
// only in the answer to its registration, the client secret.
type serviceJSON struct {
	store.Service
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret,omitempty"`
}

func (a *Admin) listServices(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	list, err := a.services.List(r.Context())
	if err != nil {
		return err
	}
	items := make([]serviceJSON, 0, len(list))
	for _, s := range list {
		items = append(items, serviceJSON{Service: s, ClientID: s.ID})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// addService: POST /admin/v1/services with the service and the access it asks for; answers
// with the service and, unless it is a public client, its client secret, shown once. Its
// description and retention come in English and French (see untranslated).
func (a *Admin) addService(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	var s store.Service
	if err := decodeAdmin(w, r, &s, true); err != nil {
		return adminBodyError(err, "Send the service as JSON: id, name, company, description, description_fr, privacy_policy, redirect_uris, "+
			"access {doctypes, verbs, purpose, legal_basis, retention, retention_fr, retention_days, leaves_store}, public")
	}
	if err := untranslated(s.Untranslated()); err != nil {
		return err
	}
	added, secret, err := a.services.Add(r.Context(), s)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, serviceJSON{Service: added, ClientID: added.ID, ClientSecret: secret})
}

func (a *Admin) getService(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	s, err := a.services.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, serviceJSON{Service: s, ClientID: s.ID})
}

func (a *Admin) removeService(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	if err := a.services.Remove(r.Context(), r.PathValue("id")); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return errorf(http.StatusNotFound, "No service %s.", input.Excerpt(r.PathValue("id")))
		}
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
