package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

func runSubscribers(ctx context.Context, e env, args []string) error {
	sub := map[string]func(context.Context, env, []string) error{
		"list":   runSubscribersList,
		"export": runSubscribersExport,
		"delete": runSubscribersDelete,
	}
	if len(args) == 0 || sub[args[0]] == nil {
		fmt.Fprintln(e.stderr, "Usage: steady subscribers list [--json] | export ADDRESS | delete ADDRESS --yes")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return flag.ErrHelp
		}
		return usageError{"subscribers needs list, export or delete"}
	}
	return sub[args[0]](ctx, e, args[1:])
}

// listedSubscriber is one row of `steady subscribers list --json`.
type listedSubscriber struct {
	ID           int64          `json:"id"`
	Address      string         `json:"address"`
	Channel      steady.Channel `json:"channel"`
	Status       steady.Status  `json:"status"`
	TimeZone     string         `json:"timezone"`
	Schedule     string         `json:"schedule"`
	NextPromptAt *time.Time     `json:"next_prompt_at"`
}

func runSubscribersList(ctx context.Context, e env, args []string) error {
	var asJSON *bool
	db, _, err := openForCommand(ctx, e, "subscribers list", "", args, 0, func(fs *flag.FlagSet) {
		asJSON = fs.Bool("json", false, "print JSON instead of a table")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	subs, err := db.ListSubscribers(ctx)
	if err != nil {
		return err
	}
	rows := make([]listedSubscriber, 0, len(subs))
	for _, s := range subs {
		r := listedSubscriber{ID: s.ID, Address: s.Address, Channel: s.Channel, Status: s.Status,
			TimeZone: s.TimeZone, Schedule: s.Schedule.Describe()}
		if !s.NextSlot.IsZero() {
			next := s.NextSlot
			r.NextPromptAt = &next
		}
		rows = append(rows, r)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tADDRESS\tCHANNEL\tSTATUS\tTIME ZONE\tSCHEDULE\tNEXT PROMPT (LOCAL)")
	for _, r := range rows {
		next := "-"
		if r.NextPromptAt != nil {
			next = r.NextPromptAt.Format(time.RFC3339)
			if loc, err := steady.LoadLocation(r.TimeZone); err == nil {
				next = r.NextPromptAt.In(loc).Format("2006-01-02 15:04 MST")
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Address, r.Channel, r.Status, r.TimeZone, r.Schedule, next)
	}
	if len(rows) == 0 {
		fmt.Fprintln(tw, "(no subscribers yet)")
	}
	return tw.Flush()
}

func runSubscribersExport(ctx context.Context, e env, args []string) error {
	db, fs, err := openForCommand(ctx, e, "subscribers export", "ADDRESS", args, 1, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	sub, err := findSubscriber(ctx, db, fs.Arg(0))
	if err != nil {
		return err
	}
	consents, err := db.Consents(ctx, sub.ID)
	if err != nil {
		return err
	}
	deliveries, err := db.Deliveries(ctx, sub.ID)
	if err != nil {
		return err
	}
	replies, err := db.Replies(ctx, sub.ID)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(steady.NewExport(e.clock.Now(), sub, consents, deliveries, replies))
}

func runSubscribersDelete(ctx context.Context, e env, args []string) error {
	var yes *bool
	db, fs, err := openForCommand(ctx, e, "subscribers delete", "ADDRESS", args, 1, func(fs *flag.FlagSet) {
		yes = fs.Bool("yes", false, "really erase the subscriber, their consent records, deliveries and replies")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	sub, err := findSubscriber(ctx, db, fs.Arg(0))
	if err != nil {
		return err
	}
	if !*yes {
		return usageError{fmt.Sprintf("this erases subscriber %d and everything about them; run again with --yes", sub.ID)}
	}
	if err := db.DeleteSubscriber(ctx, sub.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Erased subscriber %d and everything held about them.\n", sub.ID)
	return nil
}

// findSubscriber looks an address up on the channel its shape implies.
func findSubscriber(ctx context.Context, db *store.DB, address string) (steady.Subscriber, error) {
	ch, addr := steady.ChannelSMS, strings.TrimSpace(address)
	if strings.Contains(addr, "@") {
		ch = steady.ChannelEmail
		norm, err := steady.NormalizeEmail(addr)
		if err != nil {
			return steady.Subscriber{}, err
		}
		addr = norm
	}
	sub, err := db.SubscriberByAddress(ctx, ch, addr)
	if errors.Is(err, steady.ErrNotFound) {
		return steady.Subscriber{}, fmt.Errorf("no subscriber with that address")
	}
	return sub, err
}
