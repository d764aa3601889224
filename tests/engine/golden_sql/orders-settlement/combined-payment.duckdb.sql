WITH l AS (SELECT uid, batch_ref AS k, kind, amount_minor, currency, ts_s FROM open_records
           WHERE side = 'L' AND batch_ref IS NOT NULL AND kind IN ('order')),
     r AS (SELECT uid, batch_ref AS k, kind, amount_minor, currency, ts_s FROM open_records
           WHERE side = 'R' AND batch_ref IS NOT NULL AND kind IN ('payment', 'fee', 'refund', 'subsidy')),
     lg AS (SELECT k, currency, SUM(CASE WHEN kind IN ('order') THEN 1 ELSE 0 END) AS na, MIN(uid) AS first, SUM(CASE WHEN kind IN ('order') THEN amount_minor ELSE 0 END) AS a0 FROM l GROUP BY k, currency),
     rg AS (SELECT k, currency, SUM(CASE WHEN kind IN ('payment') THEN 1 ELSE 0 END) AS na, MIN(uid) AS first, SUM(CASE WHEN kind IN ('payment') THEN amount_minor ELSE 0 END) AS a0 FROM r GROUP BY k, currency),
     g AS (SELECT lg.k, lg.currency, lg.first AS grp FROM lg JOIN rg
           ON lg.k = rg.k AND lg.currency = rg.currency WHERE lg.na >= 1 AND rg.na >= 1 AND ABS(lg.a0 - rg.a0) <= 0)
SELECT l.uid, g.grp FROM l JOIN g ON l.k = g.k AND l.currency = g.currency
UNION ALL
SELECT r.uid, g.grp FROM r JOIN g ON r.k = g.k AND r.currency = g.currency
