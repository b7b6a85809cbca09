package resp

// Cap is the size of the reader's buffer (CLIENT LIST qbuf + qbuf-free).
func (r *Reader) Cap() int { return len(r.buf) }
