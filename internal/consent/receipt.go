package consent

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"

	"selfdata/internal/store"
)

// ReceiptVersion is the Kantara Consent Receipt specification the receipts follow.
const ReceiptVersion = "KI-CR-v1.1.0"

// signer returns the instance's key, making it on first use.
func (c *Grants) signer(ctx context.Context, instanceID string) (store.SigningKey, ed25519.PrivateKey, error) {
	k, seed, err := c.st.SigningKey(ctx, instanceID)
	if errors.Is(err, store.ErrNotFound) {
		pub, priv, gerr := ed25519.GenerateKey(rand.Reader)
		if gerr != nil {
			return k, nil, gerr
		}
		kid, gerr := keyID(pub)
		if gerr != nil {
			return k, nil, gerr
		}
		nk := store.SigningKey{ID: kid, Instance: instanceID, PublicKey: pub, Created: c.now().UTC().Truncate(time.Microsecond)}
		if err = c.st.CreateSigningKey(ctx, nk, priv.Seed()); err != nil && !errors.Is(err, store.ErrExists) {
			return k, nil, err
		}
		k, seed, err = c.st.SigningKey(ctx, instanceID)
	}
	if err != nil {
		return k, nil, err
	}
	if len(seed) != ed25519.SeedSize {
		return k, nil, fmt.Errorf("signing key %s of instance %s: unusable", k.ID, instanceID)
	}
	return k, ed25519.NewKeyFromSeed(seed), nil
}

// keyID is the RFC 7638 thumbprint of the public key, so that the kid names the key itself.
func keyID(pub ed25519.PublicKey) (string, error) {
	tp, err := (&jose.JSONWebKey{Key: pub}).Thumbprint(crypto.SHA256)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(tp), nil
}

// Receipt is a Kantara Consent Receipt v1.1.
type Receipt struct {
	Version          string              `json:"version"`
	Jurisdiction     string              `json:"jurisdiction"`
	ConsentTimestamp int64               `json:"consentTimestamp"`
	CollectionMethod string              `json:"collectionMethod"`
	ConsentReceiptID string              `json:"consentReceiptID"`
	Language         string              `json:"language"`
	PIIPrincipalID   string              `json:"piiPrincipalId"`
	PIIControllers   []ReceiptController `json:"piiControllers"`
	PolicyURL        string              `json:"policyUrl"`
	Services         []ReceiptService    `json:"services"`
	Sensitive        bool                `json:"sensitive"`
	SPICat           []string            `json:"spiCat"`
}

// ReceiptController is a piiControllers entry.
type ReceiptController struct {
	PIIController    string         `json:"piiController"`
	Contact          string         `json:"contact"`
	Address          map[string]any `json:"address"`
	Email            string         `json:"email"`
	Phone            string         `json:"phone"`
	PIIControllerURL string         `json:"piiControllerUrl"`
}

// ReceiptService is a services entry.
type ReceiptService struct {
	Service  string           `json:"service"`
	Purposes []ReceiptPurpose `json:"purposes"`
}

// ReceiptPurpose is a purposes entry.
type ReceiptPurpose struct {
	Purpose              string   `json:"purpose"`
	PurposeCategory      []string `json:"purposeCategory"`
	ConsentType          string   `json:"consentType"`
	PIICategory          []string `json:"piiCategory"`
	PrimaryPurpose       bool     `json:"primaryPurpose"`
	Termination          string   `json:"termination"`
	ThirdPartyDisclosure bool     `json:"thirdPartyDisclosure"`
	// ThirdPartyName is who receives the data when it is disclosed (the specification
	// requires it then).
	ThirdPartyName string `json:"thirdPartyName,omitempty"`
}

