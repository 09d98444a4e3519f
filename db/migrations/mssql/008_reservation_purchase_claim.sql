-- The purchase saga that took over a hold (POST /api/ticketpurchase with a reservationId): set once,
-- under the row lock, in the saga's ReserveSeats transaction. The hold's own release then leaves
-- the reservation to that purchase.
ALTER TABLE dbo.reservations ADD purchase_saga_id nvarchar(200) NULL;
