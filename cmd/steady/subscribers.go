package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/account"
	"github.com/steadyapp/steady/phones"
	"github.com/steadyapp/steady/store"
)

// subscribersVerb is one verb of `steady subscribers`.
type subscribersVerb struct {
	name, args, summary string
	run                 func(context.Context, env, []string) error
	define              func(*flag.FlagSet) // the verb's own flags, for the help
}

func subscribersVerbs(getenv func(string) string) []subscribersVerb {
	return []subscribersVerb{
		{"list", "", "every subscriber, as a table or JSON", runSubscribersList, func(fs *flag.FlagSet) { defineList(fs) }},
		{"export", "ADDRESS", "everything held about one subscriber, as JSON (their data export)", runSubscribersExport,
			func(fs *flag.FlagSet) { defineRegion(fs, getenv) }},
		{"import", "FILE.csv", "bring an existing list in: every row is checked first (all bad rows reported, nothing written), then each new address gets a confirmation, or with --consented is imported active with its consent evidence",
			runSubscribersImport, func(fs *flag.FlagSet) { defineImport(fs, getenv) }},
		{"delete", "ADDRESS --yes", "erase one subscriber and everything held about them", runSubscribersDelete, func(fs *flag.FlagSet) {
			defineRegion(fs, getenv)
			defineYes(fs)
		}},
	}
}

func runSubscribers(ctx context.Context, e env, args []string) error {
	for _, v := range subscribersVerbs(e.getenv) {
		if len(args) > 0 && args[0] == v.name {
			return v.run(ctx, e, args[1:])
		}
	}
	if len(args) > 0 && isHelp(args[0]) {
		subscribersUsage(e, e.stdout)
		return flag.ErrHelp
	}
	subscribersUsage(e, e.stderr)
	return usageError{"subscribers needs list, export, import or delete"}
}

// subscribersUsage lists the verbs with their flags.
func subscribersUsage(e env, w io.Writer) {
	fmt.Fprintln(w, "Usage: steady subscribers VERB [flags] [ADDRESS]\n\nVerbs:")
	for _, v := range subscribersVerbs(e.getenv) {
		fmt.Fprintf(w, "  %s\n    \t%s\n", strings.TrimSpace(v.name+" "+v.args), v.summary)
	}
	fmt.Fprintln(w, "\nADDRESS is an email address (any case) or a phone number (as typed at sign-up, e.g. (415) 555-0177).")
	fmt.Fprintln(w, "Flags may come before or after ADDRESS.")
	for _, v := range subscribersVerbs(e.getenv) {
		var c Config
		fs := flag.NewFlagSet(v.name, flag.ContinueOnError)
		fs.SetOutput(w)
		bind(fs, e.getenv, []setting{dbSetting(&c)})
		v.define(fs)
		fmt.Fprintf(w, "\nFlags of %s:\n", v.name)
		fs.PrintDefaults()
	}
}

func defineList(fs *flag.FlagSet) *bool {
	return fs.Bool("json", false, "print JSON instead of a table")
}

func defineYes(fs *flag.FlagSet) *bool {
	return fs.Bool("yes", false, "really erase the subscriber, their consent records, deliveries, replies and summaries (their consents and opt-outs are kept under a keyed hash of the address)")
}

// defineRegion adds --sms-region, read as serve reads it, so a number is
// found as it was typed at sign-up.
func defineRegion(fs *flag.FlagSet, getenv func(string) string) *string {
	var c SMSConfig
	for _, s := range smsSettings(&c) {
		if s.flag == "sms-region" {
			bind(fs, getenv, []setting{s})
		}
	}
	return &c.Region
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
		asJSON = defineList(fs)
	})
	if err != nil {
		return err
	}
	defer db.Close()
	// Rows are written as they are read, a page at a time, so a list of a
	// million holds one page in memory, not the whole list.
	if *asJSON {
		return listSubscribersJSON(ctx, db, e.stdout)
	}
	return listSubscribersText(ctx, db, e.stdout)
}

func listed(s steady.Subscriber) listedSubscriber {
	r := listedSubscriber{ID: s.ID, Address: s.Address, Channel: s.Channel, Status: s.Status,
		TimeZone: s.TimeZone, Schedule: s.Schedule.Describe()}
	if !s.NextSlot.IsZero() {
		next := s.NextSlot
		r.NextPromptAt = &next
	}
	return r
}

