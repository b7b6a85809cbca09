package script

import "github.com/moonkv/moonkv/internal/resp"

// replyWatch passes a script's reply through to the caller's replier and
// notes whether it was an error: the first thing written is the top-level
// reply, so an error is one only when it comes first (an error inside an
// array is an element, not a failed run). It is reused for every run, so
// watching allocates nothing.
type replyWatch struct {
	inner   resp.Replier
	started bool
	err     bool
}

var _ resp.Replier = (*replyWatch)(nil)

func (w *replyWatch) begin(inner resp.Replier) {
	*w = replyWatch{inner: inner}
}

// end returns the caller's replier and whether the reply was an error.
func (w *replyWatch) end() (resp.Replier, bool) {
	inner, err := w.inner, w.err
	*w = replyWatch{}
	return inner, err
}

func (w *replyWatch) Proto() int { return w.inner.Proto() }

func (w *replyWatch) Error(s string) {
	if !w.started {
		w.started, w.err = true, true
	}
	w.inner.Error(s)
}

func (w *replyWatch) Simple(s string)      { w.started = true; w.inner.Simple(s) }
func (w *replyWatch) Int(n int64)          { w.started = true; w.inner.Int(n) }
func (w *replyWatch) Bulk(b []byte)        { w.started = true; w.inner.Bulk(b) }
func (w *replyWatch) BulkString(s string)  { w.started = true; w.inner.BulkString(s) }
func (w *replyWatch) Null()                { w.started = true; w.inner.Null() }
func (w *replyWatch) NullArray()           { w.started = true; w.inner.NullArray() }
func (w *replyWatch) ArrayLen(n int)       { w.started = true; w.inner.ArrayLen(n) }
func (w *replyWatch) MapLen(n int)         { w.started = true; w.inner.MapLen(n) }
func (w *replyWatch) SetLen(n int)         { w.started = true; w.inner.SetLen(n) }
func (w *replyWatch) Double(f float64)     { w.started = true; w.inner.Double(f) }
func (w *replyWatch) Bool(b bool)          { w.started = true; w.inner.Bool(b) }
func (w *replyWatch) BigNumber(d string)   { w.started = true; w.inner.BigNumber(d) }
func (w *replyWatch) Verbatim(f, s string) { w.started = true; w.inner.Verbatim(f, s) }
