package store

// sqliteClaimCandidates is claimOnePerSubscriber's candidates: the
// dialect's claimQueued with each one's subscriber; now, limit.
const sqliteClaimCandidates = `SELECT id, subscriber_id FROM deliveries
	WHERE status = 'queued' AND next_attempt_at <= ?
	ORDER BY next_attempt_at, id
	LIMIT ?`

// sqliteCandidate is one element of the JSON array sqliteClaimUpdate reads.
type sqliteCandidate struct {
	ID           int64  `json:"id"`
	SubscriberID int64  `json:"sub"`
	Token        string `json:"token"`
}

// sqliteClaimUpdate claims the first limit of the candidates (a JSON array
// of sqliteCandidate, in order) whose subscriber has no delivery being
// sent, the condition claimQueued's UPDATE has: then limit, the lease end
// and now. It sets what claimQueued's UPDATE sets.
const sqliteClaimUpdate = `WITH v AS (
		SELECT j.value ->> '$.id' AS cid, j.value ->> '$.token' AS ctoken
		FROM json_each(?) AS j
		WHERE NOT EXISTS (SELECT 1 FROM deliveries AS other
			WHERE other.subscriber_id = j.value ->> '$.sub' AND other.status = 'sending')
		ORDER BY j.key
		LIMIT ?)
	UPDATE deliveries SET status = 'sending', lease_until = ?, lease_token = v.ctoken, attempted_at = NULL, updated_at = ?
	FROM v
	WHERE deliveries.id = v.cid
	RETURNING ` + deliveryColumns
