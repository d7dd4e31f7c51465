package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/sealed"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/summary"
	"github.com/steadyapp/steady/themes"
)

// demoYesNo matches a reply that opens with a yes or a no.
var demoYesNo = regexp.MustCompile(`(?i)^(yes|no|nope|not really)\b`)

// demoReply is the next of the theme's demoReplies that fits how the
// prompt asks to be answered: a number for a 1-to-5 prompt, a yes or no
// for a yes/no one (a reply in words only fits either).
func demoReply(cat *themes.Catalog, d steady.Delivery, used map[string]int) string {
	pool := demoReplies[d.Theme]
	p, _ := cat.Prompt(d.PromptID)
	for i := range pool {
		text := pool[(used[d.Theme]+i)%len(pool)]
		number := text != "" && text[0] >= '0' && text[0] <= '9'
		yesNo := demoYesNo.MatchString(text)
		if (p.Answer == themes.AnswerScale && !yesNo) || (p.Answer == themes.AnswerYesNo && !number) || p.Answer == "" {
			used[d.Theme] += i + 1
			return text
		}
	}
	used[d.Theme]++
	return pool[(used[d.Theme]-1)%len(pool)]
}

// demoReplies are realistic answers per theme; the demo takes them in turn.
var demoReplies = map[string][]string{
	themes.Honesty: {
		"Nope. He said he was working late but his friend posted photos from the pub.",
		"yes, he told me about the money worries himself",
		"2 - he lied again about where the money went",
	},
	themes.KeepingWord: {
		"no he cancelled our weekend away, again",
		"4, he booked the restaurant like he promised",
		"not really, he said he'd sort the car and never did",
	},
	themes.Trust: {"3", "yes mostly", "4 - I don't feel the need to check on him"},
	themes.Confiding: {
		"I tried to tell him about work and he changed the subject",
		"yes, he listened when I was upset about my mum",
		"2. I keep my worries to myself because he gets annoyed",
	},
	themes.HasYourBack: {
		"No. His mum said I was lazy at dinner and he just stayed quiet.",
		"not once did he take my side when his sister started on me",
		"yes! he stood up for me with his friends",
	},
	themes.Distancing: {
		"maybe he's just tired but he's been distant all week",
		"he went out with his friends every night instead of me",
		"4",
	},
	themes.FearDoubt:  {"yes", "he worries a lot what his parents think of us", "3 i guess"},
	themes.Friendship: {"yes we laughed all evening watching old films", "2, we barely talk anymore", "5"},
	themes.Dependability: {
		"he was there for me when I was ill",
		"he grabbed my arm hard when we argued and I'm scared of him when he drinks",
		"I can count on him for the school run at least",
	},
}

