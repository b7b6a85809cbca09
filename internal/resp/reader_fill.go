package resp

import (
	"errors"
	"io"
)

// ErrWouldBlock is what a non-blocking source returns from Read when it
// has no data yet. Fill passes it on without making it sticky: the reader
// stays usable and is filled again when the source is ready.
var ErrWouldBlock = errors.New("resp: no data ready")

// Fill reads once from the source into the buffer, as ReadCommand does
// when it needs more, and reports how many bytes came. It may move the
// unread bytes, so slices returned earlier are invalid afterwards. Used by
// the event loop, which reads a client when epoll says it is readable and
// then parses with TryCommand.
func (r *Reader) Fill() (int, error) {
	w := r.w - r.r
	err := r.fill()
	n := r.w - r.r - w
	if errors.Is(r.readErr, ErrWouldBlock) {
		r.readErr = nil
	}
	return n, err
}

// SetSource makes the reader read from rd from now on, keeping what it
// has buffered (a connection handed from the event loop to a goroutine).
func (r *Reader) SetSource(rd io.Reader) { r.rd = rd }
