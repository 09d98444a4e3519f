-- Idempotency of saga activities: the first attempt of (saga, step) stores its result in the same
-- transaction as its business rows; a retry after that commit reads the result instead of acting again.
CREATE TABLE dbo.saga_steps (
  saga_id      nvarchar(200)     NOT NULL,
  step         nvarchar(100)     NOT NULL,
  result       nvarchar(max)     NULL CONSTRAINT ck_saga_steps_result_json CHECK (result IS NULL OR ISJSON(result) = 1),
  started_at   datetimeoffset(3) NOT NULL CONSTRAINT df_saga_steps_started_at DEFAULT SYSDATETIMEOFFSET(),
  completed_at datetimeoffset(3) NULL,
  CONSTRAINT pk_saga_steps PRIMARY KEY (saga_id, step)
);
