-- The Payment aggregate. Card data is brand + last four digits only: no column can hold a number.
CREATE TABLE payments (
  id                    varchar(100) NOT NULL PRIMARY KEY,
  reservation_id        varchar(100) NOT NULL REFERENCES reservations (id),
  customer_id           varchar(100) NOT NULL,
  amount_minor          bigint       NOT NULL CHECK (amount_minor > 0),
  currency              varchar(3)   NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  method                varchar(20)  NOT NULL
    CHECK (method IN ('CreditCard', 'DebitCard', 'PayPal', 'ApplePay', 'GooglePay', 'BankTransfer')),
  status                varchar(16)  NOT NULL
    CHECK (status IN ('Pending', 'Processing', 'Completed', 'Declined', 'Refunded', 'Failed')),
  card_brand            varchar(16)  NULL CHECK (card_brand IN ('Visa', 'Mastercard', 'Amex', 'Discover', 'Unknown')),
  card_last4            char(4)      NULL CHECK (card_last4 ~ '^[0-9]{4}$'),
  provider_token        varchar(200) NULL,
  transaction_id        varchar(200) NULL,
  failure_reason        varchar(500) NULL,
  created_at            timestamptz  NOT NULL,
  processed_at          timestamptz  NULL,
  refunded_amount_minor bigint       NULL CHECK (refunded_amount_minor >= 0),
  refund_reason         varchar(500) NULL,
  refunded_at           timestamptz  NULL,
  version               integer      NOT NULL CHECK (version >= 1),
  updated_at            timestamptz  NOT NULL DEFAULT now(),
  -- One payment per reservation.
  CONSTRAINT ux_payments_reservation UNIQUE (reservation_id),
  CONSTRAINT ck_payments_card CHECK ((card_brand IS NULL) = (card_last4 IS NULL))
);

CREATE INDEX ix_payments_customer ON payments (customer_id);
