package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"

	"selfdata/internal/importer/bankcsv"
	"selfdata/internal/input"
	"selfdata/internal/restore"
)

// importQuestion is the API's 422 for a file the importer cannot read alone: the formats it
// may be in (send the file again with ?format=), or a bank CSV's header and the columns
// guessed (send it again with ?mapping=).
type importQuestion struct {
	Problem
	Candidates []string         `json:"candidates,omitempty"`
	Header     []string         `json:"header,omitempty"`
	Guess      *bankcsv.Mapping `json:"guess,omitempty"`
	Sure       bool             `json:"sure,omitempty"` // the guess, or the columns saved, are sure
	Signature  string           `json:"signature,omitempty"`
}

// importOptions reads ?format= and ?mapping= (a bankcsv.Mapping as JSON; the columns it
// leaves out are none, and it implies the format bank-csv).
func importOptions(format, mapping string) (restore.Options, error) {
	opt := restore.Options{Format: format}
	if mapping == "" {
		return opt, nil
	}
	m := bankcsv.None("")
	dec := json.NewDecoder(bytes.NewReader([]byte(mapping)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return opt, badParam("mapping", "give the columns as JSON, e.g. {\"comma\":\";\",\"header_row\":0,\"date\":0,\"date_layout\":\"02/01/2006\",\"label\":1,\"amount\":2,\"decimal_comma\":true,\"currency\":\"EUR\"}: %s", input.CutMessage(err.Error()))
	}
	if opt.Format == "" {
		opt.Format = restore.MappingFormat
	}
	opt.Mapping = &m
	return opt, nil
}

// writeImportQuestion answers err when it is a question for the person (unsure format,
// columns to name); ok is false for any other error.
func writeImportQuestion(w http.ResponseWriter, r *http.Request, err error) (bool, error) {
	var unsure *restore.UnsureError
	var need *restore.MappingError
	q := importQuestion{Problem: Problem{Type: "about:blank", Status: http.StatusUnprocessableEntity, Title: http.StatusText(http.StatusUnprocessableEntity), Instance: r.URL.Path}}
	switch {
	case errors.As(err, &unsure):
		q.Detail = input.CutMessage(unsure.Error() + ". Nothing was written: send the file again with ?format= naming one of the candidates.")
		q.Candidates = unsure.Candidates
	case errors.As(err, &need):
		q.Detail = input.CutMessage(need.Error() + ". Nothing was written: send the file again with ?mapping= naming its columns (0-based; guess holds those guessed).")
		if t := need.Table; t != nil && need.Mapping.HeaderRow >= 0 && need.Mapping.HeaderRow < len(t.Rows) {
			q.Header = t.Rows[need.Mapping.HeaderRow]
		}
		q.Guess, q.Sure, q.Signature = &need.Mapping, need.Sure, need.Signature
	default:
		return false, nil
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(q); err != nil {
		return true, err
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(q.Status)
	_, err = w.Write(buf.Bytes())
	return true, err
}
