package api

import (
	"context"
	"log/slog"
)

// record notes a change made through the API: which key, what, to whom
// (by id; never the address), in the log at info level. The key is
// named, with the prefix `steady api-keys list` shows beside the name.
//
// The operator console's audit log (issue 12) is not on main yet; when it
// is, this is where API changes join it.
func (a *API) record(ctx context.Context, action string, attrs ...slog.Attr) {
	c := callerOf(ctx)
	attrs = append([]slog.Attr{slog.String("key", c.name), slog.String("key_prefix", c.prefix), slog.String("action", action)}, attrs...)
	a.log.LogAttrs(ctx, slog.LevelInfo, "api change", attrs...)
}
