package persist

import (
	"bytes"
	"strings"
	"testing"

	"github.com/moonkv/moonkv/internal/keyspace"
)

func TestFunctionDumpRoundTrip(t *testing.T) {
	codes := [][]byte{[]byte("#!lua name=a\nredis.register_function('a', function() return 1 end)"),
		[]byte("#!lua name=b\n" + strings.Repeat("-- long\n", 1000) + "redis.register_function('b', function() end)")}
	p := FunctionDump(codes)
	got, err := ParseFunctionDump(p)
	if err != nil || len(got) != 2 || !bytes.Equal(got[0], codes[0]) || !bytes.Equal(got[1], codes[1]) {
		t.Fatalf("round trip: %q %v", got, err)
	}
	if empty := FunctionDump(nil); len(empty) != 10 {
		t.Fatalf("empty dump is %d bytes", len(empty))
	}
	if got, err := ParseFunctionDump(FunctionDump(nil)); err != nil || len(got) != 0 {
		t.Fatalf("empty payload: %q %v", got, err)
	}
}

func TestFunctionDumpErrors(t *testing.T) {
	good := FunctionDump([][]byte{[]byte("#!lua name=a\nx")})
	flip := func(i int) []byte {
		b := append([]byte(nil), good...)
		b[i] ^= 0x55
		return b
	}
	// a payload of the right shape with a different opcode
	other := append([]byte{0x00}, good[1:len(good)-10]...)
	other = withFooter(other, rdbVersion)
	newer := withFooter(good[:len(good)-10], rdbVersion+1)
	preGA := withFooter(append([]byte{opFunction}, good[1:len(good)-10]...), rdbVersion)
	short := withFooter([]byte{opFunction2, 0x40}, rdbVersion)
	for _, c := range []struct {
		p    []byte
		want string
	}{
		{nil, "ERR DUMP payload version or checksum are wrong"},
		{good[:9], "ERR DUMP payload version or checksum are wrong"},
		{flip(3), "ERR DUMP payload version or checksum are wrong"},
		{flip(len(good) - 1), "ERR DUMP payload version or checksum are wrong"},
		{newer, "ERR DUMP payload version or checksum are wrong"},
		{other, "ERR given type is not a function"},
		{preGA, "ERR Failed loading engine name"},
		{short, "ERR Failed loading library payload"},
	} {
		if _, err := ParseFunctionDump(c.p); err == nil || err.Error() != c.want {
			t.Errorf("payload %q: error %v, want %q", c.p, err, c.want)
		}
	}
}

func withFooter(body []byte, ver int) []byte {
	out := append(append([]byte(nil), body...), byte(ver), byte(ver>>8))
	crc := crc64Update(0, out)
	for i := 0; i < 8; i++ {
		out = append(out, byte(crc>>(8*i)))
	}
	return out
}

func TestRDBFunctionsBeforeKeys(t *testing.T) {
	var buf bytes.Buffer
	w := NewRDBWriter(&buf, nil, nil)
	code := []byte("#!lua name=x\nredis.register_function('x', function() end)")
	w.Functions([][]byte{code})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	ks := keyspace.New(16, nil)
	st, err := LoadRDB(bytes.NewReader(buf.Bytes()), ks)
	if err != nil || len(st.Functions) != 1 || !bytes.Equal(st.Functions[0], code) {
		t.Fatalf("LoadRDB: %q %v", st.Functions, err)
	}
}
