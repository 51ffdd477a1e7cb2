-- Who holds a captured message on the timeline (each person's 📌 reaction, the channel pin): the entry is removed
-- only when the last mark goes, so one person taking their 📌 back does not undo everyone else's.
CREATE TABLE IF NOT EXISTS chatops.capture_marks (
    platform    text NOT NULL,
    channel_id  text NOT NULL,
    message_id  text NOT NULL,
    marker      text NOT NULL,
    marked_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, channel_id, message_id, marker)
);
