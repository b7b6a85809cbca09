// Package sort is SORT and SORT_RO over lists, sets and sorted sets, with
// BY (weights from string keys or hash fields, "nosort" with a pattern
// without '*'), GET (including "#" for the element itself), LIMIT,
// ASC/DESC, ALPHA and STORE.
//
// It follows Redis 7.0's sort.c closely because clients can see its
// corners: weights are parsed with strtod (an empty string is 0, leading
// blanks are fine, anything unparsed is an error), numeric ties are broken
// by comparing the elements as strings, a set sorted without sorting is
// sorted alphabetically anyway when the result is stored or the caller is
// a script (so replicas and the AOF agree), and an unsorted list or sorted
// set is read only over the LIMIT range.
package sort
