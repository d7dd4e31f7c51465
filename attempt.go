package steady

import "context"

// attemptKey carries the hook BeginAttempt calls.
type attemptKey struct{}

// WithAttemptHook returns a context whose BeginAttempt calls fn. The
// dispatcher sets it for channels that are not ResendSafe, so that the
// attempt is recorded in the database at the last moment before the
// network write, after any rate-limit wait.
func WithAttemptHook(ctx context.Context, fn func(context.Context) error) context.Context {
	return context.WithValue(ctx, attemptKey{}, fn)
}

// BeginAttempt is called by a sender just before its first network write
// for a message. It runs the context's attempt hook, if any; an error means
// the message must not be sent now (the sender returns it, wrapped).
func BeginAttempt(ctx context.Context) error {
	if fn, ok := ctx.Value(attemptKey{}).(func(context.Context) error); ok && fn != nil {
		return fn(ctx)
	}
	return nil
}
