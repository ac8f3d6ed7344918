-- 02_schema.sql - the schema of issue 3: constraints (each rejected row with
-- its SQLSTATE, nothing half-written), the share limit at every date,
-- weights changing results, pg_dump registration, read-only shipped rows,
-- cycle termination, the brief's headline facts, and a small hand-made user
-- chain whose numbers are computed by hand in the comments.
--
-- Shipped rows (builtin) cannot be updated or deleted, so every test that
-- changes dependency or assessment rows works on rows it inserts itself;
-- the shipped rows are changed only in maintenance mode, at the end.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
SET search_path = public, supplychain;
BEGIN;
SELECT plan(224);

-- No statement here may hang: stage_closure must terminate on cycles.
SET LOCAL statement_timeout = '60s';

---------------------------------------------------------------------------
-- 3. pg_dump registration and the shipped rows (first, on pristine data)
---------------------------------------------------------------------------

SELECT set_eq(
    $$SELECT c::regclass::text FROM pg_extension e, unnest(e.extconfig) c
      WHERE e.extname = 'supplychain'$$,
    $$SELECT c.oid::regclass::text FROM pg_class c
      JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'supplychain'
      WHERE c.relkind = 'r'
        AND c.relname NOT IN ('share_total', 'stage_state', 'supplier_state', 'country_state', 'country_total_state')$$,
    'every table of the extension except the maintained ones the triggers rebuild in a restore (share_total, the risk state) is registered with pg_extension_config_dump');

SELECT is((SELECT array_agg(DISTINCT cond) FROM pg_extension e, unnest(e.extconfig, e.extcondition) u(cfg, cond)
           WHERE e.extname = 'supplychain' AND cfg NOT IN ('supplychain.trade_country_total'::regclass,
                                                           'supplychain.trade_country_group_total'::regclass,
                                                           'supplychain.alert'::regclass)),
          ARRAY['WHERE NOT builtin'],
          'every registered table is dumped with the condition WHERE NOT builtin (trade_country_total, trade_country_group_total and alert apart)');
SELECT is((SELECT cond FROM pg_extension e, unnest(e.extconfig, e.extcondition) u(cfg, cond)
           WHERE e.extname = 'supplychain' AND cfg = 'supplychain.alert'::regclass),
          'WHERE cleared_at IS NOT NULL',
          'alert is dumped with its cleared rows only (a restore raises the open ones again)');
SELECT is((SELECT cond FROM pg_extension e, unnest(e.extconfig, e.extcondition) u(cfg, cond)
           WHERE e.extname = 'supplychain' AND cfg = 'supplychain.trade_country_total'::regclass),
          '',
          'trade_country_total is dumped whole (a restore loads the partitions'' rows before their triggers exist)');
SELECT is((SELECT cond FROM pg_extension e, unnest(e.extconfig, e.extcondition) u(cfg, cond)
           WHERE e.extname = 'supplychain' AND cfg = 'supplychain.trade_country_group_total'::regclass),
          '',
          'trade_country_group_total is dumped whole, as trade_country_total');
-- trade_flow holds no rows of its own: its partitions (the years that
-- trade_flow_year() or load_trade_flows() made) are tables outside the
-- extension, which pg_dump dumps whole
SELECT is((SELECT count(*) FROM pg_inherits i
           WHERE i.inhparent = 'supplychain.trade_flow'::regclass
             AND (EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = i.inhrelid
                                                    AND d.deptype = 'e')
                  OR (SELECT c.relname FROM pg_class c WHERE c.oid = i.inhrelid) !~ '^trade_flow_[0-9]{4}$')),
          0::bigint,
          'trade_flow''s partitions are trade_flow_YYYY, none of them a member of the extension');

-- Text keys only: a sequence would have to be registered too.
SELECT is((SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'supplychain' AND c.relkind = 'S'
             AND c.oid NOT IN (SELECT unnest(extconfig) FROM pg_extension WHERE extname = 'supplychain')),
          0::bigint,
          'no sequence of schema supplychain escapes pg_dump registration');

-- Right after CREATE EXTENSION every row in the registered tables is shipped:
-- a shipped INSERT that forgot builtin (default false) would be dumped twice.
SELECT is((SELECT array_agg(t ORDER BY t) FROM (
              SELECT c::regclass::text AS t,
                     (xpath('/row/n/text()', query_to_xml(
                         format('SELECT count(*) AS n FROM %s WHERE NOT builtin', c::regclass),
                         false, true, '')))[1]::text::bigint AS n
              FROM pg_extension e, unnest(e.extconfig) c WHERE e.extname = 'supplychain'
                AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c AND a.attname = 'builtin' AND NOT a.attisdropped)) x
           WHERE n > 0),
          NULL::text[],
          'every shipped row has builtin = true (in the tables with a builtin flag: trade_flow has none)');

-- governance and material_supply ship no rows, by design: the brief and the
-- sources it names give no governance score and no production share, and
-- nothing is invented.  They are the only exceptions.
SELECT is((SELECT array_agg(t ORDER BY t) FROM (
              SELECT c::regclass::text AS t,
                     (xpath('/row/n/text()', query_to_xml(
                         format('SELECT count(*) AS n FROM %s WHERE builtin', c::regclass),
                         false, true, '')))[1]::text::bigint AS n
              FROM pg_extension e, unnest(e.extconfig) c WHERE e.extname = 'supplychain'
                AND c NOT IN ('supplychain.governance'::regclass, 'supplychain.material_supply'::regclass,
                              'supplychain.trade_country_total'::regclass, 'supplychain.trade_country_group_total'::regclass,
                              'supplychain.alert'::regclass)) x
           WHERE n = 0),
          NULL::text[],
          'every registered table ships reference rows (governance, material_supply, the trade totals and alert apart)');
SELECT is((SELECT count(*) FROM supplychain.governance) + (SELECT count(*) FROM supplychain.material_supply),
          0::bigint,
          'governance and material_supply ship no rows: no source gives governance scores or production shares');
-- material: the six materials the brief names (Tables 1 and 3), without figures.
SELECT set_eq($$SELECT id, sector FROM supplychain.material WHERE builtin$$,
              $$VALUES ('lithium', 'batteries'), ('nickel', 'batteries'), ('cobalt', 'batteries'),
                       ('polysilicon', 'semiconductors'), ('wafers', 'semiconductors'),
                       ('photoresists', 'semiconductors')$$,
              'material ships the six materials the brief names');
SELECT is((SELECT count(*) FROM supplychain.material
           WHERE builtin AND num_nonnulls(import_reliance, eol_rir, substitution, economic_importance) > 0),
          0::bigint,
          'the shipped materials carry no figures (the brief gives none)');

-- "Nothing invented; every row traceable to a source row": a NULL source
-- does not cite anything, so it counts as a failure too.
SELECT is((SELECT array_agg(t ORDER BY t) FROM (
              SELECT format('%I.%I', col.table_schema, col.table_name) AS t,
                     (xpath('/row/n/text()', query_to_xml(
                         format('SELECT count(*) AS n FROM %I.%I r WHERE r.builtin AND NOT EXISTS '
                                '(SELECT 1 FROM supplychain.source s WHERE s.id = r.source)',
                                col.table_schema, col.table_name),
                         false, true, '')))[1]::text::bigint AS n
              FROM information_schema.columns col
              JOIN information_schema.tables tab USING (table_schema, table_name)
              WHERE col.table_schema = 'supplychain' AND col.column_name = 'source'
                AND tab.table_type = 'BASE TABLE'
                AND EXISTS (SELECT FROM information_schema.columns b
                            WHERE (b.table_schema, b.table_name) = (col.table_schema, col.table_name)
                              AND b.column_name = 'builtin')) x
           WHERE n > 0),
          NULL::text[],
          'every shipped row with a source column cites an existing source row');

