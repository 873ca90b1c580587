package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/store"
	"selfdata/internal/store/chunk"
)

const defaultZone = "Europe/Paris"

// listSeries: GET /api/v1/series
func (s *Server) listSeries(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	list, err := s.gate.ListSeries(r.Context(), p)
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.Series{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

// getSeries: GET /api/v1/series/{id}
func (s *Server) getSeries(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	se, err := s.gate.Series(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, se)
}

// createSeries: POST /api/v1/series {"id"?, "doctype", "name", "quantity", "unit", "meter"?}
func (s *Server) createSeries(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	body, err := s.readJSON(w, r)
	if err != nil {
		return err
	}
	var in struct {
		ID, Doctype, Name, Quantity, Unit, Meter string
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return errorf(http.StatusBadRequest, "The body must be an object with doctype, name, quantity and unit (strings).")
	}
	var out store.Series
	err = s.gate.Write(r.Context(), p, func(b *gate.Batch) error {
		out, err = b.CreateSeries(store.Series{ID: in.ID, Doctype: in.Doctype, Name: in.Name, Quantity: in.Quantity, Unit: in.Unit, Meter: in.Meter, Source: p.Source("", s.gate)})
		return err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/series/"+out.ID)
	return writeJSON(w, http.StatusCreated, out)
}

// addReadings: POST /api/v1/series/{id}/readings [{"at": RFC3339, "value": N}, ...]
func (s *Server) addReadings(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	body, err := s.readJSON(w, r)
	if err != nil {
		return err
	}
	var rs []store.Reading
	if err := json.Unmarshal(body, &rs); err != nil {
		return errorf(http.StatusBadRequest, "The body must be an array of {\"at\": \"2025-01-31T23:00:00Z\", \"value\": 12.5}: %s", err.Error())
	}
	var added int
	err = s.gate.Write(r.Context(), p, func(b *gate.Batch) error {
		added, err = b.AddReadings(r.PathValue("id"), rs)
		return err
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"received": len(rs), "added": added})
}

// zone reads the tz parameter (default Europe/Paris).
func zone(r *http.Request) (*time.Location, error) {
	name := r.URL.Query().Get("tz")
	if name == "" {
		name = defaultZone
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, badParam("tz", "unknown time zone %s; use an IANA name such as Europe/Paris or UTC", input.Excerpt(name))
	}
	return loc, nil
}

// instant reads an RFC 3339 instant, or a date taken as midnight in loc; empty is zero.
func instant(r *http.Request, name string, loc *time.Location) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
		return t, nil
	}
	return time.Time{}, badParam(name, "%s is neither an RFC 3339 instant (2025-01-31T23:00:00Z) nor a date (2025-01-31)", input.Excerpt(v))
}

// readings: GET /api/v1/series/{id}/readings?from=&to=&limit=
func (s *Server) readings(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	loc, err := zone(r)
	if err != nil {
		return err
	}
	from, err := instant(r, "from", loc)
	if err != nil {
		return err
	}
	to, err := instant(r, "to", loc)
	if err != nil {
		return err
	}
	limit := 10000
	if v := r.URL.Query().Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 100000 {
			return badParam("limit", "give a number from 1 to 100000")
		}
	}
	rs, err := s.gate.Readings(r.Context(), p, r.PathValue("id"), from, to, limit)
	if err != nil {
		return err
	}
	out := struct {
		Items []store.Reading `json:"items"`
		Next  *string         `json:"next"`
	}{Items: rs}
	if out.Items == nil {
		out.Items = []store.Reading{}
	}
	if len(rs) == limit {
		next := rs[len(rs)-1].At.Add(time.Millisecond).Format(time.RFC3339Nano)
		out.Next = &next
	}
	return writeJSON(w, http.StatusOK, out)
}

// aggregate: GET /api/v1/series/{id}/aggregate?from=&to=&step=&fn=&tz=
func (s *Server) aggregate(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	q := r.URL.Query()
	loc, err := zone(r)
	if err != nil {
		return err
	}
	a := store.Aggregation{Location: loc, Step: store.Day, Fn: store.Sum}
	if v := q.Get("step"); v != "" {
		if a.Step, err = chunk.ParseStep(v); err != nil {
			return badParam("step", "%s", err.Error())
		}
	}
	if v := q.Get("fn"); v != "" {
		if a.Fn, err = chunk.ParseFn(v); err != nil {
			return badParam("fn", "%s", err.Error())
		}
	}
	if a.From, err = instant(r, "from", loc); err != nil {
		return err
	}
	if a.To, err = instant(r, "to", loc); err != nil {
		return err
	}
	bs, err := s.gate.Aggregate(r.Context(), p, r.PathValue("id"), a)
	if err != nil {
		return err
	}
	type item struct {
		Start string  `json:"start"`
		Value float64 `json:"value"`
		Count int64   `json:"count"`
	}
	items := make([]item, len(bs))
	for i, b := range bs {
		items[i] = item{Start: b.Start.In(loc).Format(time.RFC3339), Value: b.Value, Count: b.Count}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items, "step": a.Step, "fn": a.Fn, "tz": loc.String()})
}
