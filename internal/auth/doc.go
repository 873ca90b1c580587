// Package auth holds the credential primitives of selfdata: passphrase hashing, random secrets
// for sessions and personal access tokens, device cookies and the login limits. It speaks no
// HTTP and stores through store.Credentials only, so that the rules about credentials live
// in one small place that can be read and tested on its own; the web layer decides where
// the results go.
//
// What is stored, and why it is safe to store:
//
//   - A passphrase is kept only as an argon2id PHC string. Argon2id is memory-hard, so a stolen
//     database costs an attacker memory as well as time per guess, and the PHC string carries
//     its own parameters so that they can be raised later without breaking old hashes
//     (NeedsRehash tells when to re-hash, at the next successful login).
//   - A session cookie or a personal access token is a 256-bit random secret; the store keeps
//     only its SHA-256. A slow hash exists to protect guessable inputs: nobody can enumerate
//     2^256 secrets, so a fast hash is as strong here and lets the store look a secret up by its
//     hash in one indexed query, without a per-request argon2 cost.
//   - Login failures are counted in the store, per key (a name, a client address and name, a
//     device cookie: see limits.go), so that every server on one database counts the same.
//     A device cookie is not stored at all: it is signed with a key the store keeps sealed.
package auth
