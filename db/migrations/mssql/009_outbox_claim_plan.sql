-- PostgreSQL's 009 drops the outbox's second index on sequence so that the claim keeps to the
-- pending rows' index. Here ux_outbox_sequence is the clustered index (the table itself), so it
-- stays; SQL Server's plan for the claim has not been measured (no SQL Server on the machine
-- the PostgreSQL change was measured on). Kept so both dialects number their migrations alike.
SELECT 1;
