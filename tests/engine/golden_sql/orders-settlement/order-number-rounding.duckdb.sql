WITH l AS (SELECT uid, order_ref AS k, kind, amount_minor, currency, ts_s FROM open_records
           WHERE side = 'L' AND order_ref IS NOT NULL AND TRUE),
     r AS (SELECT uid, order_ref AS k, kind, amount_minor, currency, ts_s FROM open_records
           WHERE side = 'R' AND order_ref IS NOT NULL AND TRUE),
     lg AS (SELECT k, currency, SUM(CASE WHEN kind IN ('order') THEN 1 ELSE 0 END) AS na, MIN(uid) AS first, SUM(CASE WHEN kind IN ('order') THEN amount_minor ELSE 0 END) AS a0, SUM(CASE WHEN kind IN ('order_refund') THEN amount_minor ELSE 0 END) AS a1 FROM l GROUP BY k, currency),
     rg AS (SELECT k, currency, COUNT(*) AS na, MIN(uid) AS first, SUM(CASE WHEN kind IN ('payment', 'settlement') THEN amount_minor ELSE 0 END) AS a0, SUM(CASE WHEN kind IN ('refund') THEN amount_minor ELSE 0 END) AS a1 FROM r GROUP BY k, currency),
     g AS (SELECT lg.k, lg.currency, lg.first AS grp FROM lg JOIN rg
           ON lg.k = rg.k AND lg.currency = rg.currency WHERE lg.na >= 1 AND rg.na >= 1 AND lg.na = 1 AND ABS(lg.a0 - rg.a0) <= 5 AND ABS(lg.a1 - rg.a1) <= 0)
SELECT l.uid, g.grp FROM l JOIN g ON l.k = g.k AND l.currency = g.currency
UNION ALL
SELECT r.uid, g.grp FROM r JOIN g ON r.k = g.k AND r.currency = g.currency;

SELECT grp, MIN(currency) AS currency, SUM(CASE WHEN w.side = 'L' AND w.kind IN ('order') THEN w.amount_minor ELSE 0 END) AS l0, SUM(CASE WHEN w.side = 'R' AND w.kind IN ('payment', 'settlement') THEN w.amount_minor ELSE 0 END) AS r0, SUM(CASE WHEN w.side = 'L' AND w.kind IN ('order_refund') THEN w.amount_minor ELSE 0 END) AS l1, SUM(CASE WHEN w.side = 'R' AND w.kind IN ('refund') THEN w.amount_minor ELSE 0 END) AS r1
FROM (SELECT m.grp, w.side, w.kind, w.amount_minor, w.currency
      FROM rule_members m JOIN work w ON w.uid = m.uid) w
GROUP BY grp HAVING (l0 - r0) <> 0 OR (l1 - r1) <> 0
