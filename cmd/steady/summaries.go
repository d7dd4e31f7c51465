package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/summary"
)

// supportResources is the operator's choice of support resources for safety
// notes and summaries: STEADY_SUPPORT_RESOURCES ("Name: contact; Name:
// contact") wins over STEADY_SUPPORT_COUNTRY (us, uk, au, nz; default us).
func supportResources(c Config) ([]summary.Resource, error) {
	if c.SupportResources != "" {
		var out []summary.Resource
		for _, item := range strings.Split(c.SupportResources, ";") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			name, contact, ok := strings.Cut(item, ":")
			if !ok || strings.TrimSpace(name) == "" || strings.TrimSpace(contact) == "" {
				return nil, fmt.Errorf("STEADY_SUPPORT_RESOURCES: %q: want \"Name: contact\", separated by ';'", item)
			}
			out = append(out, summary.Resource{Name: strings.TrimSpace(name), Contact: strings.TrimSpace(contact)})
		}
		if len(out) == 0 {
			return nil, errors.New("STEADY_SUPPORT_RESOURCES is set but lists nothing")
		}
		return out, nil
	}
	country := strings.ToLower(strings.TrimSpace(c.SupportCountry))
	if country == "" {
		country = "us"
	}
	r, ok := summary.ResourcesFor(country)
	if !ok {
		return nil, fmt.Errorf("--support-country %q: want one of %s, or set STEADY_SUPPORT_RESOURCES", country, strings.Join(summary.Countries(), ", "))
	}
	return r, nil
}

// newSummaries builds the monthly summary service and its web pages.
func newSummaries(c Config, db *store.DB, sender summary.Sender, lk *links.Links, clock steady.Clock, logger *slog.Logger) (*summary.Service, *summary.Pages, error) {
	res, err := supportResources(c)
	if err != nil {
		return nil, nil, usageError{err.Error()}
	}
	svc, err := summary.New(summary.Config{Store: db, Sender: sender, Links: lk, Clock: clock, Logger: logger, Resources: res})
	if err != nil {
		return nil, nil, err
	}
	return svc, &summary.Pages{Store: db, Links: lk, Renderer: svc.Renderer(), Logger: logger}, nil
}

func runSummaries(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "send" {
		fmt.Fprintln(e.stderr, "Usage: steady summaries send --month YYYY-MM [--dry-run] [flags]")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return flag.ErrHelp
		}
		return usageError{"summaries needs send"}
	}
	var c Config
	fs := newFlagSet(e, "summaries send", "summaries send --month YYYY-MM [--dry-run] [flags]")
	bind(fs, e.getenv, serveSettings(&c))
	monthFlag := fs.String("month", "", "the month to summarise, e.g. 2026-11 (required)")
	dryRun := fs.Bool("dry-run", false, "build every summary and print what would be sent; write and send nothing")
	if err := parseFlags(fs, args[1:], 0); err != nil {
		return err
	}
	if *monthFlag == "" {
		fs.Usage()
		return usageError{"--month is required, e.g. --month 2026-11"}
	}
	month, err := summary.ParseMonth(*monthFlag)
	if err != nil {
		return usageError{err.Error()}
	}
	if err := c.finishServe(e.getenv, c.Addr); err != nil {
		return usageError{err.Error()}
	}
	logger := newLogger(e.stderr, c.LogLevel)
	db, err := openMigrated(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	secret, err := signingSecret(ctx, db, c.Secret, logger)
	if err != nil {
		return err
	}
	// Build the parts exactly as serve does (same senders per channel),
	// without starting anything.
	a := &app{cfg: c, logger: logger, db: db}
	if err := a.build(e.clock, secret); err != nil {
		return err
	}
	svc := a.summaries
	subs, err := db.ListSubscribers(ctx)
	if err != nil {
		return err
	}
	counts := map[summary.Outcome]int{}
	var failed []error
	for _, sub := range subs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if sub.Status != steady.StatusActive {
			continue
		}
		res, err := svc.Send(ctx, sub, month, *dryRun)
		if err != nil {
			failed = append(failed, err)
			fmt.Fprintf(e.stdout, "subscriber %d: failed: %v\n", sub.ID, err)
			continue
		}
		counts[res.Outcome]++
		outcome := string(res.Outcome)
		if res.Outcome == summary.OutcomeAlready {
			// "sending" means a send was cut short (a crash): it may or may
			// not have arrived, and it is never sent again by itself.
			outcome += fmt.Sprintf(" (status %s)", res.Record.Status)
		}
		fmt.Fprintf(e.stdout, "subscriber %d (%s): %s: %s, %s, %d recurring red flag(s)%s\n", sub.ID, sub.Channel, outcome,
			month, plural(res.Data.Replies, "reply", "replies"), len(res.Data.Recurring), safetyMark(res.Data))
	}
	fmt.Fprintf(e.stdout, "%s: %d sent, %d already sent, %d dry run, %d failed\n", month,
		counts[summary.OutcomeSent], counts[summary.OutcomeAlready], counts[summary.OutcomeDryRun], len(failed))
	return errors.Join(failed...)
}

func safetyMark(d summary.Data) string {
	if d.Safety != nil {
		return ", support resources included"
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
