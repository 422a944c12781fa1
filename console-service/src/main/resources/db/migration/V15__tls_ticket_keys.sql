-- TLS session ticket keys of the agent plane, shared by every console instance (owned by
-- sessiontickets.TicketKeyStore), so a sensor that reconnects to any instance, or to one that
-- restarted, resumes its TLS session instead of a full handshake. The newest key that every
-- instance has had time to load encrypts new tickets; older ones still decrypt until their tickets
-- have expired, then the row is deleted.
-- name: the 16-byte key name that tickets carry in clear, so the server finds the key;
-- secret_sealed: the HMAC and AES keys (16 bytes each), sealed with the console's master key
-- (secrets.SecretBox, AES-256-GCM, the key name authenticated), so a database dump alone cannot
-- decrypt tickets.
create table tls_ticket_keys (
    name          bytea       primary key check (length(name) = 16),
    created_at    timestamptz not null,
    secret_sealed bytea       not null
);
create index tls_ticket_keys_created_at on tls_ticket_keys (created_at);
