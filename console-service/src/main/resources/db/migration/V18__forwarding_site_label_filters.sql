-- Forwarding rules filter by site (the site of the notification's zone) and by sensor label
-- ("key=value" or "key"); empty means any, as for the other filters.
alter table forwarding_rules add column site_ids uuid[] not null default '{}';
alter table forwarding_rules add column labels text[] not null default '{}';
