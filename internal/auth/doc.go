// Package auth holds the credential primitives of selfdata: passphrase hashing, random secrets
// for sessions and personal access tokens, and a login rate limiter. It stores nothing and
// speaks no HTTP, so that the rules about credentials live in one small place that can be read
// and tested on its own; the web layer and the store decide where the results go.
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
//   - Login failures are counted in memory only, per key (an instance name, a client address),
//     to slow down online guessing; they are never written anywhere.
package auth
