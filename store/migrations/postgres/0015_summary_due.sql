-- The summary job scales with what is due (issue 14).
--
-- subscribers.next_summary_at: when the summary service next looks at the
-- subscriber, the 1st of a month at their usual prompt time in their own
-- zone. The default, 1970, means not yet worked out (every subscriber when
-- this migration runs, and each new one): the service's next pass finds it
-- due, works out the time and stores it, batch by batch. NULL: never looked
-- at by the service.
ALTER TABLE subscribers ADD COLUMN next_summary_at TIMESTAMPTZ DEFAULT '1970-01-01 00:00:00+00';
CREATE INDEX subscribers_next_summary ON subscribers (next_summary_at);

-- replies.flags: the analyser's flags for the reply, worked out when it is
-- recorded: themes and polarities, and where in the body each flag's
-- evidence lies (byte offsets), never the words themselves (the body is
-- sealed). analysis_version is the analyser that wrote them (0: none yet);
-- a reply analysed by another version is analysed again when its month is
-- built. harm: the reply speaks of harm (what the safety note looks for).
ALTER TABLE replies ADD COLUMN flags TEXT NOT NULL DEFAULT '';
ALTER TABLE replies ADD COLUMN analysis_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE replies ADD COLUMN harm BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX replies_subscriber_received ON replies (subscriber_id, received_at);
