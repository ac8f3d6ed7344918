-- supplychain 0.9.0 -> 0.10.0: early warning.  Rules over the risk
-- measures (watch, with three shipped rules, disabled), an alert for each
-- subject that meets an enabled rule (alert, open_alert, acknowledge()),
-- raised and cleared by the writers of the maintained state and of the trade
-- totals in the writing transaction, a notification on supplychain_alert for
-- each; changes() between two dates; import_dependency_persistence.
\echo Use "ALTER EXTENSION supplychain UPDATE TO '0.10.0'" to load this file. \quit

-- the shipped rules are shipped rows
SET LOCAL supplychain.maintenance = on;

-- Early warning: rules over the risk measures (watch), an alert row for each
-- subject that meets an enabled rule (alert), raised and cleared in the
-- transaction of the write that moved the measure, and a notification on
-- the channel supplychain_alert for each, sent at commit.
--
-- The writers of the maintained state (42_state.sql) and of the trade totals
-- (85_trade.sql) know the subjects a statement changes: the keys they
-- refresh.  When an enabled rule watches a measure they move, they read the
-- subjects' values before they write (watch_before()) and hand the keys
-- and those values to watch_after() after: a subject that meets a rule and
-- has no open alert of it gets one; an open alert whose subject no longer
-- meets its rule is cleared.  Whether an alert is open is the alert table's
-- business, never the value before's: that value is what the alert shows
-- (NULL for a subject new to the data, or evaluated again as a whole: a rule
-- changed, a threshold or weakness weight, a group's members).  The
-- subject's lock in the state serializes its writers, and a partial unique
-- index keeps a second open alert of one rule and subject out; a rule
-- change and the writers serialize on an advisory lock (exclusive for the
-- rule change, shared for the writers).  watch_verify() recomputes the open
-- alerts from the views and returns every difference.  The shipped rules,
-- their sources and the persistence of trade dependencies are in
-- 88_watch_rules.sql, after the trade tables.

-- watch: the rules.  A rule names a measure (a column of a risk view), a
-- scope (NULL: every subject), a comparison and a threshold.  The measures
-- and their subjects:
--   country_risk.risk             (country, sector, supplier); sector NULL:
--                                 the all-sectors row
--   stage_risk.hhi, .risk         (country, sector, stage)
--   import_dependency.top_share, .hhi
--                                 (importer, product, year)
--   import_dependency.dependent   the same; 1 when dependent, else 0
--   policy_risk.long_value        (country, sector, policy)
-- A value is the view's column as shown (4 decimals); a subject without a
-- value (hhi NULL: no share known) meets no rule.  Shipped rules come
-- disabled: enabling one (or changing it in any way) makes it the user's
-- row, which pg_dump keeps.
CREATE TABLE @extschema@.watch (
    name       text PRIMARY KEY,
    measure    text NOT NULL CONSTRAINT watch_measure_check
                    CHECK (measure IN ('country_risk.risk', 'stage_risk.hhi', 'stage_risk.risk',
                                       'import_dependency.top_share', 'import_dependency.hhi',
                                       'import_dependency.dependent', 'policy_risk.long_value')),
    country    text REFERENCES @extschema@.country,   -- the depending or affected country
    sector     text REFERENCES @extschema@.sector,
    supplier   text REFERENCES @extschema@.country,
    importer   text REFERENCES @extschema@.country,   -- a country or a group (EU)
    product    text COLLATE "C",                      -- references product (88_watch_rules.sql)
    comparison text NOT NULL DEFAULT '>' CONSTRAINT watch_comparison_check
                    CHECK (comparison IN ('>', '>=', '<', '<=', '=', '<>')),
    threshold  numeric NOT NULL,
    enabled    boolean NOT NULL DEFAULT false,
    source     text REFERENCES @extschema@.source,
    note       text,
    builtin    boolean NOT NULL DEFAULT false,
    -- each scope column belongs to the measures whose subjects have it
    CONSTRAINT watch_scope_check CHECK (
        (measure LIKE 'import_dependency.%' AND country IS NULL AND sector IS NULL AND supplier IS NULL)
        OR (measure NOT LIKE 'import_dependency.%' AND importer IS NULL AND product IS NULL
            AND (supplier IS NULL OR measure = 'country_risk.risk')))
);
COMMENT ON TABLE @extschema@.watch IS
    'early-warning rules: an alert is open for each subject whose measure meets an enabled rule';
COMMENT ON COLUMN @extschema@.watch.measure IS 'view.column: country_risk.risk, stage_risk.hhi, stage_risk.risk, import_dependency.top_share, import_dependency.hhi, import_dependency.dependent (1 or 0), policy_risk.long_value';
COMMENT ON COLUMN @extschema@.watch.country IS 'scope: the depending (or affected) country; NULL: every one (not for import_dependency)';
COMMENT ON COLUMN @extschema@.watch.sector IS 'scope: the sector; NULL: every one, and country_risk''s all-sectors rows (not for import_dependency)';
COMMENT ON COLUMN @extschema@.watch.supplier IS 'scope: the supplier (country_risk only); NULL: every one';
COMMENT ON COLUMN @extschema@.watch.importer IS 'scope: the importer, a country or a group (import_dependency only); NULL: every one';
COMMENT ON COLUMN @extschema@.watch.product IS 'scope: the product (import_dependency only); NULL: every one';
COMMENT ON COLUMN @extschema@.watch.comparison IS 'how the value compares with the threshold: >, >=, <, <=, =, <>';
COMMENT ON COLUMN @extschema@.watch.enabled IS 'whether the rule raises alerts; enabling it evaluates it over the current data';

-- alert: one row per crossing.  Open (cleared_at NULL) while its subject
-- meets the rule; never two open rows of one rule and subject.  raised_at
-- and cleared_at are the writing transaction's time.  A rule's alerts go
-- with it.  pg_dump keeps the cleared alerts; the open ones are raised
-- again by the restore (as its rows, or the enabled rules, arrive).
CREATE TABLE @extschema@.alert (
    id              uuid PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    watch           text NOT NULL REFERENCES @extschema@.watch ON UPDATE CASCADE ON DELETE CASCADE,
    country         text NOT NULL,          -- the subject's country (its importer for import_dependency)
    key             text NOT NULL,          -- the subject's key columns in one text, U+001F between them
    subject         jsonb NOT NULL,         -- the subject's key columns
    value_before    numeric,
    value_after     numeric,
    raised_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
    cleared_at      timestamptz,
    value_cleared   numeric,                -- the value that no longer met the rule
    acknowledged_at timestamptz,
    acknowledged_by text,
    note            text
);
-- the open alerts by subject (what a write looks up) and rule
CREATE UNIQUE INDEX alert_open ON @extschema@.alert (key, watch) WHERE cleared_at IS NULL;
-- a rule's alerts (a rule changed, disabled or deleted)
CREATE INDEX alert_watch ON @extschema@.alert (watch);
COMMENT ON TABLE @extschema@.alert IS
    'early warning: one row per subject that started meeting a rule; cleared_at NULL while it still does';
COMMENT ON COLUMN @extschema@.alert.subject IS 'the subject''s key: country, sector, stage, supplier, importer, product, year or policy, as the measure has them';
COMMENT ON COLUMN @extschema@.alert.value_before IS 'the measure before the write that raised the alert; NULL for a new subject, or one evaluated again as a whole (a rule changed, a threshold or weakness weight, a group''s members)';
COMMENT ON COLUMN @extschema@.alert.value_after IS 'the measure that met the rule';
COMMENT ON COLUMN @extschema@.alert.raised_at IS 'the raising transaction''s time';
COMMENT ON COLUMN @extschema@.alert.cleared_at IS 'the clearing transaction''s time; NULL while the alert is open';

-- watch_meets(value, comparison, threshold): whether a value meets a rule;
-- a NULL value meets none (src/watch.c: it runs once per rule and subject a
-- write moves)
CREATE FUNCTION @extschema@.watch_meets(value numeric, comparison text, threshold numeric) RETURNS boolean
AS 'MODULE_PATHNAME', 'sc_watch_meets'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.watch_meets(numeric, text, numeric) IS
    'whether a measure''s value meets a rule (comparison, threshold); NULL meets none';

-- watch_scope(rule): a rule's scope as the part of a subject's key it
-- fixes, so that a subject is in scope when it contains it (subject @>
-- scope: every subject for a rule without scope)
CREATE FUNCTION @extschema@.watch_scope(w @extschema@.watch) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
        'country', w.country, 'sector', w.sector, 'supplier', w.supplier, 'importer', w.importer, 'product', w.product))
$$;
COMMENT ON FUNCTION @extschema@.watch_scope(@extschema@.watch) IS
    'internal: a rule''s scope as jsonb; a subject is in scope when its key contains it';

-- watching(measures): whether an enabled rule watches one of the measures
-- (the writers' test before they read anything for the alerts)
CREATE FUNCTION @extschema@.watching(measures text[]) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT FROM @extschema@.watch w
                   WHERE w.enabled AND w.measure OPERATOR(pg_catalog.=) ANY (measures))
$$;
COMMENT ON FUNCTION @extschema@.watching(text[]) IS
    'internal: whether an enabled rule watches one of the measures';

-- watch_values(measures, keys): the subjects and values of measures of one
-- view, read once: country_risk's and stage_risk's from the state the views
-- read, the others from the views.
-- The keys name what a write changed, and every subject they move comes
-- back, with a NULL value where it has none (so that its alerts clear):
--   country_risk   k1 country, k2 sector (NULL: the all-sectors row), k3
--                  supplier: the keys and their all-sectors rows
--   stage_risk     k1 country, k2 stage: every stage of its chain
--   import_dependency  k1 country, k2 product, years: the country as
--                  importer, and the groups it belongs to that year
--   policy_risk    k1 policy, k2 country
-- Without keys: every subject (of the years given, for import_dependency).
-- One row per subject and measure: its key (its key columns in one text,
-- U+001F between them: cheap to build, hash and probe; the jsonb subject is
-- built only for an alert raised), and the columns a rule's scope names
-- (country: the importer for import_dependency).
CREATE FUNCTION @extschema@.watch_values(measures text[], k1 text[] DEFAULT NULL, k2 text[] DEFAULT NULL,
                                         k3 text[] DEFAULT NULL, years integer[] DEFAULT NULL)
RETURNS TABLE (measure text, key text, country text, sector text, supplier text, product text, value numeric)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET supplychain.as_of = '' AS $$
DECLARE
    us constant text := pg_catalog.chr(31);
