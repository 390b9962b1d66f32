-- A grant's policy (time windows, networks, rate limits, request rules), canonical JSON; NULL = none.
ALTER TABLE grants ADD COLUMN policy VARCHAR(20000);
