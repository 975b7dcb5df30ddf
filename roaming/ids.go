package roaming

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

// RandomIDs makes UUIDv4 ids and 256-bit base64url tokens from crypto/rand.
type RandomIDs struct{}

// NewID returns a random UUID (version 4).
func (RandomIDs) NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// NewToken returns 32 random bytes in unpadded base64url: 43 printable characters.
func (RandomIDs) NewToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
