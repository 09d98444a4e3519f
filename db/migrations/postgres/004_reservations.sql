-- The Reservation aggregate and its seat claims.
CREATE TABLE reservations (
  id                  varchar(100) NOT NULL PRIMARY KEY,
  showtime_id         varchar(100) NOT NULL REFERENCES showtimes (id),
  customer_id         varchar(100) NOT NULL,
  status              varchar(16)  NOT NULL CHECK (status IN ('Pending', 'Confirmed', 'Cancelled', 'Expired')),
  total_amount_minor  bigint       NOT NULL CHECK (total_amount_minor >= 0),
  currency            varchar(3)   NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  hold_expires_at     timestamptz  NOT NULL,
  created_at          timestamptz  NOT NULL,
  confirmed_at        timestamptz  NULL,
  cancelled_at        timestamptz  NULL,
  cancellation_reason varchar(500) NULL,
  expired_at          timestamptz  NULL,
  version             integer      NOT NULL CHECK (version >= 1),
  updated_at          timestamptz  NOT NULL DEFAULT now()
);

CREATE INDEX ix_reservations_showtime ON reservations (showtime_id);
CREATE INDEX ix_reservations_customer ON reservations (customer_id);
-- Holds that may need expiring.
CREATE INDEX ix_reservations_pending_hold ON reservations (hold_expires_at) WHERE status = 'Pending';

-- One row per seat a reservation claimed. A claim is live until released_at is set (the
-- reservation was cancelled or expired); released claims stay as history.
CREATE TABLE reservation_seats (
  id             bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reservation_id varchar(100) NOT NULL REFERENCES reservations (id),
  showtime_id    varchar(100) NOT NULL REFERENCES showtimes (id),
  auditorium_id  varchar(100) NOT NULL,
  seat_row       integer      NOT NULL,
  seat_number    integer      NOT NULL,
  claimed_at     timestamptz  NOT NULL,
  released_at    timestamptz  NULL,
  -- The seat must exist in the showtime's auditorium (auditorium_id is copied from the showtime).
  CONSTRAINT fk_reservation_seats_seat FOREIGN KEY (auditorium_id, seat_row, seat_number)
    REFERENCES auditorium_seats (auditorium_id, seat_row, seat_number)
);

-- No double booking, enforced by the database: at most one live claim per seat of a showtime.
CREATE UNIQUE INDEX ux_reservation_seats_live
  ON reservation_seats (showtime_id, seat_row, seat_number)
  WHERE released_at IS NULL;

CREATE INDEX ix_reservation_seats_reservation ON reservation_seats (reservation_id);