-- share_total has one row per dependency key (stage, country, kind, item),
-- which writers lock, holding the key's current known total: the sum of the
-- known shares of the latest row of each supplier, and their HHI (summed in
-- descending supplier order, as the state sums it).  Recounted here from the
-- rows themselves, without the extension's views.
SELECT hasnt_column('supplychain', 'share_total', 'as_of',
                    'share_total has no as_of column: one row per key, not per date');
SELECT col_is_pk('supplychain', 'share_total', ARRAY['stage', 'country', 'kind', 'item'],
                 'share_total is keyed by (stage, country, kind, item)');

CREATE TEMP VIEW t02_recount AS
    SELECT stage, country, kind, item, COALESCE(sum(share), 0) AS total,
           supplychain.hhi(share ORDER BY supplier DESC) AS hhi
    FROM (SELECT DISTINCT ON (stage, country, supplier, kind, item) *
          FROM supplychain.dependency
          ORDER BY stage, country, supplier, kind, item, as_of DESC) latest
    GROUP BY stage, country, kind, item;
-- (a key whose rows were all deleted has no row, since 0.15.0)
CREATE TEMP VIEW t02_share_total AS
    SELECT stage, country, kind, item, total, hhi FROM supplychain.share_total t;
SELECT set_eq($$SELECT * FROM share_total$$,
              $$SELECT * FROM t02_recount$$,
              'share_total has a row for every shipped dependency key, with its current known total (0 if none) and HHI');

---------------------------------------------------------------------------
-- 5. Headline facts of the brief ("Done when")
---------------------------------------------------------------------------

-- Table 1: fabrication "Assessed to be the weakest sector"; Table 3:
-- refinement and processing "Assessed as the weakest sector".
SELECT set_eq($$SELECT country, sector, stage, rating_label FROM weakest_stage$$,
              $$VALUES ('US', 'semiconductors', 'Fabrication', 'very weak'),
                       ('US', 'batteries', 'Materials Refinement and Processing', 'very weak')$$,
              'fabrication and refining are the only weakest stages, both very weak');

-- Table 5 (semiconductors), short: ⚙️⚙️ ⚙️⚙️ ⚙️ ☁️ ☁️ ⚙️⚙️ ⚙️⚙️ = 2+2+1+0+0+2+2 = +9,
--                          long:  ⚙️ ☔ ☔ ☔ ☔ ☁️ ☁️       = 1-1-1-1-1+0+0 = -3.
-- Table 6 (batteries),      short: ☀☀ ☁ ☁ ☁ = 2+0+0+0 = +2,
--                          long:  ☀ ☀ ☹ ☹   = 1+1-1-1 = 0.
SELECT set_eq($$SELECT sector, horizon, net FROM policy_balance WHERE country = 'KR' AND sector IS NOT NULL$$,
              $$VALUES ('semiconductors', 'short', 9::bigint), ('semiconductors', 'long', -3::bigint),
                       ('batteries', 'short', 2::bigint), ('batteries', 'long', 0::bigint)$$,
              'Korea''s net impact: +9 / -3 for semiconductors, +2 / 0 for batteries (short / long)');

-- Counting the same symbols: semis short 5 positive (1,2,3,6,7), 2 neutral,
-- 0 negative; long 1 / 2 / 4; batteries short 1 / 3 / 0; long 2 / 0 / 2.
SELECT set_eq($$SELECT sector, horizon, positive, neutral, negative FROM policy_balance
               WHERE country = 'KR' AND sector IS NOT NULL$$,
              $$VALUES ('semiconductors', 'short', 5, 2, 0), ('semiconductors', 'long', 1, 2, 4),
                       ('batteries', 'short', 1, 3, 0), ('batteries', 'long', 2, 0, 2)$$,
              'Korea: short-term positives outweigh negatives in both sectors');

SELECT is((SELECT array_agg(supplier) FROM country_risk
           WHERE country = 'US' AND sector = 'batteries' AND rank = 1),
          ARRAY['CN'],
          'China alone is rank 1 in country_risk for the US battery chain');

-- Long-term ☔ in Table 5 for policies 2, 3, 4, 5; ☹ in Table 6 for 3 and 4.
SELECT set_eq($$SELECT sector, policy_no FROM policy_risk WHERE country = 'KR' AND long_term_risk$$,
              $$VALUES ('semiconductors', 2), ('semiconductors', 3), ('semiconductors', 4),
                       ('semiconductors', 5), ('batteries', 3), ('batteries', 4)$$,
              'long_term_risk is true exactly for the KR policies with a negative long-term score');

-- Table 5, policy 2: short ⚙️⚙️ = +2, long ☔ = -1: net 1, trend -1 - 2 = -3.
SELECT is((SELECT ARRAY[short_value, long_value, net, trend] FROM policy_risk
           WHERE country = 'KR' AND sector = 'semiconductors' AND policy_no = 2),
          ARRAY[2, -1, 1, -3],
          'policy_risk: net = short + long and trend = long - short (semiconductors policy 2)');

---------------------------------------------------------------------------
-- 2. Weights change results
---------------------------------------------------------------------------

-- US on CN, batteries: cells share 0.75 x weakness(weak) 2/3 x kind.supply 1
-- x alignment.concern 1 = 0.5; refining's CN share is unknown and adds nothing.
SELECT is((SELECT risk FROM country_risk WHERE country = 'US' AND sector = 'batteries' AND supplier = 'CN'),
          0.5000,
          'country_risk US/batteries/CN with default weights: 0.75 x 2/3 x 1 = 0.5000');

UPDATE weight SET value = 0.4 WHERE name = 'alignment.concern';
-- 0.75 x 2/3 x 0.4 = 0.2
SELECT is((SELECT risk FROM country_risk WHERE country = 'US' AND sector = 'batteries' AND supplier = 'CN'),
          0.2000,
          'alignment.concern 0.4: country_risk US/batteries/CN becomes 0.75 x 2/3 x 0.4 = 0.2000');

SELECT is((SELECT builtin FROM weight WHERE name = 'alignment.concern'), false,
          'changing a shipped weight makes it a user row (builtin = false)');

UPDATE weight SET value = value WHERE name = 'kind.supply';
SELECT is((SELECT builtin FROM weight WHERE name = 'kind.supply'), true,
          'an UPDATE that leaves the value unchanged keeps the weight builtin');

UPDATE weight SET description = 'weight of a talent dependency, as we read it' WHERE name = 'kind.talent';
SELECT is((SELECT ROW(value, builtin)::text FROM weight WHERE name = 'kind.talent'), '(1,f)',
          'changing only a shipped weight''s description makes it a user row too, so pg_dump keeps it');

UPDATE weight SET value = 1 WHERE name = 'alignment.concern';

-- batteries.cells: one known share 0.75, HHI 0.75^2 = 0.5625; weak 2/3: 0.3750.
SELECT is((SELECT risk FROM stage_risk WHERE country = 'US' AND stage_id = 'batteries.cells'),
          0.3750,
          'stage_risk US batteries cells with default weights: 0.5625 x 2/3 = 0.3750');

UPDATE weight SET value = 0.8 WHERE name = 'weakness.weak';
-- 0.5625 x 0.8 = 0.45
SELECT is((SELECT risk FROM stage_risk WHERE country = 'US' AND stage_id = 'batteries.cells'),
          0.4500,
          'weakness.weak 0.8: stage_risk US batteries cells becomes 0.5625 x 0.8 = 0.4500');

UPDATE weight SET value = 2.0 / 3 WHERE name = 'weakness.weak';

-- This is what pg_restore does with a changed weight: CREATE EXTENSION has
-- just inserted the shipped default, then the dumped user row arrives.
SELECT lives_ok($$INSERT INTO weight (name, value, description) VALUES ('alignment.ally', 0.5, 'restored by the user')$$,
                'a user weight under a builtin name is accepted (as pg_restore inserts a changed weight)');
