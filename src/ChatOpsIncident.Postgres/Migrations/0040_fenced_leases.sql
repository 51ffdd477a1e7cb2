-- Fenced leases: each claim writes a fresh token; completing, failing or renewing an item changes the row only
-- while it still holds that token, so a replica whose lease lapsed (slow call, pause) cannot overwrite the replica
-- that took the item over. A claim now counts as an attempt (attempts is incremented at claim).
ALTER TABLE chatops.inbox ADD COLUMN claim_token uuid, ADD COLUMN order_key text;
ALTER TABLE chatops.outbox ADD COLUMN claim_token uuid;

-- Per-channel (outbox) and per-order-key (inbox) order: a claim looks for an older pending row of the same key.
CREATE INDEX outbox_channel_pending_idx ON chatops.outbox (platform, channel_id, id) WHERE status = 'pending';
CREATE INDEX inbox_order_pending_idx ON chatops.inbox (order_key, id) WHERE status = 'pending' AND order_key IS NOT NULL;
