-- Operator-plane certificates uploaded by an administrator: every instance installs the newest.
create table operator_certificates (
    id          bigserial primary key,
    chain_pem   text        not null,
    key_sealed  bytea       not null,
    subject     text        not null,
    not_after   timestamptz not null,
    uploaded_by text        not null,
    uploaded_at timestamptz not null
);
