package resp

// AttrPusher is implemented by repliers that can send RESP3's
// out-of-band types: an attribute map before a reply, and a push message.
// Only DEBUG PROTOCOL needs them.
type AttrPusher interface {
	// AttributeLen starts an attribute map of n pairs (RESP3 only).
	AttributeLen(n int)
	// PushLen starts a push message of n elements (RESP3 only).
	PushLen(n int)
}

var _ AttrPusher = (*Writer)(nil)

func (w *Writer) AttributeLen(n int) { w.header('|', int64(n)) }

func (w *Writer) PushLen(n int) { w.header('>', int64(n)) }
