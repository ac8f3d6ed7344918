-- gen_exercise.sql - writes, from the catalog, the statements that exercise
-- every member of the extension: each table and view read in full, each
-- function called with sample arguments (schema-qualified and as a user on
-- the search_path would write it), each aggregate, operator and cast, and
-- the types' btree and hash support.  Run with psql -At under a safe
-- search_path; the output is then run under the hostile one.  Arguments come
-- from the samples of their types, or, for a function whose arguments must
-- mean something (a country code, SQL text), from its own line in
-- fn_sample.  A member with an argument type that has no sample, and no line
-- of its own, comes out as "-- MISSING SAMPLE", which security.sh treats as
-- a failure (so a new type or signature is not silently left unexercised).
-- A call that must fail (fn_error: a Citus command without Citus; fn_write:
-- a function that writes a table the role of -v role=NAME may not write)
-- runs in a block that expects exactly its SQLSTATE.
\set ON_ERROR_STOP 1
\set QUIET 1
SET search_path = pg_catalog;

CREATE TEMP TABLE sample (typ regtype, v1 text, v2 text, ret regtype);
INSERT INTO sample VALUES
    ('supplychain.stage_rating', $$'weak'::supplychain.stage_rating$$, $$'satisfactory'::supplychain.stage_rating$$, NULL),
    ('supplychain.impact_score', $$'positive'::supplychain.impact_score$$, $$'very negative'::supplychain.impact_score$$, NULL),
    ('integer', '2', '1', NULL),
    ('bigint', '2::bigint', '1::bigint', NULL),
    ('bigint[]', $$'{0,0}'::bigint[]$$, $$'{1,2}'::bigint[]$$, NULL),
    ('text', $$'sun'::text$$, $$'gear'::text$$, NULL),
    ('double precision', '0.5::double precision', '0.3::double precision', NULL),
    ('numeric', '0.5::numeric', '0.3::numeric', NULL),
    -- a date of the reference data (the *_at functions: history)
    ('date', $$'2021-06-01'::date$$, $$'2024-01-01'::date$$, NULL),
    -- tables of the extension (the Citus helpers; here without Citus)
    ('regclass', $$'supplychain.dependency'::regclass$$, $$'supplychain.share_total'::regclass$$, NULL),
    -- input functions: a valid literal of the type they return
    ('cstring', $$'Very_Weak'::cstring$$, $$'satisfactory'::cstring$$, 'supplychain.stage_rating'),
    ('cstring', $$'☀☀'::cstring$$, $$'-1'::cstring$$, 'supplychain.impact_score');

