package summary

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// The monthly summary email carries a link to the subscriber's own
// settings in its footer, in the text and the HTML part, as the prompt
// email does; the link opens that subscriber's settings.
func TestSummaryFooterHasSettingsLink(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
		b := setup(t, db, now)
		sub := b.subscribe(t, "footer@example.org", "Europe/London", 8, steady.ChannelEmail)
		b.reply(t, sub, time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC), "we talked about the weekend")
		if err := b.service(t).runOnce(context.Background(), now); err != nil {
			t.Fatal(err)
		}
		got := b.previews(t, sub.Address)
		if len(got) != 1 {
			t.Fatalf("%d summaries, want 1", len(got))
		}
		re := regexp.MustCompile(`https://steady\.example/settings\?t=[A-Za-z0-9_\-.]+`)
		for part, body := range map[string]string{"text": got[0].Text, "html": got[0].HTML} {
			link := re.FindString(body)
			if link == "" || !strings.Contains(body, "Your settings") {
				t.Errorf("%s part has no settings link:\n%s", part, body)
				continue
			}
			u, _ := url.Parse(link)
			id, _, err := b.links.VerifySettings(u.Query().Get("t"))
			if err != nil || id != sub.ID {
				t.Errorf("%s settings link names %d (%v), want %d", part, id, err, sub.ID)
			}
		}
	})
}
