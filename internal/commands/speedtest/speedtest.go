package speedtest

import (
	"syscall"
	"testing"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/server"
)

// Rig is a server with every command family, called directly.
type Rig struct {
	Srv *server.Server
	w   resp.Writer
	ctx server.Ctx
	// specs caches each command name's spec: the registry lookup is
	// the dispatcher's cost, not the family's
	specs map[string]*server.Spec
}

// NewRig builds a rig over a fresh server.
func NewRig() *Rig {
	return &Rig{Srv: server.New(server.DefaultConfig(), commands.Registry()), specs: map[string]*server.Spec{}}
}

// Call runs args as one command in database 0 and returns its reply bytes
// (valid until the next call).
func (s *Rig) Call(args [][]byte) []byte {
	s.w.Reset()
	spec, ok := s.specs[string(args[0])]
	if !ok {
		spec = s.Srv.Reg.Lookup(args[0])
		s.specs[string(args[0])] = spec
	}
	s.ctx = server.Ctx{Srv: s.Srv, KS: s.Srv.KS, DB: s.Srv.KS.DBs[0], R: &s.w, Args: args, Spec: spec}
	s.Srv.Call(&s.ctx)
	return s.w.Buf
}

// CPUMeter reports allocations and, as cpu-ns/op, the process's CPU time
// per operation (all threads, the garbage collector's included). Pause
// and Resume bracket untimed work as b.StopTimer and b.StartTimer do.
type CPUMeter struct {
	b            *testing.B
	start, since int64
}

// NewCPUMeter starts measuring; defer Done.
func NewCPUMeter(b *testing.B) *CPUMeter {
	b.ReportAllocs()
	return &CPUMeter{b: b, start: cpuTime()}
}

// Pause stops the timer and the CPU count.
func (m *CPUMeter) Pause() {
	m.b.StopTimer()
	m.since = cpuTime()
}

// Resume restarts them.
func (m *CPUMeter) Resume() {
	m.start += cpuTime() - m.since
	m.b.StartTimer()
}

// Done reports the figure.
func (m *CPUMeter) Done() {
	m.b.ReportMetric(float64(cpuTime()-m.start)/float64(m.b.N), "cpu-ns/op")
}

func cpuTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// Args turns strings into a command's arguments.
func Args(args ...string) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = []byte(a)
	}
	return out
}

// Runs calls cmds round-robin, running DEL key (outside the timer) every
// 200000 calls, so that the key stays the size one redis-benchmark run
// of 200000 requests builds.
func Runs(b *testing.B, key string, cmds [][][]byte) {
	s := NewRig()
	del := Args("DEL", key)
	n := 0
	m := NewCPUMeter(b)
	defer m.Done()
	for b.Loop() {
		if n%200000 == 0 && n > 0 {
			m.Pause()
			s.Call(del)
			m.Resume()
		}
		s.Call(cmds[n%len(cmds)])
		n++
	}
}
