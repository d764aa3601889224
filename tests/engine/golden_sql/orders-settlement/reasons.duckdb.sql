WITH ends AS (SELECT side, MIN(day) AS d_min, MAX(day) AS d_max FROM work
              WHERE in_scope GROUP BY side), ks_order_ref AS (SELECT DISTINCT side, order_ref AS k FROM work WHERE in_scope AND order_ref IN (SELECT order_ref FROM unclaimed WHERE order_ref IS NOT NULL)), ocs AS (SELECT side, ABS(amount_minor) AS a, MIN(currency) AS c1, MAX(currency) AS c2 FROM unclaimed WHERE in_scope GROUP BY side, ABS(amount_minor)),
     each AS (SELECT u.uid, u.side, u.in_scope, u.part_key, u.amount_minor,
                     CASE WHEN u.side = 'L' THEN CASE WHEN u.in_scope THEN CASE WHEN u.status IN ('closed') THEN 'order_closed' WHEN u.status IN ('unpaid') THEN 'unpaid' WHEN ck_order_ref.k IS NOT NULL THEN 'amount_mismatch' WHEN (oc.c1 <> u.currency OR oc.c2 <> u.currency) THEN 'currency_mismatch' WHEN u.day > o.d_max - 10 THEN 'timing' ELSE 'not_settled' END ELSE 'out_of_scope' END
                          ELSE CASE WHEN u.in_scope THEN CASE WHEN ck_order_ref.k IS NOT NULL THEN 'amount_mismatch' WHEN u.kind IN ('payment') AND (oc.c1 <> u.currency OR oc.c2 <> u.currency) THEN 'currency_mismatch' WHEN u.day < o.d_min + 10 THEN 'timing' WHEN u.kind IN ('fee') THEN 'fee_without_order' WHEN u.kind IN ('penalty') THEN 'penalty' WHEN u.kind IN ('subsidy') THEN 'subsidy' ELSE 'no_order' END ELSE CASE WHEN u.kind IN ('payout', 'transfer') THEN 'transfer' WHEN u.kind IN ('deposit') THEN 'reserve_held' ELSE 'out_of_scope' END END END AS reason
              FROM unclaimed u LEFT JOIN ends o ON o.side <> u.side LEFT JOIN ks_order_ref ck_order_ref ON ck_order_ref.side <> u.side AND ck_order_ref.k = u.order_ref LEFT JOIN ocs oc ON oc.side <> u.side AND oc.a = ABS(u.amount_minor)),
     main AS (SELECT part_key, reason FROM (
                SELECT part_key, reason, ROW_NUMBER() OVER (
                    PARTITION BY part_key ORDER BY ABS(amount_minor) DESC, uid) AS n
                FROM each WHERE in_scope AND part_key IS NOT NULL) x
              WHERE n = 1 AND reason = 'timing')
SELECT e.uid, e.side, e.in_scope, CASE WHEN e.in_scope AND m.reason IS NOT NULL THEN m.reason
                                       ELSE e.reason END AS reason
FROM each e LEFT JOIN main m ON e.part_key = m.part_key
