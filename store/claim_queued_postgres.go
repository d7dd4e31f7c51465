package store

// postgresClaimCandidates is claimOnePerSubscriber's candidates: the
// dialect's claimQueued with each one's subscriber; now, limit.
const postgresClaimCandidates = `SELECT id, subscriber_id FROM deliveries
	WHERE status = 'queued' AND next_attempt_at <= ?
	ORDER BY next_attempt_at, id
	LIMIT ?
	FOR UPDATE SKIP LOCKED`

// postgresClaimUpdate claims the first limit of the candidates (the
// arrays of ids, their subscribers and lease tokens, in order) whose
// subscriber has no delivery being sent, the condition claimQueued's
// UPDATE has: then limit, the lease end, now, and the ids again, so the
// primary key is an index condition whatever the estimate of the unnested
// rows. It sets what claimQueued's UPDATE sets.
const postgresClaimUpdate = `WITH v AS (
		SELECT v.cid, v.ctoken FROM unnest(?::bigint[], ?::bigint[], ?::text[]) WITH ORDINALITY AS v (cid, csub, ctoken, cord)
		WHERE NOT EXISTS (SELECT 1 FROM deliveries AS other
			WHERE other.subscriber_id = v.csub AND other.status = 'sending')
		ORDER BY v.cord
		LIMIT ?)
	UPDATE deliveries SET status = 'sending', lease_until = ?, lease_token = v.ctoken, attempted_at = NULL, updated_at = ?
	FROM v
	WHERE deliveries.id = v.cid AND deliveries.id = ANY(?::bigint[])
	RETURNING ` + deliveryColumns
