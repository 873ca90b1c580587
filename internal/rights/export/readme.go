package export

import _ "embed"

// readmeText is README.md of every archive: the layout, in English and in French, for the
// person and for whoever writes the program that reads it back.
//
//go:embed readme.md
var readmeText string
