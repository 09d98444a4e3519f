-- Reporting database (the seed's Master DB): sales and occupancy, fed by the outbox relay.
--
-- Events of different aggregates may arrive in any order (the relay is sharded by aggregate), so
-- each event updates a *fact* row of its own aggregate (version-guarded), and the summaries are
-- recomputed from the facts for every showtime and movie a batch touched. Projecting an event
-- twice is a no-op: processed_events remembers every event id.

CREATE TABLE processed_events (
  event_id     uuid         NOT NULL PRIMARY KEY,
  event_type   varchar(100) NOT NULL,
  aggregate_id varchar(100) NOT NULL,
  processed_at timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE movie_facts (
  movie_id    varchar(100) NOT NULL PRIMARY KEY,
  movie_title varchar(200) NOT NULL
);

CREATE TABLE showtime_facts (
  showtime_id        varchar(100) NOT NULL PRIMARY KEY,
  movie_id           varchar(100) NOT NULL REFERENCES movie_facts (movie_id),
  movie_title        varchar(200) NOT NULL,
  auditorium_id      varchar(100) NOT NULL,
  auditorium_name    varchar(100) NOT NULL,
  capacity           integer      NOT NULL,
  starts_at          timestamptz  NOT NULL,
  price_amount_minor bigint       NOT NULL,
  currency           varchar(3)   NOT NULL
);

CREATE TABLE reservation_facts (
  reservation_id     varchar(100) NOT NULL PRIMARY KEY,
  showtime_id        varchar(100) NOT NULL,
  seat_count         integer      NOT NULL,
  total_amount_minor bigint       NOT NULL,
  currency           varchar(3)   NOT NULL,
  status             varchar(16)  NOT NULL,
  version            integer      NOT NULL
);
CREATE INDEX ix_reservation_facts_showtime ON reservation_facts (showtime_id);

CREATE TABLE payment_facts (
  payment_id            varchar(100) NOT NULL PRIMARY KEY,
  reservation_id        varchar(100) NOT NULL,
  amount_minor          bigint       NOT NULL,
  refunded_amount_minor bigint       NOT NULL DEFAULT 0,
  currency              varchar(3)   NOT NULL,
  status                varchar(16)  NOT NULL,
  version               integer      NOT NULL
);
CREATE INDEX ix_payment_facts_reservation ON payment_facts (reservation_id);

CREATE TABLE ticket_facts (
  ticket_id          varchar(100) NOT NULL PRIMARY KEY,
  reservation_id     varchar(100) NOT NULL,
  showtime_id        varchar(100) NOT NULL,
  seat_count         integer      NOT NULL,
  total_amount_minor bigint       NOT NULL,
  currency           varchar(3)   NOT NULL,
  status             varchar(16)  NOT NULL,
  version            integer      NOT NULL
);
CREATE INDEX ix_ticket_facts_showtime ON ticket_facts (showtime_id);

-- Denormalized summaries. Money in minor units; net = gross - refunded.
CREATE TABLE showtime_sales (
  showtime_id         varchar(100) NOT NULL PRIMARY KEY,
  movie_id            varchar(100) NOT NULL,
  movie_title         varchar(200) NOT NULL,
  auditorium_name     varchar(100) NOT NULL,
  starts_at           timestamptz  NOT NULL,
  capacity            integer      NOT NULL,
  tickets_issued      integer      NOT NULL,
  tickets_refunded    integer      NOT NULL,   -- refunded or voided
  seats_sold          integer      NOT NULL,   -- seats on every ticket ever issued
  seats_refunded      integer      NOT NULL,   -- seats on refunded or voided tickets
  seats_occupied      integer      NOT NULL,   -- sold - refunded
  gross_revenue_minor bigint       NOT NULL,   -- completed payments, refunded ones included
  refunded_minor      bigint       NOT NULL,
  net_revenue_minor   bigint       NOT NULL,
  currency            varchar(3)   NOT NULL,
  updated_at          timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX ix_showtime_sales_movie ON showtime_sales (movie_id);

CREATE TABLE movie_sales (
  movie_id            varchar(100) NOT NULL,
  currency            varchar(3)   NOT NULL,
  movie_title         varchar(200) NOT NULL,
  showtimes           integer      NOT NULL,
  capacity            integer      NOT NULL,
  tickets_issued      integer      NOT NULL,
  tickets_refunded    integer      NOT NULL,
  seats_sold          integer      NOT NULL,
  seats_refunded      integer      NOT NULL,
  seats_occupied      integer      NOT NULL,
  gross_revenue_minor bigint       NOT NULL,
  refunded_minor      bigint       NOT NULL,
  net_revenue_minor   bigint       NOT NULL,
  updated_at          timestamptz  NOT NULL DEFAULT now(),
  PRIMARY KEY (movie_id, currency)
);
