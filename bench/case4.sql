-- case4.sql - country_risk over generated dependencies, at a small and a
-- large size, against a bare GROUP BY country, supplier over the same rows.
-- Variables: small, large (dependency rows), countries, stages, sectors,
-- suppliers (rows per share key), batch (rows per INSERT), budget (seconds
-- of loading through the constraints per size), runs, warmup.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- Generated network: :countries countries, :stages stages in :sectors
-- sectors.  All keys are pure arithmetic on row numbers, so every run
-- generates the same rows.
CREATE FUNCTION bench.c4_country(i bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT chr(65 + (i / 26)::integer) || chr(65 + (i % 26)::integer) $$;
CREATE FUNCTION bench.c4_sector(k bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT 'sector-' || k $$;
CREATE FUNCTION bench.c4_stage(s bigint, sectors integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT 'sector-' || (s % sectors) || '.stage-' || (s / sectors + 1) $$;

-- Dependency rows of share keys ("groups") g_lo .. g_hi - 1, m suppliers each.
-- A group is one (stage, country, kind, item, as_of); its m rows are m
-- distinct suppliers, none of them the country itself.  Every tenth group
-- (g % 10 = 9) repeats the previous group's key and suppliers one year
-- earlier, so that current_dependency has superseded rows to drop.  Shares
-- are truncated multiples of 1/(10000 m) below 1/m, so the known shares of a
-- key sum to less than 1; one share in twenty is unknown (NULL).
CREATE FUNCTION bench.c4_rows(g_lo bigint, g_hi bigint, m integer,
                              n_stage integer, n_country integer, n_sector integer)
RETURNS TABLE (stage text, country text, supplier text, kind text, item text, share numeric, as_of date)
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'sector-' || (k.s % n_sector) || '.stage-' || (k.s / n_sector + 1),
           chr(65 + (k.c / 26)::integer) || chr(65 + (k.c % 26)::integer),
           chr(65 + (k.p / 26)::integer) || chr(65 + (k.p % 26)::integer),
           (ARRAY['supply', 'market', 'talent'])[(k.ki % 3)::integer + 1],
           'item-' || (k.ki / 3),
           CASE WHEN (g * m + j) * 2654435761 % 20 = 0 THEN NULL
                ELSE trunc(((g * m + j) * 2654435761 / 20 % 10000) / (10000.0 * m), 6) END,
           CASE WHEN g % 10 = 9 THEN date '2020-06-01' ELSE date '2021-06-01' END
    FROM generate_series(g_lo, g_hi - 1) g
    CROSS JOIN LATERAL (SELECT g - (g % 10 = 9)::integer AS t) t
    CROSS JOIN LATERAL (SELECT t.t * 1000003 % (n_stage::bigint * n_country * 9) AS h) hh
    CROSS JOIN generate_series(1, m) j
    CROSS JOIN LATERAL (SELECT hh.h % n_stage AS s,
                               hh.h / n_stage % n_country AS c,
                               (hh.h / n_stage % n_country + t.t * 7919 % (n_country - m) + j) % n_country AS p,
                               hh.h / (n_stage::bigint * n_country) AS ki) k
$$;

-- (run.sh checks that the sizes fit: suppliers < countries - 1, and enough keys)
INSERT INTO supplychain.sector (code, name)
SELECT bench.c4_sector(k), 'Generated sector ' || k FROM generate_series(0, :sectors - 1) k;
INSERT INTO supplychain.stage (id, sector, position, name)
SELECT bench.c4_stage(s, :sectors), bench.c4_sector(s % :sectors), s / :sectors + 1, 'Generated stage ' || s
FROM generate_series(0, :stages - 1) s;
INSERT INTO supplychain.country (code, name)
SELECT bench.c4_country(i), 'Generated country ' || i FROM generate_series(0, :countries - 1) i
ON CONFLICT DO NOTHING;
-- three in four (stage, country) pairs are assessed
INSERT INTO supplychain.assessment (stage, country, rating, as_of)
SELECT bench.c4_stage(s, :sectors), bench.c4_country(c), (1 + (s * 7 + c * 13) % 3)::integer::stage_rating,
       date '2021-06-01'
FROM generate_series(0, :stages - 1) s, generate_series(0, :countries - 1) c
WHERE (s * 31 + c * 17) % 4 <> 0;
-- four in five ordered pairs of countries have an alignment
INSERT INTO supplychain.alignment (country, partner, relation)
SELECT bench.c4_country(c), bench.c4_country(p), (ARRAY['ally', 'partner', 'neutral', 'concern'])[(c + p) % 4 + 1]
FROM generate_series(0, :countries - 1) c, generate_series(0, :countries - 1) p
WHERE c <> p AND (c * 7 + p * 3) % 5 <> 0
ON CONFLICT DO NOTHING;

-- The same rows into a table without constraints or triggers: the load
-- baseline.
CREATE TABLE bench.c4_plain (LIKE supplychain.dependency INCLUDING DEFAULTS);

-- Load groups g_lo .. g_hi - 1 in INSERT statements of about per_batch rows,
-- one transaction each, alternating the real table and the plain one, for
-- at most budget seconds.  What is left after that goes in with triggers
-- off (session_replication_role = replica: no share check, no foreign-key
-- checks) and is checked afterwards, set-wise, by bench.c4_verify(): the
-- benchmark of the views must not wait hours for a slow load path, and the
-- report says how many rows took which path.
CREATE PROCEDURE bench.c4_load(tag text, g_lo bigint, g_hi bigint, m integer, per_batch bigint,
                               budget double precision, n_stage integer, n_country integer, n_sector integer)
LANGUAGE plpgsql AS $$
DECLARE
    lo bigint := g_lo;
    hi bigint;
    t0 timestamptz;
    started timestamptz := clock_timestamp();
    b integer := 0;
BEGIN
    WHILE lo < g_hi LOOP
        IF extract(epoch FROM clock_timestamp() - started) >= budget THEN
            PERFORM set_config('session_replication_role', 'replica', true);
            t0 := clock_timestamp();
            INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
            SELECT * FROM bench.c4_rows(lo, g_hi, m, n_stage, n_country, n_sector);
            INSERT INTO bench.timing VALUES ('c4.load.' || tag || '.bulk', 1,
                                             1000 * extract(epoch FROM clock_timestamp() - t0),
                                             jsonb_build_object('rows', (g_hi - lo) * m));
            COMMIT;
            EXIT;
        END IF;
        hi := least(g_hi, lo + greatest(1, per_batch / m));
        b := b + 1;
        t0 := clock_timestamp();
        INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
        SELECT * FROM bench.c4_rows(lo, hi, m, n_stage, n_country, n_sector);
        INSERT INTO bench.timing VALUES ('c4.load.' || tag || '.ours', b,
                                         1000 * extract(epoch FROM clock_timestamp() - t0),
                                         jsonb_build_object('rows', (hi - lo) * m));
        COMMIT;
        t0 := clock_timestamp();
        INSERT INTO bench.c4_plain (stage, country, supplier, kind, item, share, as_of)
        SELECT * FROM bench.c4_rows(lo, hi, m, n_stage, n_country, n_sector);
        INSERT INTO bench.timing VALUES ('c4.load.' || tag || '.plain', b,
                                         1000 * extract(epoch FROM clock_timestamp() - t0),
                                         jsonb_build_object('rows', (hi - lo) * m));
        COMMIT;
        lo := hi;
    END LOOP;
END
$$;

-- What the triggers would have checked, over the whole table: every
-- reference exists, and the known shares of each (stage, country, kind,
-- item) sum to at most 1 at each date.  (The generator gives every version
-- of a key the same suppliers, so per-date sums are the extension's rule.)
CREATE PROCEDURE bench.c4_verify()
LANGUAGE plpgsql AS $$
DECLARE
    bad bigint;
    worst numeric;
    t0 timestamptz;
BEGIN
    IF NOT EXISTS (SELECT FROM bench.timing WHERE label LIKE 'c4.load.%.bulk') THEN
        RETURN;
    END IF;
    SELECT count(*) INTO bad FROM supplychain.dependency d
    WHERE NOT EXISTS (SELECT FROM supplychain.stage s WHERE s.id = d.stage)
       OR NOT EXISTS (SELECT FROM supplychain.country c WHERE c.code = d.country)
       OR NOT EXISTS (SELECT FROM supplychain.country c WHERE c.code = d.supplier);
    IF bad <> 0 THEN
        RAISE EXCEPTION 'case 4: % generated rows break a foreign key', bad;
    END IF;
    SELECT max(total) INTO worst FROM (
        SELECT sum(share) AS total FROM supplychain.dependency
        GROUP BY stage, country, kind, item, as_of) t;
    IF worst > 1 THEN
        RAISE EXCEPTION 'case 4: generated shares of a key sum to %', worst;
    END IF;
    -- the rows that went in with triggers off are not in the maintained
    -- state: rebuild it (the documented repair), and say what that costs
    t0 := clock_timestamp();
    PERFORM supplychain.rebuild_state();
    INSERT INTO bench.timing VALUES ('c4.rebuild.' || (SELECT count(*) FROM supplychain.dependency), 1,
                                     1000 * extract(epoch FROM clock_timestamp() - t0), NULL);
END
$$;

-- What a change of weights costs (the state holds them): a weakness weight
-- is in every stage term, so every term and every country row is
-- recomputed from the stored shares; an alignment weight is in every country
-- row.  Each change is rolled back (a subtransaction), its time kept.
CREATE PROCEDURE bench.c4_weights(tag text)
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    w text;
BEGIN
    FOREACH w IN ARRAY ARRAY['weakness.weak', 'alignment.partner'] LOOP
        t0 := clock_timestamp();
        BEGIN
            UPDATE supplychain.weight SET value = value * 1.01 WHERE name = w;
            -- undone: the time kept below includes the rollback's (brief)
            RAISE EXCEPTION USING ERRCODE = 'P0002';
        EXCEPTION WHEN no_data_found THEN
            NULL;
        END;
        INSERT INTO bench.timing VALUES ('c4.' || tag || '.weight.' || w, 1,
                                         1000 * extract(epoch FROM clock_timestamp() - t0), NULL);
    END LOOP;
END
$$;

CREATE PROCEDURE bench.c4_measure(tag text, runs integer, warmup integer)
LANGUAGE plpgsql AS $$
BEGIN
    CALL bench.measure(ARRAY['c4.' || tag || '.country_risk', 'c4.' || tag || '.group_by'],
        ARRAY['SELECT * FROM supplychain.country_risk',
              'SELECT country, supplier, sum(share) FROM supplychain.dependency GROUP BY country, supplier'],
        'explain', runs, warmup);
    -- one country ('AA', the first generated one), and one country and
    -- sector, as a dashboard tile asks: each view against a bare GROUP BY
    -- over the same country's rows, read through the same index
    CALL bench.measure(ARRAY['c4.' || tag || '.one.country_risk', 'c4.' || tag || '.one.group_by',
                             'c4.' || tag || '.one.stage_risk', 'c4.' || tag || '.one.group_by_stage',
                             'c4.' || tag || '.one.tier_exposure', 'c4.' || tag || '.one.weakest_stage'],
        ARRAY[$q$SELECT * FROM supplychain.country_risk WHERE country = 'AA'$q$,
              $q$SELECT country, supplier, sum(share) FROM supplychain.dependency WHERE country = 'AA' GROUP BY country, supplier$q$,
              $q$SELECT * FROM supplychain.stage_risk WHERE country = 'AA'$q$,
              $q$SELECT stage, supplier, sum(share) FROM supplychain.dependency WHERE country = 'AA' GROUP BY stage, supplier$q$,
              $q$SELECT * FROM supplychain.tier_exposure WHERE country = 'AA'$q$,
              $q$SELECT * FROM supplychain.weakest_stage WHERE country = 'AA'$q$],
        'explain', runs, warmup);
    CALL bench.measure(ARRAY['c4.' || tag || '.sector.country_risk', 'c4.' || tag || '.sector.group_by',
                             'c4.' || tag || '.sector.stage_risk'],
        ARRAY[$q$SELECT * FROM supplychain.country_risk WHERE country = 'AA' AND sector = 'sector-3'$q$,
              $q$SELECT d.supplier, sum(d.share) FROM supplychain.dependency d JOIN supplychain.stage s ON s.id = d.stage
                 WHERE d.country = 'AA' AND s.sector = 'sector-3' GROUP BY d.supplier$q$,
              $q$SELECT * FROM supplychain.stage_risk WHERE country = 'AA' AND sector = 'sector-3'$q$],
        'explain', runs, warmup);
    -- the whole view against reading as many rows from a plain table
    DROP TABLE IF EXISTS bench.c4_as_table;
    CREATE TABLE bench.c4_as_table AS SELECT * FROM supplychain.country_risk;
    ANALYZE bench.c4_as_table;
    COMMIT;
    CALL bench.measure(ARRAY['c4.' || tag || '.country_risk2', 'c4.' || tag || '.as_table'],
        ARRAY['SELECT * FROM supplychain.country_risk', 'SELECT * FROM bench.c4_as_table'],
        'explain', runs, warmup);
    DROP TABLE bench.c4_as_table;
END
$$;

-- COPY of the same file into the dependency table (every constraint and
-- trigger), against the floor: a COPY into a plain table followed by its
-- primary key built by sort; and, for information, a COPY into a table with
-- that primary key alone (what PostgreSQL costs to keep a key row by row).
-- One run each, the floor first; the rows are the next :copy_rows after the
-- large size's, in fresh keys.
CREATE PROCEDURE bench.c4_copy(g_lo bigint, g_hi bigint, m integer, n_stage integer, n_country integer, n_sector integer)
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    file constant text := '/tmp/supplychain-bench-c4.csv';
BEGIN
    EXECUTE format('COPY (SELECT * FROM bench.c4_rows(%s, %s, %s, %s, %s, %s)) TO %L WITH (FORMAT csv)',
                   g_lo, g_hi, m, n_stage, n_country, n_sector, file);
    CREATE TABLE bench.c4_copy_plain (stage text, country text, supplier text, kind text, item text,
                                      share numeric, as_of date);
    CHECKPOINT;
    t0 := clock_timestamp();
    EXECUTE format('COPY bench.c4_copy_plain FROM %L WITH (FORMAT csv)', file);
    INSERT INTO bench.timing VALUES ('c4.copy.plain', 1, 1000 * extract(epoch FROM clock_timestamp() - t0), NULL);
    t0 := clock_timestamp();
    ALTER TABLE bench.c4_copy_plain ADD PRIMARY KEY (country, stage, kind, item, supplier, as_of);
    INSERT INTO bench.timing VALUES ('c4.copy.pkey', 1, 1000 * extract(epoch FROM clock_timestamp() - t0), NULL);
    COMMIT;
    DROP TABLE bench.c4_copy_plain;
    CREATE TABLE bench.c4_copy_keyed (stage text, country text, supplier text, kind text, item text,
                                      share numeric, as_of date,
                                      PRIMARY KEY (country, stage, kind, item, supplier, as_of));
    CHECKPOINT;
    t0 := clock_timestamp();
    EXECUTE format('COPY bench.c4_copy_keyed FROM %L WITH (FORMAT csv)', file);
    INSERT INTO bench.timing VALUES ('c4.copy.keyed', 1, 1000 * extract(epoch FROM clock_timestamp() - t0), NULL);
    COMMIT;
    DROP TABLE bench.c4_copy_keyed;
    CHECKPOINT;
    t0 := clock_timestamp();
    EXECUTE format('COPY supplychain.dependency (stage, country, supplier, kind, item, share, as_of) FROM %L WITH (FORMAT csv)', file);
    INSERT INTO bench.timing VALUES ('c4.copy.ours', 1, 1000 * extract(epoch FROM clock_timestamp() - t0), NULL);
    COMMIT;

    -- The floor with the maintained state: the same COPY into a table with
    -- the primary key alone, and the rows the maintained state holds for the
    -- COPY's keys (share_total, stage_state, supplier_state, country_state,
    -- country_total_state), each INSERTed once into an empty table with the
    -- same indexes: what PostgreSQL writes at the least for a COPY whose
    -- state is kept in the same transaction.  The state's rows are those
    -- the COPY through every rule left (untimed, before).
    CREATE TABLE bench.c4_copy_rows (stage text, country text, supplier text, kind text, item text,
                                     share numeric, as_of date);
    EXECUTE format('COPY bench.c4_copy_rows FROM %L WITH (FORMAT csv)', file);
    CREATE TABLE bench.c4_want_share AS SELECT t.* FROM supplychain.share_total t
        WHERE (t.stage, t.country, t.kind, t.item) IN (SELECT stage, country, kind, item FROM bench.c4_copy_rows);
    CREATE TABLE bench.c4_want_stage AS SELECT t.* FROM supplychain.stage_state t
        WHERE (t.country, t.stage) IN (SELECT country, stage FROM bench.c4_copy_rows);
    CREATE TABLE bench.c4_want_sup AS SELECT t.* FROM supplychain.supplier_state t
        WHERE (t.country, t.stage, t.supplier) IN (SELECT country, stage, supplier FROM bench.c4_copy_rows);
    CREATE TABLE bench.c4_want_cs AS SELECT t.* FROM supplychain.country_state t
        WHERE (t.country, t.sector, t.supplier) IN (SELECT country, sector, supplier FROM bench.c4_want_sup);
    CREATE TABLE bench.c4_want_ct AS SELECT t.* FROM supplychain.country_total_state t
        WHERE (t.country, t.supplier) IN (SELECT country, supplier FROM bench.c4_want_sup);
    DROP TABLE bench.c4_copy_rows;
    CREATE TABLE bench.c4_copy_keyed (stage text, country text, supplier text, kind text, item text,
                                      share numeric, as_of date,
                                      PRIMARY KEY (country, stage, kind, item, supplier, as_of));
    CREATE TABLE bench.c4_f_share (LIKE supplychain.share_total INCLUDING ALL);
    CREATE TABLE bench.c4_f_stage (LIKE supplychain.stage_state INCLUDING ALL) WITH (fillfactor = 70);
    CREATE TABLE bench.c4_f_sup (LIKE supplychain.supplier_state INCLUDING ALL) WITH (fillfactor = 70);
    CREATE TABLE bench.c4_f_cs (LIKE supplychain.country_state INCLUDING ALL) WITH (fillfactor = 70);
    CREATE TABLE bench.c4_f_ct (LIKE supplychain.country_total_state INCLUDING ALL) WITH (fillfactor = 70);
    COMMIT;
    CHECKPOINT;
    t0 := clock_timestamp();
    EXECUTE format('COPY bench.c4_copy_keyed FROM %L WITH (FORMAT csv)', file);
    INSERT INTO bench.c4_f_share SELECT * FROM bench.c4_want_share;
    INSERT INTO bench.c4_f_stage SELECT * FROM bench.c4_want_stage;
    INSERT INTO bench.c4_f_sup SELECT * FROM bench.c4_want_sup;
    INSERT INTO bench.c4_f_cs SELECT * FROM bench.c4_want_cs;
    INSERT INTO bench.c4_f_ct SELECT * FROM bench.c4_want_ct;
    INSERT INTO bench.timing VALUES ('c4.copy.state_floor', 1, 1000 * extract(epoch FROM clock_timestamp() - t0),
        jsonb_build_object('share_total', (SELECT count(*) FROM bench.c4_want_share),
                           'stage_state', (SELECT count(*) FROM bench.c4_want_stage),
                           'supplier_state', (SELECT count(*) FROM bench.c4_want_sup),
                           'country_state', (SELECT count(*) FROM bench.c4_want_cs),
                           'country_total_state', (SELECT count(*) FROM bench.c4_want_ct)));
    COMMIT;
    DROP TABLE bench.c4_copy_keyed, bench.c4_f_share, bench.c4_f_stage, bench.c4_f_sup, bench.c4_f_cs, bench.c4_f_ct,
               bench.c4_want_share, bench.c4_want_stage, bench.c4_want_sup, bench.c4_want_cs, bench.c4_want_ct;
END
$$;

-- small
CALL bench.c4_load('small', 0, :small / :suppliers, :suppliers, :batch, :budget, :stages, :countries, :sectors);
CALL bench.c4_verify();
VACUUM ANALYZE supplychain.dependency, supplychain.assessment, supplychain.alignment,
    supplychain.stage, supplychain.country, supplychain.stage_state, supplychain.supplier_state,
    supplychain.country_state, supplychain.country_total_state;
CHECKPOINT;
SELECT count(*) AS "case 4 dependency rows (small)", count(*) FILTER (WHERE share IS NULL) AS unknown_shares,
       count(DISTINCT (stage, country, kind, item, as_of)) AS share_keys,
       pg_size_pretty(pg_total_relation_size('supplychain.dependency')) AS size
FROM supplychain.dependency;
\echo '== case 4: plan of country_risk (small)'
EXPLAIN (COSTS OFF) SELECT * FROM supplychain.country_risk;
CALL bench.c4_measure('small', :runs, :warmup);
CALL bench.c4_weights('small');
-- For the report: the one step of country_risk that no formulation can
-- skip, the latest row of each dependency (current_dependency), alone.
CALL bench.measure(ARRAY['c4.small.current_dependency', 'c4.small.group_by2'],
    ARRAY['SELECT * FROM supplychain.current_dependency',
          'SELECT country, supplier, sum(share) FROM supplychain.dependency GROUP BY country, supplier'],
    'explain', :runs, :warmup);

-- large: the small rows plus the rest
CALL bench.c4_load('large', :small / :suppliers, :large / :suppliers, :suppliers, :batch, :budget, :stages, :countries, :sectors);
CALL bench.c4_verify();
VACUUM ANALYZE supplychain.dependency, supplychain.stage_state, supplychain.supplier_state,
    supplychain.country_state, supplychain.country_total_state;
CHECKPOINT;
SELECT count(*) AS "case 4 dependency rows (large)", pg_size_pretty(pg_total_relation_size('supplychain.dependency')) AS size
FROM supplychain.dependency;
CALL bench.c4_measure('large', :runs, :warmup);
CALL bench.c4_weights('large');

INSERT INTO bench.result ("case", name, rows, ours, base, target, note)
SELECT '4', v.name, r.rows, 'c4.' || r.tag || v.ours, 'c4.' || r.tag || v.base, v.target, v.note
FROM (VALUES ('small', :small), ('large', :large)) r (tag, rows),
     (VALUES (1, 'one country: country_risk vs GROUP BY over its rows (same index)', '.one.country_risk', '.one.group_by', 2.0, NULL),
             (2, 'one country: stage_risk vs GROUP BY stage, supplier over its rows', '.one.stage_risk', '.one.group_by_stage', 2.0, NULL),
             (3, 'one country: tier_exposure vs GROUP BY stage, supplier over its rows', '.one.tier_exposure', '.one.group_by_stage', 2.0, NULL),
             (6, 'one country: weakest_stage vs GROUP BY stage, supplier over its rows', '.one.weakest_stage', '.one.group_by_stage', 2.0, NULL),
             (7, 'whole country_risk vs reading as many rows from a plain table', '.country_risk2', '.as_table', NULL, NULL),
             (4, 'country + sector: country_risk vs GROUP BY over its rows', '.sector.country_risk', '.sector.group_by', 2.0, NULL),
             (5, 'country + sector: stage_risk vs GROUP BY over its rows', '.sector.stage_risk', '.sector.group_by', 2.0, NULL)) v (k, name, ours, base, target, note)
ORDER BY r.rows, v.k;
INSERT INTO bench.result ("case", name, rows, ours, base, target, note) VALUES
    ('4', 'country_risk vs GROUP BY country, supplier', :small, 'c4.small.country_risk', 'c4.small.group_by', 3, NULL),
    ('4', 'country_risk vs GROUP BY country, supplier', :large, 'c4.large.country_risk', 'c4.large.group_by', 3, NULL),
    ('4', 'current_dependency alone (a step of country_risk) vs GROUP BY', :small, 'c4.small.current_dependency',
     'c4.small.group_by2', NULL, 'the part of country_risk that keeps the latest row of each dependency');
INSERT INTO bench.result ("case", name, rows, ours_ms, base_ms, target, note)
SELECT '4', format('a change of the weight %s (rolled back), %s rows (ms, against 1 ms)', split_part(label, '.', 4) || '.' || split_part(label, '.', 5),
                   CASE split_part(label, '.', 2) WHEN 'small' THEN :small ELSE :large END),
       CASE split_part(label, '.', 2) WHEN 'small' THEN :small ELSE :large END, ms, 1, NULL,
       'the state recomputed from its stored shares: every term and country row (weakness), every country row (alignment)'
FROM bench.timing WHERE label LIKE 'c4.%.weight.%';
INSERT INTO bench.result ("case", name, rows, ours_ms, base_ms, target, note)
SELECT '4', format('rebuild_state() after loading with triggers off, %s rows (ms, against 1 ms)', split_part(label, '.', 3)),
       split_part(label, '.', 3)::bigint, ms, 1, NULL, 'the one-call repair after writes that bypassed the triggers'
FROM bench.timing WHERE label LIKE 'c4.rebuild.%';
INSERT INTO bench.result ("case", name, rows, ours_ms, base_ms, target, note)
SELECT '4', format('country_risk time, %s rows / %s rows', :large, :small), :large,
       (SELECT median_ms FROM bench.stat WHERE label = 'c4.large.country_risk'),
       (SELECT median_ms FROM bench.stat WHERE label = 'c4.small.country_risk'),
       (:large::double precision / :small) * 1.1, format('linear: <= 1.1 x %s', :large / :small)
UNION ALL
SELECT '4', format('GROUP BY time, %s rows / %s rows', :large, :small), :large,
       (SELECT median_ms FROM bench.stat WHERE label = 'c4.large.group_by'),
       (SELECT median_ms FROM bench.stat WHERE label = 'c4.small.group_by'),
       NULL, 'the baseline''s own scaling';
INSERT INTO bench.result ("case", name, rows, ours_ms, base_ms, target, note)
SELECT '4', format('load rows %s..%s: the %s rows through the constraints vs into a plain table',
                   CASE tag WHEN 'small' THEN 1 ELSE :small + 1 END, CASE tag WHEN 'small' THEN :small ELSE :large END,
                   sum((info ->> 'rows')::bigint) FILTER (WHERE label LIKE '%.ours')),
       CASE tag WHEN 'small' THEN :small ELSE :large END,
       sum(ms) FILTER (WHERE label LIKE '%.ours'),
       sum(ms) FILTER (WHERE label LIKE '%.plain'),
       NULL,
       concat_ws('; ',
           format('one run; %s statements of <= %s rows, each %s..%s ms (plain %s..%s ms)',
                  count(*) FILTER (WHERE label LIKE '%.ours'), :batch,
                  round(min(ms) FILTER (WHERE label LIKE '%.ours')),
                  round(max(ms) FILTER (WHERE label LIKE '%.ours')),
                  round(min(ms) FILTER (WHERE label LIKE '%.plain')),
                  round(max(ms) FILTER (WHERE label LIKE '%.plain'))),
           format('%s us/row vs %s us/row plain',
                  round((sum(ms) FILTER (WHERE label LIKE '%.ours') * 1000
                         / sum((info ->> 'rows')::bigint) FILTER (WHERE label LIKE '%.ours'))::numeric, 1),
                  round((sum(ms) FILTER (WHERE label LIKE '%.plain') * 1000
                         / sum((info ->> 'rows')::bigint) FILTER (WHERE label LIKE '%.plain'))::numeric, 1)),
           CASE WHEN count(*) FILTER (WHERE label LIKE '%.bulk') > 0
                THEN format('load budget of %s s spent: the other %s rows went in with triggers off (%s ms) and were checked afterwards',
                            :budget, sum((info ->> 'rows')::bigint) FILTER (WHERE label LIKE '%.bulk'),
                            round(sum(ms) FILTER (WHERE label LIKE '%.bulk'))) END)
FROM (SELECT split_part(label, '.', 3) AS tag, * FROM bench.timing WHERE label LIKE 'c4.load.%') l
GROUP BY tag ORDER BY tag DESC;

-- COPY through the constraints vs into a plain table
CALL bench.c4_copy(:large / :suppliers, (:large + :copy_rows) / :suppliers, :suppliers, :stages, :countries, :sectors);
INSERT INTO bench.result ("case", name, rows, ours_ms, base_ms, target, note)
SELECT '4', 'COPY through every rule vs COPY into a plain table + its primary key by sort', :copy_rows,
       (SELECT ms FROM bench.timing WHERE label = 'c4.copy.ours'),
       (SELECT sum(ms) FROM bench.timing WHERE label IN ('c4.copy.plain', 'c4.copy.pkey')), 1.5,
       format('one run each, onto %s rows; the floor: COPY %s ms + primary key %s ms', :large,
              round((SELECT ms FROM bench.timing WHERE label = 'c4.copy.plain')::numeric),
              round((SELECT ms FROM bench.timing WHERE label = 'c4.copy.pkey')::numeric))
UNION ALL
SELECT '4', 'COPY into a table with the same primary key alone vs the same floor', :copy_rows,
       (SELECT ms FROM bench.timing WHERE label = 'c4.copy.keyed'),
       (SELECT sum(ms) FROM bench.timing WHERE label IN ('c4.copy.plain', 'c4.copy.pkey')), NULL,
       'for information: PostgreSQL keeping a primary key row by row, no rule'
UNION ALL
SELECT '4', 'COPY through every rule vs COPY into a table with the same primary key alone', :copy_rows,
       (SELECT ms FROM bench.timing WHERE label = 'c4.copy.ours'),
       (SELECT ms FROM bench.timing WHERE label = 'c4.copy.keyed'), NULL,
       'for information: what the rules (foreign keys, share rule, maintained state) add'
UNION ALL
SELECT '4', 'the floor with the maintained state: that keyed COPY and the state''s rows for the COPY''s keys, each INSERTed once, vs the floor', :copy_rows,
       (SELECT ms FROM bench.timing WHERE label = 'c4.copy.state_floor'),
       (SELECT sum(ms) FROM bench.timing WHERE label IN ('c4.copy.plain', 'c4.copy.pkey')), NULL,
       (SELECT format('for information: the least PostgreSQL writes for a COPY whose state is kept in the same transaction (share_total %s, stage_state %s, supplier_state %s, country_state %s, country_total_state %s rows)',
                      info ->> 'share_total', info ->> 'stage_state', info ->> 'supplier_state', info ->> 'country_state',
                      info ->> 'country_total_state')
        FROM bench.timing WHERE label = 'c4.copy.state_floor')
UNION ALL
SELECT '4', 'COPY through every rule vs that floor with the maintained state', :copy_rows,
       (SELECT ms FROM bench.timing WHERE label = 'c4.copy.ours'),
       (SELECT ms FROM bench.timing WHERE label = 'c4.copy.state_floor'), NULL,
       'for information: what the rules cost above writing their rows once';

DROP TABLE bench.c4_plain;
