-- case7.sql - the cost of writes, set up in a database of this version and
-- in one of 0.5.0 (bench/run.sh times them alternately): 50,000 dependency
-- rows of 10 countries already there (5,000 share keys of 10 suppliers),
-- then INSERTs of new keys, each in a transaction the driver rolls back.
-- Variables: countries, stages, sectors, existing (rows).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench7 CASCADE;
CREATE SCHEMA bench7;

-- rows of share keys g_lo .. g_hi - 1, 10 suppliers each (as case 4's
-- generator: pure arithmetic on row numbers, shares below 1/10)
CREATE FUNCTION bench7.rows(g_lo bigint, g_hi bigint, n_stage integer, n_country integer, n_sector integer, m integer)
RETURNS TABLE (stage text, country text, supplier text, kind text, item text, share numeric, as_of date)
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'w' || (k.s % n_sector) || '.stage-' || (k.s / n_sector + 1),
           chr(65 + (k.c / 26)::integer) || chr(65 + (k.c % 26)::integer),
           chr(65 + ((k.c + 1 + j) / 26)::integer) || chr(65 + ((k.c + 1 + j) % 26)::integer),
           (ARRAY['supply', 'market', 'talent'])[(g % 3)::integer + 1],
           'item-' || g,
           CASE WHEN (g * m + j) % 20 = 0 THEN NULL ELSE round(((g * m + j) * 7919 % 1000) / (1000.0 * m), 4) END,
           date '2021-06-01'
    FROM generate_series(g_lo, g_hi - 1) g
    CROSS JOIN LATERAL (SELECT g * 7 % n_stage AS s, g * 13 % n_country AS c) k
    CROSS JOIN generate_series(0, m - 1) j
$$;

INSERT INTO supplychain.country (code, name)
SELECT chr(65 + i / 26) || chr(65 + i % 26), 'Generated country ' || i FROM generate_series(0, 39) i
ON CONFLICT DO NOTHING;
INSERT INTO supplychain.sector (code, name) SELECT 'w' || k, 'Write sector ' || k FROM generate_series(0, :sectors - 1) k;
INSERT INTO supplychain.stage (id, sector, position, name)
SELECT 'w' || (s % :sectors) || '.stage-' || (s / :sectors + 1), 'w' || (s % :sectors), s / :sectors + 1, 'Write stage ' || s
FROM generate_series(0, :stages - 1) s;
INSERT INTO supplychain.assessment (stage, country, rating, as_of)
SELECT 'w' || (s % :sectors) || '.stage-' || (s / :sectors + 1), chr(65 + c / 26) || chr(65 + c % 26),
       (1 + (s + c) % 3)::integer::supplychain.stage_rating, '2021-06-01'
FROM generate_series(0, :stages - 1) s, generate_series(0, :countries - 1) c WHERE (s + c) % 4 <> 0;
INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
SELECT * FROM bench7.rows(0, :existing / 10, :stages, :countries, :sectors, 10);
VACUUM ANALYZE supplychain.dependency, supplychain.assessment;

-- n new rows (keys never used before: round r's own range), timed inside
-- the statement's transaction, triggers included.  One row is written as an
-- application writes it, INSERT ... VALUES, its values computed before the
-- clock starts (the generator's own planning is not the write's cost); more
-- rows by INSERT ... SELECT from the generator.
CREATE FUNCTION bench7.insert(n integer, r integer, n_stage integer, n_country integer, n_sector integer)
RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    g_lo constant bigint := 1000000 + r::bigint * 10000;
    v record;
BEGIN
    IF n = 1 THEN
        SELECT * INTO STRICT v FROM bench7.rows(g_lo, g_lo + 1, n_stage, n_country, n_sector, 1);
        t0 := clock_timestamp();
        INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
        VALUES (v.stage, v.country, v.supplier, v.kind, v.item, v.share, v.as_of);
    ELSE
        t0 := clock_timestamp();
        INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
        SELECT * FROM bench7.rows(g_lo, g_lo + greatest(n / 10, 1), n_stage, n_country, n_sector, least(n, 10));
    END IF;
    RETURN 1000 * extract(epoch FROM clock_timestamp() - t0);
END
$$;
