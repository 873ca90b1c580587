package web

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// TestReceiptVerifiesAgainstPublishedJWKS is issue 5's third Done-when: a receipt downloaded
// over HTTP verifies with a standard JWS library against the JWKS published over HTTP, and
// changing any one byte of its payload or of its signature makes verification fail.
func TestReceiptVerifiesAgainstPublishedJWKS(t *testing.T) {
	ts := newTestServer(t)
	res := ts.do(t, request{method: "GET", path: "/api/v1/consents/" + ts.grantA + "/receipt", as: "session:alice"})
	if res.status != 200 || res.header.Get("Content-Type") != "application/jose" {
		t.Fatalf("receipt: %d %s %s", res.status, res.header.Get("Content-Type"), res.body)
	}
	compact := res.body

	// The JWKS is fetched as anyone would: anonymously, by the instance's name.
	jr := ts.do(t, request{method: "GET", path: "/api/v1/jwks/alice"})
	if jr.status != 200 || jr.header.Get("Content-Type") != "application/jwk-set+json" {
		t.Fatalf("jwks: %d %s %s", jr.status, jr.header.Get("Content-Type"), jr.body)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal([]byte(jr.body), &set); err != nil {
		t.Fatal(err)
	}
	verify := func(compact string) ([]byte, error) {
		jws, err := jose.ParseSignedCompact(compact, []jose.SignatureAlgorithm{jose.EdDSA})
		if err != nil {
			return nil, err
		}
		keys := set.Key(jws.Signatures[0].Header.KeyID)
		if len(keys) != 1 {
			t.Fatalf("kid %q: %d keys in the JWKS", jws.Signatures[0].Header.KeyID, len(keys))
		}
		return jws.Verify(keys[0])
	}
	payload, err := verify(compact)
	if err != nil {
		t.Fatalf("the receipt does not verify: %v", err)
	}
	var r map[string]any
	if err := json.Unmarshal(payload, &r); err != nil || r["version"] != "KI-CR-v1.1.0" || r["piiPrincipalId"] != "alice" {
		t.Fatalf("payload = %s, %v", payload, err)
	}
	// Bob's keys are not alice's: her receipt does not verify against his JWKS.
	ts.do(t, request{method: "GET", path: "/api/v1/consents/" + ts.grantB + "/receipt", as: "session:bob"})
	var bobs jose.JSONWebKeySet
	if err := json.Unmarshal([]byte(ts.do(t, request{method: "GET", path: "/api/v1/jwks/bob"}).body), &bobs); err != nil || len(bobs.Keys) != 1 {
		t.Fatalf("bob's JWKS: %+v, %v", bobs, err)
	}
	if jws, err := jose.ParseSignedCompact(compact, []jose.SignatureAlgorithm{jose.EdDSA}); err != nil {
		t.Fatal(err)
	} else if _, err := jws.Verify(bobs.Keys[0]); err == nil {
		t.Fatal("alice's receipt verifies with bob's key")
	}

	parts := strings.Split(compact, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %q", compact)
	}
	// Change one byte of the decoded payload or signature, at every position.
	for seg, what := range map[int]string{1: "payload", 2: "signature"} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[seg])
		if err != nil {
			t.Fatal(err)
		}
		for i := range raw {
			changed := append([]byte(nil), raw...)
			changed[i] ^= 0x01
			p := append([]string(nil), parts...)
			p[seg] = base64.RawURLEncoding.EncodeToString(changed)
			if _, err := verify(strings.Join(p, ".")); err == nil {
				t.Fatalf("%s with byte %d changed still verifies", what, i)
			}
		}
	}
}
