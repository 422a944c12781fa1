-- Web console sessions: in the shared database so every console instance knows every session.
-- The cookie carries a random id; only its SHA-256 is stored, so a database dump opens no session.
create table web_sessions (
    id_hash      bytea primary key,
    user_id      uuid        not null references users (id) on delete cascade,
    created_at   timestamptz not null,
    last_seen_at timestamptz not null,
    flash        text
);
create index web_sessions_user_idx on web_sessions (user_id);
create index web_sessions_last_seen_idx on web_sessions (last_seen_at);

-- How an operator wants times shown in the web console; null: UTC and the first date format.
alter table users
    add column ui_time_zone   text,
    add column ui_date_format text;