BEGIN
    IF pg_catalog.array_length(measures, 1) IS NULL THEN
        RETURN;
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.unnest(measures) m
               WHERE pg_catalog.split_part(m, '.', 1) OPERATOR(pg_catalog.<>) pg_catalog.split_part(measures[1], '.', 1)) THEN
        RAISE EXCEPTION 'the measures % are not of one view', measures
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    CASE pg_catalog.split_part(measures[1], '.', 1)
    WHEN 'country_risk' THEN
        RETURN QUERY
        SELECT 'country_risk.risk',
               x.country OPERATOR(pg_catalog.||) us OPERATOR(pg_catalog.||) COALESCE(x.sector, '')
                   OPERATOR(pg_catalog.||) us OPERATOR(pg_catalog.||) x.supplier,
               x.country, x.sector, x.supplier, NULL::text, x.risk
        FROM (SELECT k.country, k.sector, k.supplier, COALESCE(s.risk, t.risk) AS risk
              FROM (SELECT a AS country, b AS sector, c AS supplier FROM @extschema@.key_rows(k1, k2, k3)
                    UNION SELECT a, NULL, c FROM @extschema@.key_rows(k1, k2, k3)) k
              LEFT JOIN @extschema@.country_state s
                ON k.sector IS NOT NULL AND s.country OPERATOR(pg_catalog.=) k.country
               AND s.supplier OPERATOR(pg_catalog.=) k.supplier AND s.sector OPERATOR(pg_catalog.=) k.sector
              LEFT JOIN @extschema@.country_total_state t
                ON k.sector IS NULL AND t.country OPERATOR(pg_catalog.=) k.country
               AND t.supplier OPERATOR(pg_catalog.=) k.supplier
              WHERE k1 IS NOT NULL
              UNION ALL
              SELECT s.country, s.sector, s.supplier, s.risk FROM @extschema@.country_state s WHERE k1 IS NULL
              UNION ALL
              SELECT t.country, NULL, t.supplier, t.risk FROM @extschema@.country_total_state t WHERE k1 IS NULL) x;
    WHEN 'stage_risk' THEN
        -- stage_risk's rows of the state (60_views.sql): every stage of an
        -- assessed chain, its HHI, and its risk, the HHI x the weakness of
        -- its rating (watch_verify() checks them against the view)
        RETURN QUERY
        WITH chains AS (
            SELECT DISTINCT k.a AS country, s.sector
            FROM @extschema@.key_rows(k1, k2) k JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) k.b
            WHERE k1 IS NOT NULL
            UNION
            SELECT DISTINCT ss.country, ss.sector FROM @extschema@.stage_state ss WHERE k1 IS NULL
        ), x AS (
            SELECT c.country, c.sector, s.id AS stage, ss.rating, ss.hhi,
                   EXISTS (SELECT FROM @extschema@.stage_state a
                           WHERE a.country OPERATOR(pg_catalog.=) c.country AND a.sector OPERATOR(pg_catalog.=) c.sector
                             AND a.rating IS NOT NULL) AS assessed
            FROM chains c
            JOIN @extschema@.stage s ON s.sector OPERATOR(pg_catalog.=) c.sector
            LEFT JOIN @extschema@.stage_state ss
              ON ss.country OPERATOR(pg_catalog.=) c.country AND ss.stage OPERATOR(pg_catalog.=) s.id
        )
        SELECT m.m, x.country OPERATOR(pg_catalog.||) us OPERATOR(pg_catalog.||) x.sector
                        OPERATOR(pg_catalog.||) us OPERATOR(pg_catalog.||) x.stage,
               x.country, x.sector, NULL::text, NULL::text,
               CASE WHEN NOT x.assessed OR x.hhi IS NULL THEN NULL
                    WHEN m.m OPERATOR(pg_catalog.=) 'stage_risk.hhi' THEN pg_catalog.round(x.hhi::numeric, 4)
                    ELSE pg_catalog.round(w.value OPERATOR(pg_catalog.*) x.hhi::numeric, 4) END
        FROM x
        LEFT JOIN @extschema@.weight w
          ON w.name OPERATOR(pg_catalog.=) CASE WHEN x.rating IS NULL THEN 'weakness.unassessed'
                                                ELSE 'weakness.' OPERATOR(pg_catalog.||) x.rating::text END
        CROSS JOIN pg_catalog.unnest(measures) m (m);
    WHEN 'import_dependency' THEN
        RETURN QUERY
        WITH k AS (
            SELECT DISTINCT k.a AS country, k.b AS product, k.c::integer AS year
            FROM @extschema@.key_rows(k1, k2, years::text[]) k
            WHERE k1 IS NOT NULL
        ), g AS (
            -- the keys, and the groups their countries belong to in their years
            SELECT k.country, k.product, k.year FROM k
            UNION
            SELECT m.group_code, k.product, k.year
            FROM k JOIN @extschema@.country_group m
              ON m.member OPERATOR(pg_catalog.=) k.country
             AND m.since OPERATOR(pg_catalog.<=) pg_catalog.make_date(k.year, 12, 31)
             AND (m.until IS NULL OR m.until OPERATOR(pg_catalog.>=) pg_catalog.make_date(k.year, 1, 1))
        ), x AS (
            SELECT g.country AS importer, g.product, g.year, d.top_share, d.hhi, d.dependent
            FROM g
            LEFT JOIN LATERAL (
                SELECT d.top_share, d.hhi, d.dependent FROM @extschema@.import_dependency d
                WHERE d.importer OPERATOR(pg_catalog.=) g.country AND d.product OPERATOR(pg_catalog.=) g.product
                  AND d.year OPERATOR(pg_catalog.=) g.year) d ON true
            UNION ALL
            SELECT d.importer, d.product, d.year, d.top_share, d.hhi, d.dependent
            FROM @extschema@.import_dependency d
            WHERE k1 IS NULL AND (years IS NULL OR d.year OPERATOR(pg_catalog.=) ANY (years))
        )
        SELECT m.m, x.importer OPERATOR(pg_catalog.||) us OPERATOR(pg_catalog.||) x.product
                        OPERATOR(pg_catalog.||) us OPERATOR(pg_catalog.||) x.year::text,
               x.importer::text, NULL::text, NULL::text, x.product::text,
               CASE m.m WHEN 'import_dependency.top_share' THEN x.top_share
                        WHEN 'import_dependency.hhi' THEN x.hhi
                        ELSE x.dependent::integer END
        FROM x CROSS JOIN pg_catalog.unnest(measures) m (m);
    WHEN 'policy_risk' THEN
        RETURN QUERY
        SELECT 'policy_risk.long_value',
               x.country OPERATOR(pg_catalog.||) us OPERATOR(pg_catalog.||) x.sector
                   OPERATOR(pg_catalog.||) us OPERATOR(pg_catalog.||) x.policy,
               x.country, x.sector, NULL::text, NULL::text, x.value
        FROM (SELECT k.country, p.sector, k.policy, r.long_value::numeric AS value
              FROM (SELECT DISTINCT a AS policy, b AS country FROM @extschema@.key_rows(k1, k2)) k
              JOIN @extschema@.policy p ON p.id OPERATOR(pg_catalog.=) k.policy
              LEFT JOIN @extschema@.policy_risk r
                ON r.policy_id OPERATOR(pg_catalog.=) k.policy AND r.country OPERATOR(pg_catalog.=) k.country
              WHERE k1 IS NOT NULL
              UNION ALL
              SELECT r.country, r.sector, r.policy_id, r.long_value::numeric
              FROM @extschema@.policy_risk r WHERE k1 IS NULL) x;
    ELSE
        RAISE EXCEPTION 'unknown measure: %', pg_catalog.quote_literal(measures[1])
            USING ERRCODE = 'invalid_parameter_value';
    END CASE;
END
$$;
COMMENT ON FUNCTION @extschema@.watch_values(text[], text[], text[], text[], integer[]) IS
    'internal: the subjects and values of watched measures of one view, for the keys a write changed (NULL: every subject)';

-- watch_snapshot: the values of the watched measures' subjects before a
-- write: the measures, and parallel arrays of "measure key" and value
CREATE TYPE @extschema@.watch_snapshot AS (measures text[], keys text[], vals numeric[]);
COMMENT ON TYPE @extschema@.watch_snapshot IS
    'internal: the values before a write of the watched measures'' subjects (watch_before())';

-- watch_before(beside, measures, keys): what a writer calls before it
-- writes: of the measures given (of one view), those an enabled rule
-- watches, and their subjects' values: what watch_apply() reports as
-- before.  NULL when none is watched (nothing was read), and on a Citus
-- worker (beside a shard: docs/citus.md, "Early warning").  watch_after()
-- takes it after the write.
CREATE FUNCTION @extschema@.watch_before(beside regclass, measures text[], k1 text[], k2 text[] DEFAULT NULL,
                                         k3 text[] DEFAULT NULL, years integer[] DEFAULT NULL)
RETURNS @extschema@.watch_snapshot
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    watched text[];
    snap @extschema@.watch_snapshot;
BEGIN
    -- a rule changed by a transaction in flight is waited for; a rule
    -- change waits for this transaction (watch_changed())
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(pg_catalog.hashtext('supplychain.watch'));
    SELECT pg_catalog.array_agg(DISTINCT w.measure) INTO watched
    FROM @extschema@.watch w WHERE w.enabled AND w.measure OPERATOR(pg_catalog.=) ANY (measures);
    IF watched IS NULL
       OR (pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL
           AND @extschema@.table_label(beside) OPERATOR(pg_catalog.<>) beside::text) THEN
        RETURN NULL;
    END IF;
    SELECT watched, COALESCE(pg_catalog.array_agg(v.measure OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) v.key), '{}'),
           COALESCE(pg_catalog.array_agg(v.value), '{}')
    INTO snap
    FROM @extschema@.watch_values(watched, k1, k2, k3, years) v WHERE v.value IS NOT NULL;
    RETURN snap;
END
$$;
COMMENT ON FUNCTION @extschema@.watch_before(regclass, text[], text[], text[], text[], integer[]) IS
    'internal: the values before a write of the watched measures among those given, for the keys it changes; NULL when none is watched';

-- watch_after(before, keys): the alerts of the measures watch_before()
-- read, after the write
CREATE FUNCTION @extschema@.watch_after(before @extschema@.watch_snapshot, k1 text[], k2 text[] DEFAULT NULL,
                                        k3 text[] DEFAULT NULL, years integer[] DEFAULT NULL)
RETURNS integer
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
    SELECT @extschema@.watch_apply(before.measures, k1, k2, k3, years, before)
$$;
COMMENT ON FUNCTION @extschema@.watch_after(@extschema@.watch_snapshot, text[], text[], text[], integer[]) IS
    'internal: raises and clears the alerts of the measures watch_before() read, after the write';

