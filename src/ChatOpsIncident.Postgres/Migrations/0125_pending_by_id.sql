-- Claims walk the queue in id order (ORDER BY id LIMIT n). Without an index of pending rows by id the planner walks
-- the primary key and filters out every done row kept for the retention window: measured 60 ms per claim with 50 000
-- done rows (0.3 ms with this index), under the advisory lock every claim holds, so the whole queue slowed as the
-- done rows grew. The available_at indexes stay for the "leased or backing off" probes.
CREATE INDEX IF NOT EXISTS inbox_pending_id_idx ON chatops.inbox (id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS outbox_pending_id_idx ON chatops.outbox (id) WHERE status = 'pending';
