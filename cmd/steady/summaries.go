package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/progress"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/summary"
	"github.com/steadyapp/steady/web"
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
func newSummaries(c Config, db *store.DB, sender summary.Sender, lk *links.Links, clock steady.Clock, logger *slog.Logger, m summary.Metrics) (*summary.Service, *summary.Pages, error) {
	res, err := supportResources(c)
	if err != nil {
		return nil, nil, usageError{err.Error()}
	}
	cfg := summary.Config{Store: db, Sender: sender, Links: lk, Clock: clock, Logger: logger, Country: strings.ToLower(strings.TrimSpace(c.SupportCountry)),
		ProgramName: c.ProgramName, Metrics: m}
	if c.ticksByHand {
		cfg.Interval = neverAgain
	}
	if c.SupportResources != "" {
		cfg.Resources = res // the operator's own, for everyone; else each subscriber's country's
	}
	svc, err := summary.New(cfg)
	if err != nil {
		return nil, nil, err
	}
	return svc, &summary.Pages{Store: db, Links: lk, Renderer: svc.Renderer(), Logger: logger,
		ProgramName: c.ProgramName, LeaveURL: c.LeaveURL}, nil
}

// summariesUsage is the one verb of `steady summaries`, what it does and
// how it is called.
const summariesUsage = `summaries send --month YYYY-MM [--dry-run] [flags]

Sends the month's summary to every active subscriber whose month has ended,
one line per subscriber. A summary already sent is reported, never sent
again; one whose last send failed (nothing was handed over) is sent once
more with --retry-failed. A month that has not ended yet anywhere is refused unless --dry-run;
a subscriber whose own month has not ended yet, or who subscribed after the
month ended, is skipped. Takes the same flags as serve.`

// summariesPage is how many subscribers `summaries send` reads at a time.
const summariesPage = 500