-- watch_apply(measures, keys, before [, rule]): the alerts of the enabled
-- rules on the measures (of one view; or of one rule, whose alerts all
-- clear when it is disabled), for the subjects of
-- the keys (watch_values()); without keys for every subject (of the years
-- given), and then an open alert whose subject is gone, or out of its
-- rule's scope, clears too.  before: the values watch_before() read.  A
-- rule scoped to a country (or importer) meets only that country's
-- subjects: a join on it.  Returns the number of alerts raised and cleared.
CREATE FUNCTION @extschema@.watch_apply(measures text[], k1 text[], k2 text[], k3 text[], years integer[],
                                        before @extschema@.watch_snapshot, rule text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    us constant text := pg_catalog.chr(31);
    watched text[];
    n integer;
BEGIN
    -- the rules: the enabled ones on the measures (or the one named,
    -- enabled or not: a disabled rule's alerts all clear)
    SELECT pg_catalog.array_agg(DISTINCT w.measure) FILTER (WHERE w.enabled), pg_catalog.count(*) INTO watched, n
    FROM @extschema@.watch w
    WHERE w.measure OPERATOR(pg_catalog.=) ANY (measures)
      AND (w.enabled OR w.name OPERATOR(pg_catalog.=) rule) AND (rule IS NULL OR w.name OPERATOR(pg_catalog.=) rule);
    IF n = 0 THEN
        RETURN 0;
    END IF;
    WITH w AS MATERIALIZED (
        SELECT w.name, w.measure, w.enabled, w.comparison, w.threshold, COALESCE(w.country, w.importer) AS country,
               w.sector, w.supplier, w.product
        FROM @extschema@.watch w
        WHERE w.measure OPERATOR(pg_catalog.=) ANY (measures)
          AND (w.enabled OR w.name OPERATOR(pg_catalog.=) rule) AND (rule IS NULL OR w.name OPERATOR(pg_catalog.=) rule)
    ), b AS (
        SELECT * FROM ROWS FROM (pg_catalog.unnest((before).keys), pg_catalog.unnest((before).vals)) b (key, value)
    ), v AS MATERIALIZED (
        SELECT v.measure, v.key, v.country, v.sector, v.supplier, v.product, v.value, b.value AS before
        FROM @extschema@.watch_values(watched, k1, k2, k3, years) v
        LEFT JOIN b ON b.key OPERATOR(pg_catalog.=) (v.measure OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) v.key)
        -- only the subjects a rule of the measure could meet, and those of
        -- the keys (whose alerts may clear)
        WHERE k1 IS NOT NULL
           OR EXISTS (SELECT FROM w WHERE w.measure OPERATOR(pg_catalog.=) v.measure
                        AND (w.country IS NULL OR w.country OPERATOR(pg_catalog.=) v.country))
    ), meet AS MATERIALIZED (
        -- the rules each subject meets (and is in the scope of): those
        -- scoped to a country through a join on it
        SELECT c.name, c.measure, c.key, c.country, c.value, c.before
        FROM (SELECT w.name, w.enabled, w.comparison, w.threshold, w.sector AS w_sector, w.supplier AS w_supplier,
                     w.product AS w_product, v.*
              FROM w JOIN v ON v.country OPERATOR(pg_catalog.=) w.country AND v.measure OPERATOR(pg_catalog.=) w.measure
              WHERE w.country IS NOT NULL
              UNION ALL
              SELECT w.name, w.enabled, w.comparison, w.threshold, w.sector, w.supplier, w.product, v.*
              FROM w JOIN v ON v.measure OPERATOR(pg_catalog.=) w.measure
              WHERE w.country IS NULL) c
        WHERE c.enabled AND @extschema@.watch_meets(c.value, c.comparison, c.threshold)
          AND (c.w_sector IS NULL OR c.w_sector OPERATOR(pg_catalog.=) c.sector)
          AND (c.w_supplier IS NULL OR c.w_supplier OPERATOR(pg_catalog.=) c.supplier)
          AND (c.w_product IS NULL OR c.w_product OPERATOR(pg_catalog.=) c.product)
    ), raised AS (
        INSERT INTO @extschema@.alert AS a (watch, country, key, subject, value_before, value_after)
        SELECT m.name, m.country, m.key,
               -- the subject as jsonb: its key's columns, named
               CASE pg_catalog.split_part(m.measure, '.', 1)
                   WHEN 'country_risk' THEN pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                       'country', pg_catalog.split_part(m.key, us, 1), 'sector', NULLIF(pg_catalog.split_part(m.key, us, 2), ''),
                       'supplier', pg_catalog.split_part(m.key, us, 3)))
                   WHEN 'stage_risk' THEN pg_catalog.jsonb_build_object(
                       'country', pg_catalog.split_part(m.key, us, 1), 'sector', pg_catalog.split_part(m.key, us, 2),
                       'stage', pg_catalog.split_part(m.key, us, 3))
                   WHEN 'import_dependency' THEN pg_catalog.jsonb_build_object(
                       'importer', pg_catalog.split_part(m.key, us, 1), 'product', pg_catalog.split_part(m.key, us, 2),
                       'year', pg_catalog.split_part(m.key, us, 3)::integer)
                   ELSE pg_catalog.jsonb_build_object(
                       'country', pg_catalog.split_part(m.key, us, 1), 'sector', pg_catalog.split_part(m.key, us, 2),
                       'policy', pg_catalog.split_part(m.key, us, 3)) END,
               m.before, m.value
        FROM meet m
        WHERE NOT EXISTS (SELECT FROM @extschema@.alert o
                          WHERE o.key OPERATOR(pg_catalog.=) m.key AND o.watch OPERATOR(pg_catalog.=) m.name
                            AND o.cleared_at IS NULL)
        ORDER BY m.name, m.key
        ON CONFLICT (key, watch) WHERE cleared_at IS NULL DO NOTHING
        RETURNING a.id, a.watch, a.subject, a.value_before AS before, a.value_after AS after
    ), open AS MATERIALIZED (
        -- the open alerts of the keys' subjects: a probe per subject (OFFSET
        -- 0), never a read of every open alert of the rules
        SELECT o.id, o.watch, o.key
        FROM (SELECT DISTINCT v.key FROM v WHERE k1 IS NOT NULL) s
        CROSS JOIN LATERAL (SELECT o.id, o.watch, o.key FROM @extschema@.alert o
                            WHERE o.key OPERATOR(pg_catalog.=) s.key AND o.cleared_at IS NULL OFFSET 0) o
    ), cleared_keyed AS (
        -- those that no longer meet their rule
        UPDATE @extschema@.alert a SET cleared_at = pg_catalog.now(), value_cleared = v.value
        FROM open o
        JOIN w ON w.name OPERATOR(pg_catalog.=) o.watch
        JOIN v ON v.key OPERATOR(pg_catalog.=) o.key AND v.measure OPERATOR(pg_catalog.=) w.measure
        WHERE k1 IS NOT NULL AND a.id OPERATOR(pg_catalog.=) o.id AND a.cleared_at IS NULL
          AND NOT EXISTS (SELECT FROM meet m WHERE m.key OPERATOR(pg_catalog.=) o.key
                            AND m.name OPERATOR(pg_catalog.=) o.watch)
        RETURNING a.id, a.watch, a.subject, v.before, v.value AS after
    ), cleared_all AS (
        -- every subject: an open alert without a subject that meets the rule
        UPDATE @extschema@.alert a SET cleared_at = pg_catalog.now(),
               -- (LIMIT 1: a subject could come twice, were a group's code
               -- also a country of trade_flow)
               value_cleared = (SELECT v.value FROM v WHERE v.key OPERATOR(pg_catalog.=) a.key
                                  AND v.measure OPERATOR(pg_catalog.=) w.measure LIMIT 1)
        FROM w
        WHERE k1 IS NULL AND a.watch OPERATOR(pg_catalog.=) w.name AND a.cleared_at IS NULL
          AND (years IS NULL OR ((a.subject OPERATOR(pg_catalog.->>) 'year')::integer) OPERATOR(pg_catalog.=) ANY (years))
          AND NOT EXISTS (SELECT FROM meet m WHERE m.key OPERATOR(pg_catalog.=) a.key
                            AND m.name OPERATOR(pg_catalog.=) a.watch)
        RETURNING a.id, a.watch, a.subject,
                  (SELECT b.value FROM b WHERE b.key OPERATOR(pg_catalog.=) (w.measure OPERATOR(pg_catalog.||) ' '
                                                                     OPERATOR(pg_catalog.||) a.key) LIMIT 1) AS before,
                  a.value_cleared AS after
    )
    -- and a notification of each, sent at commit
    SELECT pg_catalog.count(pg_catalog.pg_notify('supplychain_alert', pg_catalog.jsonb_build_object(
               'event', x.event, 'alert', x.id, 'watch', x.watch, 'measure', w.measure, 'subject', x.subject,
               'before', x.before, 'after', x.after)::text))
    INTO n
    FROM (SELECT 'raised' AS event, r.* FROM raised r
          UNION ALL SELECT 'cleared', c.* FROM cleared_keyed c
          UNION ALL SELECT 'cleared', c.* FROM cleared_all c) x
    JOIN w ON w.name OPERATOR(pg_catalog.=) x.watch;
    RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@.watch_apply(text[], text[], text[], text[], integer[], @extschema@.watch_snapshot, text) IS
    'internal: raises and clears the alerts of the enabled rules on measures of one view for the subjects of the keys a write changed (NULL: every subject), and notifies each';

-- watch_changed(): a rule enabled, added enabled or changed is evaluated
-- over the current data (its alerts follow its new threshold and scope); a
-- rule disabled clears its open alerts; a rule deleted takes its alerts
-- with it (the foreign key).
CREATE FUNCTION @extschema@.watch_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- on Citus the trigger fires on each placement of the reference table:
    -- the rules are evaluated on the coordinator (watch_refresh())
    IF pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL
       AND @extschema@.table_label(TG_RELID::regclass) OPERATOR(pg_catalog.<>) TG_RELID::regclass::text THEN
        RETURN NULL;
    END IF;
    -- writers in flight are waited for, and wait (watch_before())
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('supplychain.watch'));
    -- (a rule's alerts of another measure, or of a rule disabled, clear:
    -- no subject meets it)
    PERFORM @extschema@.watch_apply(ARRAY[NEW.measure], NULL, NULL, NULL, NULL, NULL, NEW.name);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.watch_changed() IS
    'trigger: evaluates a rule enabled, added or changed over the current data; a rule disabled clears its alerts';
CREATE TRIGGER watch_changed AFTER INSERT OR UPDATE ON @extschema@.watch
    FOR EACH ROW EXECUTE FUNCTION @extschema@.watch_changed();

-- A shipped rule that a user changes (enables it, say) becomes the user's
-- row (builtin = false), so that pg_dump keeps it; restoring it (an INSERT
-- of a user row with a shipped name) takes over the shipped row in place.
-- (weight_ownership() does the same for weights.)
CREATE FUNCTION @extschema@.watch_ownership() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    taken bigint;
BEGIN
    IF pg_catalog.current_setting('supplychain.maintenance', true) = 'on' THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.builtin AND NEW.name IS DISTINCT FROM OLD.name THEN
            RAISE EXCEPTION 'cannot rename shipped rule "%"', OLD.name
                USING ERRCODE = 'restrict_violation',
                      HINT = 'Change or enable it, or insert a rule of your own.';
        END IF;
        IF OLD.builtin AND ROW(NEW.*) IS DISTINCT FROM ROW(OLD.*) THEN
            NEW.builtin := false;
        END IF;
    ELSIF NOT NEW.builtin THEN
        EXECUTE pg_catalog.format('UPDATE %s SET measure = $1.measure, country = $1.country, sector = $1.sector, '
                                  'supplier = $1.supplier, importer = $1.importer, product = $1.product, '
                                  'comparison = $1.comparison, threshold = $1.threshold, enabled = $1.enabled, '
                                  'source = $1.source, note = $1.note, builtin = false '
                                  'WHERE name = $1.name AND builtin', TG_RELID::regclass)
            USING NEW;
        GET DIAGNOSTICS taken = ROW_COUNT;
        IF taken > 0 THEN
            RETURN NULL;
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.watch_ownership() IS
    'trigger: a changed shipped rule becomes a user row, and a restored user row replaces the shipped rule';
CREATE TRIGGER watch_ownership BEFORE INSERT OR UPDATE ON @extschema@.watch
    FOR EACH ROW EXECUTE FUNCTION @extschema@.watch_ownership();

-- open_alert: the open alerts, with their rule and the subject's columns
CREATE VIEW @extschema@.open_alert AS
SELECT a.id::text AS id,
       a.watch,
       w.measure,
       a.subject ->> 'country' AS country,
       a.subject ->> 'sector' AS sector,
       a.subject ->> 'stage' AS stage,
       a.subject ->> 'supplier' AS supplier,
       a.subject ->> 'importer' AS importer,
       a.subject ->> 'product' AS product,
       (a.subject ->> 'year')::integer AS year,
       a.subject ->> 'policy' AS policy,
       w.comparison,
       w.threshold,
       a.value_before,
       a.value_after,
       a.raised_at,
       a.acknowledged_at,
       a.acknowledged_by,
       a.note
FROM @extschema@.alert a
JOIN @extschema@.watch w ON w.name = a.watch
WHERE a.cleared_at IS NULL;
COMMENT ON VIEW @extschema@.open_alert IS
    'the open alerts: each subject that meets an enabled rule, since raised_at';

