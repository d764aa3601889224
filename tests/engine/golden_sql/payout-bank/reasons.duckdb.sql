WITH ends AS (SELECT side, MIN(ts_s) AS t_min, MAX(ts_s) AS t_max FROM work
              WHERE in_scope GROUP BY side)
SELECT u.uid, u.side, u.in_scope,
       CASE WHEN u.side = 'L' THEN CASE WHEN u.in_scope THEN CASE WHEN u.ts_s > o.t_max - 259200 THEN 'timing' WHEN u.ts_s < o.t_min + 0 THEN 'timing' ELSE 'payout_not_received' END ELSE 'out_of_scope' END
            ELSE CASE WHEN u.in_scope THEN CASE WHEN u.ts_s < o.t_min + 259200 THEN 'timing' ELSE 'unknown_credit' END ELSE 'out_of_scope' END END AS reason
FROM unclaimed u LEFT JOIN ends o ON o.side <> u.side
