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
-- import_dependency's subjects are those in the scope of an enabled rule on
-- the measure: no other raises or holds an alert (a rule's change of scope
-- evaluates it again: watch_changed()).
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
    top_every boolean;
    top_in text[];
    hhi_every boolean;
    hhi_in text[];
    dep_every boolean;
    dep_in text[];
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
        -- each measure's subjects in the scope of an enabled rule on it:
        -- every importer's, or those of the importers named (a year's
        -- subjects are many; a rule scoped to the EU reads the EU's)
        SELECT pg_catalog.bool_or(w.importer IS NULL) FILTER (WHERE w.measure OPERATOR(pg_catalog.=) 'import_dependency.top_share'),
               pg_catalog.array_agg(w.importer) FILTER (WHERE w.measure OPERATOR(pg_catalog.=) 'import_dependency.top_share'),
               pg_catalog.bool_or(w.importer IS NULL) FILTER (WHERE w.measure OPERATOR(pg_catalog.=) 'import_dependency.hhi'),
               pg_catalog.array_agg(w.importer) FILTER (WHERE w.measure OPERATOR(pg_catalog.=) 'import_dependency.hhi'),
               pg_catalog.bool_or(w.importer IS NULL) FILTER (WHERE w.measure OPERATOR(pg_catalog.=) 'import_dependency.dependent'),
               pg_catalog.array_agg(w.importer) FILTER (WHERE w.measure OPERATOR(pg_catalog.=) 'import_dependency.dependent')
          INTO top_every, top_in, hhi_every, hhi_in, dep_every, dep_in
          FROM (SELECT w.measure, COALESCE(w.country, w.importer) AS importer FROM @extschema@.watch w
                WHERE w.enabled AND w.measure OPERATOR(pg_catalog.=) ANY (measures)) w;
        -- (two statements, each planned for its case: the keys' subjects
        -- through a probe each, read once; or a year's, read by each
        -- measure's branch)
        RETURN QUERY EXECUTE pg_catalog.format($q$
            WITH %s
            SELECT 'import_dependency.top_share', x.key, x.importer, NULL::text, NULL::text, x.product, x.top_share
            FROM x WHERE $6 OR x.importer OPERATOR(pg_catalog.=) ANY ($7)
            UNION ALL
            SELECT 'import_dependency.hhi', x.key, x.importer, NULL::text, NULL::text, x.product, x.hhi
            FROM x WHERE $8 OR x.importer OPERATOR(pg_catalog.=) ANY ($9)
            UNION ALL
            SELECT 'import_dependency.dependent', x.key, x.importer, NULL::text, NULL::text, x.product, x.dependent::integer
            FROM x WHERE $10 OR x.importer OPERATOR(pg_catalog.=) ANY ($11)
        $q$, CASE WHEN k1 IS NOT NULL THEN $x$
            k AS (
                SELECT DISTINCT k.a AS country, k.b AS product, k.c::integer AS year
                FROM @extschema@.key_rows($1, $2, $3::text[]) k
            ), g AS (
                -- the keys, and the groups their countries belong to in their years
                SELECT k.country, k.product, k.year FROM k
                UNION
                SELECT m.group_code, k.product, k.year
                FROM k JOIN @extschema@.country_group m
                  ON m.member OPERATOR(pg_catalog.=) k.country
                 AND m.since OPERATOR(pg_catalog.<=) pg_catalog.make_date(k.year, 12, 31)
                 AND (m.until IS NULL OR m.until OPERATOR(pg_catalog.>=) pg_catalog.make_date(k.year, 1, 1))
            ), x AS MATERIALIZED (
                SELECT g.country::text AS importer, g.product::text AS product,
                       g.country OPERATOR(pg_catalog.||) $4 OPERATOR(pg_catalog.||) g.product
                           OPERATOR(pg_catalog.||) $4 OPERATOR(pg_catalog.||) g.year::text AS key,
                       d.top_share, d.hhi, d.dependent
                FROM g
                -- (OFFSET 0: a probe per key, never a read of the view)
                LEFT JOIN LATERAL (
                    SELECT d.top_share, d.hhi, d.dependent FROM @extschema@.import_dependency d
                    WHERE d.importer OPERATOR(pg_catalog.=) g.country AND d.product OPERATOR(pg_catalog.=) g.product
                      AND d.year OPERATOR(pg_catalog.=) g.year
                    OFFSET 0) d ON true
            )$x$
        ELSE $x$
            -- (inlined in each measure's branch: a branch computes its own
            -- column, of the importers in scope only)
            x AS NOT MATERIALIZED (
                SELECT d.importer::text AS importer, d.product::text AS product,
                       d.importer OPERATOR(pg_catalog.||) $4 OPERATOR(pg_catalog.||) d.product
                           OPERATOR(pg_catalog.||) $4 OPERATOR(pg_catalog.||) d.year::text AS key,
                       d.top_share, d.hhi, d.dependent
                FROM @extschema@.import_dependency d
                WHERE $5 IS NULL OR d.year OPERATOR(pg_catalog.=) ANY ($5)
            )$x$ END)
        USING k1, k2, years, us, years, COALESCE(top_every, false), top_in, COALESCE(hhi_every, false), hhi_in,
              COALESCE(dep_every, false), dep_in;
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
        -- (in key order; a subject whose alert is open already is skipped
        -- by the conflict on alert_open, which every insert probes anyway)
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

-- watch_distributed_write(rel): what the coordinator's hook
-- (src/watch_hook.c) calls after a statement that wrote rel (dependency,
-- assessment, policy_impact or trade_flow) through it.  On a Citus
-- coordinator, with rel distributed, the measures rel feeds that an enabled
-- rule watches are evaluated again whole, in the writing transaction (the
-- shards' triggers, on the workers, evaluate nothing); anywhere else
-- nothing happens (the triggers did it).  Returns the alerts raised and
-- cleared.
CREATE FUNCTION @extschema@.watch_distributed_write(rel regclass) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    distributed boolean := false;
    measures constant text[] := CASE rel
        WHEN '@extschema@.dependency'::regclass THEN '{country_risk.risk,stage_risk.hhi,stage_risk.risk}'
        WHEN '@extschema@.assessment'::regclass THEN '{country_risk.risk,stage_risk.hhi,stage_risk.risk}'
        WHEN '@extschema@.policy_impact'::regclass THEN '{policy_risk.long_value}'
        WHEN '@extschema@.trade_flow'::regclass THEN '{import_dependency.top_share,import_dependency.hhi,import_dependency.dependent}'
        END;
BEGIN
    IF measures IS NULL OR pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NULL
       OR NOT @extschema@.watching(measures) THEN
        RETURN 0;
    END IF;
    EXECUTE 'SELECT pg_catalog.citus_is_coordinator()
                AND EXISTS (SELECT FROM pg_catalog.pg_dist_partition WHERE logicalrelid OPERATOR(pg_catalog.=) $1)'
        INTO distributed USING rel;
    IF NOT distributed THEN
        RETURN 0;
    END IF;
    RETURN COALESCE(@extschema@.watch_reevaluate(measures, rel), 0);
END
$$;
COMMENT ON FUNCTION @extschema@.watch_distributed_write(regclass) IS
    'internal: on a Citus coordinator, evaluates again the watched measures a statement that wrote the distributed table rel moved (called by the library''s executor hook)';

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
