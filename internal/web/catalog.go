package web

// Catalog is a copy of every interface text, key → {en, fr}: the browser tests compare
// each page's visible text with the other language's texts.
func Catalog() map[string][2]string { return texts() }
