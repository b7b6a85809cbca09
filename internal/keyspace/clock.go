package keyspace

import "time"

// Clock tells the time in Unix milliseconds.
type Clock interface {
	NowMs() int64
}

// SystemClock reads the wall clock.
type SystemClock struct{}

// NowMs returns the current Unix time in milliseconds.
func (SystemClock) NowMs() int64 { return time.Now().UnixMilli() }

// FakeClock is a Clock tests move by hand.
type FakeClock struct{ Ms int64 }

// NowMs returns the clock's current reading.
func (c *FakeClock) NowMs() int64 { return c.Ms }

// Advance moves the clock forward by d.
func (c *FakeClock) Advance(d time.Duration) { c.Ms += d.Milliseconds() }