-- Functions whose arguments are not just any value of their types: the whole
-- argument list, keyed by the signature.  Chosen so that each call does its
-- work (a known supplier and sector, a country with an assessed chain, SQL
-- that returns rows) rather than stop at its argument checks.
CREATE TEMP TABLE fn_sample (fn text PRIMARY KEY, args text NOT NULL);
INSERT INTO fn_sample VALUES
    -- a known supplier country; the whole loss; every sector (NULL), then one
    -- (every depending country, then one)
    ('supplychain.disruption(text,double precision,text,text)',
     $$'CN'::text, 1.0::double precision, NULL::text, NULL::text$$),
    ('supplychain.disruption_rows(text,double precision,text,text)',
     $$'CN'::text, 0.5::double precision, 'batteries'::text, 'US'::text$$),
    ('supplychain.chain_exposure(text,integer,text)', $$'CN'::text, 64, 'US'::text$$),
    -- a country with assessed chains, all sectors
    ('supplychain.heatmap_svg(text,text)', $$'US'::text, NULL::text$$),
    -- two tiny graphs over VALUES (no operator or function to resolve):
    -- mine -> plant -> shop, the mine's output from CN and AU
    ('supplychain.propagate_exposure(text,text,integer)',
     $$$e$SELECT s, c, a FROM (VALUES ('mine'::text, 'plant'::text, 0.5::double precision), ('plant', 'shop', 1.0)) AS e(s, c, a)$e$::text, $o$SELECT n, k, a FROM (VALUES ('mine'::text, 'CN'::text, 0.75::double precision), ('mine', 'AU', 0.25)) AS o(n, k, a)$o$::text, 4$$),
    -- every character it escapes
    ('supplychain.xml_escape(text)', $$'R&D <fab> "x" ''y'''::text$$),
    -- gs, eu, import reliance, end-of-life recycling, substitution
    ('supplychain.eu_supply_risk(double precision,double precision,double precision,double precision,double precision)',
     '2.416::double precision, 1.9::double precision, 0.6::double precision, 0.1::double precision, 0.9::double precision'),
    -- a WGI estimate (-2.5 .. 2.5)
    ('supplychain.wgi_scaled(double precision)', '-0.5::double precision'),
    -- a year and a country: with no trade flows loaded it writes nothing
    ('supplychain.load_trade_dependencies(integer,text)', $$2021, 'US'::text$$),
    -- the rows it computes (reads import_partner and product_stage)
    ('supplychain.trade_shares(regclass,regclass,integer,text)',
     $$'supplychain.import_partner'::regclass, 'supplychain.product_stage'::regclass, 2021, 'US'::text$$),
    -- a year: its partition (empty); the year 2024 reloaded from trade_flow
    -- itself (no flows, or dml.sql's of 2024)
    ('supplychain.trade_flow_year(integer)', '2023'),
    ('supplychain.trade_partition_check(regclass,boolean)', $$'supplychain.dependency'::regclass, true$$),
    ('supplychain.load_trade_flows(integer,regclass)', $$2024, 'supplychain.trade_flow'::regclass$$),
    -- trade totals of a key, from trade_flow; and the same written
    ('supplychain.trade_country_totals(regclass,text[],text[],integer[])',
     $$'supplychain.trade_flow'::regclass, ARRAY['US']::text[], ARRAY['850760']::text[], ARRAY[2021]::integer[]$$),
    ('supplychain.refresh_trade(regclass,text[],text[],integer[])',
     $$'supplychain.trade_flow'::regclass, ARRAY['US']::text[], ARRAY['850760']::text[], ARRAY[2021]::integer[]$$),
    -- a group's totals of a key, from trade_flow and country_group; and the
    -- same written
    ('supplychain.trade_group_totals(regclass,regclass,text[],text[],integer[])',
     $$'supplychain.trade_flow'::regclass, 'supplychain.country_group'::regclass, ARRAY['EU']::text[], ARRAY['850760']::text[], ARRAY[2021]::integer[]$$),
    ('supplychain.refresh_trade_groups(regclass,text[],text[],integer[])',
     $$'supplychain.trade_flow'::regclass, ARRAY['EU']::text[], ARRAY['850760']::text[], ARRAY[2021]::integer[]$$),
    -- a key's row of trade_country_total recomputed from a query of its
    -- fresh rows (the totals of trade_flow; the same write as refresh_trade's)
    ('supplychain.trade_recompute(regclass,name,text,name[],text[],text[],integer[])',
     $$'supplychain.trade_country_total'::regclass, 'country'::name, 'SELECT * FROM supplychain.trade_country_totals(''supplychain.trade_flow'', $1, $2, $3)'::text, '{imports,exports}'::name[], ARRAY['US']::text[], ARRAY['850760']::text[], ARRAY[2021]::integer[]$$),
    -- the loader's scan with a membership (of a table that is not flows:
    -- fn_error)
    ('supplychain.trade_totals_scan(regclass,text[],text[],integer[],integer[])',
     $$'supplychain.dependency'::regclass, ARRAY['EU']::text[], ARRAY['DE']::text[], ARRAY[2000]::integer[], ARRAY[NULL]::integer[]$$),
    -- the places of the state table beside a table (no Citus here: itself)
    ('supplychain.state_places(regclass,regclass)',
     $$'supplychain.country_group'::regclass, 'supplychain.trade_country_group_total'::regclass$$),
    -- the maintained state: pairs and keys with shipped rows (US batteries
    -- cells, supplied by CN), recomputed from the raw rows beside the state
    -- tables themselves (no Citus here); refresh_country both a sector row and
    -- the all-sectors row (sector NULL)
    -- (refresh_state by (country, stage, supplier) keys: the narrow path)
    ('supplychain.refresh_state(regclass,text[],text[],text[])',
     $$'supplychain.stage_state'::regclass, ARRAY['US', 'US']::text[], ARRAY['batteries.cells', 'semiconductors.fabrication']::text[], ARRAY['CN', 'TW']::text[]$$),
    ('supplychain.refresh_country(regclass,text[],text[],text[])',
     $$'supplychain.stage_state'::regclass, ARRAY['US', 'US']::text[], ARRAY['batteries', NULL]::text[], ARRAY['CN', 'CN']::text[]$$),
    ('supplychain.refresh_weights(regclass)', $$'supplychain.stage_state'::regclass$$),
    -- it refuses any table but stage_state (or its Citus shard): 22023
    ('supplychain.rebuild_state_beside(regclass)', $$'supplychain.stage_state'::regclass$$),
    ('supplychain.state_terms(regclass,regclass,regclass,text[],text[],text[])',
     $$'supplychain.dependency'::regclass, 'supplychain.assessment'::regclass, 'supplychain.weight'::regclass, ARRAY['US', 'US']::text[], ARRAY['batteries.cells', 'semiconductors.fabrication']::text[], ARRAY['CN', 'TW']::text[]$$),
    -- parallel arrays of unequal lengths (the short ones pad with NULL)
    ('supplychain.key_rows(text[],text[],text[],text[])',
     $$ARRAY['US', 'KR']::text[], ARRAY['batteries.cells']::text[], ARRAY['x', 'y', 'z']::text[], NULL::text[]$$),
    -- a statement of the triggers' shape, read-only (the reader runs it
    -- too): key_rows() over two parameters joined to a state table, three
    -- text[] columns back.  It is parsed under the caller's search_path, as
    -- any SQL a caller writes, so every name in it is qualified
    -- the early warning: a rule and the values of a measure for keys with
    -- shipped rows; with no rule enabled the writers' calls find nothing to do
    ('supplychain.watch_meets(numeric,text,numeric)', $$0.5::numeric, '>'::text, 0.3::numeric$$),
    ('supplychain.watching(text[])', $$ARRAY['country_risk.risk']::text[]$$),
    ('supplychain.watch_scope(supplychain.watch)',
     $$(SELECT w FROM supplychain.watch w WHERE w.name OPERATOR(pg_catalog.=) 'eu-strategic-dependency'::text)$$),
    ('supplychain.watch_values(text[],text[],text[],text[],integer[])',
     $$ARRAY['stage_risk.hhi', 'stage_risk.risk']::text[], ARRAY['US']::text[], ARRAY['batteries.cells']::text[], NULL::text[], NULL::integer[]$$),
    ('supplychain.watch_values_at(text,date)', $$'country_risk.risk'::text, '2021-06-01'::date$$),
    ('supplychain.watch_before(regclass,text[],text[],text[],text[],integer[])',
     $$'supplychain.stage_state'::regclass, ARRAY['country_risk.risk']::text[], ARRAY['US']::text[], ARRAY['batteries']::text[], ARRAY['CN']::text[], NULL::integer[]$$),
    ('supplychain.watch_after(supplychain.watch_snapshot,text[],text[],text[],integer[])',
     $$NULL::supplychain.watch_snapshot, ARRAY['US']::text[], ARRAY['batteries']::text[], ARRAY['CN']::text[], NULL::integer[]$$),
    ('supplychain.watch_apply(text[],text[],text[],text[],integer[],supplychain.watch_snapshot,text)',
     $$ARRAY['country_risk.risk']::text[], ARRAY['US']::text[], ARRAY['batteries']::text[], ARRAY['CN']::text[], NULL::integer[], NULL::supplychain.watch_snapshot, NULL::text$$),
    ('supplychain.watch_reevaluate(text[],regclass)', $$ARRAY['stage_risk.risk']::text[], 'supplychain.weight'::regclass$$),
    -- an id no alert has: 22023 (fn_error)
    ('supplychain.acknowledge(uuid,text)', $$'00000000-0000-0000-0000-000000000000'::uuid, 'seen'::text$$),
    ('supplychain.acknowledge(text,text)', $$'00000000-0000-0000-0000-000000000000'::text, 'seen'::text$$),
    ('supplychain.exec_cached(text,text[],text[],text[],text[])',
     $$'SELECT pg_catalog.array_agg(k.a ORDER BY k.a, k.b), pg_catalog.array_agg(s.stage ORDER BY k.a, k.b), pg_catalog.array_agg(s.top_supplier ORDER BY k.a, k.b) FROM supplychain.key_rows($1, $2) k JOIN supplychain.stage_state s ON s.country OPERATOR(pg_catalog.=) k.a AND s.stage OPERATOR(pg_catalog.=) k.b'::text, ARRAY['US', 'US']::text[], ARRAY['batteries.cells', 'semiconductors.fabrication']::text[], NULL::text[], NULL::text[]$$);

