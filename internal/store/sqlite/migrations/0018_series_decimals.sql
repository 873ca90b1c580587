-- The precision of a series: how many decimals its readings are given with (138.803 m³ has
-- 3), learned from the readings written and used to round its aggregates, so that a year's sum
-- reads 50663.298 and not 50663.297999999995. The series stored before are given 7 (finer
-- than any meter: not rounded), since learning theirs would mean decoding all their readings.
ALTER TABLE series ADD COLUMN decimals INTEGER NOT NULL DEFAULT 7;
