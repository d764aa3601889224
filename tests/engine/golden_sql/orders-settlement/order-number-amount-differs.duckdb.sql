WITH l AS (SELECT uid, order_ref AS k, kind, amount_minor, currency, ts_s, day FROM open_records
           WHERE side = 'L' AND order_ref IS NOT NULL AND TRUE),
     r AS (SELECT uid, order_ref AS k, kind, amount_minor, currency, ts_s, day FROM open_records
           WHERE side = 'R' AND order_ref IS NOT NULL AND TRUE),
     lg AS (SELECT k, currency, SUM(CASE WHEN kind IN ('order') THEN 1 ELSE 0 END) AS na, MIN(uid) AS first, SUM(CASE WHEN kind IN ('order') THEN amount_minor ELSE 0 END) AS a0, SUM(CASE WHEN kind IN ('order', 'order_refund') THEN amount_minor ELSE 0 END) AS b0, SUM(CASE WHEN kind IN ('order', 'order_refund') THEN amount_minor ELSE 0 END) AS a1, SUM(CASE WHEN kind IN ('order_refund') THEN 1 ELSE 0 END) AS h1, SUM(CASE WHEN kind IN ('order_refund') THEN amount_minor ELSE 0 END) AS a2, SUM(CASE WHEN kind IN ('order_refund') THEN 1 ELSE 0 END) AS n2, SUM(CASE WHEN kind IN ('order') THEN amount_minor ELSE 0 END) AS a3 FROM l GROUP BY k, currency),
     rg AS (SELECT k, currency, COUNT(*) AS na, MIN(uid) AS first, SUM(CASE WHEN kind IN ('payment', 'settlement') THEN amount_minor ELSE 0 END) AS r0, SUM(CASE WHEN kind IN ('payment', 'settlement', 'refund') THEN amount_minor ELSE 0 END) AS r1, SUM(CASE WHEN kind IN ('refund') THEN amount_minor ELSE 0 END) AS r2, SUM(CASE WHEN kind IN ('refund') THEN amount_minor ELSE 0 END) AS r3 FROM r GROUP BY k, currency),
     g AS (SELECT lg.k, lg.currency, lg.first AS grp FROM lg JOIN rg
           ON lg.k = rg.k AND lg.currency = rg.currency WHERE lg.na >= 1 AND rg.na >= 1 AND lg.na = 1)
SELECT l.uid, g.grp FROM l JOIN g ON l.k = g.k AND l.currency = g.currency
UNION ALL
SELECT r.uid, g.grp FROM r JOIN g ON r.k = g.k AND r.currency = g.currency;

WITH mw AS (SELECT m.grp, w.side, w.kind, w.amount_minor, w.currency
            FROM (SELECT * FROM rule_members WHERE grp IN (SELECT x.grp FROM rule_members x JOIN (SELECT uid FROM work WHERE kind IN ('order', 'order_refund', 'payment', 'refund', 'settlement')) k ON k.uid = x.uid)) m JOIN work w ON w.uid = m.uid),
     lg AS (SELECT grp, MIN(currency) AS currency, SUM(CASE WHEN kind IN ('order') THEN amount_minor ELSE 0 END) AS a0, SUM(CASE WHEN kind IN ('order', 'order_refund') THEN amount_minor ELSE 0 END) AS b0, SUM(CASE WHEN kind IN ('order', 'order_refund') THEN amount_minor ELSE 0 END) AS a1, SUM(CASE WHEN kind IN ('order_refund') THEN 1 ELSE 0 END) AS h1, SUM(CASE WHEN kind IN ('order_refund') THEN amount_minor ELSE 0 END) AS a2, SUM(CASE WHEN kind IN ('order_refund') THEN 1 ELSE 0 END) AS n2, SUM(CASE WHEN kind IN ('order') THEN amount_minor ELSE 0 END) AS a3 FROM mw WHERE side = 'L' GROUP BY grp),
     rg AS (SELECT grp, SUM(CASE WHEN kind IN ('payment', 'settlement') THEN amount_minor ELSE 0 END) AS r0, SUM(CASE WHEN kind IN ('payment', 'settlement', 'refund') THEN amount_minor ELSE 0 END) AS r1, SUM(CASE WHEN kind IN ('refund') THEN amount_minor ELSE 0 END) AS r2, SUM(CASE WHEN kind IN ('refund') THEN amount_minor ELSE 0 END) AS r3 FROM mw WHERE side = 'R' GROUP BY grp)
SELECT lg.*, rg.r0, rg.r1, rg.r2, rg.r3
FROM lg JOIN rg ON lg.grp = rg.grp
WHERE NOT (ABS(lg.a0 - rg.r0) <= 0 OR ABS(lg.b0 - rg.r0) <= 0) OR NOT (NOT (lg.h1 > 0) OR ABS(lg.a1 - rg.r1) <= 0) OR NOT (NOT (lg.n2 = 0) OR ABS(lg.a2 - rg.r2) <= 0) OR NOT ABS(rg.r3) <= ABS(lg.a3) + 0
