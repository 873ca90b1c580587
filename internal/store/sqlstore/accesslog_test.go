package sqlstore

import (
	"testing"

	"selfdata/internal/store"
)

// TestChainHashOfOlderEntries: adding the refused flag (migration 0009) left the hash of an
// entry that is not refused as the code before it computed it — the golden value below — so
// logs written before the flag still verify; a refused entry hashes differently.
func TestChainHashOfOlderEntries(t *testing.T) {
	e := store.LogEntry{Principal: "service", ActorID: "volta", ActorName: "Volta", Doctype: "meter", Verb: "read", Count: 2, Purpose: "dpv:ServiceProvision"}
	const before0009 = "2d7275552e40585c07aad35cd76ea9eabfae7282ecd6577c71a7029b4e02031c"
	if got := chainHash("inst-1", 3, "abc", 1748768400000000, e); got != before0009 {
		t.Fatalf("hash of an entry not refused = %s, want %s as before migration 0009", got, before0009)
	}
	e.Refused = true
	if got := chainHash("inst-1", 3, "abc", 1748768400000000, e); got == before0009 {
		t.Fatal("a refused entry hashes like the same entry not refused")
	}
}
