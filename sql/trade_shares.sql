-- trade_shares.sql - the rows load_trade_dependencies() writes, computed by
-- trade_shares() (src/trade_shares.c, one pass over the flows), against the
-- formula in SQL (a grouping, an ordered string_agg of the products and a
-- window sum per item, as the function computed them before 0.14.0): the
-- same rows, shares with their display scale, notes to the letter.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
RESET client_min_messages;
SET search_path = public, supplychain;

BEGIN;
SELECT trade_flow_year(2019) AS partition;
-- 24 products on three stages: items of one product, items of several
-- (their imports add up), and products that feed two stages
INSERT INTO product (code, name, classification)
SELECT 'ts-' || i, 'product ' || i, 'test' FROM generate_series(1, 24) i;
INSERT INTO product_stage (product, stage, item)
SELECT 'ts-' || i, 'batteries.cells', 'ts-cells-' || (i % 5) FROM generate_series(1, 12) i
UNION ALL
SELECT 'ts-' || i, 'semiconductors.materials', 'ts-' || i FROM generate_series(10, 24) i
UNION ALL
SELECT 'ts-' || i, 'batteries.raw', 'ts-raw' FROM generate_series(20, 24) i;
-- flows of 2019: eight importers (five of them EU members, so that the EU's
-- rows are computed from theirs), ten exporters, values of several scales,
-- zeros now and then (no row for them), a flow missing now and then
SELECT setseed(0.37);
INSERT INTO trade_flow (year, exporter, importer, product, value)
SELECT 2019, e, i, 'ts-' || p,
       CASE WHEN random() < 0.1 THEN 0
            WHEN random() < 0.5 THEN round((random() * 1000)::numeric, 1)
            ELSE round((random() * 1000)::numeric, 3) END
