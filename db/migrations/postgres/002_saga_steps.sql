-- Idempotency of saga activities: the first attempt of (saga, step) stores its result in the same
-- transaction as its business rows; a retry after that commit reads the result instead of acting again.
CREATE TABLE saga_steps (
  saga_id      varchar(200) NOT NULL,
  step         varchar(100) NOT NULL,
  result       jsonb        NULL,        -- NULL only while the first attempt's transaction is open
  started_at   timestamptz  NOT NULL DEFAULT now(),
  completed_at timestamptz  NULL,
  PRIMARY KEY (saga_id, step)
);
