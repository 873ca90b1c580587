package grdf

import (
	"bytes"
	"io"
	"time"

	// The gas day is defined in Europe/Paris: embed the zone so that a server without
	// /usr/share/zoneinfo reads the same instants.
	_ "time/tzdata"

	"selfdata/internal/importer"
)

// Format names, also Result.Format.
const (
	NameADICT  = "grdf.adict"
	NamePortal = "grdf.portal"
)

// FormatADICT is the importer of the ADICT API's NDJSON.
func FormatADICT() importer.Format {
	return importer.Format{Name: NameADICT, Detect: detectADICT, Parse: parseWith(NameADICT, func(r io.Reader) ([]period, []string, error) {
		lines, notes, err := ParseADICT(r)
		if err != nil {
			return nil, nil, err
		}
		ps, err := adictPeriods(lines)
		return ps, notes, err
	})}
}

// FormatPortal is the importer of the customer portal's JSON.
func FormatPortal() importer.Format {
	return importer.Format{Name: NamePortal, Detect: detectPortal, Parse: parseWith(NamePortal, func(r io.Reader) ([]period, []string, error) {
		f, err := ParsePortal(r)
		if err != nil {
			return nil, nil, err
		}
		ps, err := portalPeriods(f)
		return ps, nil, err
	})}
}

// parseWith joins a parser to the shared adapter, so both formats yield the same records.
func parseWith(name string, parse func(io.Reader) ([]period, []string, error)) func(io.Reader) (*importer.Result, error) {
	return func(r io.Reader) (*importer.Result, error) {
		ps, notes, err := parse(importer.LimitReader(r))
		if err != nil {
			return nil, err
		}
		res, err := adapt(name, ps)
		if err != nil {
			return nil, err
		}
		res.Notes = append(notes, res.Notes...)
		return res, nil
	}
}

// paris is the zone of the gas day. LoadLocation cannot fail with time/tzdata embedded; the
// fallback keeps Parse from panicking if it ever did.
func paris() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}

// detectADICT: an NDJSON object naming an id_pce the snake_case way of the API.
func detectADICT(head []byte, _ string) bool {
	h := trimHead(head)
	return len(h) > 0 && h[0] == '{' && bytes.Contains(h, []byte(`"id_pce"`))
}

// detectPortal: a JSON object with the portal's camelCase idPce and releves.
func detectPortal(head []byte, _ string) bool {
	h := trimHead(head)
	return len(h) > 0 && h[0] == '{' && bytes.Contains(h, []byte(`"idPce"`)) && bytes.Contains(h, []byte(`"releves"`))
}

func trimHead(head []byte) []byte {
	return bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
}
