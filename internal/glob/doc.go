// Package glob is Redis's glob-style matcher (util.c stringmatchlen), used
// by KEYS, SCAN MATCH, HSCAN/SSCAN/ZSCAN, CONFIG GET and PSUBSCRIBE.
//
// Supported syntax: '*' (any run of bytes), '?' (one byte), '[abc]',
// '[^abc]', '[a-z]' (a range, ends given in either order), and '\x' to take
// x literally. Matching is byte-wise; the nocase option folds ASCII letters
// only, as the C library's tolower does in the C locale.
//
// Redis's matcher has corners that follow from how the C code walks the
// pattern, and clients can see them, so they are kept: an unclosed '['
// class runs to the end of the pattern, "[a-]" is the range from ']' to
// 'a', range ends are compared as signed chars, "*" does not match the
// empty string (callers that treat "*" as "everything" test for it
// themselves, as KEYS and SCAN do), and recursion is cut off past a
// nesting of 1000 stars.
//
// Compile picks a fast path for the common shapes (a literal, a literal
// prefix followed by '*', '*' followed by a literal suffix) and falls back
// to the general matcher for everything else.
package glob
