-- Dead letters are counted on every /readyz probe and listed newest first on the admin page: partial indexes keep
-- both to the (few) dead rows instead of a scan of the whole queue, which keeps months of done rows.
CREATE INDEX IF NOT EXISTS inbox_dead_idx ON chatops.inbox (received_at DESC, id DESC) WHERE status = 'dead';
CREATE INDEX IF NOT EXISTS outbox_dead_idx ON chatops.outbox (created_at DESC, id DESC) WHERE status = 'dead';
