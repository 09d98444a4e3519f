-- The Ticket aggregate: denormalized with what is printed on it (the seed's GET /api/tickets shape).
CREATE TABLE dbo.tickets (
  id                 nvarchar(100)     NOT NULL CONSTRAINT pk_tickets PRIMARY KEY,
  ticket_number      nvarchar(32)      NOT NULL CONSTRAINT ux_tickets_ticket_number UNIQUE,
  reservation_id     nvarchar(100)     NOT NULL CONSTRAINT fk_tickets_reservation REFERENCES dbo.reservations (id),
  payment_id         nvarchar(100)     NOT NULL CONSTRAINT fk_tickets_payment REFERENCES dbo.payments (id),
  showtime_id        nvarchar(100)     NOT NULL CONSTRAINT fk_tickets_showtime REFERENCES dbo.showtimes (id),
  customer_id        nvarchar(100)     NOT NULL,
  movie_title        nvarchar(200)     NOT NULL,
  screening_time     datetimeoffset(3) NOT NULL,
  auditorium_name    nvarchar(100)     NOT NULL,
  seats              nvarchar(max)     NOT NULL CONSTRAINT ck_tickets_seats_json CHECK (ISJSON(seats) = 1),
  total_amount_minor bigint            NOT NULL CONSTRAINT ck_tickets_total CHECK (total_amount_minor >= 0),
  currency           nvarchar(3)       NOT NULL CONSTRAINT ck_tickets_currency CHECK (currency LIKE '[A-Z][A-Z][A-Z]'),
  status             nvarchar(16)      NOT NULL CONSTRAINT ck_tickets_status CHECK (status IN (N'Issued', N'Used', N'Voided', N'Refunded')),
  issued_at          datetimeoffset(3) NOT NULL,
  used_at            datetimeoffset(3) NULL,
  voided_at          datetimeoffset(3) NULL,
  void_reason        nvarchar(500)     NULL,
  refunded_at        datetimeoffset(3) NULL,
  refund_reason      nvarchar(500)     NULL,
  version            int               NOT NULL CONSTRAINT ck_tickets_version CHECK (version >= 1),
  updated_at         datetimeoffset(3) NOT NULL CONSTRAINT df_tickets_updated_at DEFAULT SYSDATETIMEOFFSET(),
  CONSTRAINT ck_tickets_ticket_number CHECK (ticket_number LIKE 'TKT-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]')
);
GO
-- At most one valid (Issued or Used) ticket per reservation.
CREATE UNIQUE INDEX ux_tickets_live_reservation ON dbo.tickets (reservation_id) WHERE status IN (N'Issued', N'Used');
GO
CREATE INDEX ix_tickets_showtime ON dbo.tickets (showtime_id);