// listSubscribersJSON writes the same indented array json.Encoder would
// for the whole list, one element at a time.
func listSubscribersJSON(ctx context.Context, db *store.DB, w io.Writer) error {
	bw := bufio.NewWriter(w)
	n := 0
	err := db.EachSubscriber(ctx, 0, func(s steady.Subscriber) error {
		b, err := json.MarshalIndent(listed(s), "  ", "  ")
		if err != nil {
			return err
		}
		sep := ",\n  "
		if n == 0 {
			sep = "[\n  "
		}
		n++
		bw.WriteString(sep)
		_, err = bw.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	if n == 0 {
		bw.WriteString("[]\n")
	} else {
		bw.WriteString("\n]\n")
	}
	return bw.Flush()
}

// listSubscribersText writes the table, its columns aligned within each
// page of store.DefaultSubscriberPage rows (a tabwriter holds what it has
// not flushed).
func listSubscribersText(ctx context.Context, db *store.DB, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tADDRESS\tCHANNEL\tSTATUS\tTIME ZONE\tSCHEDULE\tNEXT PROMPT (LOCAL)")
	var zones steady.Locations
	n := 0
	err := db.EachSubscriber(ctx, store.DefaultSubscriberPage, func(s steady.Subscriber) error {
		r := listed(s)
		next := "-"
		if r.NextPromptAt != nil {
			next = r.NextPromptAt.Format(time.RFC3339)
			if loc, err := zones.Load(r.TimeZone); err == nil {
				next = r.NextPromptAt.In(loc).Format("2006-01-02 15:04 MST")
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Address, r.Channel, r.Status, r.TimeZone, r.Schedule, next)
		if n++; n%store.DefaultSubscriberPage == 0 {
			return tw.Flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(tw, "(no subscribers yet)")
	}
	return tw.Flush()
}

func runSubscribersExport(ctx context.Context, e env, args []string) error {
	var region *string
	db, fs, err := openForCommand(ctx, e, "subscribers export", "ADDRESS", args, 1, func(fs *flag.FlagSet) {
		region = defineRegion(fs, e.getenv)
	})
	if err != nil {
		return err
	}
	defer db.Close()
	sub, err := findSubscriber(ctx, db, fs.Arg(0), *region)
	if err != nil {
		return err
	}
	// The same export a subscriber downloads from their own pages.
	ex, err := account.Export(ctx, db, e.clock.Now(), sub)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(ex)
}

func runSubscribersDelete(ctx context.Context, e env, args []string) error {
	var yes *bool
	var region *string
	db, fs, err := openForCommand(ctx, e, "subscribers delete", "ADDRESS", args, 1, func(fs *flag.FlagSet) {
		region = defineRegion(fs, e.getenv)
		yes = defineYes(fs)
	})
	if err != nil {
		return err
	}
	defer db.Close()
	sub, err := findSubscriber(ctx, db, fs.Arg(0), *region)
	if err != nil {
		return err
	}
	if !*yes {
		return usageError{fmt.Sprintf("this erases subscriber %d and everything about them; run again with --yes", sub.ID)}
	}
	// Their confirmations and opt-outs are kept under a keyed hash of the
	// address, never the address (steady compliance lookup finds them).
	hasher, err := commandHasher(ctx, e, db)
	if err != nil {
		return err
	}
	if err := db.DeleteSubscriber(ctx, sub.ID, hasher); err != nil {
		return err
	}
	// On SQLite the deleted rows are zeroed in the database file, but
	// older copies of their pages stay in the -wal file until it is
	// checkpointed and truncated.
	if err := db.Checkpoint(ctx); err != nil {
		return fmt.Errorf("erased subscriber %d, but copies of their data may remain in the SQLite -wal file "+
			"until it is checkpointed (stop steady serve: the last connection to close does it): %w", sub.ID, err)
	}
	fmt.Fprintf(e.stdout, "Erased subscriber %d and everything held about them, except when they consented and asked to stop, "+
		"kept under a keyed hash of the address (steady compliance lookup).\n", sub.ID)
	return nil
}

// findSubscriber looks an address up on the channel its shape implies,
// normalised as sign-up normalises it: an email address lower-cased, a
// phone number to E.164 with region as the default country. If that finds
// nobody, the address is tried exactly as typed (trimmed): an email address
// whose lower-cased form another subscriber had when migration 0005 ran
// kept its case, and a stored number may no longer pass today's rules.
func findSubscriber(ctx context.Context, db *store.DB, address, region string) (steady.Subscriber, error) {
	ch, typed := steady.ChannelSMS, strings.TrimSpace(address)
	var norm string
	var err error
	if strings.Contains(typed, "@") {
		ch = steady.ChannelEmail
		norm, err = steady.NormalizeEmail(typed)
	} else {
		norm, err = phones.Rules{DefaultRegion: strings.ToUpper(strings.TrimSpace(region))}.Normalize(typed)
	}
	if err != nil {
		norm = typed // not valid today; it may still be stored like this
	}
	sub, err := db.SubscriberByAddress(ctx, ch, norm)
	if errors.Is(err, steady.ErrNotFound) && norm != typed {
		sub, err = db.SubscriberByAddress(ctx, ch, typed)
	}
	if errors.Is(err, steady.ErrNotFound) {
		return steady.Subscriber{}, errors.New("no subscriber with that address")
	}
	return sub, err
}