SELECT is((SELECT array_agg(ROW(value, builtin)::text) FROM weight WHERE name = 'alignment.ally'),
          ARRAY['(0.5,f)'],
          'inserting a user weight under a builtin name replaces the shipped row');

-- US on KR, semiconductors: fabrication 0.08 x very weak 1 x supply 1 x ally 0.5 = 0.04
-- (equipment sales to KR have no share and add nothing).
SELECT is((SELECT risk FROM country_risk WHERE country = 'US' AND sector = 'semiconductors' AND supplier = 'KR'),
          0.0400,
          'the replacing ally weight 0.5 is used: 0.08 x 1 x 0.5 = 0.0400');

UPDATE weight SET value = 0.25 WHERE name = 'alignment.ally';

---------------------------------------------------------------------------
-- 1. Constraints: each rejected row with its SQLSTATE, nothing half-written
---------------------------------------------------------------------------

CREATE TEMP TABLE t02_count AS
    SELECT 'dependency' AS t, count(*) AS n FROM supplychain.dependency
    UNION ALL SELECT 'policy_impact', count(*) FROM supplychain.policy_impact
    UNION ALL SELECT 'alignment', count(*) FROM supplychain.alignment
    UNION ALL SELECT 'country', count(*) FROM supplychain.country
    UNION ALL SELECT 'stage', count(*) FROM supplychain.stage
    UNION ALL SELECT 'assessment', count(*) FROM supplychain.assessment;
CREATE TEMP TABLE t02_share_before AS SELECT * FROM supplychain.share_total;

SELECT throws_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                   VALUES ('batteries.packs', 'US', 'KR', 'supply', 'battery packs', 1.2, '2021-06-01')$$,
                 '23514', NULL, 'dependency share 1.2 is rejected (23514)');
SELECT throws_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                   VALUES ('batteries.packs', 'US', 'KR', 'supply', 'battery packs', -0.01, '2021-06-01')$$,
                 '23514', NULL, 'a negative dependency share is rejected (23514)');
SELECT throws_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                   VALUES ('batteries.packs', 'US', 'KR', 'supply', 'battery packs', 0.1, '2021-06-01'),
                          ('batteries.packs', 'US', 'JP', 'supply', 'battery packs', 1.5, '2021-06-01')$$,
                 '23514', NULL, 'a multi-row INSERT with one share above 1 is rejected (23514)');
SELECT is((SELECT count(*) FROM dependency), (SELECT n FROM t02_count WHERE t = 'dependency'),
          'rejected share rows left no dependency row behind');

-- CN holds 0.75 of US battery cells; KR 0.3 more makes 0.75 + 0.3 = 1.05.
SELECT throws_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                   VALUES ('batteries.cells', 'US', 'KR', 'supply', 'battery cells', 0.3, '2021-06-01')$$,
                 '23514', 'known shares of a dependency sum to 1.05 (above 1)',
                 'a second supplier pushing battery cells to 0.75 + 0.3 = 1.05 is rejected');
-- The limit holds at every date, the latest row of each supplier up to it
-- counting: CN's 2021 row is still its latest in 2022, and JP's 2020 row is
-- still its latest in mid-2021.
SELECT throws_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                   VALUES ('batteries.cells', 'US', 'KR', 'supply', 'battery cells', 0.3, '2022-01-01')$$,
                 '23514', 'known shares of a dependency sum to 1.05 (above 1)',
                 'a later-dated second supplier is rejected too: CN''s 0.75 of 2021 still counts in 2022, 0.75 + 0.3 = 1.05');
SELECT throws_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                   VALUES ('batteries.cells', 'US', 'JP', 'supply', 'battery cells', 0.3, '2020-01-01')$$,
                 '23514', 'known shares of a dependency sum to 1.05 (above 1)',
                 'an earlier-dated second supplier is rejected: its 2020 row still counts in mid-2021, 0.3 + 0.75 = 1.05');
SELECT is((SELECT count(*) FROM dependency), (SELECT n FROM t02_count WHERE t = 'dependency'),
          'the rejected second suppliers left no dependency row behind');
SELECT set_eq($$SELECT * FROM share_total$$, $$SELECT * FROM t02_share_before$$,
              'the rejected rows left share_total unchanged');

-- KR 0.2: 0.75 + 0.2 = 0.95 is fine; raising KR to 0.3 is 0.75 + 0.3 = 1.05 again.
SELECT lives_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                  VALUES ('batteries.cells', 'US', 'KR', 'supply', 'battery cells', 0.2, '2021-06-01')$$,
                'a second supplier keeping battery cells at 0.75 + 0.2 = 0.95 is accepted');
SELECT throws_ok($$UPDATE dependency SET share = 0.3
                   WHERE stage = 'batteries.cells' AND country = 'US' AND supplier = 'KR'$$,
                 '23514', 'known shares of a dependency sum to 1.05 (above 1)',
                 'an UPDATE raising KR to 0.3 (0.75 + 0.3 = 1.05) is rejected');
SELECT is((SELECT array_agg(ROW(d.share, d.as_of, t.total)::text) FROM dependency d
           JOIN share_total t USING (stage, country, kind, item)
           WHERE d.stage = 'batteries.cells' AND d.country = 'US' AND d.supplier = 'KR'),
          ARRAY['(0.2,2021-06-01,0.95)'],
          'after the rejected UPDATE KR still holds 0.2 and the total is still 0.95');

-- A new item, two rows in one statement: 0.6 + 0.5 = 1.1.
SELECT throws_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                   VALUES ('batteries.packs', 'US', 'JP', 'supply', 'pack modules', 0.6, '2021-06-01'),
                          ('batteries.packs', 'US', 'KR', 'supply', 'pack modules', 0.5, '2021-06-01')$$,
                 '23514', 'known shares of a dependency sum to 1.1 (above 1)',
                 'a multi-row INSERT whose rows together make 0.6 + 0.5 = 1.1 is rejected');
SELECT is((SELECT count(*) FROM dependency WHERE item = 'pack modules')
          + (SELECT count(*) FROM share_total WHERE item = 'pack modules'),
          0::bigint,
          'the rejected multi-row INSERT wrote neither dependency nor share_total rows');

-- 0.5 + 0.25 + 0.25 = 1 exactly.
SELECT lives_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                  VALUES ('batteries.packs', 'US', 'JP', 'supply', 'pack modules', 0.5, '2021-06-01'),
                         ('batteries.packs', 'US', 'KR', 'supply', 'pack modules', 0.25, '2021-06-01'),
                         ('batteries.packs', 'US', 'TW', 'supply', 'pack modules', 0.25, '2021-06-01')$$,
                'shares summing to exactly 1 (0.5 + 0.25 + 0.25) are accepted');
SELECT lives_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                  VALUES ('batteries.packs', 'US', 'CN', 'supply', 'pack modules', NULL, '2021-06-01'),
                         ('batteries.packs', 'US', 'NL', 'supply', 'pack modules', NULL, '2021-06-01')$$,
                'suppliers with unknown (NULL) share are accepted on a stage already at 1');
SELECT is((SELECT total FROM share_total WHERE item = 'pack modules'), 1::numeric,
          'NULL shares do not count: pack modules still total 1');
SELECT is((SELECT count(*) FROM dependency WHERE item = 'pack modules'), 5::bigint,
          'pack modules now has 3 known and 2 unknown shares');

DELETE FROM dependency WHERE item = 'pack modules' AND supplier = 'TW';
SELECT is((SELECT total FROM share_total WHERE item = 'pack modules'), 0.75,
          'deleting the 0.25 row frees its share: total 1 - 0.25 = 0.75');
SELECT lives_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                  VALUES ('batteries.packs', 'US', 'EU', 'supply', 'pack modules', 0.25, '2021-06-01')$$,
                'a new 0.25 supplier fits again after the delete (0.75 + 0.25 = 1)');
