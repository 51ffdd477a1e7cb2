-- The ASP.NET Core Data Protection key ring, shared by every replica: sign-in cookies and form (antiforgery) tokens
-- issued by one replica are read by another and survive restarts. Rows are the key XML as the framework writes it.
CREATE TABLE IF NOT EXISTS chatops.data_protection_keys (
    id             bigserial PRIMARY KEY,
    friendly_name  text NOT NULL,
    xml            text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
