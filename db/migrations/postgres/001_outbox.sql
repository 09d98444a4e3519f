-- Transactional outbox: one row per domain event, written in the transaction that changed the
-- aggregate. The relay claims rows by shard (shard_key % N = i) in sequence order.
CREATE TABLE outbox_messages (
  id                uuid          NOT NULL PRIMARY KEY,           -- the event id
  sequence          bigint        GENERATED ALWAYS AS IDENTITY,   -- insertion order
  aggregate_type    varchar(50)   NOT NULL,
  aggregate_id      varchar(100)  NOT NULL,
  aggregate_version integer       NOT NULL CHECK (aggregate_version >= 1),
  event_type        varchar(100)  NOT NULL,
  schema_version    integer       NOT NULL,
  correlation_id    varchar(200)  NULL,
  payload           jsonb         NOT NULL,                       -- the whole EventEnvelope
  occurred_at       timestamptz   NOT NULL,
  created_at        timestamptz   NOT NULL DEFAULT now(),
  shard_key         integer       NOT NULL CHECK (shard_key BETWEEN 0 AND 1023),
  claimed_until     timestamptz   NULL,                           -- relay lease
  processed_at      timestamptz   NULL,
  attempts          integer       NOT NULL DEFAULT 0,             -- recorded failures
  last_error        text          NULL,
  quarantined_at    timestamptz   NULL,
  CONSTRAINT ux_outbox_sequence UNIQUE (sequence)
);

-- One event per aggregate version: a second writer of the same version fails instead of forking history.
CREATE UNIQUE INDEX ux_outbox_aggregate_version
  ON outbox_messages (aggregate_type, aggregate_id, aggregate_version);

-- The claim query walks this small index of pending rows in sequence order.
CREATE INDEX ix_outbox_pending
  ON outbox_messages (sequence) INCLUDE (shard_key, claimed_until)
  WHERE processed_at IS NULL AND quarantined_at IS NULL;

CREATE INDEX ix_outbox_processed ON outbox_messages (processed_at) WHERE processed_at IS NOT NULL;
CREATE INDEX ix_outbox_quarantined ON outbox_messages (quarantined_at) WHERE quarantined_at IS NOT NULL;

-- Wake LISTENing relays early; delivered at commit, deduplicated per transaction and shard.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', NEW.shard_key::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER trg_outbox_notify AFTER INSERT ON outbox_messages
  FOR EACH ROW EXECUTE FUNCTION outbox_notify();
