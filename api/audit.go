package api

import (
	"context"
	"log/slog"
	"strconv"

	"github.com/steadyapp/steady/store"
)

// record notes a change made through the API in the operator audit log
// (the console's, store.RecordAudit) as done by "api:KEYNAME", with the
// console's phrases ("pause", "send again") and targets ("subscriber 42"),
// and in the log at info level with the key's prefix. Never an address.
// The change is made already: a failure to record it is only logged.
func (a *API) record(ctx context.Context, action, target string, attrs ...slog.Attr) {
	c := callerOf(ctx)
	attrs = append([]slog.Attr{slog.String("key", c.name), slog.String("key_prefix", c.prefix),
		slog.String("action", action), slog.String("target", target)}, attrs...)
	a.log.LogAttrs(ctx, slog.LevelInfo, "api change", attrs...)
	if err := a.store.RecordAudit(ctx, store.AuditEntry{Operator: AuditOperator(c.name), Action: action, Target: target, At: a.clock.Now()}); err != nil {
		a.log.WarnContext(ctx, "api: recording an audit entry", "action", action, "err", err)
	}
}

// AuditOperator is who the audit log says made a change with the key
// named name. Console operators' names have no ':' (STEADY_ADMIN_USERS is
// name:hash), so the two never mix.
func AuditOperator(name string) string { return "api:" + name }

func subscriberTarget(id int64) string { return "subscriber " + strconv.FormatInt(id, 10) }

func deliveryTarget(id int64) string { return "delivery " + strconv.FormatInt(id, 10) }
