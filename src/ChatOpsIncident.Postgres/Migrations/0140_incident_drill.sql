-- Drills ("game day" rehearsals, `declare drill …` or Sandbox:Drill): set at the declaration and never changed; every
-- metric (the reports page, /api/metrics, the open-incidents gauge) leaves them out.
ALTER TABLE chatops.incidents ADD COLUMN IF NOT EXISTS drill boolean NOT NULL DEFAULT false;
