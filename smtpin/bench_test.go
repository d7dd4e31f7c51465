package smtpin

import (
	"fmt"
	"testing"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// BenchmarkDeliverReply is one reply over a real SMTP conversation, from
// connect to 250: SPF, DKIM and DMARC checked (fake DNS), the reply filed.
func BenchmarkDeliverReply(b *testing.B) {
	for name, open := range map[string]func(testing.TB) *store.DB{"sqlite": storetest.SQLite, "postgres": storetest.Postgres} {
		b.Run(name, func(b *testing.B) {
			db := open(b)
			bu := setup(b, db, nil)
			_, prompt := subscriber(b, db, "alex@example.com")
			to := bu.links.ReplyAddress(prompt)
			b.ResetTimer()
			for i := range b.N {
				raw := sign(b, message{from: "alex@example.com", to: to, messageID: fmt.Sprintf("bench-%d@mail.example.com", i),
					body: "A reply of a few words."}.raw(), "example.com", bu.dkimKey)
				if err := bu.deliver(b, "alex@example.com", []string{to}, raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
