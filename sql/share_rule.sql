-- share_rule.sql - the aggregate behind the share rule's check
-- (src/share_rule.c) against the rule's formula in SQL (window functions,
-- as the check computed it before 0.13.0): the same total, display scale
-- included, the same HHI to the last bit, the same first date above 1.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
RESET client_min_messages;
SET search_path = public, supplychain;

-- rows of many keys: up to 6 suppliers, up to 4 dates each (some shared
-- between suppliers), a NULL share now and then, shares of several scales
SELECT setseed(0.19);
CREATE TEMP TABLE r AS
SELECT k, s AS supplier, date '2020-01-01' + (d * 90 + (random() * 2)::integer) AS as_of,
       CASE WHEN random() < 0.1 THEN NULL
            WHEN random() < 0.5 THEN round((random() * 0.4)::numeric, 2)
            ELSE round((random() * 0.4)::numeric, 4) END AS share
FROM generate_series(1, 400) k
CROSS JOIN LATERAL (SELECT chr(65 + i) || chr(65 + (k + i) % 26) AS s FROM generate_series(0, (k % 6)) i) s
CROSS JOIN LATERAL generate_series(0, (k + ascii(s)) % 4) d;
-- (one supplier at most once per date)
DELETE FROM r a USING r b WHERE a.ctid > b.ctid AND (a.k, a.supplier, a.as_of) = (b.k, b.supplier, b.as_of);
SELECT count(*) AS rows, count(DISTINCT k) AS keys, count(*) FILTER (WHERE share IS NULL) AS unknown FROM r;

-- the formula in SQL
CREATE TEMP TABLE by_sql AS
WITH d AS (
    SELECT k, supplier, share, as_of,
           COALESCE(share, 0) - COALESCE(lag(share) OVER w, 0) AS delta,
           lead(as_of) OVER w IS NULL AS latest
    FROM r WINDOW w AS (PARTITION BY k, supplier ORDER BY as_of)
), running AS (
    SELECT k, as_of, sum(delta) OVER (PARTITION BY k ORDER BY as_of) AS total,
           row_number() OVER (PARTITION BY k ORDER BY as_of DESC) AS last
    FROM (SELECT k, as_of, sum(delta) AS delta FROM d GROUP BY k, as_of) p
)
SELECT k, (SELECT total FROM running x WHERE x.k = t.k AND last = 1) AS total,
       (SELECT hhi(share ORDER BY supplier DESC) FROM d WHERE d.k = t.k AND latest) AS hhi,
       (SELECT as_of FROM running x WHERE x.k = t.k AND total > 1 ORDER BY as_of LIMIT 1) AS bad_as_of,
       (SELECT total FROM running x WHERE x.k = t.k AND total > 1 ORDER BY as_of LIMIT 1) AS bad_total
FROM (SELECT DISTINCT k FROM r) t;

-- the aggregate, fed in an order unlike the one it sums in
CREATE TEMP TABLE by_agg AS
SELECT k, (s).* FROM (SELECT k, share_rule(supplier, as_of, share ORDER BY random()) AS s FROM r GROUP BY k) a;

SELECT count(*) AS keys, count(*) FILTER (WHERE bad_as_of IS NOT NULL) AS keys_above_1,
       count(*) FILTER (WHERE hhi IS NULL) AS keys_without_hhi
FROM by_sql;
-- differences: none (the numbers compared as text: value and display scale;
-- the HHI as float8, exactly)
SELECT count(*) AS differences FROM by_sql s FULL JOIN by_agg a USING (k)
WHERE (s.total::text, s.hhi, s.bad_as_of, s.bad_total::text)
      IS DISTINCT FROM (a.total::text, a.hhi, a.bad_as_of, a.bad_total::text);

-- by hand: a supplier's later row replaces its earlier share; a NULL share
-- counts 0 from its date on; two changes on one date are summed before the
-- total is compared with 1
SELECT (share_rule(supplier, as_of, share)).* FROM (VALUES
    ('AA', date '2021-01-01', 0.50), ('BB', date '2021-01-01', 0.25),
    ('AA', date '2022-01-01', 0.70)) v (supplier, as_of, share);
SELECT (share_rule(supplier, as_of, share)).* FROM (VALUES
    ('AA', date '2021-01-01', 0.60), ('BB', date '2021-06-01', 0.60),
    ('AA', date '2022-01-01', NULL)) v (supplier, as_of, share);
SELECT (share_rule(supplier, as_of, share)).* FROM (VALUES
    ('AA', date '2021-01-01', 0.600), ('BB', date '2021-01-01', 0.3),
    ('AA', date '2022-01-01', 0.1), ('BB', date '2022-01-01', 0.95)) v (supplier, as_of, share);
-- only unknown shares: total 0, no HHI
SELECT (share_rule(supplier, as_of, share)).* FROM (VALUES
    ('AA', date '2021-01-01', NULL::numeric)) v (supplier, as_of, share);
-- no rows: NULL
SELECT share_rule(supplier, as_of, share) IS NULL AS no_rows FROM r WHERE false;
-- a row without a supplier or a date is refused
SELECT share_rule(supplier, as_of, share) FROM (VALUES (NULL::text, date '2021-01-01', 0.1)) v (supplier, as_of, share);
