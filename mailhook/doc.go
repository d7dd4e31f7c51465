// Package mailhook receives emailed replies from the inbound webhooks of
// the mail providers operators already send with: Mailgun routes
// (forward() or store(notify=…)), Postmark inbound and SendGrid Inbound
// Parse. Each handler turns what the provider posted into one raw RFC 5322
// message and hands it to a Receiver (the inbox's intake), the same path
// the IMAP poller and the built-in SMTP receiver take.
//
// # Authentication
//
//   - Mailgun signs every POST: signature = hex(HMAC-SHA256(signing key,
//     timestamp + token)). A bad signature gets 403. A token is accepted
//     once: it is written to the store's inbound_events ledger (a primary
//     key) in the same transaction as whatever the message stores, so a
//     replay is refused (406, which Mailgun does not retry) and a message
//     whose processing failed (503) can still be retried with its token.
//     Mailgun resends a retry with its first signature, and retries for 8
//     hours, so the freshness window (MaxAge, default 9 hours) covers the
//     retry schedule: a 5-minute window would turn every passing failure
//     into a lost reply. Since tokens are remembered for good, the window
//     is defence in depth, not the replay guard. A timestamp more than 5
//     minutes in the future is refused too.
//   - Postmark and SendGrid Inbound Parse sign nothing by default, so
//     their URLs carry HTTP Basic auth credentials
//     (https://user:password@host/inbound/postmark), compared in constant
//     time (both sides hashed first); wrong or missing ones get 401, which
//     both providers retry, so fixing a mistyped password loses nothing.
//     SendGrid's signed webhooks (ECDSA, X-Twilio-Email-Event-Webhook-*)
//     are for the Event Webhook; Inbound Parse has its own "security
//     policies" (ECDSA or OAuth), set up only through SendGrid's API. Basic
//     auth works on every account with no API call, so it is what Steady
//     checks; a security-policy check can be added beside it later.
//     Neither has a token to replay: a replayed POST is filed again and
//     the processor's Message-ID key (or a hash of the whole message when
//     it has none) stores it once.
//
// # What is trusted
//
// The providers add their own verdicts (Mailgun's X-Mailgun-Spf and
// X-Mailgun-Dkim-Check-Result, Postmark's SpamAssassin headers, SendGrid's
// SPF and dkim fields), and the message may carry Authentication-Results
// headers written by anyone on the way. None of them is believed: every
// Authentication-Results header of a message that arrives by webhook is
// renamed X-Untrusted-Authentication-Results before the processor sees
// it, so STEADY_INBOUND_TRUSTED_AUTHSERV (meant for the IMAP mailbox's own
// provider, which adds its header on top) cannot be satisfied by a line a
// sender wrote. A webhook reply is therefore filed only by the token in
// the address it was sent to (the Reply-To of the prompt, which only the
// subscriber got), never by its From or thread headers. The provider's
// envelope recipient is added as X-Original-To, so a reply whose To header
// lost the token address (a Bcc, a forward) still finds it.
//
// # Answers
//
// 200 when the receiver stored or held the message (whatever the outcome:
// nothing is lost once it answers), 400 for a malformed body, 401/403 for
// wrong credentials or signature, 406 for a stale or replayed Mailgun
// request, 413 over the size limit (MaxBytes, default 10 MB), 503 only for
// a failure worth retrying (the database did not answer). Logs name the
// provider, the status and the outcome: never an address, a header or a
// body.
package mailhook
