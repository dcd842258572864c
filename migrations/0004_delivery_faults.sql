-- Delivery that survives provider and configuration faults (issue 11). Schema only, plus no
-- backfill: every new column is NULL for existing rows, and the code reads NULL as "the old way".

-- A random id per edition, made at build time: provider Idempotency-Keys are
-- "<send_id>/<batch>/<part>", so two deployments sharing a provider account, or a database reset,
-- never reuse a key. NULL on editions built before this migration: their units keep the old
-- "edition/<id>/batch/<n>" keys, so a batch in flight is still deduplicated by the provider.
ALTER TABLE editions ADD COLUMN send_id TEXT;

-- When the provider refuses the whole account (401/403, unverified domain, missing key) the
-- edition's sending pauses instead of failing its recipients. `send` (or the sweep) resumes it.
ALTER TABLE fanouts ADD COLUMN paused_at TEXT;
ALTER TABLE fanouts ADD COLUMN pause_reason TEXT;

-- First time (ms since epoch) the row's current Idempotency-Key went to the provider in a call
-- whose outcome is unknown or accepted. The provider forgets keys after 24 hours: rows whose key
-- is older than that (less a margin) are never resent automatically; an operator decides.
-- NULL: the current key never reached the provider with a payload it could have accepted.
ALTER TABLE deliveries ADD COLUMN key_first_used_at INTEGER;

-- The subscriber's never-expiring unsubscribe token, signed once instead of per recipient per
-- send, with the id of the key that signed it (a rotated-out key's tokens are signed again).
ALTER TABLE subscribers ADD COLUMN unsubscribe_token TEXT;
ALTER TABLE subscribers ADD COLUMN unsubscribe_kid TEXT;
-- Frozen into the delivery row at snapshot time, like the address: a retried batch must carry
-- byte-identical links for the provider's Idempotency-Key to deduplicate it.
ALTER TABLE deliveries ADD COLUMN unsubscribe_token TEXT;

-- The sweep's read of paused and stalled fan-outs.
CREATE INDEX fanouts_open ON fanouts (status, updated_at);
