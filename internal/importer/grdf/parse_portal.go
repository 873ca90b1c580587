package grdf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"selfdata/internal/importer"
)

// PortalFile is the customer portal's JSON: one entry per PCE, in file order.
type PortalFile struct {
	PCEs []PortalPCE
}

// PortalPCE is one PCE's entry.
type PortalPCE struct {
	Key     string // the object key (the PCE number)
	IDPce   string // "idPce", normally equal to Key
	Line    int
	Releves []PortalReleve
}

// PortalReleve is one reading as the portal writes it: a gas day ("Informative Journalier")
// or a published period ("Publiée"). Numbers are pointers because GRDF writes null for a day
// without data.
type PortalReleve struct {
	Line                int      `json:"-"`
	CoeffConversion     *float64 `json:"coeffConversion"`
	DateDebutReleve     *string  `json:"dateDebutReleve"`
	DateFinReleve       *string  `json:"dateFinReleve"`
	EnergieConsomme     *float64 `json:"energieConsomme"`
	IndexDebut          *float64 `json:"indexDebut"`
	IndexFin            *float64 `json:"indexFin"`
	JourneeGaziere      *string  `json:"journeeGaziere"`
	NatureReleve        *string  `json:"natureReleve"`
	QualificationReleve *string  `json:"qualificationReleve"`
	VolumeBrutConsomme  *float64 `json:"volumeBrutConsomme"`
}

// ParsePortal reads a portal file. It walks the object by hand rather than unmarshalling it
// whole so that every reading knows its line, for errors a person can find in the file.
func ParsePortal(r io.Reader) (*PortalFile, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, importer.Errorf(0, "", "reading the file: %v", err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if err := checkDepth(data, 1); err != nil {
		return nil, err
	}
	p := &portalParser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	return p.file()
}

type portalParser struct {
	data []byte
	dec  *json.Decoder
}

func (p *portalParser) file() (*PortalFile, error) {
	if err := p.delim('{', "", "the file must be a JSON object keyed by PCE number"); err != nil {
		return nil, err
	}
	var f PortalFile
	for p.dec.More() {
		key, err := p.key("")
		if err != nil {
			return nil, err
		}
		pce, err := p.pce(key)
		if err != nil {
			return nil, err
		}
		f.PCEs = append(f.PCEs, pce)
	}
	if _, err := p.dec.Token(); err != nil {
		return nil, jsonError(p.data, err, p.dec.InputOffset(), "")
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, importer.Errorf(lineAt(p.data, p.dec.InputOffset()), "", "unexpected data after the JSON object")
	}
	return &f, nil
}

func (p *portalParser) pce(key string) (PortalPCE, error) {
	pce := PortalPCE{Key: key, Line: lineAt(p.data, p.dec.InputOffset())}
	if err := p.delim('{', key, "a PCE entry must be a JSON object"); err != nil {
		return pce, err
	}
	for p.dec.More() {
		field, err := p.key(key)
		if err != nil {
			return pce, err
		}
		path := key + "." + field
		switch field {
		case "idPce":
			err = p.value(&pce.IDPce, path)
		case "releves":
			pce.Releves, err = p.releves(path)
		default:
			var skip json.RawMessage
			err = p.value(&skip, path)
		}
		if err != nil {
			return pce, err
		}
	}
	_, err := p.dec.Token() // the closing '}'
	if err != nil {
		return pce, jsonError(p.data, err, p.dec.InputOffset(), key)
	}
	return pce, nil
}

func (p *portalParser) releves(path string) ([]PortalReleve, error) {
	if err := p.delim('[', path, "releves must be a JSON array"); err != nil {
		return nil, err
	}
	var rs []PortalReleve
	for i := 0; p.dec.More(); i++ {
		el := fmt.Sprintf("%s[%d]", path, i)
		var r PortalReleve
		r.Line = lineAt(p.data, p.dec.InputOffset())
		if err := p.value(&r, el); err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	if _, err := p.dec.Token(); err != nil {
		return nil, jsonError(p.data, err, p.dec.InputOffset(), path)
	}
	return rs, nil
}

// delim reads the next token and requires it to be d.
func (p *portalParser) delim(d json.Delim, element, reason string) error {
	at := p.dec.InputOffset()
	tok, err := p.dec.Token()
	if err != nil {
		return jsonError(p.data, err, at, element)
	}
	if tok != d {
		return importer.Errorf(lineAt(p.data, at), element, "%s", reason)
	}
	return nil
}

// key reads an object key.
func (p *portalParser) key(element string) (string, error) {
	at := p.dec.InputOffset()
	tok, err := p.dec.Token()
	if err != nil {
		return "", jsonError(p.data, err, at, element)
	}
	s, ok := tok.(string)
	if !ok {
		return "", importer.Errorf(lineAt(p.data, at), element, "expected an object key")
	}
	return s, nil
}

// value decodes the next value into v.
func (p *portalParser) value(v any, element string) error {
	at := p.dec.InputOffset()
	if err := p.dec.Decode(v); err != nil {
		return jsonError(p.data, err, at, element)
	}
	return nil
}