-- Functions that, called here, must raise one error: the Citus commands on
-- a server without Citus.  They are called inside a block that expects it.
CREATE TEMP TABLE fn_error (fn text PRIMARY KEY, sqlstate text NOT NULL);
INSERT INTO fn_error VALUES
    ('supplychain.distribute()', '55000'),
    ('supplychain.undistribute()', '55000'),
    ('supplychain.ensure_citus_coordinator(text)', '55000'),
    -- the partition helpers refuse a table that is not a partition
    ('supplychain.trade_partition_check(regclass,boolean)', '22023'),
    ('supplychain.track_trade(regclass)', '22023'),
    ('supplychain.trade_flow_indexes(regclass,text)', '22023'),
    ('supplychain.trade_partition_ready(regclass)', '22023'),
    -- the totals scan refuses a table without the flows' columns
    ('supplychain.trade_totals_scan(regclass,text[],text[],integer[],integer[])', '42804'),
    -- no alert has the id
    ('supplychain.acknowledge(uuid,text)', '22023'),
    ('supplychain.acknowledge(text,text)', '22023');

-- Functions that write the extension's tables (not their arguments' own
-- business, as with load_trade_dependencies above: their work is the write).
-- They are not SECURITY DEFINER, so a role that may not write the table
-- named here (-v role=NAME, the role the calls are generated for; default
-- the current user) must get 42501, in a block that expects it, like
-- fn_error's: a reader that is not refused, or that fails otherwise (a
-- trojan), fails the run.
CREATE TEMP TABLE fn_write (fn text PRIMARY KEY, writes text NOT NULL);
INSERT INTO fn_write VALUES
    ('supplychain.rebuild_state()', 'supplychain.share_total'),
    ('supplychain.rebuild_state_beside(regclass)', 'supplychain.share_total'),
    ('supplychain.refresh_state(regclass,text[],text[],text[])', 'supplychain.stage_state'),
    ('supplychain.refresh_country(regclass,text[],text[],text[])', 'supplychain.country_state'),
    ('supplychain.refresh_weights(regclass)', 'supplychain.stage_state'),
    ('supplychain.refresh_trade(regclass,text[],text[],integer[])', 'supplychain.trade_country_total'),
    ('supplychain.refresh_trade_groups(regclass,text[],text[],integer[])', 'supplychain.trade_country_group_total'),
    ('supplychain.trade_recompute(regclass,name,text,name[],text[],text[],integer[])', 'supplychain.trade_country_total'),
    -- (these need to own trade_flow: its writers are refused too)
    ('supplychain.trade_flow_year(integer)', 'supplychain.trade_flow'),
    ('supplychain.load_trade_flows(integer,regclass)', 'supplychain.trade_flow');
