SELECT uid, side, kind, currency, amount_minor, ts_s, day, timed, part_key, batch_ref, CASE WHEN side = 'L' THEN (kind IN ('payout')) ELSE (kind IN ('bank_credit')) END AS in_scope FROM input_entries
