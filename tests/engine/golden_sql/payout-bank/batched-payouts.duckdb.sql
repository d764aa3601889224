SELECT r.uid AS whole_uid, r.ts_s AS whole_ts, r.amount_minor AS whole_amt,
       l.uid AS part_uid, l.ts_s AS part_ts, l.amount_minor AS part_amt
FROM (SELECT uid, ts_s, day, timed, amount_minor, currency FROM open_records WHERE side = 'L' AND ts_s IS NOT NULL AND TRUE) l JOIN (SELECT uid, ts_s, day, timed, amount_minor, currency FROM open_records WHERE side = 'R' AND ts_s IS NOT NULL AND TRUE) r ON l.currency = r.currency
WHERE r.day - l.day BETWEEN 0 AND 3 AND (r.day > l.day OR NOT (l.timed AND r.timed) OR r.ts_s >= l.ts_s)
  AND SIGN(l.amount_minor) = -SIGN(r.amount_minor) AND l.amount_minor <> 0
  AND ABS(l.amount_minor) < ABS(r.amount_minor)
