-- The acquired company's loyalty database (CONTRACT section 5), applied to database `legacy`.
-- Idempotent: every statement can run again on an existing database.
CREATE SCHEMA IF NOT EXISTS legacy;

CREATE TABLE IF NOT EXISTS legacy.members (
    member_id   bigint PRIMARY KEY,
    email       text,
    full_name   text,
    tier        text,
    new_user_id text NULL,
    updated_at  timestamptz
);

CREATE TABLE IF NOT EXISTS legacy.points_transactions (
    txn_id         bigint PRIMARY KEY,
    member_id      bigint REFERENCES legacy.members,
    points         integer,
    amount         numeric(12,2) NULL,
    txn_type       text,
    source_txn_ref text NULL,
    created_at     timestamptz,
    updated_at     timestamptz
);

-- Updates and deletes must carry the whole old row so the cdc-bridge can compute the old business key.
ALTER TABLE legacy.members REPLICA IDENTITY FULL;
ALTER TABLE legacy.points_transactions REPLICA IDENTITY FULL;
