package messages_test

import (
	"context"
	"sync"
	"testing"

	"github.com/steadyapp/steady/messages/twiliotest"
)

// Concurrent sends reuse kept-alive connections instead of opening one per
// request (http.DefaultTransport would keep only two idle).
func TestTwilioKeepsConnectionsAlive(t *testing.T) {
	t.Parallel()
	srv := twiliotest.New(t, nil)
	s := newTwilio(t, srv, nil)
	const workers, rounds = 8, 5
	for range rounds {
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				if _, err := s.Send(context.Background(), smsMessage("hello")); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	if got := len(srv.Sent()); got != workers*rounds {
		t.Fatalf("server got %d texts, want %d", got, workers*rounds)
	}
	if got := srv.Connections(); got > workers {
		t.Errorf("%d sends, %d at a time, opened %d connections; want at most %d", workers*rounds, workers, got, workers)
	}
}
