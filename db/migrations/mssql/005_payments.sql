-- The Payment aggregate. Card data is brand + last four digits only: no column can hold a number.
CREATE TABLE dbo.payments (
  id                    nvarchar(100)     NOT NULL CONSTRAINT pk_payments PRIMARY KEY,
  reservation_id        nvarchar(100)     NOT NULL CONSTRAINT fk_payments_reservation REFERENCES dbo.reservations (id),
  customer_id           nvarchar(100)     NOT NULL,
  amount_minor          bigint            NOT NULL CONSTRAINT ck_payments_amount CHECK (amount_minor > 0),
  currency              nvarchar(3)       NOT NULL CONSTRAINT ck_payments_currency CHECK (currency LIKE '[A-Z][A-Z][A-Z]'),
  method                nvarchar(20)      NOT NULL CONSTRAINT ck_payments_method
    CHECK (method IN (N'CreditCard', N'DebitCard', N'PayPal', N'ApplePay', N'GooglePay', N'BankTransfer')),
  status                nvarchar(16)      NOT NULL CONSTRAINT ck_payments_status
    CHECK (status IN (N'Pending', N'Processing', N'Completed', N'Declined', N'Refunded', N'Failed')),
  card_brand            nvarchar(16)      NULL CONSTRAINT ck_payments_card_brand
    CHECK (card_brand IN (N'Visa', N'Mastercard', N'Amex', N'Discover', N'Unknown')),
  card_last4            nchar(4)          NULL CONSTRAINT ck_payments_card_last4 CHECK (card_last4 LIKE '[0-9][0-9][0-9][0-9]'),
  provider_token        nvarchar(200)     NULL,
  transaction_id        nvarchar(200)     NULL,
  failure_reason        nvarchar(500)     NULL,
  created_at            datetimeoffset(3) NOT NULL,
  processed_at          datetimeoffset(3) NULL,
  refunded_amount_minor bigint            NULL CONSTRAINT ck_payments_refunded CHECK (refunded_amount_minor >= 0),
  refund_reason         nvarchar(500)     NULL,
  refunded_at           datetimeoffset(3) NULL,
  version               int               NOT NULL CONSTRAINT ck_payments_version CHECK (version >= 1),
  updated_at            datetimeoffset(3) NOT NULL CONSTRAINT df_payments_updated_at DEFAULT SYSDATETIMEOFFSET(),
  -- One payment per reservation.
  CONSTRAINT ux_payments_reservation UNIQUE (reservation_id),
  CONSTRAINT ck_payments_card CHECK ((card_brand IS NULL AND card_last4 IS NULL) OR (card_brand IS NOT NULL AND card_last4 IS NOT NULL))
);
GO
CREATE INDEX ix_payments_customer ON dbo.payments (customer_id);
