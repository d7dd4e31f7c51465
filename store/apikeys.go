package store

import (
	"context"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// APIKey is one API key as kept: never the key itself, only its SHA-256
// (see package apikeys).
type APIKey struct {
	ID         int64
	Name       string
	Prefix     string // the key's first characters, to tell keys apart
	Hash       string // hex SHA-256 of the key
	CreatedAt  time.Time
	LastUsedAt time.Time // zero if never used
	RevokedAt  time.Time // zero while the key works
}

type apiKeyRow struct {
	ID         int64   `db:"id"`
	Name       string  `db:"name"`
	Prefix     string  `db:"prefix"`
	Hash       string  `db:"key_hash"`
	CreatedAt  utcTime `db:"created_at"`
	LastUsedAt utcTime `db:"last_used_at"`
	RevokedAt  utcTime `db:"revoked_at"`
}

func (r apiKeyRow) key() APIKey {
	return APIKey{ID: r.ID, Name: r.Name, Prefix: r.Prefix, Hash: r.Hash, CreatedAt: r.CreatedAt.time(),
		LastUsedAt: r.LastUsedAt.time(), RevokedAt: r.RevokedAt.time()}
}

const apiKeyColumns = `id, name, prefix, key_hash, created_at, last_used_at, revoked_at`

// CreateAPIKey records a new key by its name, prefix and hash. A name that
// is taken (revoked keys keep theirs) is an error wrapping
// steady.ErrConflict.
func (db *DB) CreateAPIKey(ctx context.Context, name, prefix, hash string, now time.Time) (APIKey, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return APIKey{}, fmt.Errorf("store: create api key: %w", err)
	}
	defer tx.rollback()
	id, created, err := tx.insertID(ctx, `INSERT INTO api_keys (name, prefix, key_hash, created_at)
		VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`, name, prefix, hash, tx.ts(now))
	if err != nil {
		return APIKey{}, fmt.Errorf("store: create api key: %w", err)
	}
	if !created {
		return APIKey{}, fmt.Errorf("store: create api key: %w: a key named %q exists already (revoked keys keep their names)", steady.ErrConflict, name)
	}
	var r apiKeyRow
	if err := tx.get(ctx, &r, `SELECT `+apiKeyColumns+` FROM api_keys WHERE id = ?`, id); err != nil {
		return APIKey{}, fmt.Errorf("store: create api key: %w", err)
	}
	if err := tx.commit(); err != nil {
		return APIKey{}, fmt.Errorf("store: create api key: %w", err)
	}
	return r.key(), nil
}

// UseAPIKey finds the working (not revoked) key with this hash and sets
// its last_used_at to now. An unknown or revoked key is an error wrapping
// steady.ErrNotFound.
func (db *DB) UseAPIKey(ctx context.Context, hash string, now time.Time) (APIKey, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return APIKey{}, fmt.Errorf("store: use api key: %w", err)
	}
	defer tx.rollback()
	var r apiKeyRow
	if err := tx.get(ctx, &r, `SELECT `+apiKeyColumns+` FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL`, hash); err != nil {
		return APIKey{}, fmt.Errorf("store: use api key: %w", notFound(err))
	}
	if _, err := tx.exec(ctx, `UPDATE api_keys SET last_used_at = ? WHERE id = ?`, tx.ts(now), r.ID); err != nil {
		return APIKey{}, fmt.Errorf("store: use api key: %w", err)
	}
	if err := tx.commit(); err != nil {
		return APIKey{}, fmt.Errorf("store: use api key: %w", err)
	}
	r.LastUsedAt = utcTime(now.UTC().Truncate(time.Microsecond))
	return r.key(), nil
}

// APIKeys lists every key, revoked ones included, oldest first.
func (db *DB) APIKeys(ctx context.Context) ([]APIKey, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: api keys: %w", err)
	}
	defer tx.rollback()
	var rows []apiKeyRow
	if err := tx.sel(ctx, &rows, `SELECT `+apiKeyColumns+` FROM api_keys ORDER BY id`); err != nil {
		return nil, fmt.Errorf("store: api keys: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: api keys: %w", err)
	}
	keys := make([]APIKey, len(rows))
	for i, r := range rows {
		keys[i] = r.key()
	}
	return keys, nil
}

// RevokeAPIKey revokes the key whose name or prefix is nameOrPrefix and
// returns it. Revoking a revoked key changes nothing. No match is an error
// wrapping steady.ErrNotFound; more than one (a prefix shared by several
// keys, or a name that is another key's prefix) wraps steady.ErrConflict.
func (db *DB) RevokeAPIKey(ctx context.Context, nameOrPrefix string, now time.Time) (APIKey, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return APIKey{}, fmt.Errorf("store: revoke api key: %w", err)
	}
	defer tx.rollback()
	var rows []apiKeyRow
	if err := tx.sel(ctx, &rows, `SELECT `+apiKeyColumns+` FROM api_keys WHERE name = ? OR prefix = ?`, nameOrPrefix, nameOrPrefix); err != nil {
		return APIKey{}, fmt.Errorf("store: revoke api key: %w", err)
	}
	switch len(rows) {
	case 0:
		return APIKey{}, fmt.Errorf("store: revoke api key: %w: no key has the name or the prefix %q (give the name, or the whole prefix 'steady api-keys list' shows)", steady.ErrNotFound, nameOrPrefix)
	case 1:
	default:
		return APIKey{}, fmt.Errorf("store: revoke api key: %w: %d keys match %q; give the name", steady.ErrConflict, len(rows), nameOrPrefix)
	}
	r := rows[0]
	if r.RevokedAt.time().IsZero() {
		if _, err := tx.exec(ctx, `UPDATE api_keys SET revoked_at = ? WHERE id = ?`, tx.ts(now), r.ID); err != nil {
			return APIKey{}, fmt.Errorf("store: revoke api key: %w", err)
		}
		r.RevokedAt = utcTime(now.UTC().Truncate(time.Microsecond))
	}
	if err := tx.commit(); err != nil {
		return APIKey{}, fmt.Errorf("store: revoke api key: %w", err)
	}
	return r.key(), nil
}
