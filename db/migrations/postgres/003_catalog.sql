-- Reference data (movies, auditoriums and their seats) and the Showtime aggregate.
CREATE TABLE movies (
  id                   varchar(100) NOT NULL PRIMARY KEY,
  title                varchar(200) NOT NULL,
  running_time_minutes integer      NOT NULL CHECK (running_time_minutes BETWEEN 1 AND 600),
  rating               varchar(16)  NULL,
  created_at           timestamptz  NOT NULL DEFAULT now(),
  updated_at           timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE auditoriums (
  id         varchar(100) NOT NULL PRIMARY KEY,
  name       varchar(100) NOT NULL,
  created_at timestamptz  NOT NULL DEFAULT now(),
  updated_at timestamptz  NOT NULL DEFAULT now(),
  CONSTRAINT ux_auditoriums_name UNIQUE (name)
);

-- The seat layout: a row per physical seat; gaps in numbering are aisles.
CREATE TABLE auditorium_seats (
  auditorium_id varchar(100) NOT NULL REFERENCES auditoriums (id),
  seat_row      integer      NOT NULL CHECK (seat_row BETWEEN 1 AND 999),
  seat_number   integer      NOT NULL CHECK (seat_number BETWEEN 1 AND 999),
  PRIMARY KEY (auditorium_id, seat_row, seat_number)
);

CREATE TABLE showtimes (
  id                 varchar(100) NOT NULL PRIMARY KEY,
  movie_id           varchar(100) NOT NULL REFERENCES movies (id),
  auditorium_id      varchar(100) NOT NULL REFERENCES auditoriums (id),
  starts_at          timestamptz  NOT NULL,
  ends_at            timestamptz  NOT NULL,                        -- film end, without cleaning gap
  price_amount_minor bigint       NOT NULL CHECK (price_amount_minor > 0),
  currency           varchar(3)   NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  created_at         timestamptz  NOT NULL,
  version            integer      NOT NULL CHECK (version >= 1),
  updated_at         timestamptz  NOT NULL DEFAULT now(),
  CONSTRAINT ck_showtimes_interval CHECK (ends_at > starts_at)
);

CREATE INDEX ix_showtimes_auditorium_starts ON showtimes (auditorium_id, starts_at);
CREATE INDEX ix_showtimes_movie_starts ON showtimes (movie_id, starts_at);