SELECT is((SELECT total FROM share_total WHERE item = 'pack modules'), 1::numeric,
          'and the total is back to 1');

-- An upsert, as loaders write.  Onto the shipped CN row (0.75, 2021-06-01)
-- it is an UPDATE of a shipped row: rejected.  A newer figure is a row with
-- a later as_of, which replaces CN's share from its date on instead of
-- adding to it: cells = 0.5 (CN, 2022) + 0.2 (KR) = 0.7, not 0.75 + 0.5 + 0.2.
SELECT throws_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                   VALUES ('batteries.cells', 'US', 'CN', 'supply', 'battery cells', 0.5, '2021-06-01')
                   ON CONFLICT (stage, country, supplier, kind, item, as_of) DO UPDATE SET share = excluded.share$$,
                 '23001', 'cannot update a shipped reference row of supplychain.dependency',
                 'an upsert onto the shipped CN cells row is rejected (23001)');
SELECT lives_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                  VALUES ('batteries.cells', 'US', 'CN', 'supply', 'battery cells', 0.5, '2022-01-01')
                  ON CONFLICT (stage, country, supplier, kind, item, as_of) DO UPDATE SET share = excluded.share$$,
                'a newer CN figure (as_of 2022) is accepted: it replaces CN''s 0.75, 0.5 + 0.2 = 0.7');
SELECT is((SELECT total FROM share_total WHERE stage = 'batteries.cells' AND item = 'battery cells'), 0.7,
          'share_total holds the current total, not the sum over dates: 0.5 + 0.2 = 0.7');
SELECT lives_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                  VALUES ('batteries.cells', 'US', 'CN', 'supply', 'battery cells', 0.55, '2022-01-01')
                  ON CONFLICT (stage, country, supplier, kind, item, as_of) DO UPDATE SET share = excluded.share$$,
                'an upsert onto the user''s own CN row is accepted');
SELECT is((SELECT total FROM share_total WHERE stage = 'batteries.cells' AND item = 'battery cells'), 0.75,
          'INSERT ... ON CONFLICT DO UPDATE keeps the total right: 0.55 + 0.2 = 0.75');

-- The current total has room, a past date has not: JP 0.1 from 2021-01-01
-- makes mid-2021 0.75 (CN) + 0.2 (KR) + 0.1 = 1.05, though 2022 would be
-- 0.55 + 0.2 + 0.1 = 0.85.  The error names the first date above 1.
CREATE FUNCTION pg_temp.t02_error_detail(stmt text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE detail text;
BEGIN
    EXECUTE stmt;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
    RETURN detail;
END
$f$;
SELECT throws_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                   VALUES ('batteries.cells', 'US', 'JP', 'supply', 'battery cells', 0.1, '2021-01-01')$$,
                 '23514', 'known shares of a dependency sum to 1.05 (above 1)',
                 'a row breaking a past date is rejected (mid-2021: 0.75 + 0.2 + 0.1 = 1.05) though the current total fits (0.85)');
SELECT matches(pg_temp.t02_error_detail(
                   $$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                     VALUES ('batteries.cells', 'US', 'JP', 'supply', 'battery cells', 0.1, '2021-01-01')$$),
               'item "battery cells", as of 2021-06-01:',
               'the error detail names the item and the date whose total is above 1 (2021-06-01)');

-- Move KR's row to a later as_of: mid-2021 is CN 0.75 alone, 2022 is 0.55 + 0.2.
SELECT lives_ok($$UPDATE dependency SET as_of = '2022-01-01'
                  WHERE stage = 'batteries.cells' AND country = 'US' AND supplier = 'KR' AND as_of = '2021-06-01'$$,
                'moving KR''s row to 2022 is accepted (mid-2021: 0.75; 2022: 0.55 + 0.2 = 0.75)');
SELECT set_eq($$SELECT * FROM t02_share_total$$,
              $$SELECT * FROM t02_recount$$,
              'after inserts, deletes, upserts and a key-changing UPDATE, share_total equals a recount of the current rows');

-- Deleting or updating a row is checked at every date too.  KR 0.8 in 2021,
-- KR 0.2 and JP 0.7 in 2022: every date fits (0.8; 0.2 + 0.7 = 0.9).
-- Deleting KR's 2022 row would resurface its 0.8: 0.8 + 0.7 = 1.5 in 2022.
SELECT lives_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                  VALUES ('batteries.packs', 'US', 'KR', 'supply', 'pack casings', 0.8, '2021-01-01'),
                         ('batteries.packs', 'US', 'KR', 'supply', 'pack casings', 0.2, '2022-01-01'),
                         ('batteries.packs', 'US', 'JP', 'supply', 'pack casings', 0.7, '2022-01-01')$$,
                'KR 0.8 (2021), then KR 0.2 + JP 0.7 (2022) are accepted: 0.8, then 0.9');
SELECT is((SELECT total FROM share_total WHERE item = 'pack casings'), 0.9,
          'the pack casings total is the current one, 0.2 + 0.7 = 0.9 (not KR''s 0.8 of 2021, not 1.7)');
SELECT throws_ok($$DELETE FROM dependency WHERE item = 'pack casings' AND supplier = 'KR' AND as_of = '2022-01-01'$$,
                 '23514', 'known shares of a dependency sum to 1.5 (above 1)',
                 'deleting KR''s 2022 row is rejected: its 2021 share resurfaces, 0.8 + 0.7 = 1.5');
SELECT throws_ok($$UPDATE dependency SET as_of = '2020-01-01'
                   WHERE item = 'pack casings' AND supplier = 'KR' AND as_of = '2022-01-01'$$,
                 '23514', 'known shares of a dependency sum to 1.5 (above 1)',
                 'moving KR''s 2022 row before its 2021 row is rejected: 0.8 + 0.7 = 1.5 in 2022');
SELECT throws_ok($$UPDATE dependency SET share = 0.4
                   WHERE item = 'pack casings' AND supplier = 'KR' AND as_of = '2022-01-01'$$,
                 '23514', 'known shares of a dependency sum to 1.1 (above 1)',
                 'raising KR''s 2022 share to 0.4 is rejected: 0.4 + 0.7 = 1.1');
SELECT is((SELECT array_agg(ROW(supplier, share, as_of)::text ORDER BY as_of, supplier)
           FROM dependency WHERE item = 'pack casings')
          || (SELECT total::text FROM share_total WHERE item = 'pack casings'),
          ARRAY['(KR,0.8,2021-01-01)', '(JP,0.7,2022-01-01)', '(KR,0.2,2022-01-01)', '0.9'],
          'the rejected DELETE and UPDATEs left the rows and the 0.9 total as they were');
-- The way out, as the hint says: lower KR's earlier share first.
SELECT lives_ok($$UPDATE dependency SET share = 0.3
                  WHERE item = 'pack casings' AND supplier = 'KR' AND as_of = '2021-01-01'$$,
                'lowering KR''s 2021 share to 0.3 is accepted');
SELECT lives_ok($$DELETE FROM dependency WHERE item = 'pack casings' AND supplier = 'KR' AND as_of = '2022-01-01'$$,
                'then deleting KR''s 2022 row is accepted: 0.3 + 0.7 = 1');
SELECT is((SELECT total FROM share_total WHERE item = 'pack casings'), 1::numeric,
          'and the pack casings total is 0.3 + 0.7 = 1');

-- Statements of more than 100 keys (the share check's statements planned for
-- their keys, not kept plans): 30 items x 5 suppliers at 0.2, and 100 more.
CREATE TEMP VIEW t02_bulk AS
    SELECT 'batteries.packs'::text AS stage, 'US'::text AS country, s AS supplier, 'supply'::text AS kind,
           'bulk ' || i AS item, 0.2 AS share, '2023-01-01'::date AS as_of
    FROM generate_series(1, 30) i CROSS JOIN unnest('{CN,JP,KR,TW,DE}'::text[]) s;
