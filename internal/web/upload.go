package web

import (
	"errors"
	"io"
	"net/http"
)

// bodyError is a failure to read the request body — a malformed chunked encoding, a
// connection cut in the middle of an upload: the client's doing, answered 400, unlike a
// failure to keep what was read (a full disk), which is ours and answered 500.
type bodyError struct{ err error }

func (e *bodyError) Error() string { return "read the request body: " + e.err.Error() }
func (e *bodyError) Unwrap() error { return e.err }

// uploadBody is r's body held to limit bytes, its read failures marked as *bodyError; going
// past the limit stays an *http.MaxBytesError, answered 413.
func uploadBody(w http.ResponseWriter, r *http.Request, limit int64) io.ReadCloser {
	return &markedBody{rc: http.MaxBytesReader(w, r.Body, limit)}
}

type markedBody struct{ rc io.ReadCloser }

func (b *markedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	var mb *http.MaxBytesError
	if err != nil && err != io.EOF && !errors.As(err, &mb) {
		err = &bodyError{err: err}
	}
	return n, err
}

func (b *markedBody) Close() error { return b.rc.Close() }

// uploadError answers an upload whose body could not be read with a 400 saying so; other
// errors are returned as they are (the size limit is a 413 already).
func uploadError(err error) error {
	var be *bodyError
	if errors.As(err, &be) {
		return errorf(http.StatusBadRequest, "The request body could not be read to its end (%v): it was cut short or its chunked encoding is malformed. Nothing was written; send it again.", be.err)
	}
	return err
}
