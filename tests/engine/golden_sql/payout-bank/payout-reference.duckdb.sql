WITH l AS (SELECT uid, batch_ref AS k, kind, amount_minor, currency, ts_s, day FROM open_records
           WHERE side = 'L' AND batch_ref IS NOT NULL AND TRUE),
     r AS (SELECT uid, batch_ref AS k, kind, amount_minor, currency, ts_s, day FROM open_records
           WHERE side = 'R' AND batch_ref IS NOT NULL AND TRUE),
     lg AS (SELECT k, currency, COUNT(*) AS na, MIN(uid) AS first, SUM(amount_minor) AS a0 FROM l GROUP BY k, currency),
     rg AS (SELECT k, currency, COUNT(*) AS na, MIN(uid) AS first, SUM(amount_minor) AS r0 FROM r GROUP BY k, currency),
     g AS (SELECT lg.k, lg.currency, lg.first AS grp FROM lg JOIN rg
           ON lg.k = rg.k AND lg.currency = rg.currency WHERE lg.na >= 1 AND rg.na >= 1 AND lg.na = 1 AND rg.na = 1 AND ABS(lg.a0 + rg.r0) <= 0)
SELECT l.uid, g.grp FROM l JOIN g ON l.k = g.k AND l.currency = g.currency
UNION ALL
SELECT r.uid, g.grp FROM r JOIN g ON r.k = g.k AND r.currency = g.currency