SELECT lives_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                  SELECT * FROM t02_bulk
                  UNION ALL
                  SELECT 'batteries.packs', 'US', 'KR', 'supply', 'bulk more ' || i, 0.5, '2023-01-01' FROM generate_series(1, 100) i$$,
                'a 250-row INSERT of 130 items (30 of them 5 suppliers at 0.2 each, each item at 1) is accepted');
SELECT set_eq($$SELECT * FROM t02_share_total$$, $$SELECT * FROM t02_recount$$,
              'after it, share_total equals a recount of the current rows');
SELECT throws_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                   SELECT stage, country, 'NL', kind, item, CASE WHEN item = 'bulk 7' THEN 0.01 ELSE NULL END, as_of
                   FROM t02_bulk WHERE supplier = 'CN'
                   UNION ALL
                   SELECT 'batteries.packs', 'US', 'CN', 'supply', 'bulk new ' || i, 0.5, '2023-01-01' FROM generate_series(1, 100) i$$,
                 '23514', 'known shares of a dependency sum to 1.01 (above 1)',
                 'a 130-row INSERT (100 rows of new items) with one item pushed to 1.01 is rejected');
SELECT is((SELECT count(*) FROM share_total WHERE item LIKE 'bulk new %'), 0::bigint,
          'the rejected INSERT left no share_total row of its new items');
SELECT lives_ok($$UPDATE dependency SET share = 0.1 WHERE item LIKE 'bulk %'$$,
                'a 250-row UPDATE lowering every share to 0.1 is accepted');
SELECT is((SELECT sum(total) FROM share_total WHERE item LIKE 'bulk %'), 25.0,
          'the 30 items now total 5 x 0.1 = 0.5 each, the 100 others 0.1');
SELECT throws_ok($$UPDATE dependency SET share = 0.25 WHERE item LIKE 'bulk %'$$,
                 '23514', 'known shares of a dependency sum to 1.25 (above 1)',
                 'a 250-row UPDATE raising every share to 0.25 (30 items at 1.25) is rejected');
SELECT throws_ok($$DELETE FROM share_total WHERE item LIKE 'bulk %';
                   INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                   SELECT stage, country, 'NL', kind, item, 0.6, as_of FROM t02_bulk WHERE supplier = 'CN'
                   UNION ALL
                   SELECT 'batteries.packs', 'US', 'CN', 'supply', 'bulk new ' || i, 0.5, '2023-01-01' FROM generate_series(1, 100) i$$,
                 '23514', 'known shares of a dependency sum to 1.1 (above 1)',
                 'with the items'' share_total rows deleted, a 130-row INSERT pushing them to 1.1 is still rejected (the rows are summed, not share_total)');
SELECT lives_ok($$DELETE FROM dependency WHERE item LIKE 'bulk %'$$, 'a 250-row DELETE of 130 items is accepted');
SELECT is((SELECT count(*) FROM share_total WHERE item LIKE 'bulk %'), 0::bigint,
          'the deleted items'' share_total rows are gone with their rows');
SELECT lives_ok($$DELETE FROM dependency WHERE item = 'pack casings'$$, 'a 2-row DELETE of an item''s every row is accepted');
SELECT is((SELECT count(*) FROM share_total WHERE item = 'pack casings'), 0::bigint,
          'and its share_total row is gone (a key without rows has none)');
SELECT set_eq($$SELECT * FROM t02_share_total$$, $$SELECT * FROM t02_recount$$,
              'after the bulk statements, share_total equals a recount of the current rows');

SELECT throws_ok($$INSERT INTO policy_impact (policy, country, horizon, score, as_of)
                   VALUES ('us-batteries-1', 'KR', 'medium', 'positive', '2022-01-01')$$,
                 '23514', NULL, 'an unknown horizon in policy_impact is rejected (23514)');
SELECT throws_ok($$INSERT INTO policy_impact (policy, country, horizon, score, as_of)
                   VALUES ('us-batteries-1', 'KR', 'short', 'great', '2022-01-01')$$,
                 '22P02', NULL, 'an impact score ''great'' is rejected (22P02)');
SELECT throws_ok($$INSERT INTO policy_impact (policy, country, horizon, score, as_of)
                   VALUES ('us-batteries-1', 'KR', 'short', 'positive', '2022-01-01'),
                          ('us-batteries-1', 'KR', 'mid', 'negative', '2022-01-01')$$,
                 '23514', NULL, 'a multi-row policy_impact INSERT with one unknown horizon is rejected (23514)');
SELECT is((SELECT count(*) FROM policy_impact), (SELECT n FROM t02_count WHERE t = 'policy_impact'),
          'the rejected policy impacts left no row behind');

SELECT throws_ok($$INSERT INTO alignment (country, partner, relation) VALUES ('KR', 'JP', 'friend')$$,
                 '23514', NULL, 'relation ''friend'' is rejected (23514)');
SELECT throws_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                   VALUES ('batteries.packs', 'US', 'KR', 'loan', 'credit', NULL, '2021-06-01')$$,
                 '23514', NULL, 'kind ''loan'' is rejected (23514)');
SELECT throws_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                   VALUES ('batteries.packs', 'US', 'QQ', 'supply', 'battery packs', NULL, '2021-06-01')$$,
                 '23503', NULL, 'a dependency on an unknown country code is rejected (23503)');
SELECT throws_ok($$INSERT INTO country (code, name) VALUES ('de', 'Germany')$$,
                 '23514', NULL, 'a lower-case country code is rejected (23514)');
SELECT throws_ok($$INSERT INTO country (code, name) VALUES ('XF', 'Test land'), ('DEU', 'Germany')$$,
                 '23514', NULL, 'a 3-letter country code is rejected (23514), with the good row beside it');
SELECT is((SELECT count(*) FROM country), (SELECT n FROM t02_count WHERE t = 'country'),
          'the rejected country INSERT left no row behind (not even XF)');
SELECT throws_ok($$INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                   VALUES ('batteries.packs', 'US', 'US', 'supply', 'battery packs', 0.1, '2021-06-01')$$,
                 '23514', NULL, 'a country depending on itself (supplier = country) is rejected (23514)');
SELECT throws_ok($$INSERT INTO stage (id, sector, position, name) VALUES ('batteries.extra', 'batteries', 3, 'Extra')$$,
                 '23505', NULL, 'a duplicate stage position in a sector is rejected (23505)');
SELECT throws_ok($$INSERT INTO assessment (stage, country, rating, as_of)
                   VALUES ('batteries.cells', 'US', 'medium', '2022-01-01')$$,
                 '22P02', NULL, 'stage_rating ''medium'' in an assessment is rejected (22P02)');
SELECT is((SELECT ARRAY[(SELECT count(*) FROM alignment), (SELECT count(*) FROM stage),
                        (SELECT count(*) FROM assessment)]),
          (SELECT ARRAY[(SELECT n FROM t02_count WHERE t = 'alignment'), (SELECT n FROM t02_count WHERE t = 'stage'),
                        (SELECT n FROM t02_count WHERE t = 'assessment')]),
          'the rejected alignment, stage and assessment rows left nothing behind');

-- The EU supply-risk tables (material, material_supply, governance).
CREATE TEMP TABLE t02_eu_count AS
    SELECT (SELECT count(*) FROM supplychain.material) AS material,
           (SELECT count(*) FROM supplychain.material_supply) AS material_supply,
           (SELECT count(*) FROM supplychain.governance) AS governance;
SELECT throws_ok($$INSERT INTO material (id, name, import_reliance) VALUES ('t02-x', 'X', 1.2)$$,
                 '23514', NULL, 'a material import reliance 1.2 is rejected (23514)');
SELECT throws_ok($$INSERT INTO material (id, name, eol_rir, substitution) VALUES ('t02-x', 'X', 0.5, -0.1)$$,
                 '23514', NULL, 'a negative substitution index is rejected (23514)');
