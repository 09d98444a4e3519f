-- The Reservation aggregate and its seat claims.
CREATE TABLE dbo.reservations (
  id                  nvarchar(100)     NOT NULL CONSTRAINT pk_reservations PRIMARY KEY,
  showtime_id         nvarchar(100)     NOT NULL CONSTRAINT fk_reservations_showtime REFERENCES dbo.showtimes (id),
  customer_id         nvarchar(100)     NOT NULL,
  status              nvarchar(16)      NOT NULL CONSTRAINT ck_reservations_status CHECK (status IN (N'Pending', N'Confirmed', N'Cancelled', N'Expired')),
  total_amount_minor  bigint            NOT NULL CONSTRAINT ck_reservations_total CHECK (total_amount_minor >= 0),
  currency            nvarchar(3)       NOT NULL CONSTRAINT ck_reservations_currency CHECK (currency LIKE '[A-Z][A-Z][A-Z]'),
  hold_expires_at     datetimeoffset(3) NOT NULL,
  created_at          datetimeoffset(3) NOT NULL,
  confirmed_at        datetimeoffset(3) NULL,
  cancelled_at        datetimeoffset(3) NULL,
  cancellation_reason nvarchar(500)     NULL,
  expired_at          datetimeoffset(3) NULL,
  version             int               NOT NULL CONSTRAINT ck_reservations_version CHECK (version >= 1),
  updated_at          datetimeoffset(3) NOT NULL CONSTRAINT df_reservations_updated_at DEFAULT SYSDATETIMEOFFSET()
);
GO
CREATE INDEX ix_reservations_showtime ON dbo.reservations (showtime_id);
GO
CREATE INDEX ix_reservations_customer ON dbo.reservations (customer_id);
GO
-- Holds that may need expiring.
CREATE INDEX ix_reservations_pending_hold ON dbo.reservations (hold_expires_at) WHERE status = N'Pending';
GO
-- One row per seat a reservation claimed. A claim is live until released_at is set (the
-- reservation was cancelled or expired); released claims stay as history.
CREATE TABLE dbo.reservation_seats (
  id             bigint            IDENTITY(1, 1) NOT NULL CONSTRAINT pk_reservation_seats PRIMARY KEY,
  reservation_id nvarchar(100)     NOT NULL CONSTRAINT fk_reservation_seats_reservation REFERENCES dbo.reservations (id),
  showtime_id    nvarchar(100)     NOT NULL CONSTRAINT fk_reservation_seats_showtime REFERENCES dbo.showtimes (id),
  auditorium_id  nvarchar(100)     NOT NULL,
  seat_row       int               NOT NULL,
  seat_number    int               NOT NULL,
  claimed_at     datetimeoffset(3) NOT NULL,
  released_at    datetimeoffset(3) NULL,
  -- The seat must exist in the showtime's auditorium (auditorium_id is copied from the showtime).
  CONSTRAINT fk_reservation_seats_seat FOREIGN KEY (auditorium_id, seat_row, seat_number)
    REFERENCES dbo.auditorium_seats (auditorium_id, seat_row, seat_number)
);
GO
-- No double booking, enforced by the database: at most one live claim per seat of a showtime
-- (a filtered unique index; released claims are outside the filter).
CREATE UNIQUE INDEX ux_reservation_seats_live
  ON dbo.reservation_seats (showtime_id, seat_row, seat_number)
  WHERE released_at IS NULL;
GO
CREATE INDEX ix_reservation_seats_reservation ON dbo.reservation_seats (reservation_id);
