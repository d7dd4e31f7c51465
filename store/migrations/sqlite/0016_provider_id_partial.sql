-- Planning writes every prompt with provider_id '' (issue 14): the id
-- comes only once the provider has taken the message. The one query that
-- looks a delivery up by provider id (a status callback, store/sms.go)
-- asks for a non-empty id, so the index need hold only those; an index of
-- every queued prompt's '' was one more entry to write per prompt for
-- nothing.
DROP INDEX deliveries_provider_id;
CREATE INDEX deliveries_provider_id ON deliveries (provider_id) WHERE provider_id <> '';