SELECT throws_ok($$INSERT INTO material (id, name, economic_importance) VALUES ('t02-x', 'X', -1)$$,
                 '23514', NULL, 'a negative economic importance is rejected (23514)');
SELECT throws_ok($$INSERT INTO material (id, name, sector) VALUES ('t02-x', 'X', 'toys')$$,
                 '23503', NULL, 'a material of an unknown sector is rejected (23503)');
SELECT throws_ok($$INSERT INTO material (id, name) VALUES ('lithium', 'Lithium again')$$,
                 '23505', NULL, 'a second material with a shipped id is rejected (23505)');
SELECT throws_ok($$INSERT INTO material_supply (material, scope, country, share) VALUES ('lithium', 'global', 'CN', 1.5)$$,
                 '23514', NULL, 'a production share 1.5 is rejected (23514)');
SELECT throws_ok($$INSERT INTO material_supply (material, scope, country, share) VALUES ('lithium', 'global', 'CN', NULL)$$,
                 '23502', NULL, 'a production share is required (23502): a row without one says nothing');
SELECT throws_ok($$INSERT INTO material_supply (material, scope, country, share) VALUES ('lithium', 'world', 'CN', 0.5)$$,
                 '23514', NULL, 'scope ''world'' is rejected (23514)');
SELECT throws_ok($$INSERT INTO material_supply (material, scope, country, share, trade_parameter)
                   VALUES ('lithium', 'eu', 'CN', 0.5, 0)$$,
                 '23514', NULL, 'a trade parameter 0 is rejected (23514)');
SELECT throws_ok($$INSERT INTO material_supply (material, scope, country, share) VALUES ('unobtainium', 'global', 'CN', 0.5)$$,
                 '23503', NULL, 'supply of an unknown material is rejected (23503)');
SELECT throws_ok($$INSERT INTO material_supply (material, scope, country, share) VALUES ('lithium', 'global', 'QQ', 0.5)$$,
                 '23503', NULL, 'supply from an unknown country is rejected (23503)');
SELECT throws_ok($$INSERT INTO material_supply (material, scope, country, share)
                   VALUES ('lithium', 'global', 'CN', 0.5), ('lithium', 'global', 'CN', 0.4)$$,
                 '23505', NULL, 'two shares of one material, scope and country are rejected (23505)');
SELECT throws_ok($$INSERT INTO governance (country, year, wgi) VALUES ('CN', 2020, 2.6)$$,
                 '23514', NULL, 'a WGI of 2.6 (above 2.5) is rejected (23514)');
SELECT throws_ok($$INSERT INTO governance (country, year, wgi) VALUES ('QQ', 2020, 0)$$,
                 '23503', NULL, 'a governance score of an unknown country is rejected (23503)');
SELECT throws_ok($$INSERT INTO governance (country, year, wgi) VALUES ('CN', 2020, -0.5), ('CN', 2020, -0.4)$$,
                 '23505', NULL, 'two governance scores of one country and year are rejected (23505)');
SELECT is((SELECT ARRAY[(SELECT count(*) FROM supplychain.material), (SELECT count(*) FROM supplychain.material_supply),
                        (SELECT count(*) FROM supplychain.governance)]),
          (SELECT ARRAY[material, material_supply, governance] FROM t02_eu_count),
          'the rejected material, material_supply and governance rows left nothing behind');

---------------------------------------------------------------------------
-- 4. Cycle termination
---------------------------------------------------------------------------

-- Shipped links: raw -> refining -> cells -> packs -> recycling -> refining.
-- Upstream of cells: refining 1; raw and recycling 2; packs 3; cells itself 4
-- (cells -> packs -> recycling -> refining -> cells).
SELECT set_eq($$SELECT upstream, depth FROM stage_closure WHERE stage = 'batteries.cells'$$,
              $$VALUES ('batteries.refining', 1), ('batteries.raw', 2), ('batteries.recycling', 2),
                       ('batteries.packs', 3), ('batteries.cells', 4)$$,
              'stage_closure terminates on the shipped battery cycle with shortest depths');

-- A user sector: l0 -> l1 -> l2 -> l3 -> l1 (a 3-stage cycle) and l2 -> l2.
INSERT INTO sector (code, name) VALUES ('loops', 'Loops');
INSERT INTO stage (id, sector, position, name) VALUES
    ('loops.l0', 'loops', 1, 'L0'), ('loops.l1', 'loops', 2, 'L1'),
    ('loops.l2', 'loops', 3, 'L2'), ('loops.l3', 'loops', 4, 'L3');
INSERT INTO stage_link (upstream, downstream) VALUES
    ('loops.l0', 'loops.l1'), ('loops.l1', 'loops.l2'), ('loops.l2', 'loops.l3'),
    ('loops.l3', 'loops.l1'), ('loops.l2', 'loops.l2');
-- Shortest paths upstream -> stage:
--   l1: l0 1, l3 1, l2 2 (l2-l3-l1), l1 3 (l1-l2-l3-l1)
--   l2: l1 1, l2 1 (self-loop), l0 2, l3 2 (l3-l1-l2)
--   l3: l2 1, l1 2, l0 3, l3 3 (l3-l1-l2-l3; the self-loop never shortens it)
--   l0: nothing upstream
SELECT set_eq($$SELECT stage, upstream, depth FROM stage_closure WHERE stage LIKE 'loops.%'$$,
              $$VALUES ('loops.l1', 'loops.l0', 1), ('loops.l1', 'loops.l3', 1),
                       ('loops.l1', 'loops.l2', 2), ('loops.l1', 'loops.l1', 3),
                       ('loops.l2', 'loops.l1', 1), ('loops.l2', 'loops.l2', 1),
                       ('loops.l2', 'loops.l0', 2), ('loops.l2', 'loops.l3', 2),
                       ('loops.l3', 'loops.l2', 1), ('loops.l3', 'loops.l1', 2),
                       ('loops.l3', 'loops.l0', 3), ('loops.l3', 'loops.l3', 3)$$,
              'stage_closure terminates on a 3-stage cycle with a self-loop, with shortest depths');
SELECT is((SELECT count(*) FROM stage_closure WHERE upstream LIKE 'loops.%' AND stage NOT LIKE 'loops.%'),
          0::bigint,
          'the user cycle reaches no stage outside its sector');

---------------------------------------------------------------------------
-- 6. A user's own chain, computed by hand
---------------------------------------------------------------------------

INSERT INTO sector (code, name) VALUES ('widgets', 'Widgets');
INSERT INTO stage (id, sector, position, name) VALUES
    ('widgets.ore', 'widgets', 1, 'Ore'),
    ('widgets.parts', 'widgets', 2, 'Parts'),
    ('widgets.assembly', 'widgets', 3, 'Assembly');
INSERT INTO stage_link (upstream, downstream) VALUES
    ('widgets.ore', 'widgets.parts'), ('widgets.parts', 'widgets.assembly');
INSERT INTO assessment (stage, country, rating, as_of) VALUES
    ('widgets.ore', 'DE', 'very weak', '2024-01-01'),
    ('widgets.parts', 'DE', 'weak', '2024-01-01'),
    ('widgets.assembly', 'DE', 'satisfactory', '2024-01-01');
INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of) VALUES
    ('widgets.ore', 'DE', 'CN', 'supply', 'ore', 0.6, '2024-01-01'),
    ('widgets.ore', 'DE', 'AU', 'supply', 'ore', 0.3, '2024-01-01'),
    ('widgets.ore', 'DE', 'CL', 'supply', 'ore', NULL, '2024-01-01'),
    ('widgets.parts', 'DE', 'CN', 'supply', 'gears', 0.5, '2024-01-01'),
    ('widgets.parts', 'DE', 'JP', 'supply', 'gears', 0.4, '2024-01-01'),
    ('widgets.assembly', 'DE', 'CN', 'market', 'widget sales', 0.4, '2024-01-01');
