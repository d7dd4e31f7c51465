package messages_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
)

// An inline part travels as multipart/related next to the HTML, with its
// Content-ID, so "cid:" in the HTML shows it.
func TestSMTPSendInlinePart(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := testMessage()
	m.HTML = `<p>chart</p><img src="cid:chart@steady">`
	png := []byte("\x89PNG\r\n\x1a\nnot really a png")
	m.Inline = []steady.Attachment{{Filename: "chart.png", ContentType: "image/png", ContentID: "chart@steady", Data: png}}
	r, msg := b.sendAndRead(t, m)
	found := false
	var walk func(ct string, body io.Reader)
	walk = func(ct string, body io.Reader) {
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil {
			t.Fatalf("Content-Type %q: %v", ct, err)
		}
		if !strings.HasPrefix(mt, "multipart/") {
			return
		}
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Header.Get("Content-Id") == "<chart@steady>" {
				data, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
				if pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); pt != "image/png" || !bytes.Equal(data, png) {
					t.Errorf("inline part: type %q, %d bytes", pt, len(data))
				}
				if mt != "multipart/related" {
					t.Errorf("inline part inside %s, want multipart/related", mt)
				}
				found = true
			}
			walk(p.Header.Get("Content-Type"), p)
		}
	}
	walk(msg.Header.Get("Content-Type"), msg.Body)
	if !found {
		t.Errorf("no part with Content-ID <chart@steady>:\n%s", r.Data)
	}
}

func TestSMTPInlinePartNeedsContentID(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := testMessage()
	m.Inline = []steady.Attachment{{Filename: "chart.png", ContentType: "image/png", Data: []byte("x")}}
	if _, err := b.sender.Send(context.Background(), m); err == nil || !strings.Contains(err.Error(), "Content-ID") {
		t.Errorf("Send: %v, want a rejection naming the Content-ID", err)
	}
}
