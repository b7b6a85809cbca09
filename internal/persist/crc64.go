package persist

import "hash/crc64"

// RDB files end with a CRC-64 in the "Jones" variant Redis uses
// (polynomial 0xad93d23594c935a9, reflected, no initial or final
// inversion). Go's crc64 inverts before and after, so the inversions are
// undone around it.
var jonesTable = crc64.MakeTable(0x95ac9329ac4bc9b5)

func crc64Update(crc uint64, p []byte) uint64 {
	return ^crc64.Update(^crc, jonesTable, p)
}
