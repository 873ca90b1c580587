package export

import (
	"io"
	"sync"
)

// asyncWriter hands full buffers to a goroutine that writes them to w, so that the export
// reads, formats and compresses the next megabyte while the last one goes to the disk: the
// two overlap, instead of each write stopping the export until the kernel has taken it (or,
// once the disk falls behind, until it has written the dirty pages back). Memory stays the
// few buffers that go round.
type asyncWriter struct {
	w    io.Writer
	buf  []byte
	full chan []byte
	free chan []byte
	done chan error

	mu  sync.Mutex
	err error // the first failed write, for Write to stop at once
}

const (
	asyncBuffers = 4
	asyncBuffer  = 1 << 20
)

func newAsyncWriter(w io.Writer) *asyncWriter {
	a := &asyncWriter{w: w, full: make(chan []byte, asyncBuffers), free: make(chan []byte, asyncBuffers), done: make(chan error, 1)}
	for range asyncBuffers - 1 {
		a.free <- make([]byte, 0, asyncBuffer)
	}
	a.buf = make([]byte, 0, asyncBuffer)
	go a.run()
	return a
}

// run writes the buffers in order until full is closed; after a failed write it only gives
// the buffers back, so that Write never blocks, and Write reports the error.
func (a *asyncWriter) run() {
	var err error
	for b := range a.full {
		if err == nil {
			if _, err = a.w.Write(b); err != nil {
				a.mu.Lock()
				a.err = err
				a.mu.Unlock()
			}
		}
		a.free <- b[:0]
	}
	a.done <- err
}

func (a *asyncWriter) failed() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

// Write copies p into the current buffer, sending it off each time it fills.
func (a *asyncWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if err := a.failed(); err != nil {
			return 0, err
		}
		k := min(len(p), cap(a.buf)-len(a.buf))
		a.buf = append(a.buf, p[:k]...)
		p = p[k:]
		if len(a.buf) == cap(a.buf) {
			a.send()
		}
	}
	return n, nil
}

// send hands the current buffer over and takes a free one.
func (a *asyncWriter) send() {
	a.full <- a.buf
	a.buf = <-a.free
}

// Close writes what is left, waits for every write and returns the first error. It must be
// called once, on success or failure, so that the goroutine ends.
func (a *asyncWriter) Close() error {
	if len(a.buf) > 0 {
		a.full <- a.buf
	}
	close(a.full)
	return <-a.done
}