INSERT INTO alignment (country, partner, relation) VALUES
    ('DE', 'CN', 'concern'), ('DE', 'AU', 'ally'), ('DE', 'JP', 'partner');  -- CL: none

-- stage_risk, risk = weakness x HHI of known supply shares:
--   Ore:      very weak (1);   HHI 0.6^2 + 0.3^2 = 0.36 + 0.09 = 0.45; risk 1 x 0.45 = 0.4500;
--             suppliers CN, AU, CL = 3, one unknown share; top CN 0.6
--   Parts:    weak (2/3);      HHI 0.5^2 + 0.4^2 = 0.25 + 0.16 = 0.41; risk 2/3 x 0.41 = 0.27333 -> 0.2733;
--             suppliers 2, top CN 0.5
--   Assembly: satisfactory;   only a market dependency: no supplier, no HHI, no risk
SELECT set_eq($$SELECT stage, position, rating_label, suppliers, unknown_shares, hhi, top_supplier, top_share, risk
               FROM stage_risk WHERE country = 'DE' AND sector = 'widgets'$$,
              $$VALUES ('Ore', 1, 'very weak', 3, 1, 0.45, 'CN', 0.6, 0.45),
                       ('Parts', 2, 'weak', 2, 0, 0.41, 'CN', 0.5, 0.2733),
                       ('Assembly', 3, 'satisfactory', 0, 0, NULL::numeric, NULL::text, NULL::numeric, NULL::numeric)$$,
              'stage_risk of a user chain equals the hand computation');

-- country_risk, risk = sum of share x weakness x kind weight, x alignment weight:
--   CN: (0.6 x 1 + 0.5 x 2/3 + 0.4 x 1/3 [market]) x concern 1 = 0.6 + 0.33333 + 0.13333 = 1.06667 -> 1.0667;
--       3 stages, known share 0.6 + 0.5 + 0.4 = 1.5
--   JP: 0.4 x 2/3 x partner 0.5 = 0.13333 -> 0.1333
--   AU: 0.3 x 1 x ally 0.25 = 0.0750
--   CL: share unknown, no alignment row: risk NULL, ranked last
SELECT set_eq($$SELECT supplier, relation, stages, known_share, risk, rank
               FROM country_risk WHERE country = 'DE' AND sector = 'widgets'$$,
              $$VALUES ('CN', 'concern', 3, 1.5, 1.0667, 1), ('JP', 'partner', 1, 0.4, 0.1333, 2),
                       ('AU', 'ally', 1, 0.3, 0.0750, 3), ('CL', NULL::text, 1, NULL::numeric, NULL::numeric, 4)$$,
              'country_risk of a user chain equals the hand computation');

UPDATE weight SET value = 0 WHERE name = 'kind.market';
-- CN without the market term: 0.6 + 0.33333 = 0.93333 -> 0.9333
SELECT is((SELECT risk FROM country_risk WHERE country = 'DE' AND sector = 'widgets' AND supplier = 'CN'),
          0.9333,
          'kind.market 0: the sales dependency drops out of CN''s risk (0.6 + 0.5 x 2/3 = 0.9333)');
UPDATE weight SET value = 1 WHERE name = 'kind.market';

-- A later assessment of Ore: satisfactory (1/3): risk 1/3 x 0.45 = 0.15.
INSERT INTO assessment (stage, country, rating, as_of) VALUES ('widgets.ore', 'DE', 'satisfactory', '2025-01-01');
SELECT is((SELECT ROW(rating_label, risk)::text FROM stage_risk WHERE country = 'DE' AND stage_id = 'widgets.ore'),
          '(satisfactory,0.1500)',
          'the latest as_of wins: Ore is now satisfactory, risk 1/3 x 0.45 = 0.1500');

-- An earlier assessment of Parts must not override the 2024 one.
INSERT INTO assessment (stage, country, rating, as_of) VALUES ('widgets.parts', 'DE', 'very weak', '2023-01-01');
SELECT is((SELECT rating_label FROM stage_risk WHERE country = 'DE' AND stage_id = 'widgets.parts'),
          'weak',
          'an older assessment does not replace the current one');

-- Ratings now: Ore satisfactory, Parts weak, Assembly satisfactory.
SELECT set_eq($$SELECT stage, rating_label FROM weakest_stage WHERE country = 'DE' AND sector = 'widgets'$$,
              $$VALUES ('Parts', 'weak')$$,
              'weakest_stage follows the current assessments of the user chain');

-- CN on the ore stage is now weighted 1/3: 0.6/3 + 0.5 x 2/3 + 0.4/3 = 0.2 + 0.33333 + 0.13333 = 0.66667
SELECT is((SELECT risk FROM country_risk WHERE country = 'DE' AND sector = 'widgets' AND supplier = 'CN'),
          0.6667,
          'country_risk follows the current assessment: CN = 0.2 + 0.3333 + 0.1333 = 0.6667');

---------------------------------------------------------------------------
-- 7. Shipped rows are read-only
---------------------------------------------------------------------------

-- A user's newer assessment of a shipped stage is the way to change it.
INSERT INTO assessment (stage, country, rating, as_of) VALUES ('batteries.cells', 'US', 'satisfactory', '2022-01-01');
SELECT is((SELECT rating_label FROM stage_risk WHERE country = 'US' AND stage_id = 'batteries.cells'),
          'satisfactory',
          'a user''s later assessment of a shipped stage is the current one');
SELECT lives_ok($$UPDATE assessment SET rating = 'very weak', diagnosis = 'revised'
                  WHERE stage = 'batteries.cells' AND country = 'US' AND as_of = '2022-01-01'$$,
                'the user''s own assessment row can be updated');
SELECT lives_ok($$DELETE FROM assessment WHERE stage = 'batteries.cells' AND country = 'US' AND as_of = '2022-01-01'$$,
                'the user''s own assessment row can be deleted');
SELECT is((SELECT rating_label FROM stage_risk WHERE country = 'US' AND stage_id = 'batteries.cells'),
          'weak',
          'with the user row gone, the shipped assessment (weak) is current again');

-- governance and material_supply ship no rows, so the rules below would
-- have nothing to refuse there: a shipped-looking row each, made the way
-- upgrade scripts make shipped rows (maintenance mode).
SET supplychain.maintenance = 'on';
INSERT INTO governance (country, year, wgi, source, builtin) VALUES ('CN', 2020, -0.5, 'kiet-2021', true);
INSERT INTO material_supply (material, scope, country, share, source, builtin)
VALUES ('lithium', 'global', 'CN', 0.5, 'kiet-2021', true);
RESET supplychain.maintenance;

-- A fingerprint of the shipped rows of each registered table.
CREATE TEMP VIEW t02_shipped_now AS
    SELECT c.relname::text AS t,
           (xpath('/row/h/text()', query_to_xml(
               format('SELECT count(*) || '' '' || md5(string_agg(r::text, '','' ORDER BY r::text)) AS h '
                      'FROM %s r WHERE builtin', c.oid::regclass),
               false, true, '')))[1]::text AS h
    FROM pg_extension e, unnest(e.extconfig) x JOIN pg_class c ON c.oid = x
    WHERE e.extname = 'supplychain'
      AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'builtin' AND NOT a.attisdropped);
CREATE TEMP TABLE t02_shipped_before AS SELECT * FROM t02_shipped_now;

-- Every table but weight: no UPDATE, no DELETE of a builtin row.
CREATE TEMP TABLE t02_readonly (t text PRIMARY KEY);
INSERT INTO t02_readonly VALUES ('source'), ('country'), ('sector'), ('stage'), ('stage_link'),
    ('assessment'), ('dependency'), ('alignment'), ('policy'), ('policy_measure'),
    ('policy_impact'), ('figure'), ('material'), ('material_supply'), ('governance'),
    ('product'), ('product_stage'), ('country_group');
