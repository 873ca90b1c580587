package enedis

import (
	"bytes"
	"io"

	"selfdata/internal/importer"
)

// Format names, also Result.Format.
const (
	NameHDM         = "enedis.hdm"
	NameDataConnect = "enedis.dataconnect"
	NameSOAP        = "enedis.sge-soap"
)

// FormatHDM is the importer of the SGE portal's CSV exports; it streams (StreamHDM).
func FormatHDM() importer.Format {
	return importer.Format{Name: NameHDM, Detect: DetectHDM, Stream: StreamHDM, Parse: func(r io.Reader) (*importer.Result, error) {
		res, err := importer.Collect(r, StreamHDM)
		if err != nil {
			return nil, err
		}
		sortReadings(res)
		return res, nil
	}}
}

// FormatDataConnect is the importer of Data Connect API answers.
func FormatDataConnect() importer.Format {
	return importer.Format{Name: NameDataConnect, Detect: DetectDataConnect, Parse: func(r io.Reader) (*importer.Result, error) {
		dc, err := ParseDataConnect(importer.LimitReader(r))
		if err != nil {
			return nil, err
		}
		return AdaptDataConnect(dc)
	}}
}

// FormatSOAP is the importer of the SGE web service's consulterMesuresDetaillees answers.
func FormatSOAP() importer.Format {
	return importer.Format{Name: NameSOAP, Detect: DetectSOAP, Parse: func(r io.Reader) (*importer.Result, error) {
		resp, err := ParseSOAP(importer.LimitReader(r))
		if err != nil {
			return nil, err
		}
		return AdaptSOAP(resp)
	}}
}

func trimHead(head []byte) []byte {
	return bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
}

// DetectHDM: the export's first header names the PRM first, ';'-separated.
func DetectHDM(head []byte, _ string) bool {
	return bytes.HasPrefix(trimHead(head), []byte("Identifiant PRM;"))
}

// DetectDataConnect: a JSON object with Data Connect's meter_reading and its fields.
func DetectDataConnect(head []byte, _ string) bool {
	h := trimHead(head)
	return len(h) > 0 && h[0] == '{' && bytes.Contains(h, []byte(`"meter_reading"`)) &&
		(bytes.Contains(h, []byte(`"usage_point_id"`)) || bytes.Contains(h, []byte(`"interval_reading"`)))
}

// DetectSOAP: a SOAP envelope (root Envelope, whatever its prefix: soap:, soapenv:, S:)
// carrying a consulterMesuresDetaillees answer.
func DetectSOAP(head []byte, _ string) bool {
	root, ok := importer.XMLRoot(head)
	return ok && root.Local == "Envelope" && bytes.Contains(head, []byte("consulterMesuresDetailleesResponse"))
}
