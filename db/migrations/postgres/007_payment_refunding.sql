-- Refunding: a refund decided and recorded before the provider is asked to move the money.
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check
  CHECK (status IN ('Pending', 'Processing', 'Completed', 'Declined', 'Refunding', 'Refunded', 'Failed'));
