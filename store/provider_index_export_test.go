package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
)

// ExplainProviderLookupForTest returns the plan of the status callback's
// lookup by provider id (deliveryByProviderID): SQLite's EXPLAIN QUERY
// PLAN, or PostgreSQL's plan of the statement prepared and run many times
// on one connection, with a generic plan when generic is set (as the plan
// cache may choose after five runs).
func (db *DB) ExplainProviderLookupForTest(ctx context.Context, generic bool) (string, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return "", err
	}
	defer tx.rollback()
	if db.dialect != &postgresDialect {
		var rows []struct {
			ID     int    `db:"id"`
			Parent int    `db:"parent"`
			Unused int    `db:"notused"`
			Detail string `db:"detail"`
		}
		if err := tx.tx.SelectContext(ctx, &rows, "EXPLAIN QUERY PLAN "+deliveryByProviderID, "SM123"); err != nil {
			return "", err
		}
		var lines []string
		for _, r := range rows {
			lines = append(lines, r.Detail)
		}
		return strings.Join(lines, "\n"), nil
	}
	mode := "force_custom_plan"
	if generic {
		mode = "force_generic_plan"
	}
	if _, err := tx.exec(ctx, "SET LOCAL plan_cache_mode = "+mode); err != nil {
		return "", err
	}
	if _, err := tx.tx.ExecContext(ctx, "PREPARE provider_lookup AS "+sqlx.Rebind(sqlx.DOLLAR, deliveryByProviderID)); err != nil {
		return "", fmt.Errorf("prepare: %w", err)
	}
	var lines []string
	for range 7 {
		lines = lines[:0]
		if err := tx.tx.SelectContext(ctx, &lines, "EXPLAIN EXECUTE provider_lookup('SM123')"); err != nil {
			return "", fmt.Errorf("explain: %w", err)
		}
	}
	if _, err := tx.tx.ExecContext(ctx, "DEALLOCATE provider_lookup"); err != nil {
		return "", err
	}
	return strings.Join(lines, "\n"), nil
}
