package store

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/steadyapp/steady"
)

// sealedColumn is a column whose values are sealed (package sealed): the
// subscriber's own words. Its AAD is "table.column|" and the values of
// aadColumns, so a value copied to another column or row does not open.
// aadColumns are known before the row is inserted and never updated.
type sealedColumn struct {
	table, column string
	key           string   // the primary key, for rotating row by row
	aadColumns    []string // the columns naming the row in the AAD
}

// The sealed columns. To seal one more, add it here and to sealedColumns,
// and use tx.seal on write and tx.open on read (see package sealed).
var (
	replyBody      = sealedColumn{"replies", "body", "id", []string{"source_id"}}
	consentWording = sealedColumn{"consents", "wording", "id", []string{"subscriber_id"}}
	summaryData    = sealedColumn{"summaries", "data", "id", []string{"subscriber_id", "month"}}
	previewSubject = sealedColumn{"preview_messages", "subject", "id", nil}
	previewText    = sealedColumn{"preview_messages", "text_body", "id", nil}
	previewHTML    = sealedColumn{"preview_messages", "html_body", "id", nil}
	// complianceWording: a texted sign-up's wording quotes what was texted.
	complianceWording = sealedColumn{"compliance_records", "wording", "id", []string{"channel", "address_hash"}}
	// heldRaw: inbound mail held aside, in base64 (it may be anyone's words).
	heldRaw = sealedColumn{"inbound_held", "raw", "id", []string{"source", "raw_sha256"}}
)

// sealedColumns is every sealed column, in the order RotateKeys walks them.
var sealedColumns = []sealedColumn{replyBody, consentWording, summaryData, previewSubject, previewText, previewHTML, complianceWording, heldRaw}

// aad is the additional data value is sealed under: the table, column
// and row (the aadColumns' values, in order).
func (c sealedColumn) aad(row []string) string {
	return c.table + "." + c.column + "|" + strings.Join(row, "|")
}

// rowOf formats the values naming a row for aad.
func rowOf(vals ...any) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		// As fmt.Sprint writes them, without its reflection: a reply's
		// body is opened for every reply a summary reads.
		switch v := v.(type) {
		case string:
			out[i] = v
		case int64:
			out[i] = strconv.FormatInt(v, 10)
		default:
			out[i] = fmt.Sprint(v)
		}
	}
	return out
}

// seal is what is stored for plaintext in column c of the row named by
// row (the values of c.aadColumns): the plaintext cleaned as every stored
// text is (steady.CleanText), then sealed with the current key; the
// plaintext itself without a Keyring.
func (t *tx) seal(c sealedColumn, plaintext string, row ...any) string {
	return t.keys.Seal(steady.CleanText(plaintext), c.aad(rowOf(row...)))
}

// open is the plaintext of stored, read from column c of row id (named by
// row, as for seal); plaintext from before sealing is returned as it is.
func (t *tx) open(c sealedColumn, id int64, stored string, row ...any) (string, error) {
	plain, err := t.keys.Open(stored, c.aad(rowOf(row...)))
	if err != nil {
		return "", fmt.Errorf("%s.%s of row %d: %w", c.table, c.column, id, err)
	}
	return plain, nil
}
