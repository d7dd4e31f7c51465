// Package sealed encrypts values at rest: AES-256-GCM from the standard
// library, with the key that sealed a value named in the value itself, so
// keys can be rotated while old values stay readable.
//
// A sealed value is text, safe in any TEXT column:
//
//	enc:v1:<key id>:<base64url(nonce || ciphertext || tag)>
//
// Seal binds each value to where it is kept through GCM's additional
// authenticated data (AAD), e.g. "replies.body|src=web:123": a value
// copied into another column or row does not open there, and a wrong key
// is an error (ErrWrongKey, ErrUnknownKey), never garbage. Open reads a
// value without the "enc:" prefix as plaintext, so rows written before
// encryption keep working until `steady keys rotate` seals them.
//
// A Keyring holds one current key, which seals, and any number of older
// keys, which only open. Keys never go in the database: they come from
// STEADY_ENCRYPTION_KEY or STEADY_ENCRYPTION_KEY_FILE (see ParseKeys,
// ParseKeyFile).
//
// A nil *Keyring seals nothing (Seal returns the plaintext) and opens only
// plaintext; a sealed value then gives ErrNoKey. That is for tools and
// tests that open a database without keys; cmd/steady always loads them.
//
// # Sealing one more column
//
// The store does the sealing (store/sealed_columns.go). To seal another
// column:
//
//  1. add a sealedColumn to sealedColumns in store/sealed_columns.go: its
//     table, column, primary key and the columns its AAD names (only ones
//     known before the insert and never updated; not an id the insert
//     makes);
//  2. on write, store tx.seal(col, plaintext, aadValues...) instead of the
//     plaintext; on read, pass the scanned value through
//     tx.open(col, rowID, stored, aadValues...);
//  3. nothing else: `steady keys rotate` walks sealedColumns, so old
//     plaintext rows of the new column are sealed by the next rotation.
//
// A sealed column cannot be compared or looked up by value (every Seal of
// the same text differs). A column that is UNIQUE or searched by value
// keeps an HMAC of the plaintext beside it instead, under a key that is
// not rotated, and is looked up by that.
package sealed
