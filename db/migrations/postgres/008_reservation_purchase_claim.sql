-- The purchase saga that took over a hold (POST /api/ticketpurchase with a reservationId): set once,
-- under the row lock, in the saga's ReserveSeats transaction. The hold's own release then leaves
-- the reservation to that purchase.
ALTER TABLE reservations ADD COLUMN purchase_saga_id varchar(200) NULL;
