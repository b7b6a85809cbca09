package moonvm

import (
	"strconv"
	"strings"

	"github.com/moonkv/moonkv/internal/lua"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/script"
)

// replyError replies with the error a script failed with, as Redis's
// error handler and reply code print it:
// "<err> script: <sha>, on @user_script:<line>.".
func (v *VM) replyError(run *script.Run, err error) {
	var msg, pos string
	if le, ok := err.(*lua.Error); ok {
		pos = le.Where()
		if t := le.Value.AsTable(); t != nil {
			if e := t.GetStr("err"); e.Type() == lua.TypeString || e.Type() == lua.TypeNumber {
				// lua_isstring: a number is its %.14g text.
				msg = v.L.ToString(e)
			} else {
				// A table without a string err (error({}), error({1,2}),
				// error({err={}}), an object with __tostring) crashes
				// redis-server 7.0.15; moonkv answers this fixed text
				// and runs no metamethod of the object.
				msg = rerr.ScriptUnknownError
			}
		} else {
			msg = "ERR " + v.L.ToString(le.Value)
		}
	} else {
		msg = "ERR " + err.Error()
	}
	if run.Killed() {
		msg = script.KilledError()
	}
	var b strings.Builder
	b.WriteString(msg)
	if src, line := splitPos(pos); src != "" && line > 0 {
		if name, ok := v.chunks[src]; ok {
			src = name
		}
		b.WriteString(" script: ")
		b.WriteString(run.Script.SHA)
		b.WriteString(", on ")
		b.WriteString(src)
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(line))
		b.WriteByte('.')
	}
	run.Ctx.ErrText(oneLine(b.String()))
}

// splitPos splits a "chunk:line:" position into the source Redis's
// handler reports (debug.getinfo's source: "@user_script" for scripts)
// and the line.
func splitPos(pos string) (string, int) {
	if len(pos) < 2 || pos[len(pos)-1] != ':' {
		return "", 0
	}
	p := pos[:len(pos)-1]
	i := strings.LastIndexByte(p, ':')
	if i < 0 {
		return "", 0
	}
	line, err := strconv.Atoi(p[i+1:])
	if err != nil {
		return "", 0
	}
	src := p[:i]
	if src == "user_script" || src == "user_function" {
		src = "@" + src
	}
	return src, line
}

func oneLine(s string) string {
	if strings.IndexAny(s, "\r\n") < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}
