SELECT l.uid AS luid, r.uid AS ruid, l.ts_s AS lts, r.ts_s AS rts, l.day AS lday, r.day AS rday,
       l.amount_minor AS lamt, r.amount_minor AS ramt
FROM (SELECT uid, ts_s, day, timed, amount_minor, currency FROM open_records WHERE side = 'L' AND ts_s IS NOT NULL AND kind IN ('order') AND status IN ('paid', 'shipped', 'completed', 'refunded')) l JOIN (SELECT uid, ts_s, day, timed, amount_minor, currency FROM open_records WHERE side = 'R' AND ts_s IS NOT NULL AND kind IN ('payment') AND order_ref IS NULL AND batch_ref IS NULL) r ON r.amount_minor = l.amount_minor AND l.currency = r.currency
WHERE r.day - l.day BETWEEN 0 AND 15 AND (r.day > l.day OR NOT (l.timed AND r.timed) OR r.ts_s >= l.ts_s)
