// Package scripting is the EVAL family: EVAL, EVALSHA, EVAL_RO,
// EVALSHA_RO and SCRIPT LOAD/EXISTS/FLUSH/KILL/HELP. It parses arguments
// and hands scripts to the server's script.Engine, which it creates on
// first use and installs as the server's ScriptHost (Server.Scripts), so
// each server has its own Lua state and script cache.
package scripting
