-- Transactional outbox: one row per domain event, written in the transaction that changed the
-- aggregate. The relay claims rows by shard (shard_key % N = i) in sequence order.
-- No trigger here: the claim's UPDATE ... OUTPUT without INTO is refused on tables with triggers.
CREATE TABLE dbo.outbox_messages (
  id                uniqueidentifier  NOT NULL,                   -- the event id
  sequence          bigint            IDENTITY(1, 1) NOT NULL,    -- insertion order
  aggregate_type    nvarchar(50)      NOT NULL,
  aggregate_id      nvarchar(100)     NOT NULL,
  aggregate_version int               NOT NULL CONSTRAINT ck_outbox_version CHECK (aggregate_version >= 1),
  event_type        nvarchar(100)     NOT NULL,
  schema_version    int               NOT NULL,
  correlation_id    nvarchar(200)     NULL,
  payload           nvarchar(max)     NOT NULL CONSTRAINT ck_outbox_payload_json CHECK (ISJSON(payload) = 1),
  occurred_at       datetimeoffset(3) NOT NULL,
  created_at        datetimeoffset(3) NOT NULL CONSTRAINT df_outbox_created_at DEFAULT SYSDATETIMEOFFSET(),
  shard_key         int               NOT NULL CONSTRAINT ck_outbox_shard CHECK (shard_key BETWEEN 0 AND 1023),
  claimed_until     datetimeoffset(3) NULL,
  processed_at      datetimeoffset(3) NULL,
  attempts          int               NOT NULL CONSTRAINT df_outbox_attempts DEFAULT 0,
  last_error        nvarchar(4000)    NULL,
  quarantined_at    datetimeoffset(3) NULL,
  -- A random uuid makes a poor clustering key: cluster on the ever-increasing sequence instead.
  CONSTRAINT pk_outbox_messages PRIMARY KEY NONCLUSTERED (id)
);
GO
CREATE UNIQUE CLUSTERED INDEX ux_outbox_sequence ON dbo.outbox_messages (sequence);
GO
CREATE UNIQUE INDEX ux_outbox_aggregate_version
  ON dbo.outbox_messages (aggregate_type, aggregate_id, aggregate_version);
GO
CREATE INDEX ix_outbox_pending
  ON dbo.outbox_messages (sequence) INCLUDE (shard_key, claimed_until)
  WHERE processed_at IS NULL AND quarantined_at IS NULL;
GO
CREATE INDEX ix_outbox_processed ON dbo.outbox_messages (processed_at) WHERE processed_at IS NOT NULL;
GO
CREATE INDEX ix_outbox_quarantined ON dbo.outbox_messages (quarantined_at) WHERE quarantined_at IS NOT NULL;