func runSummaries(ctx context.Context, e env, args []string) error {
	var c Config
	var monthFlag *string
	var dryRun *bool
	fs := newFlagSet(e, "summaries send", summariesUsage)
	bind(fs, e.getenv, serveSettings(&c))
	monthFlag = fs.String("month", "", "the month to summarise, e.g. 2026-11 (required)")
	retryFailed := fs.Bool("retry-failed", false, "send once more each summary whose last send failed (the server refused it or could not be reached, so nothing was handed over); never one that was sent or may have been")
	dryRun = fs.Bool("dry-run", false, "build each active subscriber's summary and print the line a real send would print; record and send no summary")
	if len(args) == 0 || args[0] != "send" {
		w := e.stderr
		if len(args) > 0 && isHelp(args[0]) {
			w = e.stdout
		}
		fs.SetOutput(w)
		fmt.Fprintln(w, "Verbs:\n  send    send (or, with --dry-run, build) one month's summaries")
		fmt.Fprintln(w)
		fs.Usage()
		if w == e.stdout {
			return flag.ErrHelp
		}
		return usageError{"summaries needs send"}
	}
	if err := parseFlags(e, fs, args[1:], 0); err != nil {
		return err
	}
	if *monthFlag == "" {
		fs.Usage()
		last := e.clock.Now().UTC().AddDate(0, -1, 0)
		return usageError{fmt.Sprintf("--month is required, e.g. --month %s for last month", last.Format("2006-01"))}
	}
	month, err := summary.ParseMonth(*monthFlag)
	if err != nil {
		return usageError{err.Error()}
	}
	// The month ends first at UTC+14. Before then a real send would record
	// a summary of a month still under way, and that record would stop the
	// proper one being sent once the month is over.
	now := e.clock.Now()
	if end := month.End(time.FixedZone("UTC+14", 14*60*60)); now.Before(end) && !*dryRun {
		return usageError{fmt.Sprintf("%s has not ended yet (it ends first at %s UTC); send its summaries from then on, or use --dry-run to preview them",
			month, end.UTC().Format("2006-01-02 15:04"))}
	}
	if err := c.finishServe(e.getenv, c.Addr); err != nil {
		return usageError{err.Error()}
	}
	logger := newLogger(e.stderr, c.LogLevel, c.LogFormat)
	if err := checkSecretSource(c.Secret, c.exposure()); err != nil {
		return err
	}
	keys, err := loadKeyring(e.getenv, c.EncryptionKeyFile, c.DatabaseURL, c.exposure(), keysServe, now, logger)
	if err != nil {
		return err
	}
	db, err := openMigrated(ctx, c.DatabaseURL, store.WithKeyring(keys))
	if err != nil {
		return err
	}
	defer db.Close()
	secret, err := signingSecret(ctx, db, c.Secret, c.exposure(), logger)
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
	// Active subscribers, a page at a time: never all of them at once.
	total := 0
	counts0, err := db.CountSubscribers(ctx)
	if err != nil {
		return err
	}
	for _, c := range counts0 {
		if c.Status == steady.StatusActive {
			total += c.N
		}
	}
	counts := map[summary.Outcome]int{}
	skipped, failedEarlier := 0, 0
	var failed []error
	// N of M on stderr, the line a subscriber on stdout (above the bar on
	// a terminal).
	pr := progress.New(e.stderr, progress.Options{Label: "summaries " + month.String(), Unit: "subscribers", Now: e.clock.Now})
	defer pr.Finish()
	say := func(format string, args ...any) { pr.Above(func() { fmt.Fprintf(e.stdout, format, args...) }) }
	done := 0
	for after := int64(0); ; {
		page, err := db.SubscribersPage(ctx, steady.StatusActive, after, summariesPage)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		after = page[len(page)-1].ID
		for _, sub := range page {
			if err := ctx.Err(); err != nil {
				return err
			}
			if done > 0 {
				pr.Report(done, max(total, done))
			}
			done++
			if why := notDue(sub, month, now, *dryRun); why != "" {
				skipped++
				say("subscriber %d (%s): skipped: %s: %s\n", sub.ID, sub.Channel, why, month)
				continue
			}
			res, err := svc.Send(ctx, sub, month, *dryRun)
			if err == nil && *retryFailed && !*dryRun && res.Outcome == summary.OutcomeAlready && res.Record.Status == steady.SummaryFailed {
				res, err = svc.Retry(ctx, sub, month)
			}
			if err != nil {
				failed = append(failed, err)
				say("subscriber %d: failed: %v\n", sub.ID, err)
				continue
			}
			if res.Outcome == summary.OutcomeAlready && res.Record.Status == steady.SummaryFailed {
				failedEarlier++
			} else {
				counts[res.Outcome]++
			}
			if res.Outcome == summary.OutcomeSkipped || res.Outcome == summary.OutcomeTooNew || res.Outcome == summary.OutcomeOff {
				skipped++
			}
			outcome := string(res.Outcome)
			switch {
			case res.Outcome == summary.OutcomeAlready && res.Record.Status == steady.SummaryFailed:
				outcome = "failed earlier, not sent again (--retry-failed sends it)"
			case res.Outcome == summary.OutcomeAlready:
				// "sending" means a send was cut short (a crash): it may or may
				// not have arrived, and it is never sent again by itself.
				outcome += fmt.Sprintf(" (status %s)", res.Record.Status)
			}
			say("subscriber %d (%s): %s: %s, %s, %d recurring red flag(s)%s\n", sub.ID, sub.Channel, outcome,
				month, plural(res.Data.Replies, "reply", "replies"), len(res.Data.Recurring), safetyMark(res.Data))
		}
	}
	if done > 0 {
		pr.Report(done, max(total, done))
	}
	pr.Finish()
	fmt.Fprintf(e.stdout, "%s: %d sent, %d already sent, %d dry run, %d failed, %d failed earlier, %d skipped\n", month,
		counts[summary.OutcomeSent], counts[summary.OutcomeAlready], counts[summary.OutcomeDryRun], len(failed), failedEarlier, skipped)
	return errors.Join(failed...)
}

// notDue says why sub gets no summary for month at now, or "" if they may:
// the month ended before they subscribed, or (for a real send) it has not
// ended yet in their own zone.
func notDue(sub steady.Subscriber, month summary.Month, now time.Time, dryRun bool) string {
	loc, err := sub.Location()
	if err != nil {
		return "" // Send reports the bad zone
	}
	end := month.End(loc)
	if !sub.ConfirmedAt.IsZero() && !sub.ConfirmedAt.Before(end) {
		return "the month ended before they subscribed"
	}
	if !dryRun && now.Before(end) {
		return "the month has not ended yet in their time zone"
	}
	return ""
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

// safetyLines are the Staying safe page's resources, with links a phone
// can follow.
func safetyLines(res []summary.Resource) []web.SafetyLine {
	var lines []web.SafetyLine
	for _, r := range res {
		lines = append(lines, web.SafetyLine{Name: r.Name, Contact: r.Contact, Href: summary.ContactURL(r.Contact)})
	}
	return lines
}