// runDemo simulates one subscriber's month in a temporary SQLite database
// with the preview sender, runs the monthly summary, prints the text and
// writes the HTML (chart inline) to a file. It removes everything else.
func runDemo(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "demo", "demo\n\nSimulates two months of one subscriber's daily prompts and replies (the month\nbefore last, for the trend, and last month) in a temporary SQLite database with\nthe preview sender, runs last month's summary, prints its text and writes its\nHTML (chart inline) to a file in the temp directory. Nothing is sent and\nnothing else is left behind.")
	if err := parseFlags(e, fs, args, 0); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "steady-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// A key of its own, forgotten with the temporary database.
	keys, err := sealed.New(sealed.Generate())
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, filepath.Join(dir, "steady.db"), store.WithKeyring(keys))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}

	loc, err := steady.LoadLocation("Europe/London")
	if err != nil {
		return err
	}
	month := summary.MonthOf(e.clock.Now(), loc).Prev()
	start := month.Prev().Start(loc) // a month before, for the trend
	clock := steady.NewManualClock(start)
	sched, err := steady.ParseSchedule("daily 19:00")
	if err != nil {
		return err
	}
	res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel: steady.ChannelEmail, Address: "you@example.org", TimeZone: loc.String(), Schedule: sched,
		Consent: steady.Consent{Method: "demo", IP: "127.0.0.1", Wording: "demo"}, Now: start,
	})
	if err != nil {
		return err
	}
	sub, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "demo", IP: "127.0.0.1"}, start,
		func(s steady.Subscriber) (time.Time, error) { return s.Schedule.Next(start, loc), nil })
	if err != nil {
		return err
	}

	// Two months of prompts, each answered two hours later.
	cat := themes.Default()
	used := map[string]int{}
	end := month.End(loc)
	for sub.NextSlot.Before(end) {
		slot := sub.NextSlot
		clock.Set(slot)
		if _, err := db.ClaimDue(ctx, slot, 1, func(s steady.Subscriber, last string) (steady.Delivery, time.Time, error) {
			p := cat.Next(last, s.ID)
			return steady.Delivery{SubscriberID: s.ID, Kind: steady.KindPrompt, Channel: s.Channel, Slot: s.NextSlot,
				PromptID: p.ID, Theme: p.Theme, PromptText: p.Text}, s.Schedule.Next(s.NextSlot, loc), nil
		}); err != nil {
			return err
		}
		ds, err := db.Deliveries(ctx, sub.ID)
		if err != nil {
			return err
		}
		d := ds[len(ds)-1]
		text := demoReply(cat, d, used)
		if _, _, err := db.RecordReply(ctx, steady.Reply{SubscriberID: sub.ID, DeliveryID: d.ID, Channel: steady.ChannelWeb,
			Body: text, ReceivedAt: slot.Add(2 * time.Hour), SourceID: fmt.Sprintf("demo-%d", d.ID)}); err != nil {
			return err
		}
		if sub, err = db.Subscriber(ctx, sub.ID); err != nil {
			return err
		}
	}

	// The monthly run, on the 1st at the subscriber's usual time.
	runAt := time.Date(end.Year(), end.Month(), 1, sched.Hour, sched.Minute, 0, 0, loc)
	clock.Set(runAt)
	lk, err := links.New("http://127.0.0.1:8080", defaultFrom, []byte("steady-demo-signing-key"), clock)
	if err != nil {
		return err
	}
	svc, err := summary.New(summary.Config{Store: db, Sender: messages.NewPreviewSender(db, clock), Links: lk, Clock: clock,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	if err := svc.RunOnce(ctx, runAt); err != nil {
		return err
	}
	rec, err := db.SummaryFor(ctx, sub.ID, month.String())
	if err != nil {
		return fmt.Errorf("demo: no summary was sent: %w", err)
	}
	previews, err := db.Previews(ctx, 100)
	if err != nil {
		return err
	}
	var mail *steady.PreviewMessage
	for i := range previews {
		if strings.HasPrefix(previews[i].Subject, "Your Steady summary") {
			mail = &previews[i]
		}
	}
	if mail == nil {
		return fmt.Errorf("demo: summary %d (%s) has no preview", rec.ID, rec.Status)
	}
	// The preview outbox keeps no attachments; redraw the chart from the
	// stored data and inline it, so the file opens anywhere.
	d, err := svc.BuildFor(ctx, sub, month)
	if err != nil {
		return err
	}
	png, err := summary.Chart(d)
	if err != nil {
		return err
	}
	html := strings.Replace(mail.HTML, "cid:"+summary.ChartContentID, "data:image/png;base64,"+base64.StdEncoding.EncodeToString(png), 1)
	out := filepath.Join(os.TempDir(), "steady-demo-summary-"+month.String()+".html")
	if err := os.WriteFile(out, []byte(html), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Simulated %s: one subscriber (%s, %s), %d prompts answered over two months.\n\n",
		month.Title(), loc, sched.Describe(), len(mustLen(db.Replies(ctx, sub.ID))))
	fmt.Fprintf(e.stdout, "Subject: %s\n\n%s\n", mail.Subject, mail.Text)
	fmt.Fprintf(e.stdout, "HTML summary (with its chart): %s\n", out)
	return nil
}

func mustLen(rs []steady.Reply, _ error) []steady.Reply { return rs }
