package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
)

// ExplainClaimForTest returns PostgreSQL's plans for the claim's three
// statements as a busy server runs them: each prepared once and executed
// many times on one connection, in a transaction set up as ClaimDue's
// (claimSettings). With generic, the plan cache is made to use a generic
// plan instead, as it may once a statement has run five times; that is the
// first-day trap, shown so that the test can be seen to catch it.
func (db *DB) ExplainClaimForTest(ctx context.Context, generic bool) ([]string, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.rollback()
	if err := claimSettings(ctx, tx); err != nil {
		return nil, err
	}
	if generic {
		if _, err := tx.exec(ctx, `SET LOCAL plan_cache_mode = force_generic_plan`); err != nil {
			return nil, err
		}
	}
	stmts := []struct {
		name, sql, args string
	}{
		{"claim_select", db.dialect.claimDue, `now(), 2000`},
		{"claim_insert", postgresClaimInsert, `now(), now(), now(), '{1,2,3}', '{email,email,sms}',
			ARRAY[now(), now(), now()], '{a,b,c}', '{t,t,t}', '{x,y,z}'`},
		{"claim_advance", postgresClaimAdvance, `'{1,2,3}', ARRAY[now(), now(), now()], ARRAY[now(), now(), now()],
			ARRAY[now(), now(), now()], '{a,b,c}', '{1,2,3}'`},
	}
	var plans []string
	for _, s := range stmts {
		if _, err := tx.tx.ExecContext(ctx, "PREPARE "+s.name+" AS "+sqlx.Rebind(sqlx.DOLLAR, s.sql)); err != nil {
			return nil, fmt.Errorf("prepare %s: %w", s.name, err)
		}
		var lines []string
		for range 7 {
			lines = lines[:0]
			if err := tx.tx.SelectContext(ctx, &lines, "EXPLAIN EXECUTE "+s.name+"("+s.args+")"); err != nil {
				return nil, fmt.Errorf("explain %s: %w", s.name, err)
			}
		}
		// Prepared statements outlive the transaction, on its connection.
		if _, err := tx.tx.ExecContext(ctx, "DEALLOCATE "+s.name); err != nil {
			return nil, err
		}
		plans = append(plans, s.name+":\n"+strings.Join(lines, "\n"))
	}
	return plans, nil
}
