-- Refunding: a refund decided and recorded before the provider is asked to move the money.
ALTER TABLE dbo.payments DROP CONSTRAINT ck_payments_status;
GO
ALTER TABLE dbo.payments ADD CONSTRAINT ck_payments_status
  CHECK (status IN (N'Pending', N'Processing', N'Completed', N'Declined', N'Refunding', N'Refunded', N'Failed'));
