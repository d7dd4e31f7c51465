package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/steadyapp/steady/store"
)

// runHeld lets the operator look at inbound mail that was held aside (not
// filed as anyone's reply: no subscriber fits, the sender is not
// authenticated, or it could not be read) and discard it. Held mail goes
// by itself after store.HeldRetention, and with its sender's erasure.
func runHeld(ctx context.Context, e env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "list":
			return runHeldList(ctx, e, args[1:])
		case "show":
			return runHeldShow(ctx, e, args[1:])
		case "delete":
			return runHeldDelete(ctx, e, args[1:])
		}
	}
	w, err := e.stderr, error(usageError{"held needs list, show ID or delete ID"})
	if len(args) > 0 && isHelp(args[0]) {
		w, err = e.stdout, flag.ErrHelp
	}
	heldUsage(w)
	return err
}

func heldUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: steady held list | show ID | delete ID [--db URL]")
	fmt.Fprintln(w, "\nInbound mail held aside rather than filed as a reply: its id, when it came, from where")
	fmt.Fprintln(w, "(smtp, a provider's webhook) and why (unmatched, unauthenticated, rejected). 'show' prints")
	fmt.Fprintln(w, "one message as it arrived (it may be someone's private words: look only to decide what")
	fmt.Fprintln(w, "to do with it); 'delete' discards it. Held mail is removed by itself after")
	fmt.Fprintf(w, "%d days, and when its sender is erased.\n", int(store.HeldRetention/(24*time.Hour)))
}

func runHeldList(ctx context.Context, e env, args []string) error {
	db, _, err := openForCommand(ctx, e, "held list", "", args, 0, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	hs, err := db.HeldMessages(ctx, 1000)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tRECEIVED\tSOURCE\tREASON\tBYTES")
	for _, h := range hs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\n", h.ID, h.ReceivedAt.UTC().Format(time.RFC3339), h.Source, h.Reason, len(h.Raw))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%d held\n", len(hs))
	return nil
}

func heldID(fs *flag.FlagSet) (int64, error) {
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id < 1 {
		return 0, usageError{fmt.Sprintf("%q is not a held message's id (steady held list shows them)", fs.Arg(0))}
	}
	return id, nil
}

func runHeldShow(ctx context.Context, e env, args []string) error {
	db, fs, err := openForCommand(ctx, e, "held show", "ID", args, 1, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	id, err := heldID(fs)
	if err != nil {
		return err
	}
	h, err := db.HeldMessage(ctx, id)
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(h.Raw)
	return err
}

func runHeldDelete(ctx context.Context, e env, args []string) error {
	db, fs, err := openForCommand(ctx, e, "held delete", "ID", args, 1, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	id, err := heldID(fs)
	if err != nil {
		return err
	}
	if err := db.DeleteHeld(ctx, id); err != nil {
		return err
	}
	if db.Dialect() == "sqlite" {
		if err := db.Checkpoint(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "held message %d deleted\n", id)
	return nil
}