FROM unnest('{DE,FR,IT,NL,PL,US,JP,KR}'::text[]) i
CROSS JOIN unnest('{CN,US,JP,KR,DE,FR,TW,MX,CA,BR}'::text[]) e
CROSS JOIN generate_series(1, 24) p
WHERE e <> i AND random() < 0.8;
-- flows of the EU's own, beside its members': in import_partner a product
-- then comes twice for one partner (the group's row and its own), summed
-- and listed once
INSERT INTO trade_flow (year, exporter, importer, product, value) VALUES
    (2019, 'CN', 'EU', 'ts-1', 7.5), (2019, 'CN', 'EU', 'ts-6', 2), (2019, 'US', 'EU', 'ts-11', 0.25);
SELECT count(*) AS products_twice FROM (
    SELECT importer, partner, product FROM import_partner WHERE year = 2019 AND NOT inside AND value > 0
    GROUP BY importer, partner, product HAVING count(*) > 1) d;

-- the formula in SQL
CREATE TEMP TABLE by_sql AS
SELECT s.stage, s.importer COLLATE "default" AS country, s.partner COLLATE "default" AS supplier, s.item,
       trim_scale(div(s.value * 10000000000::numeric, s.total) / 10000000000::numeric) AS share,
       format('trade_flow %s: %s of %s imported by %s (products %s)', 2019, s.value, s.total, s.importer, s.products) AS note
FROM (SELECT v.*, sum(v.value) OVER (PARTITION BY v.importer, v.stage, v.item) AS total
      FROM (SELECT p.importer, ps.stage, ps.item, p.partner, sum(p.value) AS value,
                   string_agg(DISTINCT p.product, ' ' ORDER BY p.product) AS products
            FROM import_partner p JOIN product_stage ps ON ps.product = p.product
            WHERE p.year = 2019 AND NOT p.inside AND p.value > 0
            GROUP BY p.importer, ps.stage, ps.item, p.partner) v) s;
CREATE TEMP TABLE by_c AS
SELECT * FROM trade_shares('import_partner', 'product_stage', 2019, NULL);

-- what the data covers: every importer and the EU, items of several
-- products, partners of an item with several of them
SELECT count(*) AS rows, count(DISTINCT country) AS importers, count(*) FILTER (WHERE country = 'EU') AS eu_rows,
       count(*) FILTER (WHERE note LIKE '%products % %') AS rows_of_several_products
FROM by_sql;
-- differences: none (shares compared as text: value and display scale)
SELECT count(*) AS differences FROM (
    (SELECT stage, country, supplier, item, share::text, note FROM by_sql
     EXCEPT ALL
     SELECT stage, country, supplier, item, share::text, note FROM by_c)
    UNION ALL
    (SELECT stage, country, supplier, item, share::text, note FROM by_c
     EXCEPT ALL
     SELECT stage, country, supplier, item, share::text, note FROM by_sql)) d;
-- one importer, and a group, alone: the rows of theirs above
CREATE TEMP TABLE by_c_one AS
SELECT * FROM trade_shares('import_partner', 'product_stage', 2019, 'DE')
UNION ALL
SELECT * FROM trade_shares('import_partner', 'product_stage', 2019, 'EU');
SELECT count(*) AS rows_one_importer, count(*) FILTER (WHERE country = 'EU') AS eu_rows FROM by_c_one;
SELECT count(*) AS differences_one_importer FROM (
    (SELECT stage, country, supplier, item, share::text, note FROM by_c_one
     EXCEPT ALL
     SELECT stage, country, supplier, item, share::text, note FROM by_c WHERE country IN ('DE', 'EU'))
    UNION ALL
    (SELECT stage, country, supplier, item, share::text, note FROM by_c WHERE country IN ('DE', 'EU')
     EXCEPT ALL
     SELECT stage, country, supplier, item, share::text, note FROM by_c_one)) d;
-- the EU's own flow of ts-1 from CN, summed with its members' and listed once
SELECT note FROM by_c WHERE country = 'EU' AND supplier = 'CN' AND item = 'ts-cells-1';
-- a row by hand: the shares of one item sum to at most 1, each truncated
SELECT stage, item, count(*) AS partners, sum(share) <= 1 AS at_most_1, max(scale(share)) <= 10 AS truncated
FROM by_c WHERE country = 'US' AND item = 'ts-cells-0' GROUP BY stage, item;
SELECT note FROM by_c WHERE country = 'US' AND item = 'ts-cells-0' AND supplier = 'CN';

-- no flows that year, or no such importer: no rows
SELECT count(*) AS no_flows FROM trade_shares('import_partner', 'product_stage', 2018, NULL);
SELECT count(*) AS no_importer FROM trade_shares('import_partner', 'product_stage', 2019, 'ZZ');
-- NULL tables or year: no rows, as a strict function
SELECT count(*) AS null_year FROM trade_shares('import_partner', 'product_stage', NULL, 'US');
ROLLBACK;

-- the SQLSTATE of a statement that fails (the server's own messages differ
-- between versions)
CREATE FUNCTION pg_temp.sqlstate_of(statement text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END
$$;

-- relations that are not the two it reads: an error, not a crash (the
-- columns missing: 42703; a column of another type)
SELECT pg_temp.sqlstate_of($$SELECT * FROM trade_shares('product_stage', 'import_partner', 2019, 'US')$$) AS missing_columns;
BEGIN;
CREATE TABLE public.ts_partner (importer text, partner text, product text, year integer, value integer, inside boolean);
CREATE TABLE public.ts_stage (product text, stage text, item text);
INSERT INTO public.ts_partner VALUES ('US', 'CN', 'p', 2019, 5, false);
INSERT INTO public.ts_stage VALUES ('p', 'batteries.cells', 'p');
SELECT * FROM trade_shares('public.ts_partner', 'public.ts_stage', 2019, 'US');
ROLLBACK;

-- The plans of the C code are kept by their text, with the types of their
-- parameters: exec_cached(), anyone's to call, preparing the very text
-- trade_shares() runs, with parameters of other types (text[]), does not
-- hand trade_shares() a plan that reads its integer as an array (the
-- backend would crash): trade_shares() gets a plan of its own, here an
-- error (42883: no operator compares an array with its integer), as its
-- relations' columns are arrays.
BEGIN;
CREATE TABLE public.ts_partner (importer text[], partner text[], product text[], year text[], value numeric, inside boolean);
CREATE TABLE public.ts_stage (product text[], stage text[], item text[]);
SELECT * FROM exec_cached('SELECT p.importer COLLATE pg_catalog."default", ps.stage, ps.item,'
    ' p.partner COLLATE pg_catalog."default", p.product::pg_catalog.text, p.value'
    ' FROM public.ts_partner p JOIN public.ts_stage ps ON ps.product OPERATOR(pg_catalog.=) p.product'
    ' WHERE p.year OPERATOR(pg_catalog.=) $1 AND NOT p.inside AND p.value OPERATOR(pg_catalog.>) 0'
    ' AND p.importer OPERATOR(pg_catalog.=) $2'
    ' ORDER BY p.importer, ps.stage, ps.item, p.partner, p.product', '{}', '{}');
SELECT pg_temp.sqlstate_of($$SELECT * FROM trade_shares('public.ts_partner', 'public.ts_stage', 2019, 'US')$$) AS arrays;
ROLLBACK;
SELECT 1 AS still_connected;
