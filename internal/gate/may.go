package gate

// WritesAny tells whether the principal may write at least one doctype. Handlers ask it before
// reading an upload that only a writer could store (an import, a deposit), so that a
// read-only token or a service granted reading costs the server nothing: no body read, no
// parse, no archive expanded. It decides nothing else: which doctypes may be written stays
// the gate's check, at write time.
func (p Principal) WritesAny() bool {
	for _, s := range p.Scopes {
		if s.Write {
			return true
		}
	}
	return false
}