-- acknowledge(alert, note): marks an alert as seen (it stays open while its
-- subject meets the rule); false when it already was
CREATE FUNCTION @extschema@.acknowledge(alert uuid, note text DEFAULT NULL) RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    done integer;
BEGIN
    IF NOT EXISTS (SELECT FROM @extschema@.alert a WHERE a.id OPERATOR(pg_catalog.=) $1) THEN
        RAISE EXCEPTION 'no alert %', COALESCE($1::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value', HINT = 'See supplychain.open_alert.';
    END IF;
    UPDATE @extschema@.alert a
    SET acknowledged_at = pg_catalog.now(), acknowledged_by = CURRENT_USER, note = COALESCE($2, a.note)
    WHERE a.id OPERATOR(pg_catalog.=) $1 AND a.acknowledged_at IS NULL;
    GET DIAGNOSTICS done = ROW_COUNT;
    RETURN done > 0;
END
$$;
COMMENT ON FUNCTION @extschema@.acknowledge(uuid, text) IS
    'marks an alert as acknowledged (by the current user, with an optional note); false when it already was';
-- acknowledge(alert text, note): the same, for the id as open_alert shows it
-- (text, which every driver and BI tool reads)
CREATE FUNCTION @extschema@.acknowledge(alert text, note text DEFAULT NULL) RETURNS boolean
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
    SELECT @extschema@.acknowledge(alert::uuid, note)
$$;
COMMENT ON FUNCTION @extschema@.acknowledge(text, text) IS
    'marks an alert as acknowledged, by its id as text (open_alert.id); false when it already was';

-- watch_verify(): the proof of the alerts.  For every enabled rule, the
-- subjects whose measure meets it now, computed from the raw rows
-- (watch_values_at(), not the writers' watch_values()), against the open
-- alerts' subjects; and no disabled rule has an open alert.  One row per
-- difference; none when the alerts are right.
CREATE FUNCTION @extschema@.watch_verify()
RETURNS TABLE (watch text, subject jsonb, alert_open boolean, meets boolean, value numeric)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET supplychain.as_of = '' AS $$
DECLARE
    w @extschema@.watch;
BEGIN
    FOR w IN SELECT * FROM @extschema@.watch ORDER BY name LOOP
        RETURN QUERY
        WITH m AS (
            SELECT v.subject, v.value FROM @extschema@.watch_values_at(w.measure, NULL) v
            WHERE w.enabled AND @extschema@.watch_meets(v.value, w.comparison, w.threshold)
              AND v.subject OPERATOR(pg_catalog.@>) @extschema@.watch_scope(w)
        ), a AS (
            SELECT a.subject FROM @extschema@.alert a
            WHERE a.watch OPERATOR(pg_catalog.=) w.name AND a.cleared_at IS NULL
        )
        SELECT w.name, COALESCE(m.subject, a.subject), a.subject IS NOT NULL, m.subject IS NOT NULL, m.value
        FROM m FULL JOIN a ON a.subject OPERATOR(pg_catalog.=) m.subject
        WHERE m.subject IS NULL OR a.subject IS NULL;
    END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.watch_verify() IS
    'recomputes the open alerts from the views (every enabled rule''s subjects that meet it) and returns one row per difference (none: the alerts are right)';

-- policy_impact_watch(): a statement on policy_impact moves policy_risk's
-- rows of the (policy, country) keys it touched.  Their values before are
-- the latest long-term scores among the rows as they were: the table's
-- without the statement's new rows, and with its old ones.
CREATE FUNCTION @extschema@.policy_impact_watch() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    k record;
    new_set constant text := CASE WHEN TG_OP IN ('INSERT', 'UPDATE')
                                  THEN 'SELECT country, policy, horizon, as_of, score FROM new_rows'
                                  ELSE 'SELECT NULL::text AS country, NULL::text AS policy, NULL::text AS horizon, NULL::date AS as_of, NULL::@extschema@.impact_score AS score WHERE false' END;
    old_set constant text := CASE WHEN TG_OP IN ('DELETE', 'UPDATE')
                                  THEN 'SELECT country, policy, horizon, as_of, score FROM old_rows'
                                  ELSE 'SELECT NULL::text AS country, NULL::text AS policy, NULL::text AS horizon, NULL::date AS as_of, NULL::@extschema@.impact_score AS score WHERE false' END;
BEGIN
    IF NOT @extschema@.watching('{policy_risk.long_value}')
       OR (pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL
           AND @extschema@.table_label(TG_RELID::regclass) OPERATOR(pg_catalog.<>) TG_RELID::regclass::text) THEN
        RETURN NULL;
    END IF;
    EXECUTE pg_catalog.format($q$
        WITH n AS (%1$s), o AS (%2$s),
        k AS (SELECT DISTINCT policy, country FROM n UNION SELECT policy, country FROM o),
        was AS (
            SELECT k.policy, k.country, (
                SELECT x.score FROM (
                    SELECT i.score, i.as_of FROM @extschema@.policy_impact i
                    WHERE i.policy OPERATOR(pg_catalog.=) k.policy AND i.country OPERATOR(pg_catalog.=) k.country
                      AND i.horizon OPERATOR(pg_catalog.=) 'long'
                      AND NOT EXISTS (SELECT FROM n WHERE n.country OPERATOR(pg_catalog.=) i.country
                                        AND n.policy OPERATOR(pg_catalog.=) i.policy
                                        AND n.horizon OPERATOR(pg_catalog.=) i.horizon AND n.as_of OPERATOR(pg_catalog.=) i.as_of)
                    UNION ALL
                    SELECT o.score, o.as_of FROM o
                    WHERE o.policy OPERATOR(pg_catalog.=) k.policy AND o.country OPERATOR(pg_catalog.=) k.country
                      AND o.horizon OPERATOR(pg_catalog.=) 'long') x
                ORDER BY x.as_of DESC LIMIT 1)::integer::numeric AS value
            FROM k
        )
        SELECT pg_catalog.array_agg(w.policy) AS policies, pg_catalog.array_agg(w.country) AS countries,
               ROW('{policy_risk.long_value}'::text[],
                   COALESCE(pg_catalog.array_agg('policy_risk.long_value ' OPERATOR(pg_catalog.||) w.country
                                                 OPERATOR(pg_catalog.||) pg_catalog.chr(31) OPERATOR(pg_catalog.||) p.sector
                                                 OPERATOR(pg_catalog.||) pg_catalog.chr(31) OPERATOR(pg_catalog.||) w.policy)
                            FILTER (WHERE w.value IS NOT NULL), '{}'),
                   COALESCE(pg_catalog.array_agg(w.value) FILTER (WHERE w.value IS NOT NULL), '{}'))::@extschema@.watch_snapshot AS before
        FROM was w JOIN @extschema@.policy p ON p.id OPERATOR(pg_catalog.=) w.policy
    $q$, new_set, old_set) INTO k;
    IF k.policies IS NOT NULL THEN      -- (a statement of no rows: no key)
        PERFORM pg_catalog.pg_advisory_xact_lock_shared(pg_catalog.hashtext('supplychain.watch'));
        PERFORM @extschema@.watch_apply('{policy_risk.long_value}', k.policies, k.countries, NULL, NULL, k.before);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.policy_impact_watch() IS
    'trigger: the alerts of the policy_risk rows a statement on policy_impact moved';
CREATE TRIGGER watch_insert AFTER INSERT ON @extschema@.policy_impact
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_impact_watch();
CREATE TRIGGER watch_update AFTER UPDATE ON @extschema@.policy_impact
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_impact_watch();
CREATE TRIGGER watch_delete AFTER DELETE ON @extschema@.policy_impact
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_impact_watch();

-- watch_values_at(measure, at): a measure's subjects and values as known at
-- a date, computed from the raw rows (the *_at functions; import_dependency:
-- the date's year, the subject without the year); at NULL: now, from the
-- raw rows too (at 'infinity'; import_dependency: every year, the subject
-- with its year): what watch_verify() holds the alerts against
CREATE FUNCTION @extschema@.watch_values_at(measure text, at date)
RETURNS TABLE (subject jsonb, value numeric)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    day constant date := COALESCE(at, 'infinity');
BEGIN
    CASE pg_catalog.split_part(measure, '.', 1)
    WHEN 'country_risk' THEN
        RETURN QUERY SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object('country', r.country, 'sector', r.sector,
                                                                                       'supplier', r.supplier)), r.risk
        FROM @extschema@.country_risk_at(day) r;
    WHEN 'stage_risk' THEN
        RETURN QUERY SELECT pg_catalog.jsonb_build_object('country', r.country, 'sector', r.sector, 'stage', r.stage_id),
                            CASE measure WHEN 'stage_risk.hhi' THEN r.hhi ELSE r.risk END
        FROM @extschema@.stage_risk_at(day) r;
    WHEN 'policy_risk' THEN
        RETURN QUERY SELECT pg_catalog.jsonb_build_object('country', r.country, 'sector', r.sector, 'policy', r.policy_id),
                            r.long_value::numeric
        FROM @extschema@.policy_risk_at(day) r;
    ELSE
        RETURN QUERY SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                                'importer', d.importer, 'product', d.product, 'year', CASE WHEN at IS NULL THEN d.year END)),
                            CASE measure WHEN 'import_dependency.top_share' THEN d.top_share
                                         WHEN 'import_dependency.hhi' THEN d.hhi
                                         ELSE d.dependent::integer END
        FROM @extschema@.import_dependency d
        WHERE at IS NULL OR d.year OPERATOR(pg_catalog.=) pg_catalog.date_part('year', at)::integer;
    END CASE;
END
$$;
COMMENT ON FUNCTION @extschema@.watch_values_at(text, date) IS
    'internal: a watched measure''s subjects and values computed from the raw rows, as known at a date (import_dependency: in its year), or now (NULL)';

-- changes(from, to): every subject whose measure crossed an enabled rule
-- between two dates, from the history: it met the rule at one date and not
-- at the other.  The risk views as known at each date (their *_at
-- functions); trade data in the two dates' years.
CREATE FUNCTION @extschema@.changes("from" date, "to" date)
RETURNS TABLE (watch text, measure text, subject jsonb, value_from numeric, value_to numeric, change text)
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    w @extschema@.watch;
BEGIN
    FOR w IN SELECT * FROM @extschema@.watch x WHERE x.enabled ORDER BY x.name LOOP
        RETURN QUERY
        WITH f AS (SELECT * FROM @extschema@.watch_values_at(w.measure, "from") v
                   WHERE v.subject OPERATOR(pg_catalog.@>) @extschema@.watch_scope(w)),
             t AS (SELECT * FROM @extschema@.watch_values_at(w.measure, "to") v
                   WHERE v.subject OPERATOR(pg_catalog.@>) @extschema@.watch_scope(w))
        SELECT w.name, w.measure, COALESCE(t.subject, f.subject), f.value, t.value,
               CASE WHEN @extschema@.watch_meets(t.value, w.comparison, w.threshold) THEN 'raised' ELSE 'cleared' END
        FROM f FULL JOIN t ON t.subject OPERATOR(pg_catalog.=) f.subject
        WHERE @extschema@.watch_meets(f.value, w.comparison, w.threshold)
              IS DISTINCT FROM @extschema@.watch_meets(t.value, w.comparison, w.threshold)
        ORDER BY 3;
    END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.changes(date, date) IS
    'every subject whose measure crossed an enabled rule between two dates (raised: meets it at "to", not at "from"; cleared: the reverse); trade data compares the dates'' years';

-- watch_refresh(): every enabled rule evaluated again over the current data
-- (after writes that bypassed the triggers; rebuild_state() calls it), and
-- the open alerts of a disabled rule cleared.  Returns the number of alerts
-- raised and cleared.
CREATE FUNCTION @extschema@.watch_refresh() RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    w record;
    n integer := 0;
BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('supplychain.watch'));
    FOR w IN SELECT DISTINCT x.measure, NULL::text AS name FROM @extschema@.watch x WHERE x.enabled
             UNION ALL
             SELECT x.measure, x.name FROM @extschema@.watch x
             WHERE NOT x.enabled AND EXISTS (SELECT FROM @extschema@.alert a
                                             WHERE a.watch OPERATOR(pg_catalog.=) x.name AND a.cleared_at IS NULL)
             ORDER BY 1, 2 LOOP
        n := n + @extschema@.watch_apply(ARRAY[w.measure], NULL, NULL, NULL, NULL, NULL, w.name);
    END LOOP;
    RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@.watch_refresh() IS
    'evaluates every enabled rule again over the current data (after writes that bypassed the triggers) and clears the open alerts of disabled rules; returns the alerts raised and cleared';