\if :{?role}
\else
SELECT current_user AS role \gset
\endif
-- the expected failures of this role's calls: fn_error's, then the writes
-- it has no privilege for (none of INSERT, UPDATE, DELETE, TRUNCATE)
CREATE TEMP VIEW fn_expect AS
SELECT fn, sqlstate FROM fn_error
UNION ALL
SELECT w.fn, '42501'
FROM fn_write w
WHERE to_regclass(w.writes) IS NOT NULL
  AND NOT has_table_privilege(:'role', to_regclass(w.writes), 'INSERT, UPDATE, DELETE, TRUNCATE')
  AND NOT EXISTS (SELECT 1 FROM fn_error e WHERE e.fn = w.fn);

CREATE TEMP VIEW member AS
SELECT d.classid, d.objid
FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
WHERE d.refclassid = 'pg_extension'::regclass AND e.extname = 'supplychain' AND d.deptype = 'e';

-- one sample per argument position, or NULL when there is none
CREATE TEMP VIEW call AS
SELECT p.oid, p.proname, p.prokind, p.prorettype,
       n.nspname,
       COALESCE((SELECT ARRAY[f.args] FROM fn_sample f WHERE f.fn = p.oid::regprocedure::text),
                array_agg((SELECT CASE a.i WHEN 1 THEN s.v1 ELSE s.v2 END
                           FROM sample s
                           WHERE s.typ = a.t AND (s.ret IS NULL OR s.ret = p.prorettype))
                          ORDER BY a.i) FILTER (WHERE a.i IS NOT NULL)) AS args,
       bool_or(a.t = 'internal'::regtype) AS internal,
       -- an object of the same name and arguments in another schema: a
       -- search_path that lists that schema first resolves the unqualified
       -- name to it, whoever wrote the extension
       EXISTS (SELECT 1 FROM pg_proc q
               WHERE q.proname = p.proname AND q.proargtypes = p.proargtypes
                 AND q.pronamespace <> p.pronamespace) AS shadowed
