-- SalesDesk schema, version 12: a Customers board column read in its own order.
--
-- A column of the Customers board is the live customers of one status (or tier) in name
-- order, a window of them at a time. `customers_status` was (status, name), not in the
-- board's case-insensitive order, so each window sorted every customer of its status
-- (10k in a 20k-customer book) to show twelve; and nothing served a tier column. These
-- two hold each column in board order, so a window is a walk of a few index entries and
-- a customer's place in its column a count over a range.
DROP INDEX customers_status;
CREATE INDEX customers_board_status ON customers (status, name COLLATE NOCASE, id)
    WHERE deleted_at IS NULL;
CREATE INDEX customers_board_tier ON customers (tier, name COLLATE NOCASE, id)
    WHERE deleted_at IS NULL;
