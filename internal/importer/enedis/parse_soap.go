package enedis

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// SOAPResponse is a consulterMesuresDetaillees (v2.0) answer of the SGE web service.
type SOAPResponse struct {
	PointID          string
	MesuresCorrigees string // BRUT or CORRIGE
	PeriodStart      string
	PeriodEnd        string
	Grandeurs        []Grandeur
}

// Grandeur is one measured quantity and its measures.
type Grandeur struct {
	Line     int
	Path     string // its element path, for a grandeur left out
	Metier   string // CONS or PROD
	Physique string // PA (active power), EA (active energy), PMA (max power), PRI, PRC, E...
	Unite    string
	Pas      string // a step for all measures, when the answer gives one
	Mesures  []Mesure
}

// Mesure is one <mesure>: value (nil when empty), date as written, step, nature.
type Mesure struct {
	Line int
	V    *float64
	D    string
	P    string
	N    string
}

// ParseSOAP reads the SOAP answer. A SOAP fault becomes an error that quotes Enedis's reason.
func ParseSOAP(r io.Reader) (*SOAPResponse, error) {
	w := &soapWalker{dec: xml.NewDecoder(r), resp: &SOAPResponse{}}
	w.dec.Strict = true
	for {
		tok, err := w.dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, importer.Errorf(se.Line, strings.Join(w.stack, "/"), "malformed XML: %s", input.CutMessage(se.Msg))
			}
			return nil, importer.Errorf(w.line(), "", "reading the file: %v", err)
		}
		if err := w.token(tok); err != nil {
			return nil, err
		}
	}
	switch {
	case w.fault != "":
		return nil, importer.Errorf(w.faultLine, "Fault", "Enedis answered with an error instead of measures: %s", input.CutMessage(w.fault))
	case !w.sawRoot:
		return nil, importer.Errorf(0, "", "the file holds no XML element")
	case w.resp.PointID == "":
		return nil, importer.Errorf(w.line(), "pointId", "no <pointId>: this is not a consulterMesuresDetaillees answer")
	}
	return w.resp, nil
}

type soapWalker struct {
	dec       *xml.Decoder
	resp      *SOAPResponse
	stack     []string
	text      strings.Builder
	sawRoot   bool
	fault     string
	faultLine int
	count     int
}

func (w *soapWalker) line() int {
	l, _ := w.dec.InputPos()
	return l
}

func (w *soapWalker) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.StartElement:
		return w.start(t)
	case xml.EndElement:
		err := w.end()
		w.stack = w.stack[:len(w.stack)-1]
		return err
	case xml.CharData:
		w.text.Write(t)
	case xml.Directive:
		return importer.RefuseDTD(t, w.line(), "an SGE answer")
	}
	return nil
}

func (w *soapWalker) start(t xml.StartElement) error {
	w.stack = append(w.stack, t.Name.Local)
	w.text.Reset()
	if len(w.stack) == 1 {
		w.sawRoot = true
		if t.Name.Local != "Envelope" {
			return importer.Errorf(w.line(), t.Name.Local, "the root element is <%s>, not a SOAP <Envelope>", input.Cut(t.Name.Local))
		}
	}
	switch t.Name.Local {
	case "grandeur":
		w.resp.Grandeurs = append(w.resp.Grandeurs, Grandeur{Line: w.line(), Path: strings.Join(w.stack, "/")})
	case "mesure":
		if g := w.grandeur(); g != nil {
			w.count++
			if w.count > importer.MaxRecords {
				return importer.Errorf(w.line(), "mesure", "more than %d measures", importer.MaxRecords)
			}
			g.Mesures = append(g.Mesures, Mesure{Line: w.line()})
		}
	case "Fault":
		w.faultLine = w.line()
	}
	return nil
}

func (w *soapWalker) grandeur() *Grandeur {
	if len(w.resp.Grandeurs) == 0 {
		return nil
	}
	return &w.resp.Grandeurs[len(w.resp.Grandeurs)-1]
}

func (w *soapWalker) parent() string {
	if len(w.stack) < 2 {
		return ""
	}
	return w.stack[len(w.stack)-2]
}

func (w *soapWalker) end() error {
	text := strings.TrimSpace(w.text.String())
	w.text.Reset()
	name, parent := w.stack[len(w.stack)-1], w.parent()
	r := w.resp
	switch {
	case name == "pointId":
		r.PointID = text
	case name == "mesuresCorrigees":
		r.MesuresCorrigees = text
	case parent == "periode" && name == "dateDebut":
		r.PeriodStart = text
	case parent == "periode" && name == "dateFin":
		r.PeriodEnd = text
	case name == "faultstring" || name == "libelle" && w.faultLine > 0:
		if w.fault == "" {
			w.fault = text
		}
	case parent == "grandeur" && w.grandeur() != nil:
		w.grandeurField(name, text)
	case parent == "mesure" && w.grandeur() != nil:
		return w.mesureField(name, text)
	}
	return nil
}

func (w *soapWalker) grandeurField(name, text string) {
	g := w.grandeur()
	switch name {
	case "grandeurMetier":
		g.Metier = text
	case "grandeurPhysique":
		g.Physique = text
	case "unite":
		g.Unite = text
	case "pas":
		g.Pas = text
	}
}

func (w *soapWalker) mesureField(name, text string) error {
	g := w.grandeur()
	if len(g.Mesures) == 0 {
		return nil
	}
	m := &g.Mesures[len(g.Mesures)-1]
	switch name {
	case "v":
		if text == "" {
			return nil
		}
		v, err := parseNumber(text)
		if err != nil {
			return importer.Errorf(w.line(), "mesure/v", "%v", err)
		}
		m.V = &v
	case "d":
		m.D = text
	case "p":
		m.P = text
	case "n":
		m.N = text
	}
	return nil
}