SELECT set_eq($$SELECT t FROM t02_readonly UNION ALL SELECT 'weight' UNION ALL SELECT 'watch'
                UNION ALL SELECT 'trade_country_total' UNION ALL SELECT 'trade_country_group_total' UNION ALL SELECT 'alert'$$,
              $$SELECT c.relname::text FROM pg_extension e, unnest(e.extconfig) x JOIN pg_class c ON c.oid = x
                WHERE e.extname = 'supplychain'$$,
              'the tables checked below are the registered tables (weight and watch apart: a shipped row changed becomes the user''s; the trade totals and alert have no shipped rows)');

-- Un-shipping a row (builtin = false) would be the quietest way around the rule.
SELECT throws_ok(format('UPDATE supplychain.%I SET builtin = false WHERE builtin', t),
                 '23001', format('cannot update a shipped reference row of supplychain.%s', t),
                 format('UPDATE of a shipped %s row is rejected (23001)', t))
FROM t02_readonly ORDER BY t;
SELECT throws_ok(format('DELETE FROM supplychain.%I WHERE builtin', t),
                 '23001', format('cannot delete a shipped reference row of supplychain.%s', t),
                 format('DELETE of a shipped %s row is rejected (23001)', t))
FROM t02_readonly ORDER BY t;

-- TRUNCATE of every table, weight too.  A plain TRUNCATE of a table that
-- other tables reference stops at the foreign key (0A000) before any
-- trigger runs; with CASCADE the named table's trigger fires first.
SELECT throws_ok(format('TRUNCATE supplychain.%I%s', t, cascade),
                 '23001', format('cannot truncate supplychain.%s: it holds shipped reference rows', t),
                 format('TRUNCATE %s%s is rejected (23001)', t, cascade))
FROM (SELECT t, CASE WHEN EXISTS (SELECT 1 FROM pg_constraint
                                  WHERE contype = 'f' AND confrelid = format('supplychain.%I', t)::regclass
                                    AND conrelid <> confrelid)
                     THEN ' CASCADE' ELSE '' END AS cascade
      FROM (SELECT t FROM t02_readonly UNION ALL SELECT 'weight') x) y
ORDER BY t;

-- A copy of a shipped row is a shipped-looking row: refused before any key
-- or constraint is checked, in every table, weight too.
SELECT throws_ok(format('INSERT INTO supplychain.%1$I SELECT * FROM supplychain.%1$I WHERE builtin LIMIT 1', t),
                 '23001', format('cannot mark a row of supplychain.%s as shipped reference data', t),
                 format('INSERT of a row with builtin = true into %s is rejected (23001)', t))
FROM (SELECT t FROM t02_readonly UNION ALL SELECT 'weight') x
ORDER BY t;

SELECT set_eq($$SELECT * FROM t02_shipped_now$$, $$SELECT * FROM t02_shipped_before$$,
              'the rejected statements left every shipped row of every table as it was');

-- weight: a shipped weight's value may change (it becomes the user's row,
-- tested above), but it cannot be renamed or deleted.
SELECT throws_ok($$UPDATE weight SET name = 'alignment.friend' WHERE name = 'alignment.partner'$$,
                 '23001', 'cannot rename shipped weight "alignment.partner"',
                 'renaming a shipped weight is rejected (23001)');
SELECT throws_ok($$DELETE FROM weight WHERE name = 'alignment.partner'$$,
                 '23001', 'cannot delete a shipped reference row of supplychain.weight',
                 'deleting a shipped weight is rejected (23001)');
SELECT is((SELECT ROW(value, builtin)::text FROM weight WHERE name = 'alignment.partner'),
          '(0.5,t)',
          'alignment.partner is still the shipped 0.5');

-- supplychain.maintenance = on lifts the rule (for upgrade scripts).
SET supplychain.maintenance = 'on';
SELECT lives_ok($$UPDATE figure SET note = 'corrected' WHERE id = 'us-chips-act-budget'$$,
                'maintenance on: a shipped figure can be updated');
SELECT lives_ok($$DELETE FROM alignment WHERE builtin AND country = 'KR'$$,
                'maintenance on: a shipped alignment row can be deleted');
SELECT lives_ok($$UPDATE weight SET name = 'alignment.friend' WHERE name = 'alignment.partner'$$,
                'maintenance on: a shipped weight can be renamed');
SELECT lives_ok($$TRUNCATE dependency$$, 'maintenance on: TRUNCATE dependency is accepted');
-- TRUNCATE empties the key rows with the table.
SELECT is((SELECT count(*) FROM share_total), 0::bigint, 'TRUNCATE dependency empties share_total');
RESET supplychain.maintenance;
SELECT throws_ok($$UPDATE figure SET note = 'again' WHERE id = 'us-chips-act-budget'$$,
                 '23001', 'cannot update a shipped reference row of supplychain.figure',
                 'after RESET supplychain.maintenance shipped rows are read-only again');

-- Users cannot create shipped-looking rows: pg_dump would leave them out.
SELECT throws_ok($$INSERT INTO country (code, name, builtin) VALUES ('XF', 'Test land', true)$$,
                 '23001', 'cannot mark a row of supplychain.country as shipped reference data',
                 'inserting a row with builtin = true is rejected (23001)');
INSERT INTO country (code, name) VALUES ('XF', 'Test land');
SELECT throws_ok($$UPDATE country SET builtin = true WHERE code = 'XF'$$,
                 '23001', 'cannot mark a row of supplychain.country as shipped reference data',
                 'marking a user row as shipped is rejected (23001)');
SELECT lives_ok($$DELETE FROM country WHERE code = 'XF'$$, 'the user row stays the user''s, and can be deleted');
-- the same in the EU supply-risk tables
INSERT INTO material (id, name, sector) VALUES ('t02-gallium', 'Gallium', 'semiconductors');
INSERT INTO material_supply (material, scope, country, share) VALUES ('t02-gallium', 'global', 'CN', 0.9);
INSERT INTO governance (country, year, wgi) VALUES ('JP', 2022, 1.3);
SELECT throws_ok(format('UPDATE supplychain.%I SET builtin = true WHERE NOT builtin', t),
                 '23001', format('cannot mark a row of supplychain.%s as shipped reference data', t),
                 format('marking a user row of %s as shipped is rejected (23001)', t))
FROM unnest(ARRAY['material', 'material_supply', 'governance']) t ORDER BY t;
SELECT lives_ok($$DELETE FROM material WHERE id = 't02-gallium'$$,
                'a user material can be deleted, and its supply rows with it');
SELECT is((SELECT count(*) FROM material_supply WHERE material = 't02-gallium'), 0::bigint,
          'deleting a user material deleted its supply rows (ON DELETE CASCADE)');
-- In maintenance mode a shipped weight is corrected as shipped (upgrade scripts).
SET supplychain.maintenance = 'on';
UPDATE weight SET value = 0.3 WHERE name = 'hhi.concentrated';
RESET supplychain.maintenance;
SELECT is((SELECT ROW(value, builtin)::text FROM weight WHERE name = 'hhi.concentrated'), '(0.3,t)',
          'maintenance on: a corrected shipped weight stays shipped');

-- A changed default is the user's row, yet the views need it: it cannot be deleted either.
UPDATE weight SET value = 0.5 WHERE name = 'kind.talent';
SELECT throws_ok($$DELETE FROM weight WHERE name = 'kind.talent'$$, '23001', NULL,
                 'a changed shipped weight cannot be deleted (23001)');
SELECT is((SELECT ROW(value, default_value, builtin)::text FROM weight WHERE name = 'kind.talent'), '(0.5,1,f)',
          'it keeps its shipped default_value, to set back');

SELECT * FROM finish();
ROLLBACK;
