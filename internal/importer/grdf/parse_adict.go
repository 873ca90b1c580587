package grdf

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// ADICTLine is one object of an ADICT consumption answer (donnees_consos_publiees or
// donnees_consos_informatives). Only what the adapter uses is declared.
type ADICTLine struct {
	Line int `json:"-"`
	PCE  *struct {
		ID string `json:"id_pce"`
	} `json:"pce"`
	Periode           *ADICTPeriode      `json:"periode"`
	ReleveDebut       *ADICTReleve       `json:"releve_debut"`
	ReleveFin         *ADICTReleve       `json:"releve_fin"`
	Consommation      *ADICTConsommation `json:"consommation"`
	StatutRestitution *ADICTStatut       `json:"statut_restitution"`
	// A stream may interleave processing-status objects (code_statut_traitement) with data.
	CodeStatutTraitement json.RawMessage `json:"code_statut_traitement"`
	MessageRetour        string          `json:"message_retour_traitement"`
}

// ADICTPeriode is the period asked for: dates "YYYY-MM-DD", the end being the gas day
// after the last one.
type ADICTPeriode struct {
	DateDebut *string `json:"date_debut"`
	DateFin   *string `json:"date_fin"`
}

// ADICTReleve is a meter read at the start or end of a period.
type ADICTReleve struct {
	QualiteReleve  *string     `json:"qualite_releve"`
	StatutReleve   *string     `json:"statut_releve"`
	IndexBrutDebut *ADICTIndex `json:"index_brut_debut"`
	IndexBrutFin   *ADICTIndex `json:"index_brut_fin"`
}

// ADICTIndex is a raw index in m3.
type ADICTIndex struct {
	Valeur   *float64 `json:"valeur_index"`
	Horodate *string  `json:"horodate_Index"`
}

// ADICTConsommation is what was consumed over the period.
type ADICTConsommation struct {
	VolumeBrut  *float64 `json:"volume_brut"`
	Energie     *float64 `json:"energie"`
	CoeffCalcul *struct {
		CoeffConversion *float64 `json:"coeff_conversion"`
	} `json:"coeff_calcul"`
	JourneeGaziere *string `json:"journee_gaziere"`
	TypeConso      *string `json:"type_conso"`
	StatutConso    *string `json:"statut_conso"`
}

// ADICTStatut is a functional error GRDF returns with HTTP 200 (e.g. no data for a PCE).
type ADICTStatut struct {
	Code    json.RawMessage `json:"code"`
	Message string          `json:"message"`
}

// ParseADICT reads NDJSON. Status objects without data become notes, not errors: they are
// GRDF's way of saying that a PCE had nothing to give.
func ParseADICT(r io.Reader) ([]ADICTLine, []string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), importer.MaxLineBytes)
	var out []ADICTLine
	var notes []string
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		}
		if len(b) == 0 {
			continue
		}
		l, note, err := adictLine(b, line)
		if err != nil {
			return nil, nil, err
		}
		if note != "" {
			notes = append(notes, note)
			continue
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, nil, importer.Errorf(line+1, "", "line longer than %d MiB", importer.MaxLineBytes>>20)
		}
		return nil, nil, importer.Errorf(line+1, "", "reading the file: %v", err)
	}
	return out, notes, nil
}

func adictLine(b []byte, line int) (ADICTLine, string, error) {
	var l ADICTLine
	if err := checkDepth(b, line); err != nil {
		return l, "", err
	}
	if b[0] != '{' {
		return l, "", importer.Errorf(line, "", "each line must be one JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&l); err != nil {
		e := jsonError(b, err, 0, "").(*importer.Error)
		e.Line += line - 1
		return l, "", e
	}
	if dec.More() {
		return l, "", importer.Errorf(line, "", "more than one JSON value on the line")
	}
	l.Line = line
	if l.Consommation != nil {
		return l, "", nil
	}
	return l, statusNote(l), nil
}

// statusNote describes a line without consumption.
func statusNote(l ADICTLine) string {
	pce := "?"
	if l.PCE != nil && l.PCE.ID != "" {
		pce = l.PCE.ID
	}
	switch {
	case l.StatutRestitution != nil && len(l.StatutRestitution.Code) > 0:
		code := strings.Trim(string(l.StatutRestitution.Code), `"`)
		return fmt.Sprintf("line %d: PCE %s: GRDF answered %s %s", l.Line, input.Cut(pce), input.Cut(code), input.CutMessage(l.StatutRestitution.Message))
	case len(l.CodeStatutTraitement) > 0:
		code := strings.Trim(string(l.CodeStatutTraitement), `"`)
		return fmt.Sprintf("line %d: GRDF processing status %s %s", l.Line, input.Cut(code), input.CutMessage(l.MessageRetour))
	}
	return fmt.Sprintf("line %d: PCE %s: no consumption in this object", l.Line, input.Cut(pce))
}