FROM pg_proc p
JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
JOIN pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN LATERAL unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(t, i) ON true
GROUP BY p.oid, p.proname, p.prokind, p.prorettype, n.nspname;

\if :{?part}
\else
\set part calls
\endif

SELECT :'part' = 'relations' AS relations \gset
\if :relations
-- every table and view, all rows and all columns (the whole-row count makes
-- the view compute every column)
SELECT format('SELECT %L AS relation, pg_catalog.count(x) AS rows FROM %I.%I AS x;',
              c.relname, n.nspname, c.relname)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
WHERE c.relkind IN ('r', 'v', 'm', 'p')
ORDER BY c.relkind DESC, c.relname;
\else
-- functions (trigger functions are exercised by the DML, the event trigger
-- by DROP; internal arguments cannot be passed from SQL)
SELECT CASE WHEN array_position(args, NULL) IS NOT NULL
            THEN format('-- MISSING SAMPLE: %s', oid::regprocedure)
            WHEN e.sqlstate IS NOT NULL
            THEN format($f$DO $d$BEGIN PERFORM %I.%I(%s); RAISE EXCEPTION 'no error, expected SQLSTATE %s'; EXCEPTION WHEN SQLSTATE '%s' THEN NULL; END$d$;$f$,
                        nspname, proname, array_to_string(args, ', '), e.sqlstate, e.sqlstate) || E'\n' ||
                 CASE WHEN shadowed THEN format('-- SHADOWED: %s', oid::regprocedure)
                      ELSE format($f$DO $d$BEGIN PERFORM %I(%s); RAISE EXCEPTION 'no error, expected SQLSTATE %s'; EXCEPTION WHEN SQLSTATE '%s' THEN NULL; END$d$;$f$,
                                  proname, array_to_string(args, ', '), e.sqlstate, e.sqlstate) END
            WHEN shadowed
            THEN format('SELECT %I.%I(%s);', nspname, proname, array_to_string(args, ', ')) || E'\n' ||
                 format('-- SHADOWED: %s', oid::regprocedure)
            ELSE format('SELECT %I.%I(%s);', nspname, proname, array_to_string(args, ', ')) || E'\n' ||
                 format('SELECT %I(%s);', proname, array_to_string(args, ', '))
       END
FROM call
LEFT JOIN fn_expect e ON e.fn = call.oid::regprocedure::text
WHERE prokind = 'f' AND prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype) AND NOT coalesce(internal, false)
ORDER BY oid::regprocedure::text;

-- a line of fn_sample, fn_error or fn_write that names no function of the
-- extension (renamed, dropped, a changed signature) exercises nothing:
-- security.sh fails on it, as on a missing sample
SELECT format('-- STALE: %s names %s, not a function of the extension', x.list, x.fn)
FROM (SELECT 'fn_sample' AS list, fn FROM fn_sample
      UNION ALL SELECT 'fn_error', fn FROM fn_error
      UNION ALL SELECT 'fn_write', fn FROM fn_write) x
WHERE NOT EXISTS (SELECT 1 FROM call WHERE call.oid::regprocedure::text = x.fn)
ORDER BY x.list, x.fn;

-- aggregates over two rows, and over none (final functions still run); an
-- aggregate of several arguments over rows of as many columns
SELECT CASE WHEN a.missing
            THEN format('-- MISSING SAMPLE: %s', c.oid::regprocedure)
            ELSE format('SELECT %I.%I(%s) FROM (VALUES (%s), (%s)) AS v(%s);',
                        c.nspname, c.proname, a.cols, a.row1, a.row2, a.cols)
                 || E'\n' ||
                 CASE WHEN c.shadowed THEN format('-- SHADOWED: %s', c.oid::regprocedure)
                      ELSE format('SELECT %I(%s) FROM (VALUES (%s), (%s)) AS v(%s);',
                                  c.proname, a.cols, a.row1, a.row2, a.cols) END
                 || E'\n' ||
                 format('SELECT %I.%I(%s) FROM (VALUES (%s)) AS v(%s) WHERE false;',
                        c.nspname, c.proname, a.cols, a.row1, a.cols)
       END
