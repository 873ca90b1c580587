package export

// SafeName is the name an archive gives a document's doctype, a series or a file inside
// its folder (see safeName): what an import reads back to find each entry.
func SafeName(s string) string { return safeName(s) }
