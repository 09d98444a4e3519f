-- Reporting database (the seed's Master DB): sales and occupancy, fed by the outbox relay.
--
-- Events of different aggregates may arrive in any order (the relay is sharded by aggregate), so
-- each event updates a *fact* row of its own aggregate (version-guarded), and the summaries are
-- recomputed from the facts for every showtime and movie a batch touched. Projecting an event
-- twice is a no-op: processed_events remembers every event id.

CREATE TABLE dbo.processed_events (
  event_id     uniqueidentifier  NOT NULL CONSTRAINT pk_processed_events PRIMARY KEY NONCLUSTERED,
  event_type   nvarchar(100)     NOT NULL,
  aggregate_id nvarchar(100)     NOT NULL,
  processed_at datetimeoffset(3) NOT NULL CONSTRAINT df_processed_events_at DEFAULT SYSDATETIMEOFFSET()
);
GO
CREATE TABLE dbo.movie_facts (
  movie_id    nvarchar(100) NOT NULL CONSTRAINT pk_movie_facts PRIMARY KEY,
  movie_title nvarchar(200) NOT NULL
);
GO
CREATE TABLE dbo.showtime_facts (
  showtime_id        nvarchar(100)     NOT NULL CONSTRAINT pk_showtime_facts PRIMARY KEY,
  movie_id           nvarchar(100)     NOT NULL CONSTRAINT fk_showtime_facts_movie REFERENCES dbo.movie_facts (movie_id),
  movie_title        nvarchar(200)     NOT NULL,
  auditorium_id      nvarchar(100)     NOT NULL,
  auditorium_name    nvarchar(100)     NOT NULL,
  capacity           int               NOT NULL,
  starts_at          datetimeoffset(3) NOT NULL,
  price_amount_minor bigint            NOT NULL,
  currency           nvarchar(3)       NOT NULL
);
GO
CREATE TABLE dbo.reservation_facts (
  reservation_id     nvarchar(100) NOT NULL CONSTRAINT pk_reservation_facts PRIMARY KEY,
  showtime_id        nvarchar(100) NOT NULL,
  seat_count         int           NOT NULL,
  total_amount_minor bigint        NOT NULL,
  currency           nvarchar(3)   NOT NULL,
  status             nvarchar(16)  NOT NULL,
  version            int           NOT NULL
);
GO
CREATE INDEX ix_reservation_facts_showtime ON dbo.reservation_facts (showtime_id);
GO
CREATE TABLE dbo.payment_facts (
  payment_id            nvarchar(100) NOT NULL CONSTRAINT pk_payment_facts PRIMARY KEY,
  reservation_id        nvarchar(100) NOT NULL,
  amount_minor          bigint        NOT NULL,
  refunded_amount_minor bigint        NOT NULL CONSTRAINT df_payment_facts_refunded DEFAULT 0,
  currency              nvarchar(3)   NOT NULL,
  status                nvarchar(16)  NOT NULL,
  version               int           NOT NULL
);
GO
CREATE INDEX ix_payment_facts_reservation ON dbo.payment_facts (reservation_id);
GO
CREATE TABLE dbo.ticket_facts (
  ticket_id          nvarchar(100) NOT NULL CONSTRAINT pk_ticket_facts PRIMARY KEY,
  reservation_id     nvarchar(100) NOT NULL,
  showtime_id        nvarchar(100) NOT NULL,
  seat_count         int           NOT NULL,
  total_amount_minor bigint        NOT NULL,
  currency           nvarchar(3)   NOT NULL,
  status             nvarchar(16)  NOT NULL,
  version            int           NOT NULL
);
GO
CREATE INDEX ix_ticket_facts_showtime ON dbo.ticket_facts (showtime_id);
GO
-- Denormalized summaries. Money in minor units; net = gross - refunded.
CREATE TABLE dbo.showtime_sales (
  showtime_id         nvarchar(100)     NOT NULL CONSTRAINT pk_showtime_sales PRIMARY KEY,
  movie_id            nvarchar(100)     NOT NULL,
  movie_title         nvarchar(200)     NOT NULL,
  auditorium_name     nvarchar(100)     NOT NULL,
  starts_at           datetimeoffset(3) NOT NULL,
  capacity            int               NOT NULL,
  tickets_issued      int               NOT NULL,
  tickets_refunded    int               NOT NULL,  -- refunded or voided
  seats_sold          int               NOT NULL,  -- seats on every ticket ever issued
  seats_refunded      int               NOT NULL,  -- seats on refunded or voided tickets
  seats_occupied      int               NOT NULL,  -- sold - refunded
  gross_revenue_minor bigint            NOT NULL,  -- completed payments, refunded ones included
  refunded_minor      bigint            NOT NULL,
  net_revenue_minor   bigint            NOT NULL,
  currency            nvarchar(3)       NOT NULL,
  updated_at          datetimeoffset(3) NOT NULL CONSTRAINT df_showtime_sales_updated_at DEFAULT SYSDATETIMEOFFSET()
);
GO
CREATE INDEX ix_showtime_sales_movie ON dbo.showtime_sales (movie_id);
GO
CREATE TABLE dbo.movie_sales (
  movie_id            nvarchar(100)     NOT NULL,
  currency            nvarchar(3)       NOT NULL,
  movie_title         nvarchar(200)     NOT NULL,
  showtimes           int               NOT NULL,
  capacity            int               NOT NULL,
  tickets_issued      int               NOT NULL,
  tickets_refunded    int               NOT NULL,
  seats_sold          int               NOT NULL,
  seats_refunded      int               NOT NULL,
  seats_occupied      int               NOT NULL,
  gross_revenue_minor bigint            NOT NULL,
  refunded_minor      bigint            NOT NULL,
  net_revenue_minor   bigint            NOT NULL,
  updated_at          datetimeoffset(3) NOT NULL CONSTRAINT df_movie_sales_updated_at DEFAULT SYSDATETIMEOFFSET(),
  CONSTRAINT pk_movie_sales PRIMARY KEY (movie_id, currency)
);
