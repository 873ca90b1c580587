package water

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"time"

	// Days are Europe/Paris days: embed the zone so that any server reads the same instants.
	_ "time/tzdata"

	"selfdata/internal/importer"
)

// Name is the format's name, also Result.Format.
const Name = "water.csv"

// Format is the water-utility CSV importer.
func Format() importer.Format {
	return importer.Format{Name: Name, Detect: Detect, Parse: parse}
}

func parse(r io.Reader) (*importer.Result, error) {
	f, err := Parse(importer.LimitReader(r))
	if err != nil {
		return nil, err
	}
	return Adapt(f, paris())
}

// Detect looks for the header line, after an optional BOM and comment lines.
func Detect(head []byte, _ string) bool {
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(head, bom)))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		return strings.EqualFold(strings.ReplaceAll(line, " ", ""), Header)
	}
	return false
}

// paris is the zone of the readings' days. LoadLocation cannot fail with time/tzdata
// embedded; the fallback keeps Parse from panicking if it ever did.
func paris() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}
