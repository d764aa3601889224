SELECT l.uid AS luid, r.uid AS ruid, l.ts_s AS lts, r.ts_s AS rts, l.day AS lday, r.day AS rday,
       l.amount_minor AS lamt, r.amount_minor AS ramt
FROM (SELECT uid, ts_s, day, timed, amount_minor, currency FROM open_records WHERE side = 'L' AND ts_s IS NOT NULL AND TRUE) l JOIN (SELECT uid, ts_s, day, timed, amount_minor, currency FROM open_records WHERE side = 'R' AND ts_s IS NOT NULL AND TRUE) r ON r.amount_minor = -l.amount_minor AND l.currency = r.currency
WHERE r.day - l.day BETWEEN 0 AND 10 AND (r.day > l.day OR NOT (l.timed AND r.timed) OR r.ts_s >= l.ts_s)
