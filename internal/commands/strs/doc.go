// Package strs is the string family: GET, SET and its options, counters,
// ranges, and the bit operations (SETBIT, BITCOUNT, BITFIELD...), which
// Redis also keeps on string values.
package strs
