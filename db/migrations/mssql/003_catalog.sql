-- Reference data (movies, auditoriums and their seats) and the Showtime aggregate.
-- Text columns are nvarchar: parameters arrive as nvarchar, and a varchar column compared with an
-- nvarchar parameter is converted row by row, which turns index seeks into scans.
CREATE TABLE dbo.movies (
  id                   nvarchar(100)     NOT NULL CONSTRAINT pk_movies PRIMARY KEY,
  title                nvarchar(200)     NOT NULL,
  running_time_minutes int               NOT NULL CONSTRAINT ck_movies_running_time CHECK (running_time_minutes BETWEEN 1 AND 600),
  rating               nvarchar(16)      NULL,
  created_at           datetimeoffset(3) NOT NULL CONSTRAINT df_movies_created_at DEFAULT SYSDATETIMEOFFSET(),
  updated_at           datetimeoffset(3) NOT NULL CONSTRAINT df_movies_updated_at DEFAULT SYSDATETIMEOFFSET()
);
GO
CREATE TABLE dbo.auditoriums (
  id         nvarchar(100)     NOT NULL CONSTRAINT pk_auditoriums PRIMARY KEY,
  name       nvarchar(100)     NOT NULL CONSTRAINT ux_auditoriums_name UNIQUE,
  created_at datetimeoffset(3) NOT NULL CONSTRAINT df_auditoriums_created_at DEFAULT SYSDATETIMEOFFSET(),
  updated_at datetimeoffset(3) NOT NULL CONSTRAINT df_auditoriums_updated_at DEFAULT SYSDATETIMEOFFSET()
);
GO
-- The seat layout: a row per physical seat; gaps in numbering are aisles.
CREATE TABLE dbo.auditorium_seats (
  auditorium_id nvarchar(100) NOT NULL CONSTRAINT fk_auditorium_seats_auditorium REFERENCES dbo.auditoriums (id),
  seat_row      int           NOT NULL CONSTRAINT ck_auditorium_seats_row CHECK (seat_row BETWEEN 1 AND 999),
  seat_number   int           NOT NULL CONSTRAINT ck_auditorium_seats_number CHECK (seat_number BETWEEN 1 AND 999),
  CONSTRAINT pk_auditorium_seats PRIMARY KEY (auditorium_id, seat_row, seat_number)
);
GO
CREATE TABLE dbo.showtimes (
  id                 nvarchar(100)     NOT NULL CONSTRAINT pk_showtimes PRIMARY KEY,
  movie_id           nvarchar(100)     NOT NULL CONSTRAINT fk_showtimes_movie REFERENCES dbo.movies (id),
  auditorium_id      nvarchar(100)     NOT NULL CONSTRAINT fk_showtimes_auditorium REFERENCES dbo.auditoriums (id),
  starts_at          datetimeoffset(3) NOT NULL,
  ends_at            datetimeoffset(3) NOT NULL,                 -- film end, without cleaning gap
  price_amount_minor bigint            NOT NULL CONSTRAINT ck_showtimes_price CHECK (price_amount_minor > 0),
  currency           nvarchar(3)       NOT NULL CONSTRAINT ck_showtimes_currency CHECK (currency LIKE '[A-Z][A-Z][A-Z]'),
  created_at         datetimeoffset(3) NOT NULL,
  version            int               NOT NULL CONSTRAINT ck_showtimes_version CHECK (version >= 1),
  updated_at         datetimeoffset(3) NOT NULL CONSTRAINT df_showtimes_updated_at DEFAULT SYSDATETIMEOFFSET(),
  CONSTRAINT ck_showtimes_interval CHECK (ends_at > starts_at)
);
GO
CREATE INDEX ix_showtimes_auditorium_starts ON dbo.showtimes (auditorium_id, starts_at);
GO
CREATE INDEX ix_showtimes_movie_starts ON dbo.showtimes (movie_id, starts_at);
