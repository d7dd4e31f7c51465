-- Email addresses are one identity whatever their case (steady.NormalizeEmail
-- now lower-cases the whole address, local part included), so the stored
-- ones are lower-cased too, and a sign-up or an export typed in any case
-- finds them.
--
-- An address whose lower-cased form another email subscriber already has,
-- or would also get ("Alice@example.com" beside "alice@example.com" or
-- "ALICE@example.com"), is left exactly as it is: merging two people's
-- consent records, deliveries and replies is not a migration's decision.
-- The operator finds such a row by typing its address exactly
-- (`steady subscribers export`), and may erase the duplicate.
--
-- SQLite's lower() folds ASCII letters only; an address with a non-ASCII
-- capital keeps it (the PostgreSQL migration folds it too).

UPDATE subscribers SET address = lower(address)
WHERE channel = 'email'
  AND address <> lower(address)
  AND NOT EXISTS (
      SELECT 1 FROM subscribers other
      WHERE other.channel = 'email'
        AND other.id <> subscribers.id
        AND lower(other.address) = lower(subscribers.address)
  );
