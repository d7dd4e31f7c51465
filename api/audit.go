package api

import (
	"context"
	"log/slog"
)

// record notes a change made through the API: which key, what, to whom
// (by id; never the address), in the log at info level.
//
// The operator console's audit log (issue 12) is not on main yet; when it
// is, this is where API changes join it.
func (a *API) record(ctx context.Context, action string, attrs ...slog.Attr) {
	attrs = append([]slog.Attr{slog.String("key", callerOf(ctx)), slog.String("action", action)}, attrs...)
	a.log.LogAttrs(ctx, slog.LevelInfo, "api change", attrs...)
}
