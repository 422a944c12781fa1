-- Expiry warnings raised (certificates, activation files): the primary key lets exactly one
-- instance raise each warning, with the notification recorded in the same transaction.
create table expiry_warnings (
    object_key      text        not null,  -- 'certificate:<sha256>' or 'activation:<activation file id>'
    threshold       text        not null check (threshold in ('EXPIRING', 'EXPIRED')),
    expires_at      timestamptz not null,
    raised_at       timestamptz not null,
    sensor_id       uuid,                  -- for activation files: whose
    primary key (object_key, threshold)
);