-- watch_reevaluate(measures, rel): every subject of the measures evaluated
-- again, without values before: what a change of something every subject
-- may read calls (a weight, a group's members, a stage's sector, a policy,
-- every flow gone), from its trigger on rel; nothing on a Citus placement
-- (the coordinator's watch_refresh() does it there)
CREATE FUNCTION @extschema@.watch_reevaluate(measures text[], rel regclass) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL
       AND @extschema@.table_label(rel) OPERATOR(pg_catalog.<>) rel::text THEN
        RETURN 0;
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(pg_catalog.hashtext('supplychain.watch'));
    RETURN @extschema@.watch_apply(measures, NULL, NULL, NULL, NULL, NULL);
END
$$;
COMMENT ON FUNCTION @extschema@.watch_reevaluate(text[], regclass) IS
    'internal: evaluates every subject of the measures again (a change every subject may read), from a trigger on rel';

-- watch_track(): the statement triggers of the tables every subject of a
-- measure may read: country_group (a group's members: import_dependency)
-- and policy (a policy's sector, or the policy gone: policy_risk)
CREATE FUNCTION @extschema@.watch_track() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM @extschema@.watch_reevaluate(TG_ARGV::text[], TG_RELID::regclass);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.watch_track() IS
    'trigger: evaluates every subject of the measures named in its arguments again';

-- import_dependency: a group's exports in one aggregation joined by product
-- (it was a subquery per row)
CREATE OR REPLACE VIEW @extschema@.import_dependency AS
WITH imports AS (
    SELECT t.country AS importer, t.product, t.year, t.imports, t.partners, t.squares,
           t.top_value, t.top_partner, 0::numeric AS inside_imports, t.exports
    FROM @extschema@.trade_country_total t
    WHERE t.import_flows > 0
    UNION ALL
    -- (the codes compared byte by byte, as trade_country_total's)
    SELECT a.importer, a.product, a.year, a.imports, a.partners, a.squares, a.top_value, a.top_partner,
           a.inside_imports, COALESCE(e.exports, 0)
    FROM (SELECT p.importer COLLATE "C" AS importer, p.product, p.year,
                 COALESCE(sum(p.value) FILTER (WHERE NOT p.inside), 0) AS imports,
                 count(*) FILTER (WHERE NOT p.inside AND p.value > 0) AS partners,
                 sum(p.value * p.value) FILTER (WHERE NOT p.inside) AS squares,
                 max(p.value) FILTER (WHERE NOT p.inside AND p.value > 0) AS top_value,
                 @extschema@.top_partner(p.value, p.partner) FILTER (WHERE NOT p.inside AND p.value > 0) AS top_partner,
                 COALESCE(sum(p.value) FILTER (WHERE p.inside), 0) AS inside_imports
          FROM @extschema@.group_import_partner p
          GROUP BY p.importer, p.product, p.year) a
    -- the members' exports to non-members, in one aggregation (a filter
    -- on the group and year reaches it through the join)
    LEFT JOIN (SELECT g.group_code AS importer, f.product, f.year, sum(f.value) AS exports
               FROM @extschema@.trade_flow f
               JOIN @extschema@.country_group g
                 ON g.member = f.exporter
                AND g.since <= make_date(f.year, 12, 31)
                AND (g.until IS NULL OR g.until >= make_date(f.year, 1, 1))
               LEFT JOIN @extschema@.country_group x
                 ON x.group_code = g.group_code AND x.member = f.importer
                AND x.since <= make_date(f.year, 12, 31)
                AND (x.until IS NULL OR x.until >= make_date(f.year, 1, 1))
               WHERE x.member IS NULL
               GROUP BY g.group_code, f.product, f.year) e
      ON e.importer = a.importer AND e.product = a.product AND e.year = a.year
), w AS (
    SELECT max(value) FILTER (WHERE name = 'trade.hhi_above') AS hhi_above,
           max(value) FILTER (WHERE name = 'trade.outside_share_above') AS outside_share_above,
           max(value) FILTER (WHERE name = 'trade.import_export_ratio_above') AS ratio_above
    FROM @extschema@.weight WHERE name LIKE 'trade.%'
), r AS (
    SELECT i.importer, i.product, i.year, i.imports, i.partners, i.top_value, i.top_partner, i.inside_imports,
           i.exports,
           i.squares / NULLIF(i.imports * i.imports, 0) AS hhi,
           i.top_value / NULLIF(i.imports, 0) AS top_share,
           i.imports / NULLIF(i.imports + i.inside_imports, 0) AS outside_share,
           i.imports / NULLIF(i.exports, 0) AS ratio
    FROM imports i
)
SELECT r.importer,
       r.product,
       r.year,
       r.imports,
       r.partners::integer AS partners,
       r.top_partner,
       round(r.top_share, 4) AS top_share,
       round(r.hhi, 4) AS hhi,
       r.inside_imports,
       round(r.outside_share, 4) AS outside_share,
       r.exports,
       round(r.ratio, 4) AS import_export_ratio,
       COALESCE(r.hhi > w.hhi_above, false) AS concentrated,
       COALESCE(r.outside_share > w.outside_share_above, false) AS import_dependent,
       COALESCE(r.ratio > w.ratio_above, r.exports = 0) AS hard_to_substitute,
       COALESCE(r.hhi > w.hhi_above, false)
           AND COALESCE(r.outside_share > w.outside_share_above, false)
           AND COALESCE(r.ratio > w.ratio_above, r.exports = 0) AS dependent
FROM r CROSS JOIN w;

-- Early warning (44_watch.sql): the shipped rules and their sources, and
-- the persistence of trade dependencies over the years.

ALTER TABLE @extschema@.watch ADD CONSTRAINT watch_product_fkey FOREIGN KEY (product) REFERENCES @extschema@.product;

INSERT INTO @extschema@.source (id, title, publisher, published, url, note, builtin) VALUES
    ('kr-ews-2021', 'Supply-chain early-warning system for imported items', 'Government of the Republic of Korea (Ministry of Economy and Finance)', '2021-11-01', NULL, 'Set up in November 2021 (the day is recorded as the first of the month): about 4,000 imported items of which more than half comes from one country are watched, 100 to 200 of them closely. The rule single-partner-above-half applies the criterion, one partner above half of an importer''s imports of a product, to every importer.', true),
    ('eu-crma-2024', 'Regulation (EU) 2024/1252 of the European Parliament and of the Council of 11 April 2024 establishing a framework for ensuring a secure and sustainable supply of critical raw materials (Critical Raw Materials Act)', 'European Union, Official Journal', '2024-04-11', 'https://eur-lex.europa.eu/eli/reg/2024/1252/oj', 'Article 5(1)(d): a benchmark that the Union''s annual consumption of each strategic raw material, at any relevant stage of processing, comes from no single third country for more than 65 %. The rule eu-single-third-country-above-65 reads it on import_dependency''s rows of the group EU: the top non-member partner''s share of the imports from non-members. The date is the day of adoption.', true);

INSERT INTO @extschema@.watch (name, measure, importer, comparison, threshold, source, note, builtin) VALUES
    ('single-partner-above-half', 'import_dependency.top_share', NULL, '>', 0.5, 'kr-ews-2021',
     'One partner supplies more than half of an importer''s imports of a product: Korea''s early-warning criterion (November 2021), here for every importer.', true),
    ('eu-single-third-country-above-65', 'import_dependency.top_share', 'EU', '>', 0.65, 'eu-crma-2024',
     'A single third country supplies more than 65 % of the EU''s imports of a product from non-members (the Critical Raw Materials Act''s benchmark, Article 5(1)(d), read on imports).', true),
    ('eu-strategic-dependency', 'import_dependency.dependent', 'EU', '=', 1, 'ec-swd-2021-352',
     'The EU''s imports of a product meet the European Commission''s 2021 strategic-dependency test (concentrated, import-dependent and hard to substitute).', true);

-- what every subject of a measure may read: a group's members (the
-- import_dependency of groups), a policy's sector or the policy itself
CREATE TRIGGER watch_members AFTER INSERT OR UPDATE OR DELETE ON @extschema@.country_group
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.watch_track('import_dependency.top_share', 'import_dependency.hhi',
                                                                'import_dependency.dependent');
CREATE TRIGGER watch_policies AFTER UPDATE OR DELETE ON @extschema@.policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.watch_track('policy_risk.long_value');

-- a shipped rule cannot be deleted (disable it); pg_dump keeps users' rules
CREATE TRIGGER builtin_readonly BEFORE DELETE ON @extschema@.watch FOR EACH ROW WHEN (OLD.builtin)
    EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.watch FOR EACH STATEMENT
    EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.watch FOR EACH ROW WHEN (NEW.builtin)
    EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.watch FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin)
    EXECUTE FUNCTION @extschema@.builtin_readonly();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.watch', 'WHERE NOT builtin');
-- and the cleared alerts (the open ones are raised again by the restore)
SELECT pg_catalog.pg_extension_config_dump('@extschema@.alert', 'WHERE cleared_at IS NOT NULL');

-- import_dependency_persistence: how many of the last three years (the
-- year and the two before) an importer's imports of a product were a
-- strategic dependency; persistent in two of three (CEPII's GeoDep counts a
-- product as dependent so).  A year without data counts as not dependent.
CREATE VIEW @extschema@.import_dependency_persistence AS
SELECT d.importer,
       d.product,
       d.year,
       d.dependent,
       (count(*) FILTER (WHERE d.dependent) OVER w)::integer AS dependent_years,
       count(*) FILTER (WHERE d.dependent) OVER w >= 2 AS persistent
FROM @extschema@.import_dependency d
WINDOW w AS (PARTITION BY d.importer, d.product ORDER BY d.year RANGE BETWEEN 2 PRECEDING AND CURRENT ROW);
COMMENT ON VIEW @extschema@.import_dependency_persistence IS
    'per importer, product and year: in how many of the three years to it the imports were a strategic dependency (dependent_years), and persistent = two or more (CEPII GeoDep)';


COMMENT ON COLUMN @extschema@.watch.name IS 'the rule''s name (its key; alert.watch)';
COMMENT ON COLUMN @extschema@.watch.threshold IS 'the value the measure is compared with';
COMMENT ON COLUMN @extschema@.watch.source IS 'the publication the rule comes from (source.id); NULL for a user''s own';
COMMENT ON COLUMN @extschema@.watch.note IS 'what the rule is for';
COMMENT ON COLUMN @extschema@.watch.builtin IS 'a shipped rule, unchanged (a changed one becomes the user''s row)';
COMMENT ON COLUMN @extschema@.alert.id IS 'the alert (acknowledge() takes it; the notifications carry it)';
COMMENT ON COLUMN @extschema@.alert.watch IS 'the rule met (watch.name)';
COMMENT ON COLUMN @extschema@.alert.key IS 'the subject''s key columns in one text, U+001F between them: what the writers compare (subject shows them named)';
COMMENT ON COLUMN @extschema@.alert.country IS 'the subject''s country: the depending or affected country, or the importer';
COMMENT ON COLUMN @extschema@.alert.value_cleared IS 'the measure when the alert cleared (NULL: the subject is gone, or the rule was disabled)';
COMMENT ON COLUMN @extschema@.alert.acknowledged_at IS 'when acknowledge() was called on it';
COMMENT ON COLUMN @extschema@.alert.acknowledged_by IS 'who called acknowledge()';
COMMENT ON COLUMN @extschema@.alert.note IS 'the note given to acknowledge()';
COMMENT ON COLUMN @extschema@.open_alert.id IS 'alert.id as text (acknowledge() takes either)';
COMMENT ON COLUMN @extschema@.open_alert.watch IS 'the rule met (watch.name)';
COMMENT ON COLUMN @extschema@.open_alert.measure IS 'the rule''s measure';
COMMENT ON COLUMN @extschema@.open_alert.country IS 'the subject''s depending or affected country (country_risk, stage_risk, policy_risk)';
COMMENT ON COLUMN @extschema@.open_alert.sector IS 'the subject''s sector (NULL: country_risk''s all-sectors row, or import_dependency)';
COMMENT ON COLUMN @extschema@.open_alert.stage IS 'the subject''s stage (stage_risk)';
COMMENT ON COLUMN @extschema@.open_alert.supplier IS 'the subject''s supplier (country_risk)';
COMMENT ON COLUMN @extschema@.open_alert.importer IS 'the subject''s importer (import_dependency)';
COMMENT ON COLUMN @extschema@.open_alert.product IS 'the subject''s product (import_dependency)';
COMMENT ON COLUMN @extschema@.open_alert.year IS 'the subject''s year (import_dependency)';
COMMENT ON COLUMN @extschema@.open_alert.policy IS 'the subject''s policy (policy_risk)';
COMMENT ON COLUMN @extschema@.open_alert.comparison IS 'the rule''s comparison';
COMMENT ON COLUMN @extschema@.open_alert.threshold IS 'the rule''s threshold';
COMMENT ON COLUMN @extschema@.open_alert.value_before IS 'the measure before the write that raised the alert (NULL: a new subject, or one evaluated again as a whole: a rule changed, a threshold or weakness weight, a group''s members)';
COMMENT ON COLUMN @extschema@.open_alert.value_after IS 'the measure that met the rule';
COMMENT ON COLUMN @extschema@.open_alert.raised_at IS 'the raising transaction''s time';
COMMENT ON COLUMN @extschema@.open_alert.acknowledged_at IS 'when acknowledge() was called on it';
COMMENT ON COLUMN @extschema@.open_alert.acknowledged_by IS 'who called acknowledge()';
COMMENT ON COLUMN @extschema@.open_alert.note IS 'the note given to acknowledge()';
COMMENT ON COLUMN @extschema@.import_dependency_persistence.importer IS 'as in import_dependency';
COMMENT ON COLUMN @extschema@.import_dependency_persistence.product IS 'as in import_dependency';
COMMENT ON COLUMN @extschema@.import_dependency_persistence.year IS 'as in import_dependency';
COMMENT ON COLUMN @extschema@.import_dependency_persistence.dependent IS 'a strategic dependency that year (import_dependency.dependent)';
COMMENT ON COLUMN @extschema@.import_dependency_persistence.dependent_years IS 'of the year and the two before, how many it was dependent (0..3)';
COMMENT ON COLUMN @extschema@.import_dependency_persistence.persistent IS 'dependent in two or more of the three years';

-- the writers: each reads the watched measures' values before it writes
-- and raises and clears the alerts after
CREATE OR REPLACE FUNCTION @extschema@.refresh_country(beside regclass, countries text[], sectors text[], suppliers text[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    -- shard_of() is a call per name: skipped where there is no Citus
    citus constant boolean := pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL;
    sup constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.supplier_state', beside) ELSE '@extschema@.supplier_state' END;
    cs constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.country_state', beside) ELSE '@extschema@.country_state' END;
    ct constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.country_total_state', beside) ELSE '@extschema@.country_total_state' END;
    al constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.alignment', beside) ELSE '@extschema@.alignment' END;
    wt constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.weight', beside) ELSE '@extschema@.weight' END;
    sums constant text := @extschema@.country_sums(sup, al, wt);
    before @extschema@.watch_snapshot;
BEGIN
    IF countries IS NULL OR pg_catalog.cardinality(countries) = 0 THEN
        RETURN;
    END IF;
    -- lock the rows, in order; a new key's row is a placeholder until the
    -- next statement computes it
    PERFORM @extschema@.exec_cached(pg_catalog.format($q$
        WITH k AS (SELECT DISTINCT country, sector, supplier
                   FROM @extschema@.key_rows($1, $2, $3) k (country, sector, supplier)),
        by_sector AS (
            INSERT INTO %1$s AS t (country, sector, supplier, stages, dependencies, unknown_shares)
            SELECT country, sector, supplier, 0, 0, 0 FROM k WHERE sector IS NOT NULL
            ORDER BY country, sector, supplier
            ON CONFLICT (country, supplier, sector) DO UPDATE SET stages = t.stages
        ), all_sectors AS (
            INSERT INTO %2$s AS t (country, supplier, stages, dependencies, unknown_shares)
            SELECT DISTINCT country, supplier, 0, 0, 0 FROM k
            ORDER BY country, supplier
            ON CONFLICT (country, supplier) DO UPDATE SET stages = t.stages
        )
        SELECT NULL::text[]
    $q$, cs, ct), countries, sectors, suppliers);

    -- the early warning's values before (44_watch.sql), of rows now locked
    before := @extschema@.watch_before(beside, '{country_risk.risk}', countries, sectors, suppliers);

    -- recompute them (a new snapshot: a writer we waited for is seen) and
    -- write the ones that differ (numbers compared as text: 0.5 and 0.50
    -- print differently); a key without terms goes
    PERFORM @extschema@.exec_cached(pg_catalog.format($q$
        WITH %3$s,
        sector_kept AS (
            UPDATE %1$s t
            SET relation = r.relation, stages = r.stages, dependencies = r.dependencies,
                unknown_shares = r.unknown_shares, known_share = r.known_share, weighted = r.weighted, risk = r.risk
            FROM sums r
            WHERE r.sector IS NOT NULL AND r.stages OPERATOR(pg_catalog.>) 0
              AND t.country OPERATOR(pg_catalog.=) r.country AND t.supplier OPERATOR(pg_catalog.=) r.supplier
              AND t.sector OPERATOR(pg_catalog.=) r.sector
              AND (t.relation, t.stages, t.dependencies, t.unknown_shares, t.known_share::text, t.weighted::text, t.risk::text)
                  IS DISTINCT FROM (r.relation, r.stages, r.dependencies, r.unknown_shares, r.known_share::text, r.weighted::text, r.risk::text)
        ), sector_gone AS (
            DELETE FROM %1$s t USING sums r
            WHERE r.sector IS NOT NULL AND r.stages OPERATOR(pg_catalog.=) 0
              AND t.country OPERATOR(pg_catalog.=) r.country AND t.supplier OPERATOR(pg_catalog.=) r.supplier
              AND t.sector OPERATOR(pg_catalog.=) r.sector
        ), total_kept AS (
            UPDATE %2$s t
            SET relation = r.relation, stages = r.stages, dependencies = r.dependencies,
                unknown_shares = r.unknown_shares, known_share = r.known_share, weighted = r.weighted, risk = r.risk
            FROM sums r
            WHERE r.sector IS NULL AND r.stages OPERATOR(pg_catalog.>) 0
              AND t.country OPERATOR(pg_catalog.=) r.country AND t.supplier OPERATOR(pg_catalog.=) r.supplier
              AND (t.relation, t.stages, t.dependencies, t.unknown_shares, t.known_share::text, t.weighted::text, t.risk::text)
                  IS DISTINCT FROM (r.relation, r.stages, r.dependencies, r.unknown_shares, r.known_share::text, r.weighted::text, r.risk::text)
        )
        DELETE FROM %2$s t USING sums r
        WHERE r.sector IS NULL AND r.stages OPERATOR(pg_catalog.=) 0
          AND t.country OPERATOR(pg_catalog.=) r.country AND t.supplier OPERATOR(pg_catalog.=) r.supplier
    $q$, cs, ct, sums), countries, sectors, suppliers);
    IF before.measures IS NOT NULL THEN
        PERFORM @extschema@.watch_after(before, countries, sectors, suppliers);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.refresh_state(beside regclass, countries text[], stages text[], suppliers text[] DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    -- shard_of() is a call per name: skipped where there is no Citus
    citus constant boolean := pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL;
    dep constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.dependency', beside) ELSE '@extschema@.dependency' END;
    ass constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.assessment', beside) ELSE '@extschema@.assessment' END;
    ss constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.stage_state', beside) ELSE '@extschema@.stage_state' END;
    sup constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.supplier_state', beside) ELSE '@extschema@.supplier_state' END;
    stg constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.stage', beside) ELSE '@extschema@.stage' END;
    wt constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.weight', beside) ELSE '@extschema@.weight' END;
    tot constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.share_total', beside) ELSE '@extschema@.share_total' END;
    by_supplier boolean := suppliers IS NOT NULL;
    changed record;
    before @extschema@.watch_snapshot;
BEGIN
    IF countries IS NULL OR pg_catalog.cardinality(countries) = 0 THEN
        RETURN;
    END IF;
    IF by_supplier AND pg_catalog.cardinality(countries) > 100 THEN
        -- many keys: their pairs, each read whole
        SELECT pg_catalog.array_agg(c), pg_catalog.array_agg(s) INTO countries, stages
          FROM (SELECT DISTINCT c, s FROM ROWS FROM (pg_catalog.unnest(countries), pg_catalog.unnest(stages)) k (c, s) ORDER BY c, s) k;
        suppliers := NULL;
        by_supplier := false;
    END IF;

    -- lock the pairs, in order: writers of a pair serialize here
    PERFORM @extschema@.exec_cached(pg_catalog.format($q$
        INSERT INTO %1$s AS t (country, stage, sector, rows, suppliers, unknown_shares)
        SELECT p.country, p.stage, s.sector, 0, 0, 0
        FROM (SELECT DISTINCT country, stage FROM @extschema@.key_rows($1, $2) p (country, stage)) p
        JOIN %2$s s ON s.id OPERATOR(pg_catalog.=) p.stage
        ORDER BY p.country, p.stage
        ON CONFLICT (country, stage) DO UPDATE SET rows = t.rows
    $q$, ss, stg), countries, stages);
    -- the early warning's values before (44_watch.sql), of pairs now locked
    before := @extschema@.watch_before(beside, '{stage_risk.hhi,stage_risk.risk}', countries, stages);

    -- the terms from the current rows (state_terms); a supplier's term is
    -- written only where it changed (numbers compared as text: 0.5 and 0.50
    -- print differently); the pairs' own terms; and the keys of the country
    -- rows the changed terms move
    SELECT * INTO changed FROM @extschema@.exec_cached(pg_catalog.format($q$
        WITH p AS (SELECT %8$s FROM @extschema@.key_rows($1, $2, $3) p (country, stage, supplier)),
        pairs AS (SELECT DISTINCT country, stage FROM p),
        t AS MATERIALIZED (
            SELECT * FROM @extschema@.state_terms(%1$s::pg_catalog.oid, %2$s::pg_catalog.oid, %6$s::pg_catalog.oid, $1, $2, $3)
        ), fresh AS MATERIALIZED (
            SELECT t.country, t.stage, t.supplier, s.sector, t.dependencies, t.unknown_shares, t.supply_rows,
                   t.supply_unknown, t.share_supply, t.share_market, t.share_talent, t.known_share, t.weighted
            FROM t JOIN %5$s s ON s.id OPERATOR(pg_catalog.=) t.stage
            WHERE t.supplier IS NOT NULL
        ), old AS MATERIALIZED (
            -- OFFSET 0: a probe per key, never a scan of the table
            SELECT o.* FROM p CROSS JOIN LATERAL (
                SELECT o.* FROM %4$s o
                WHERE o.country OPERATOR(pg_catalog.=) p.country AND o.stage OPERATOR(pg_catalog.=) p.stage %9$s
                OFFSET 0) o
        ), diff AS MATERIALIZED (
            -- the terms that changed: o only (gone), f only (new), both (changed)
            SELECT o.country AS o_country, o.stage AS o_stage, o.sector AS o_sector, o.supplier AS o_supplier,
                   f.*
            FROM old o
            FULL JOIN fresh f
              ON f.country OPERATOR(pg_catalog.=) o.country AND f.stage OPERATOR(pg_catalog.=) o.stage
             AND f.supplier OPERATOR(pg_catalog.=) o.supplier
            WHERE o.country IS NULL OR f.country IS NULL
               OR (o.sector, o.dependencies, o.unknown_shares, o.supply_rows, o.supply_unknown)
                  IS DISTINCT FROM (f.sector, f.dependencies, f.unknown_shares, f.supply_rows, f.supply_unknown)
               OR (o.share_supply::text, o.share_market::text, o.share_talent::text, o.known_share::text, o.weighted::text)
                  IS DISTINCT FROM (f.share_supply::text, f.share_market::text, f.share_talent::text, f.known_share::text, f.weighted::text)
        ), gone AS (
            DELETE FROM %4$s t USING diff x
            WHERE x.country IS NULL AND t.country OPERATOR(pg_catalog.=) x.o_country
              AND t.stage OPERATOR(pg_catalog.=) x.o_stage AND t.supplier OPERATOR(pg_catalog.=) x.o_supplier
        ), changed AS (
            UPDATE %4$s t
            SET sector = x.sector, dependencies = x.dependencies, unknown_shares = x.unknown_shares,
                supply_rows = x.supply_rows, supply_unknown = x.supply_unknown, share_supply = x.share_supply,
                share_market = x.share_market, share_talent = x.share_talent,
                known_share = x.known_share, weighted = x.weighted
            FROM diff x
            WHERE x.o_country IS NOT NULL AND x.country IS NOT NULL
              AND t.country OPERATOR(pg_catalog.=) x.country AND t.stage OPERATOR(pg_catalog.=) x.stage
              AND t.supplier OPERATOR(pg_catalog.=) x.supplier
        ), added AS (
            INSERT INTO %4$s
            SELECT x.country, x.stage, x.supplier, x.sector, x.dependencies, x.unknown_shares, x.supply_rows,
                   x.supply_unknown, x.share_supply, x.share_market, x.share_talent, x.known_share, x.weighted
            FROM diff x WHERE x.o_country IS NULL
        ), %10$s, terms AS (
            -- stage_risk's terms: the pair's own terms and its rating
            SELECT q.country, q.stage, s.sector, r.rating, r.as_of, x.rows, x.suppliers, x.unknown_shares,
                   x.hhi, x.top_supplier, x.top_share
            FROM pairs q
            JOIN %5$s s ON s.id OPERATOR(pg_catalog.=) q.stage
            JOIN pair_terms x ON x.country OPERATOR(pg_catalog.=) q.country AND x.stage OPERATOR(pg_catalog.=) q.stage
            LEFT JOIN LATERAL (
                SELECT a.rating, a.as_of FROM %7$s a
                WHERE a.country OPERATOR(pg_catalog.=) q.country AND a.stage OPERATOR(pg_catalog.=) q.stage
                ORDER BY a.as_of DESC LIMIT 1) r ON true
        ), kept AS (
            UPDATE %3$s t
            SET sector = m.sector, rating = m.rating, rated_as_of = m.as_of, rows = m.rows,
                suppliers = m.suppliers, unknown_shares = m.unknown_shares, hhi = m.hhi,
                top_supplier = m.top_supplier, top_share = m.top_share
            FROM terms m
            WHERE (m.rows OPERATOR(pg_catalog.>) 0 OR m.rating IS NOT NULL)
              AND t.country OPERATOR(pg_catalog.=) m.country AND t.stage OPERATOR(pg_catalog.=) m.stage
        ), emptied AS (
            DELETE FROM %3$s t USING terms m
            WHERE m.rows OPERATOR(pg_catalog.=) 0 AND m.rating IS NULL
              AND t.country OPERATOR(pg_catalog.=) m.country AND t.stage OPERATOR(pg_catalog.=) m.stage
        ), k AS (
            SELECT o_country AS country, o_sector AS sector, o_supplier AS supplier FROM diff WHERE o_country IS NOT NULL
            UNION
            SELECT country, sector, supplier FROM diff WHERE country IS NOT NULL
        )
        SELECT pg_catalog.array_agg(country), pg_catalog.array_agg(sector), pg_catalog.array_agg(supplier) FROM k
    $q$, dep::oid, ass::oid, ss, sup, stg, wt::oid, ass,
        CASE WHEN by_supplier THEN 'country, stage, supplier' ELSE 'country, stage' END,
        CASE WHEN by_supplier THEN 'AND o.supplier OPERATOR(pg_catalog.=) p.supplier' ELSE '' END,
        CASE WHEN by_supplier THEN pg_catalog.format($t$
        pair_terms AS (
            -- summed from the suppliers' terms: the pairs' others as stored
            -- and the fresh ones; the HHI of the most concentrated supply
            -- item from the share rule's per-item HHIs
            WITH every_term AS (
                SELECT o.country, o.stage, o.supplier, o.dependencies, o.supply_rows, o.supply_unknown, o.share_supply
                FROM pairs q JOIN %1$s o ON o.country OPERATOR(pg_catalog.=) q.country AND o.stage OPERATOR(pg_catalog.=) q.stage
                WHERE NOT EXISTS (SELECT FROM p WHERE p.country OPERATOR(pg_catalog.=) o.country
                                    AND p.stage OPERATOR(pg_catalog.=) o.stage AND p.supplier OPERATOR(pg_catalog.=) o.supplier)
                UNION ALL
                SELECT country, stage, supplier, dependencies, supply_rows, supply_unknown, share_supply FROM fresh
            )
            SELECT q.country, q.stage, COALESCE(n.rows, 0) AS rows, COALESCE(n.suppliers, 0) AS suppliers,
                   COALESCE(n.unknown_shares, 0) AS unknown_shares, h.hhi,
                   top.supplier AS top_supplier, top.share_supply AS top_share
            FROM pairs q
            LEFT JOIN (SELECT country, stage, pg_catalog.sum(dependencies)::integer AS rows,
                              pg_catalog.count(*) FILTER (WHERE supply_rows OPERATOR(pg_catalog.>) 0)::integer AS suppliers,
                              pg_catalog.sum(supply_unknown)::integer AS unknown_shares
                       FROM every_term GROUP BY country, stage) n
                   ON n.country OPERATOR(pg_catalog.=) q.country AND n.stage OPERATOR(pg_catalog.=) q.stage
            CROSS JOIN LATERAL (
                SELECT pg_catalog.max(i.hhi) AS hhi FROM %2$s i
                WHERE i.stage OPERATOR(pg_catalog.=) q.stage AND i.country OPERATOR(pg_catalog.=) q.country
                  AND i.kind OPERATOR(pg_catalog.=) 'supply') h
            -- the largest supply share, the first code on a tie
            LEFT JOIN LATERAL (
                SELECT e.supplier, e.share_supply FROM every_term e
                WHERE e.country OPERATOR(pg_catalog.=) q.country AND e.stage OPERATOR(pg_catalog.=) q.stage
                  AND e.share_supply IS NOT NULL
                ORDER BY e.share_supply DESC, e.supplier LIMIT 1) top ON true
        )$t$, sup, tot)
        -- whole pairs: state_terms' pair rows
        ELSE $t$
        pair_terms AS (
            SELECT country, stage, dependencies AS rows, supply_rows AS suppliers, supply_unknown AS unknown_shares,
                   hhi, top_supplier, top_share
            FROM t WHERE supplier IS NULL
        )$t$ END),
        countries, stages, suppliers);
    IF before.measures IS NOT NULL THEN
        PERFORM @extschema@.watch_after(before, countries, stages);
    END IF;

    PERFORM @extschema@.refresh_country(beside, changed.r1, changed.r2, changed.r3);
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.state_track_weight() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    names text[];
BEGIN
    IF pg_catalog.current_setting('supplychain.copying', true) = 'on' THEN
        RETURN NULL;            -- distribute() or undistribute() moves the state with the rows
    END IF;
    IF TG_OP = 'INSERT' THEN
        SELECT pg_catalog.array_agg(name) INTO names FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT pg_catalog.array_agg(name) INTO names FROM old_rows;
    ELSE
        SELECT pg_catalog.array_agg(n.name) INTO names
          FROM new_rows n FULL JOIN old_rows o ON o.name OPERATOR(pg_catalog.=) n.name
         WHERE n.value IS DISTINCT FROM o.value;
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.unnest(names) n
               WHERE n LIKE 'weakness.%' OR n LIKE 'kind.%' OR n LIKE 'alignment.%') THEN
        PERFORM @extschema@.refresh_weights(place) FROM @extschema@.state_places(TG_RELID::regclass) place;
    END IF;
    -- measures that read a weight themselves: stage_risk's risk (the
    -- weakness) and import_dependency's test (its thresholds); every
    -- subject is evaluated again, without a value before (44_watch.sql)
    IF EXISTS (SELECT FROM pg_catalog.unnest(names) n WHERE n LIKE 'weakness.%') THEN
        PERFORM @extschema@.watch_reevaluate('{stage_risk.risk}', TG_RELID::regclass);
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.unnest(names) n WHERE n LIKE 'trade.%') THEN
        PERFORM @extschema@.watch_reevaluate('{import_dependency.dependent}', TG_RELID::regclass);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.state_track_stage() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    moved text[];
    place regclass;
    k record;
BEGIN
    IF pg_catalog.current_setting('supplychain.copying', true) = 'on' THEN
        RETURN NULL;            -- distribute() or undistribute() moves the state with the rows
    END IF;
    SELECT pg_catalog.array_agg(n.id) INTO moved
      FROM new_rows n JOIN old_rows o ON o.id OPERATOR(pg_catalog.=) n.id
     WHERE n.sector IS DISTINCT FROM o.sector;
    IF moved IS NULL THEN
        RETURN NULL;
    END IF;
    FOR place IN SELECT * FROM @extschema@.state_places(TG_RELID::regclass) LOOP
        EXECUTE pg_catalog.format($q$
            SELECT pg_catalog.array_agg(country ORDER BY country, stage) AS countries,
                   pg_catalog.array_agg(stage ORDER BY country, stage) AS stages
            FROM %s WHERE stage OPERATOR(pg_catalog.=) ANY ($1)
        $q$, place) INTO k USING moved;
        PERFORM @extschema@.refresh_state(place, k.countries, k.stages);
    END LOOP;
    -- its stages leave one chain for another: every stage subject again
    -- (44_watch.sql)
    PERFORM @extschema@.watch_reevaluate('{stage_risk.hhi,stage_risk.risk}', TG_RELID::regclass);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.rebuild_state() RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    distributed boolean := false;
    n bigint;
BEGIN
    IF pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
        EXECUTE 'SELECT EXISTS (SELECT FROM pg_catalog.pg_dist_partition WHERE logicalrelid OPERATOR(pg_catalog.=) $1)'
            INTO distributed USING '@extschema@.stage_state'::regclass;
    END IF;
    IF distributed THEN
        -- distributed: each shard of the colocation group on its node
        PERFORM pg_catalog.run_command_on_shards('@extschema@.stage_state',
                                                 'SELECT @extschema@.rebuild_state_beside(%L)');
        RETURN (SELECT pg_catalog.count(*) FROM @extschema@.stage_state);
    END IF;
    -- writers wait until the rebuild commits; readers keep reading the old state
    LOCK TABLE @extschema@.share_total, @extschema@.stage_state, @extschema@.supplier_state,
               @extschema@.country_state, @extschema@.country_total_state, @extschema@.trade_country_total
          IN EXCLUSIVE MODE;
    n := @extschema@.rebuild_state_beside('@extschema@.stage_state');
    -- the trade totals were rebuilt without their triggers (44_watch.sql)
    PERFORM @extschema@.watch_refresh();
    RETURN n;
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.refresh_trade(beside regclass, countries text[], products text[], years integer[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    citus constant boolean := pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL;
    tot constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_country_total', beside) ELSE '@extschema@.trade_country_total' END;
    flows constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_flow', beside) ELSE '@extschema@.trade_flow' END;
    before @extschema@.watch_snapshot;
BEGIN
    IF countries IS NULL OR pg_catalog.cardinality(countries) = 0 THEN
        RETURN;
    END IF;
    EXECUTE pg_catalog.format($q$
        INSERT INTO %s AS t (country, product, year)
        SELECT DISTINCT k.country, k.product, k.year
        FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (country, product, year)
        ORDER BY 3, 1, 2
        ON CONFLICT (year, country, product) DO UPDATE SET import_flows = t.import_flows
    $q$, tot) USING countries, products, years;
    -- the early warning's values before (44_watch.sql), of keys now locked
    before := @extschema@.watch_before(beside, '{import_dependency.top_share,import_dependency.hhi,import_dependency.dependent}',
                                       countries, products, NULL, years);
    EXECUTE pg_catalog.format($q$
        WITH fresh AS MATERIALIZED (SELECT * FROM @extschema@.trade_country_totals(%2$L, $1, $2, $3)),
        gone AS (
            DELETE FROM %1$s t
            USING ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (country, product, year)
            WHERE t.country OPERATOR(pg_catalog.=) k.country AND t.product OPERATOR(pg_catalog.=) k.product
              AND t.year OPERATOR(pg_catalog.=) k.year
              AND NOT EXISTS (SELECT FROM fresh f WHERE f.country OPERATOR(pg_catalog.=) k.country
                                AND f.product OPERATOR(pg_catalog.=) k.product AND f.year OPERATOR(pg_catalog.=) k.year)
        )
        UPDATE %1$s t
        SET import_flows = f.import_flows, imports = f.imports, squares = f.squares, partners = f.partners,
            top_value = f.top_value, top_partner = f.top_partner, export_flows = f.export_flows, exports = f.exports
        FROM fresh f
        WHERE t.country OPERATOR(pg_catalog.=) f.country AND t.product OPERATOR(pg_catalog.=) f.product
          AND t.year OPERATOR(pg_catalog.=) f.year
    $q$, tot, flows) USING countries, products, years;
    IF before.measures IS NOT NULL THEN
        PERFORM @extschema@.watch_after(before, countries, products, NULL, years);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.trade_track() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    countries text[];
    products text[];
    years integer[];
BEGIN
    IF pg_catalog.current_setting('supplychain.copying', true) = 'on' THEN
        RETURN NULL;            -- distribute(), undistribute() or load_trade_flows() write the totals themselves
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        -- the years left without flows lose their totals (the table is
        -- locked: no writer of its keys can be waiting)
        EXECUTE pg_catalog.format($q$
            DELETE FROM %s t WHERE NOT EXISTS (SELECT FROM %s f WHERE f.year OPERATOR(pg_catalog.=) t.year)
        $q$, @extschema@.shard_of('@extschema@.trade_country_total', TG_RELID::regclass),
             @extschema@.shard_of('@extschema@.trade_flow', TG_RELID::regclass));
        -- their subjects' alerts (44_watch.sql)
        PERFORM @extschema@.watch_reevaluate('{import_dependency.top_share,import_dependency.hhi,import_dependency.dependent}',
                                             TG_RELID::regclass);
        RETURN NULL;
    ELSE
        EXECUTE pg_catalog.format($q$
            SELECT pg_catalog.array_agg(country ORDER BY country, product, year),
                   pg_catalog.array_agg(product ORDER BY country, product, year),
                   pg_catalog.array_agg(year ORDER BY country, product, year)
            FROM (%s) k
        $q$, CASE TG_OP
                WHEN 'INSERT' THEN 'SELECT importer AS country, product, year FROM new_rows UNION SELECT exporter, product, year FROM new_rows'
                WHEN 'DELETE' THEN 'SELECT importer AS country, product, year FROM old_rows UNION SELECT exporter, product, year FROM old_rows'
                ELSE 'SELECT importer AS country, product, year FROM new_rows UNION SELECT exporter, product, year FROM new_rows
                      UNION SELECT importer, product, year FROM old_rows UNION SELECT exporter, product, year FROM old_rows' END)
        INTO countries, products, years;
    END IF;
    PERFORM @extschema@.refresh_trade(TG_RELID::regclass, countries, products, years);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.load_trade_flows(year integer, staging regclass)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    for_year constant integer := $1;
    part text;
    building text;
    cols text[];
    missing text;
    select_list text;
    distributed boolean := false;
    old_part regclass;
    loaded bigint;
    bad text;
    suffix text;
    take_over boolean;
    staging_name text := staging::text;
    checks text;
    violated text;
    msg text;
    det text;
    state text;
    before @extschema@.watch_snapshot;
BEGIN
    IF for_year IS NULL OR for_year NOT BETWEEN 1800 AND 2999 THEN
        RAISE EXCEPTION 'year must be between 1800 and 2999, not %', COALESCE(for_year::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF staging IS NULL THEN
        RAISE EXCEPTION 'staging must name a table or view'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT pg_catalog.array_agg(a.attname::text) INTO cols
      FROM pg_catalog.pg_attribute a
     WHERE a.attrelid OPERATOR(pg_catalog.=) staging AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped;
    SELECT pg_catalog.string_agg(c, ', ') INTO missing
      FROM pg_catalog.unnest(ARRAY['year', 'exporter', 'importer', 'product', 'value']) c
     WHERE c OPERATOR(pg_catalog.<>) ALL (COALESCE(cols, '{}'));
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION '% has no column %', staging, missing
            USING ERRCODE = 'undefined_column',
                  HINT = 'The staging table needs trade_flow''s columns year, exporter, importer, product and value (quantity and source are optional).';
    END IF;
    select_list := pg_catalog.format('s.year, s.exporter, s.importer, s.product, s.value, %s, %s',
        CASE WHEN 'quantity' OPERATOR(pg_catalog.=) ANY (cols) THEN 's.quantity' ELSE 'NULL' END,
        CASE WHEN 'source' OPERATOR(pg_catalog.=) ANY (cols) THEN 's.source' ELSE 'NULL' END);
    -- one load (or maker of the year's partition) at a time
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('supplychain.trade_flow_year'), for_year);

    IF pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
        EXECUTE 'SELECT EXISTS (SELECT FROM pg_catalog.pg_dist_partition WHERE logicalrelid OPERATOR(pg_catalog.=) $1)'
            INTO distributed USING '@extschema@.trade_flow'::regclass;
    END IF;
    IF distributed THEN
        -- through the distributed table: its triggers keep trade_country_total
        EXECUTE pg_catalog.format('SELECT s.year FROM %s s WHERE s.year IS DISTINCT FROM $1 LIMIT 1', staging)
            INTO bad USING for_year;
        IF bad IS NOT NULL OR FOUND THEN
            RAISE EXCEPTION 'a row of % is not of year %', staging, for_year
                USING ERRCODE = 'check_violation', DETAIL = pg_catalog.format('It is of year %s.', COALESCE(bad, 'NULL'));
        END IF;
        PERFORM @extschema@.trade_flow_year(for_year);
        DELETE FROM @extschema@.trade_flow f WHERE f.year OPERATOR(pg_catalog.=) for_year;
        EXECUTE pg_catalog.format(
            'INSERT INTO @extschema@.trade_flow (year, exporter, importer, product, value, quantity, source) SELECT %s FROM %s s',
            select_list, staging);
        GET DIAGNOSTICS loaded = ROW_COUNT;
        RETURN loaded;
    END IF;

    -- 1. the year as a table of its own, with trade_flow's columns and
    -- checks, and one more: every row is of the year (which also spares
    -- the attach a scan).  A table of the caller's with exactly
    -- trade_flow's columns and nothing else (no index, trigger, constraint,
    -- grant, rule, policy, inheritance; CREATE TABLE ... (LIKE
    -- supplychain.trade_flow)) becomes that table itself: it is moved into
    -- the extension's schema and checked in one scan, and its rows are
    -- never copied.  Anything else is copied.
    part := 'trade_flow_' || for_year;
    building := part || '_loading';
    SELECT c.relkind OPERATOR(pg_catalog.=) 'r' AND c.relpersistence OPERATOR(pg_catalog.=) 'p'
           AND NOT c.relispartition AND NOT c.relhassubclass AND NOT c.relhasrules AND NOT c.relhastriggers
           AND NOT c.relrowsecurity AND c.relacl IS NULL
           AND pg_catalog.pg_has_role(c.relowner, 'USAGE')
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indrelid OPERATOR(pg_catalog.=) c.oid)
           -- (NOT NULL constraints apart: PostgreSQL 18 lists them there)
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k
                           WHERE k.conrelid OPERATOR(pg_catalog.=) c.oid AND k.contype OPERATOR(pg_catalog.<>) 'n')
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_inherits h WHERE h.inhrelid OPERATOR(pg_catalog.=) c.oid)
           AND (SELECT pg_catalog.array_agg(pg_catalog.format('%s %s %s %s', a.attname, a.atttypid, a.atttypmod, a.attcollation)
                                            ORDER BY a.attnum)
                FROM pg_catalog.pg_attribute a
                WHERE a.attrelid OPERATOR(pg_catalog.=) c.oid AND a.attnum OPERATOR(pg_catalog.>) 0)
               OPERATOR(pg_catalog.=)
               (SELECT pg_catalog.array_agg(pg_catalog.format('%s %s %s %s', a.attname, a.atttypid, a.atttypmod, a.attcollation)
                                            ORDER BY a.attnum)
                FROM pg_catalog.pg_attribute a
                WHERE a.attrelid OPERATOR(pg_catalog.=) '@extschema@.trade_flow'::regclass AND a.attnum OPERATOR(pg_catalog.>) 0)
      INTO take_over
      FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) staging;
    IF take_over THEN
        -- trade_flow's checks and NOT NULLs, and the year's, in one
        -- ALTER TABLE: one scan validates them all
        SELECT pg_catalog.string_agg(pg_catalog.format('ADD CONSTRAINT %I %s', k.conname, pg_catalog.pg_get_constraintdef(k.oid)), ', '),
               pg_catalog.string_agg(pg_catalog.format('NOT COALESCE(%s, true)',
                                                       pg_catalog.substr(pg_catalog.pg_get_constraintdef(k.oid), 7)), ' OR ')
          INTO checks, violated
          FROM pg_catalog.pg_constraint k
         WHERE k.conrelid OPERATOR(pg_catalog.=) '@extschema@.trade_flow'::regclass AND k.contype OPERATOR(pg_catalog.=) 'c';
        SELECT checks || ', ' || pg_catalog.string_agg(pg_catalog.format('ALTER COLUMN %I SET NOT NULL', a.attname), ', '),
               violated || ' OR ' || pg_catalog.string_agg(pg_catalog.format('%I IS NULL', a.attname), ' OR ')
          INTO checks, violated
          FROM pg_catalog.pg_attribute a
         WHERE a.attrelid OPERATOR(pg_catalog.=) '@extschema@.trade_flow'::regclass AND a.attnum OPERATOR(pg_catalog.>) 0
           AND a.attnotnull;
        checks := checks || pg_catalog.format(', ADD CONSTRAINT %I CHECK (year OPERATOR(pg_catalog.=) %s)', part || '_year', for_year);
        violated := violated || pg_catalog.format(' OR year IS DISTINCT FROM %s', for_year);
        EXECUTE pg_catalog.format('ALTER TABLE %s RENAME TO %I', staging, building);
        IF (SELECT c.relnamespace FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) staging)
           OPERATOR(pg_catalog.<>) '@extschema@'::regnamespace THEN
            EXECUTE pg_catalog.format('ALTER TABLE %s SET SCHEMA @extschema@', staging);
        END IF;
        BEGIN
            EXECUTE pg_catalog.format('ALTER TABLE @extschema@.%I %s', building, checks);
        EXCEPTION WHEN integrity_constraint_violation THEN
            GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, state = RETURNED_SQLSTATE;
            EXECUTE pg_catalog.format('SELECT s::text FROM @extschema@.%I s WHERE %s LIMIT 1', building, violated) INTO bad;
            RAISE EXCEPTION 'a row of % is not a flow of %: %', staging_name, for_year, msg
                USING ERRCODE = state, DETAIL = pg_catalog.format('Failing row contains %s.', bad),
                      HINT = 'Nothing was loaded: the year keeps its previous flows, and the staging table its rows.';
        END;
    ELSE
        EXECUTE pg_catalog.format(
            'CREATE TABLE @extschema@.%I (LIKE @extschema@.trade_flow INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT %I CHECK (year OPERATOR(pg_catalog.=) %s))',
            building, part || '_year', for_year);
        BEGIN
            EXECUTE pg_catalog.format(
                'INSERT INTO @extschema@.%I (year, exporter, importer, product, value, quantity, source) SELECT %s FROM %s s',
                building, select_list, staging);
            GET DIAGNOSTICS loaded = ROW_COUNT;
        EXCEPTION WHEN integrity_constraint_violation OR data_exception THEN
            GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, state = RETURNED_SQLSTATE;
            RAISE EXCEPTION 'a row of % is not a flow of %: %', staging, for_year, msg
                USING ERRCODE = state, DETAIL = det,
                      HINT = 'Nothing was loaded: the year keeps its previous flows.';
        END;
    END IF;

    -- 2. its key and indexes, each built by one sort (a repeated key fails
    -- here)
    BEGIN
        PERFORM @extschema@.trade_flow_indexes(pg_catalog.format('@extschema@.%I', building)::regclass, building);
    EXCEPTION WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS det = PG_EXCEPTION_DETAIL;
        RAISE EXCEPTION 'two rows of % have the same year, exporter, importer and product', staging_name
            USING ERRCODE = 'unique_violation', DETAIL = det,
                  HINT = 'Nothing was loaded: the year keeps its previous flows.';
    END;

    -- 3. the swap: the year's previous partition goes, the new one is
    -- attached (its foreign keys are checked there) and takes the year's
    -- name
    -- (the early warning's values before: the year as it was, 44_watch.sql)
    before := @extschema@.watch_before('@extschema@.trade_flow',
                                       '{import_dependency.top_share,import_dependency.hhi,import_dependency.dependent}',
                                       NULL, NULL, NULL, ARRAY[for_year]);
    old_part := @extschema@.trade_flow_partition(for_year);
    IF old_part IS NOT NULL THEN
        EXECUTE pg_catalog.format('ALTER TABLE @extschema@.trade_flow DETACH PARTITION %s', old_part);
        EXECUTE pg_catalog.format('DROP TABLE %s', old_part);
    END IF;
    BEGIN
        EXECUTE pg_catalog.format('ALTER TABLE @extschema@.trade_flow ATTACH PARTITION @extschema@.%I FOR VALUES IN (%s)',
                                  building, for_year);
    EXCEPTION WHEN foreign_key_violation THEN
        GET STACKED DIAGNOSTICS det = PG_EXCEPTION_DETAIL;
        EXECUTE pg_catalog.format($q$
            SELECT pg_catalog.format('(%%s, %%s, %%s, %%s, %%s)', b.year, b.exporter, b.importer, b.product, b.value)
            FROM @extschema@.%I b
            WHERE NOT EXISTS (SELECT FROM @extschema@.country c WHERE c.code OPERATOR(pg_catalog.=) b.exporter)
               OR NOT EXISTS (SELECT FROM @extschema@.country c WHERE c.code OPERATOR(pg_catalog.=) b.importer)
               OR NOT EXISTS (SELECT FROM @extschema@.product p WHERE p.code OPERATOR(pg_catalog.=) b.product)
               OR (b.source IS NOT NULL AND NOT EXISTS (SELECT FROM @extschema@.source s WHERE s.id OPERATOR(pg_catalog.=) b.source))
            ORDER BY b.exporter, b.importer, b.product LIMIT 1
        $q$, building) INTO bad;
        RAISE EXCEPTION 'a row of % names a country, product or source that does not exist', staging_name
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = pg_catalog.format('%s The first such row (year, exporter, importer, product, value): %s.', det, bad),
                  HINT = 'Nothing was loaded: the year keeps its previous flows. Add the codes to supplychain.country or supplychain.product first.';
    END;
    EXECUTE pg_catalog.format('ALTER TABLE @extschema@.%I RENAME TO %I', building, part);
    FOREACH suffix IN ARRAY ARRAY['_pkey', '_importer_product_year_idx', '_exporter_product_year_idx', '_product_year_idx'] LOOP
        EXECUTE pg_catalog.format('ALTER INDEX @extschema@.%I RENAME TO %I', building || suffix, part || suffix);
    END LOOP;
    PERFORM @extschema@.trade_partition_ready(pg_catalog.format('@extschema@.%I', part)::regclass);

    -- 4. the year's totals, from the new partition alone: one pass in C
    -- (what trade_country_totals() gives, without its set in between), or
    -- in SQL when they outgrow the hash memory; a table taken over was
    -- loaded with as many flows as the totals count
    DELETE FROM @extschema@.trade_country_total t WHERE t.year OPERATOR(pg_catalog.=) for_year;
    BEGIN
        EXECUTE pg_catalog.format('INSERT INTO @extschema@.trade_country_total SELECT * FROM @extschema@.trade_totals_scan(%L)',
                                  pg_catalog.format('@extschema@.%I', part));
    EXCEPTION WHEN program_limit_exceeded THEN
        EXECUTE pg_catalog.format('INSERT INTO @extschema@.trade_country_total SELECT * FROM @extschema@.trade_country_totals(%L)',
                                  pg_catalog.format('@extschema@.%I', part));
    END;
    -- 5. the early warning: every subject of the year
    IF before.measures IS NOT NULL THEN
        PERFORM @extschema@.watch_after(before, NULL, NULL, NULL, ARRAY[for_year]);
    END IF;
    IF take_over THEN
        SELECT COALESCE(pg_catalog.sum(t.import_flows), 0) INTO loaded
          FROM @extschema@.trade_country_total t WHERE t.year OPERATOR(pg_catalog.=) for_year;
    END IF;
    -- (no ANALYZE: building the indexes counted the rows, and autovacuum
    -- analyzes the new partition soon)
    IF take_over THEN
        RAISE NOTICE 'the table % is now the partition %.% (its rows were not copied)', staging_name, '@extschema@', part
            USING HINT = 'To keep a staging table, give load_trade_flows a view of it, or a table of other columns.';
    END IF;
    RETURN loaded;
END
$fn$;

CREATE OR REPLACE FUNCTION @extschema@.distribution_plan()
RETURNS TABLE (step integer, table_name regclass, placement text, distribution_column text)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT r.step::integer, pg_catalog.format('@extschema@.%I', r.name)::regclass, 'reference', NULL::text
    FROM pg_catalog.unnest(ARRAY['source', 'country', 'sector', 'stage', 'stage_link', 'alignment',
                                 'policy', 'policy_measure', 'figure', 'weight',
                                 'material', 'material_supply', 'governance',
                                 'product', 'product_stage', 'country_group',
                                 -- the early warning (0.10.0): evaluated on the coordinator
                                 'watch', 'alert']) WITH ORDINALITY AS r(name, step)
    UNION ALL
    -- the depending country; the trade data by product (since 0.8.0), so
    -- that both sides of a country's trade in a product, its totals and a
    -- group's members' flows are on one node (a colocation group of their
    -- own: Citus colocates columns of one collation only, and theirs is "C")
    SELECT 100 + d.step::integer, pg_catalog.format('@extschema@.%I', d.name)::regclass, 'distributed', d.col
    FROM ROWS FROM (pg_catalog.unnest(ARRAY['share_total', 'stage_state', 'supplier_state', 'country_state',
                                            'country_total_state', 'dependency', 'assessment', 'policy_impact',
                                            'trade_country_total', 'trade_flow']),
                    pg_catalog.unnest(ARRAY['country', 'country', 'country', 'country', 'country', 'country',
                                            'country', 'country', 'product', 'product']))
         WITH ORDINALITY AS d(name, col, step)
    ORDER BY 1
$$;


GRANT SELECT ON @extschema@.watch, @extschema@.alert, @extschema@.open_alert,
                @extschema@.import_dependency_persistence TO PUBLIC;

SET LOCAL supplychain.maintenance = off;
