-- The Ticket aggregate: denormalized with what is printed on it (the seed's GET /api/tickets shape).
CREATE TABLE tickets (
  id                 varchar(100) NOT NULL PRIMARY KEY,
  ticket_number      varchar(32)  NOT NULL,
  reservation_id     varchar(100) NOT NULL REFERENCES reservations (id),
  payment_id         varchar(100) NOT NULL REFERENCES payments (id),
  showtime_id        varchar(100) NOT NULL REFERENCES showtimes (id),
  customer_id        varchar(100) NOT NULL,
  movie_title        varchar(200) NOT NULL,
  screening_time     timestamptz  NOT NULL,
  auditorium_name    varchar(100) NOT NULL,
  seats              jsonb        NOT NULL,                 -- [{ "row": 5, "number": 10 }, ...]
  total_amount_minor bigint       NOT NULL CHECK (total_amount_minor >= 0),
  currency           varchar(3)   NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status             varchar(16)  NOT NULL CHECK (status IN ('Issued', 'Used', 'Voided', 'Refunded')),
  issued_at          timestamptz  NOT NULL,
  used_at            timestamptz  NULL,
  voided_at          timestamptz  NULL,
  void_reason        varchar(500) NULL,
  refunded_at        timestamptz  NULL,
  refund_reason      varchar(500) NULL,
  version            integer      NOT NULL CHECK (version >= 1),
  updated_at         timestamptz  NOT NULL DEFAULT now(),
  CONSTRAINT ux_tickets_ticket_number UNIQUE (ticket_number),
  CONSTRAINT ck_tickets_ticket_number CHECK (ticket_number ~ '^TKT-[0-9]{14}-[0-9]{4}$')
);

-- At most one valid (Issued or Used) ticket per reservation.
CREATE UNIQUE INDEX ux_tickets_live_reservation ON tickets (reservation_id) WHERE status IN ('Issued', 'Used');
CREATE INDEX ix_tickets_showtime ON tickets (showtime_id);