// receipt fills a receipt for the grant from its consent record: what the person agreed to
// and with whom, as the record kept it — not as the catalog says today, which may have lost
// the service or list another one under its id. The controller is the service's company;
// the platform keeps no contact of its own for it, so the contact is its privacy policy.
// The data is disclosed to a third party when the service declared that a copy leaves the
// store: its company then holds it on its own servers.
func (c *Grants) receipt(ctx context.Context, instanceID, grantID string) (Receipt, error) {
	g, err := c.Get(ctx, instanceID, grantID)
	if err != nil {
		return Receipt{}, err
	}
	rec, err := c.lastRecord(ctx, g)
	if err != nil {
		return Receipt{}, err
	}
	name, desc, err := c.serviceWords(ctx, g, rec)
	if err != nil {
		return Receipt{}, err
	}
	in, err := c.st.InstanceByID(ctx, instanceID)
	if err != nil {
		return Receipt{}, err
	}
	ctl := rec.Controller
	r := Receipt{Version: ReceiptVersion, Jurisdiction: c.Jurisdiction, ConsentTimestamp: g.Created.Unix(),
		CollectionMethod: "Explicit approval by the person on the consent screen of their selfdata store",
		ConsentReceiptID: uuid.NewString(), Language: "en", PIIPrincipalID: in.Name,
		PIIControllers: []ReceiptController{{PIIController: ctl.Name, Contact: ctl.PrivacyPolicy, Address: map[string]any{},
			PIIControllerURL: ctl.PrivacyPolicy}},
		PolicyURL: ctl.PrivacyPolicy, SPICat: []string{}}
	var cats []string
	for _, name := range g.Doctypes {
		label := name
		if dt, ok := c.reg.Get(name); ok {
			label = dt.Label.EN
			if dt.SpecialCategory {
				r.Sensitive = true
				r.SPICat = append(r.SPICat, label)
			}
		}
		cats = append(cats, label)
	}
	p := ReceiptPurpose{Purpose: desc, PurposeCategory: []string{g.Purpose}, ConsentType: "EXPLICIT", PIICategory: cats, PrimaryPurpose: true,
		Termination: termination(g), ThirdPartyDisclosure: rec.LeavesStore}
	if p.ThirdPartyDisclosure {
		p.ThirdPartyName = ctl.Name
	}
	r.Services = []ReceiptService{{Service: name, Purposes: []ReceiptPurpose{p}}}
	return r, nil
}

// termination says in words until when the grant holds, or why it no longer does.
func termination(g store.Grant) string {
	switch {
	case g.State == store.GrantEnded:
		return "ended: the service was removed from the platform"
	case g.State != store.GrantActive:
		return "ended: " + g.State
	case g.Expires != nil:
		return "until withdrawn, at the latest " + g.Expires.UTC().Format(time.RFC3339)
	}
	return "until withdrawn"
}

// lastRecord is the grant's consent record as its latest event left it.
func (c *Grants) lastRecord(ctx context.Context, g store.Grant) (Record, error) {
	hist, err := c.st.ConsentHistory(ctx, g.Instance, g.ID)
	if err != nil {
		return Record{}, err
	}
	if len(hist) == 0 {
		return Record{}, fmt.Errorf("grant %s has no consent record", g.ID)
	}
	var r Record
	if err := json.Unmarshal(hist[len(hist)-1].Record, &r); err != nil {
		return Record{}, fmt.Errorf("consent record of grant %s: %w", g.ID, err)
	}
	return r, nil
}

// serviceWords names the service and what it does as the consent screen showed them: from
// the record, or for a record older than those words, from the catalog as long as it still
// lists the same company under that id.
func (c *Grants) serviceWords(ctx context.Context, g store.Grant, rec Record) (name, desc string, err error) {
	if rec.ServiceName != "" {
		return rec.ServiceName, rec.ServiceDescription, nil
	}
	svc, err := c.st.Service(ctx, g.Service)
	switch {
	case err == nil && svc.Company == rec.Controller.Name:
		return svc.Name, svc.Description, nil
	case err == nil || errors.Is(err, store.ErrNotFound):
		return g.Service, g.Purpose, nil
	}
	return "", "", err
}

// Receipt returns the grant's consent receipt signed with the instance's key, as a compact
// JWS (EdDSA) whose kid names the key in the instance's JWKS.
func (c *Grants) Receipt(ctx context.Context, instanceID, grantID string) (string, error) {
	r, err := c.receipt(ctx, instanceID, grantID)
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(r)
	if err != nil {
		return "", err
	}
	k, priv, err := c.signer(ctx, instanceID)
	if err != nil {
		return "", err
	}
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: jose.JSONWebKey{Key: priv, KeyID: k.ID, Algorithm: string(jose.EdDSA)}},
		(&jose.SignerOptions{}).WithContentType("consent-receipt+json"))
	if err != nil {
		return "", fmt.Errorf("receipt signer: %w", err)
	}
	jws, err := sig.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("sign receipt: %w", err)
	}
	return jws.CompactSerialize()
}

// JWKS returns the instance's public keys, with which anyone can check its receipts.
func (c *Grants) JWKS(ctx context.Context, instanceID string) (jose.JSONWebKeySet, error) {
	keys, err := c.st.ListSigningKeys(ctx, instanceID)
	if err != nil {
		return jose.JSONWebKeySet{}, err
	}
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{}}
	for _, k := range keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: ed25519.PublicKey(k.PublicKey), KeyID: k.ID, Algorithm: string(jose.EdDSA), Use: "sig"})
	}
	return set, nil
}

// JWKSOf is JWKS for the instance of that name, as published to anyone.
func (c *Grants) JWKSOf(ctx context.Context, name string) (jose.JSONWebKeySet, error) {
	in, err := c.st.Instance(ctx, name)
	if err != nil {
		return jose.JSONWebKeySet{}, err
	}
	return c.JWKS(ctx, in.ID)
}
