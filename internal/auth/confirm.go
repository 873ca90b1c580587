package auth

import "context"

// ConfirmPassphrase checks that passphrase is the instance's, before an act that cannot be
// undone (erasing the store). A wrong one counts with the wrong current passphrases of
// ChangePassphrase, under the same key: someone holding a stolen session may not guess the
// passphrase here either, and gets no more tries by alternating the two forms.
func (s *Service) ConfirmPassphrase(ctx context.Context, instanceID, passphrase string) error {
	key := "change:" + instanceID
	if ok, retry, err := s.limits.change.Allowed(ctx, key); err != nil {
		return err
	} else if !ok {
		return &RateLimitedError{RetryAfter: retry}
	}
	hash, err := s.st.PassphraseHash(ctx, instanceID)
	if err != nil {
		return err
	}
	if ok, err := VerifyPassphrase(hash, passphrase); err != nil || !ok {
		if err := s.limits.change.Fail(ctx, key); err != nil {
			return err
		}
		return ErrBadCredentials
	}
	return s.limits.change.Reset(ctx, key)
}
