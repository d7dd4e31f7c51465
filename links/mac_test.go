package links

import (
	"crypto/hmac"
	"crypto/sha256"
	"sync"
	"testing"
	"time"
)

// freshMAC is a token's MAC computed from scratch, as Sign did before it
// reused its hashes.
func freshMAC(key, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte("steady-link-v1\x00"))
	h.Write(body)
	return h.Sum(nil)[:macLen]
}

// TestReusedMACsMatchFresh checks that tokens signed with the Signer's
// reused hashes carry the MAC a fresh HMAC gives, one after another and
// from many goroutines at once (run with -race), and still verify.
func TestReusedMACsMatchFresh(t *testing.T) {
	t.Parallel()
	key := []byte("a-test-secret-long-enough")
	s, err := NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	check := func(id int64) {
		tok := s.SignBound(PurposeReply, id, uint64(id%3), now.Add(ReplyTTL))
		raw, err := encoding.DecodeString(tok)
		if err != nil {
			t.Errorf("id %d: %v", id, err)
			return
		}
		body, mac := raw[:len(raw)-macLen], raw[len(raw)-macLen:]
		if !hmac.Equal(mac, freshMAC(key, body)) {
			t.Errorf("id %d: MAC %x, a fresh HMAC gives %x", id, mac, freshMAC(key, body))
		}
		if got, err := s.Verify(PurposeReply, tok, now); err != nil || got != id {
			t.Errorf("id %d: verified as %d, %v", id, got, err)
		}
	}
	for id := int64(1); id <= 50; id++ {
		check(id)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for id := int64(1); id <= 200; id++ {
				check(int64(g)*1000 + id)
			}
		})
	}
	wg.Wait()
	other, err := NewSigner([]byte("another-secret-long-enough"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Verify(PurposeReply, s.Sign(PurposeReply, 7, now.Add(ReplyTTL)), now); err != ErrTokenInvalid {
		t.Errorf("a token of another key: %v, want ErrTokenInvalid", err)
	}
}

// BenchmarkSign signs one reply token.
func BenchmarkSign(b *testing.B) {
	s, err := NewSigner([]byte("a-benchmark-secret-long-enough"))
	if err != nil {
		b.Fatal(err)
	}
	exp := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Sign(PurposeReply, 123456, exp)
	}
}
