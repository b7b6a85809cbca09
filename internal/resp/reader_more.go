package resp

import (
	"errors"
	"os"
)

// ReadMore reads whatever the stream has next into the buffer without
// parsing it, and without moving or overwriting any byte already in the
// buffer: slices returned by ReadCommand stay valid. A blocked client's
// connection keeps being read this way (to notice a disconnect and to queue
// pipelined commands) while the blocked command still uses its arguments.
//
// A read deadline that expires (used to stop the read) is not sticky: the
// reader stays usable and the error is returned as os.ErrDeadlineExceeded.
func (r *Reader) ReadMore() error {
	if r.readErr != nil {
		return r.readErr
	}
	if len(r.buf)-r.w < minReadSpaceSize {
		size := 2 * len(r.buf)
		for size-(r.w-r.r) < minReadSpaceSize {
			size *= 2
		}
		nb := make([]byte, size)
		r.w = copy(nb, r.buf[r.r:r.w])
		r.r = 0
		r.buf = nb
	}
	n, err := r.rd.Read(r.buf[r.w:])
	r.w += n
	if n > 0 {
		return nil
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return err
	}
	if err == nil {
		return nil
	}
	r.readErr = err
	return err
}