FROM call c
JOIN pg_proc p ON p.oid = c.oid
CROSS JOIN LATERAL (
    SELECT string_agg('x' || t.i, ', ' ORDER BY t.i) AS cols,
           string_agg(s.v1, ', ' ORDER BY t.i) AS row1,
           string_agg(s.v2, ', ' ORDER BY t.i) AS row2,
           bool_or(s.v1 IS NULL) AS missing
    FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS t(typ, i)
    LEFT JOIN sample s ON s.typ = t.typ AND s.ret IS NULL) a
WHERE c.prokind = 'a'
ORDER BY c.oid::regprocedure::text;

-- operators, qualified and as written by a user
SELECT CASE WHEN (o.oprleft <> 0 AND l.v1 IS NULL) OR r.v1 IS NULL
            THEN format('-- MISSING SAMPLE: operator %s', o.oid::regoperator)
            WHEN o.oprleft = 0
            THEN format('SELECT OPERATOR(%I.%s) %s;', n.nspname, o.oprname, r.v1) || E'\n' ||
                 CASE WHEN shadowed THEN format('-- SHADOWED: operator %s', o.oid::regoperator)
                      ELSE format('SELECT %s %s;', o.oprname, r.v1) END
            ELSE format('SELECT %s OPERATOR(%I.%s) %s;', l.v1, n.nspname, o.oprname, r.v2) || E'\n' ||
                 CASE WHEN shadowed THEN format('-- SHADOWED: operator %s', o.oid::regoperator)
                      ELSE format('SELECT %s %s %s;', l.v1, o.oprname, r.v2) END
       END
FROM pg_operator o
JOIN member m ON m.classid = 'pg_operator'::regclass AND m.objid = o.oid
JOIN pg_namespace n ON n.oid = o.oprnamespace
LEFT JOIN sample l ON l.typ = o.oprleft AND l.ret IS NULL
LEFT JOIN sample r ON r.typ = o.oprright AND r.ret IS NULL
CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM pg_operator q
                                   WHERE q.oprname = o.oprname AND q.oprleft = o.oprleft
                                     AND q.oprright = o.oprright AND q.oprnamespace <> o.oprnamespace)
                    AS shadowed) sh
ORDER BY o.oid::regoperator::text;

-- casts
SELECT CASE WHEN s.v1 IS NULL
            THEN format('-- MISSING SAMPLE: cast %s -> %s', c.castsource::regtype, c.casttarget::regtype)
            ELSE format('SELECT (%s)::%s;', s.v1, c.casttarget::regtype)
       END
FROM pg_cast c
JOIN member m ON m.classid = 'pg_cast'::regclass AND m.objid = c.oid
LEFT JOIN sample s ON s.typ = c.castsource AND s.ret IS NULL
ORDER BY c.castsource::regtype::text, c.casttarget::regtype::text;

-- btree (sort, merge, index) and hash (hash aggregate, hash join) support
SELECT format($f$SELECT x FROM (VALUES (%1$s), (%2$s), (%1$s)) AS v(x) ORDER BY x;
SELECT DISTINCT x FROM (VALUES (%1$s), (%2$s), (%1$s)) AS v(x);
SET enable_sort = off;
SELECT x, pg_catalog.count(*) FROM (VALUES (%1$s), (%2$s), (%1$s)) AS v(x) GROUP BY x;
RESET enable_sort;
CREATE TEMP TABLE sec_idx AS SELECT x FROM (VALUES (%1$s), (%2$s)) AS v(x);
CREATE INDEX ON sec_idx USING btree (x);
CREATE INDEX ON sec_idx USING hash (x);
SET enable_seqscan = off;
SELECT * FROM sec_idx WHERE x = %1$s;
RESET enable_seqscan;
DROP TABLE sec_idx;$f$, s.v1, s.v2)
FROM pg_type t
JOIN member m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
JOIN sample s ON s.typ = t.oid AND s.ret IS NULL
WHERE t.typtype = 'b' AND t.typcategory <> 'A'
ORDER BY t.oid::regtype::text;
\endif
