-- share_total.sql - how many keys of supplychain.share_total disagree with a
-- sum of known shares computed from supplychain.dependency itself (0 when the
-- triggers kept it right, e.g. after a restore).  The key is share_total's
-- primary key (every version's): with as_of in the key a total is the sum of
-- one date's rows, without it the sum of the current rows (current_dependency).
\set ON_ERROR_STOP 1
SET search_path = pg_catalog;
SELECT format($f$
    SELECT count(*) FROM supplychain.share_total t
    FULL JOIN (SELECT %1$s, sum(share) AS total FROM supplychain.%2$s
               WHERE share IS NOT NULL GROUP BY %1$s) d USING (%1$s)
    WHERE coalesce(t.total, 0) <> coalesce(d.total, 0)$f$,
    string_agg(quote_ident(attname), ', ' ORDER BY attnum),
    CASE WHEN bool_or(attname = 'as_of') THEN 'dependency' ELSE 'current_dependency' END)
FROM pg_attribute
WHERE attrelid = 'supplychain.share_total'::regclass AND attnum > 0 AND NOT attisdropped
  AND attnum = ANY ((SELECT conkey FROM pg_constraint
                     WHERE conrelid = 'supplychain.share_total'::regclass AND contype = 'p')::int2[])
\gexec
