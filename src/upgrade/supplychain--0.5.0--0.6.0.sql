-- supplychain 0.5.0 -> 0.6.0: maintained risk state.  The statement triggers
-- of dependency, assessment, alignment, weight and stage keep, in tables of
-- their own, what the risk views recomputed from the raw rows at every query
-- (stage_state, supplier_state, country_state, country_total_state); the
-- views stage_risk, stage_supplier_risk and country_risk read it when
-- supplychain.as_of is unset and compute from the raw rows at a date;
-- verify_state() recomputes it and lists every difference, rebuild_state()
-- rebuilds it; distribute() places the state tables beside dependency.

\echo Use "ALTER EXTENSION supplychain UPDATE TO '0.6.0'" to load this file. \quit

-- Resolve every unqualified name in pg_catalog only (LOCAL: for this script).
SET LOCAL search_path = pg_catalog, pg_temp;

-- exec_cached(): the triggers' statements name their tables at run time (on
-- a Citus worker, the shards beside the one a trigger fires on); EXECUTE
-- would plan each anew, and for a one-row write the planning costs more than
-- the work.  This runs a statement through a generic plan kept for the
-- session (src/exec_cached.c), with up to four text[] parameters, and
-- returns its first row's first three text[] columns.
CREATE FUNCTION @extschema@.exec_cached(statement text, a text[] DEFAULT NULL, b text[] DEFAULT NULL,
                                        c text[] DEFAULT NULL, d text[] DEFAULT NULL,
                                        OUT r1 text[], OUT r2 text[], OUT r3 text[])
RETURNS record
AS 'MODULE_PATHNAME', 'sc_exec_cached'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.exec_cached(text, text[], text[], text[], text[]) IS
    'internal: runs a statement of the triggers through a generic plan kept for the session, with up to four text[] parameters ($1..$4); returns the first row''s first three text[] columns';

-- key_rows(): the rows of up to four parallel arrays (the keys a trigger
-- passes to its statements).  Never inlined (its SET clause), so that its
-- support function estimates its rows: a few for a parameter (a generic plan
-- then probes the tables' indexes per key), the array's length for a
-- constant (src/exec_cached.c).
CREATE FUNCTION @extschema@.key_rows_support(internal) RETURNS internal
AS 'MODULE_PATHNAME', 'sc_key_rows_support' LANGUAGE C STRICT;
COMMENT ON FUNCTION @extschema@.key_rows_support(internal) IS
    'internal: the planner''s row estimate of key_rows()';
CREATE FUNCTION @extschema@.key_rows(x1 text[], x2 text[], x3 text[] DEFAULT NULL, x4 text[] DEFAULT NULL)
RETURNS TABLE (a text, b text, c text, d text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE SUPPORT @extschema@.key_rows_support SET search_path = pg_catalog, pg_temp AS $$
    SELECT * FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4))
$$;
COMMENT ON FUNCTION @extschema@.key_rows(text[], text[], text[], text[]) IS
    'internal: the rows of up to four parallel arrays (the triggers'' keys), with a row estimate for the planner';

CREATE OR REPLACE FUNCTION @extschema@.dependency_share_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    stages text[];
    countries text[];
    kinds text[];
    items text[];
    bad text[];
    -- the table the trigger fires on, and share_total beside it: on a Citus
    -- worker, a shard and its colocated shard (45_citus.sql)
    dep constant regclass := TG_RELID::regclass;
    tot constant regclass := CASE WHEN pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NULL
                                  THEN '@extschema@.share_total'
                                  ELSE @extschema@.shard_of('@extschema@.share_total', TG_RELID::regclass) END;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        EXECUTE pg_catalog.format('DELETE FROM %s', tot);
        RETURN NULL;
    END IF;
    -- the keys the statement touched, in the lock order
    IF TG_OP = 'INSERT' THEN
        SELECT pg_catalog.array_agg(stage ORDER BY stage, country, kind, item), pg_catalog.array_agg(country ORDER BY stage, country, kind, item),
               pg_catalog.array_agg(kind ORDER BY stage, country, kind, item), pg_catalog.array_agg(item ORDER BY stage, country, kind, item)
          INTO stages, countries, kinds, items
          FROM (SELECT DISTINCT stage, country, kind, item FROM new_rows) k;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT pg_catalog.array_agg(stage ORDER BY stage, country, kind, item), pg_catalog.array_agg(country ORDER BY stage, country, kind, item),
               pg_catalog.array_agg(kind ORDER BY stage, country, kind, item), pg_catalog.array_agg(item ORDER BY stage, country, kind, item)
          INTO stages, countries, kinds, items
          FROM (SELECT DISTINCT stage, country, kind, item FROM old_rows) k;
    ELSE
        SELECT pg_catalog.array_agg(stage ORDER BY stage, country, kind, item), pg_catalog.array_agg(country ORDER BY stage, country, kind, item),
               pg_catalog.array_agg(kind ORDER BY stage, country, kind, item), pg_catalog.array_agg(item ORDER BY stage, country, kind, item)
          INTO stages, countries, kinds, items
          FROM (SELECT stage, country, kind, item FROM new_rows
                UNION SELECT stage, country, kind, item FROM old_rows) k;
    END IF;
    IF stages IS NULL THEN
        RETURN NULL;
    END IF;

    -- lock the keys, in that fixed order, so that writers never deadlock
    PERFORM @extschema@.exec_cached(pg_catalog.format($q$
        INSERT INTO %s AS t (stage, country, kind, item, total)
        SELECT stage, country, kind, item, 0
        FROM @extschema@.key_rows($1, $2, $3, $4) k (stage, country, kind, item)
        ORDER BY stage, country, kind, item
        ON CONFLICT (stage, country, kind, item) DO UPDATE SET total = t.total
    $q$, tot), stages, countries, kinds, items);

    -- each row adds its share minus the same supplier's previous share from
    -- its date on; the running sum is the key's total at each date.  (The
    -- cached current total is written by joining the latest date's total to
    -- share_total through its primary key: linear in the statement's keys.)
    SELECT r1 INTO bad FROM @extschema@.exec_cached(pg_catalog.format($q$
        WITH k AS (
            SELECT * FROM @extschema@.key_rows($1, $2, $3, $4) k (stage, country, kind, item)
        ), delta AS (
            SELECT d.stage, d.country, d.kind, d.item, d.as_of,
                   COALESCE(d.share, 0) - COALESCE(lag(d.share) OVER (
                       PARTITION BY d.stage, d.country, d.kind, d.item, d.supplier
                       ORDER BY d.as_of), 0) AS delta
            FROM %2$s d JOIN k USING (stage, country, kind, item)
        ), per_date AS (
            SELECT stage, country, kind, item, as_of, sum(delta) AS delta
            FROM delta GROUP BY stage, country, kind, item, as_of
        ), running AS (
            SELECT stage, country, kind, item, as_of,
                   sum(delta) OVER (PARTITION BY stage, country, kind, item ORDER BY as_of) AS total,
                   row_number() OVER (PARTITION BY stage, country, kind, item ORDER BY as_of DESC) AS latest
            FROM per_date
        ), updated AS (
            UPDATE %1$s t SET total = r.total
            FROM running r
            WHERE r.latest = 1
              AND (t.stage, t.country, t.kind, t.item) = (r.stage, r.country, r.kind, r.item)
        )
        SELECT ARRAY[stage, country, kind, item, as_of::text, total::text] FROM running
        WHERE total > 1 ORDER BY stage, country, kind, item, as_of LIMIT 1
    $q$, tot, dep), stages, countries, kinds, items);

    -- keys whose rows are all gone now hold nothing
    IF TG_OP <> 'INSERT' THEN
        PERFORM @extschema@.exec_cached(pg_catalog.format($q$
            UPDATE %1$s t SET total = 0
            FROM @extschema@.key_rows($1, $2, $3, $4) k (stage, country, kind, item)
            WHERE (t.stage, t.country, t.kind, t.item) = (k.stage, k.country, k.kind, k.item)
              AND NOT EXISTS (SELECT FROM %2$s d
                              WHERE (d.stage, d.country, d.kind, d.item) = (k.stage, k.country, k.kind, k.item))
        $q$, tot, dep), stages, countries, kinds, items);
    END IF;

    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'known shares of a dependency sum to % (above 1)', bad[6]
            USING ERRCODE = 'check_violation',
                  DETAIL = format('Stage %s, country %s, kind %s, item "%s", as of %s: the latest known share of each supplier up to that date.',
                                  bad[1], bad[2], bad[3], bad[4], bad[5]),
                  HINT = 'Shares are fractions of one item at one stage. Lower another supplier''s share at the same or an earlier date first.';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.dependency_share_check() IS
    'trigger: rejects known shares of one item summing above 1 at any date, serializing writers of a key on share_total';

-- Maintained risk state: what the risk views would otherwise recompute from
-- the raw rows at every query, kept by the statement triggers of the tables
-- it derives from, in the same transaction as the write.
--
--   stage_state          per (country, stage) with data: the current rating
--                        and stage_risk's supply terms; its row is also the
--                        lock that serializes the writers of the pair
--   supplier_state       per (country, stage, supplier): the stage's term of
--                        country_risk (stage_supplier_risk's row)
--   country_state        per (country, sector, supplier): country_risk's row
--   country_total_state  per (country, supplier): the all-sectors row
--
-- Every write to dependency or assessment names the (country, stage) pairs
-- it touched; refresh_state() recomputes those pairs from the raw rows (their
-- index ranges), then the country rows of the suppliers whose terms changed.
-- Locks are taken in one order by every writer, each set sorted: the share
-- rule's keys (40_rules.sql), then the pairs (stage_state), then the country
-- rows (country_state, country_total_state).  verify_state() recomputes all
-- of it through the views' own formulas and returns every difference;
-- rebuild_state() rebuilds it from the raw rows (docs/internals.md,
-- "Maintained state").  The tables are not dumped: a restore rebuilds them
-- through the triggers as the rows arrive.

CREATE TABLE @extschema@.stage_state (
    country        text NOT NULL,
    stage          text NOT NULL,
    sector         text NOT NULL,
    rating         @extschema@.stage_rating,     -- the current assessment; NULL: not assessed
    rated_as_of    date,
    rows           integer NOT NULL,             -- current dependency rows, every kind
    suppliers      integer NOT NULL,             -- distinct suppliers of current supply rows
    unknown_shares integer NOT NULL,             -- current supply rows without a share
    hhi            double precision,             -- the most concentrated item's HHI of known supply shares
    top_supplier   text,
    top_share      numeric,
    PRIMARY KEY (country, stage)
) WITH (fillfactor = 70);
-- a country's assessed chains in one sector (stage_risk for a country and
-- sector) from the index alone
CREATE INDEX stage_state_sector ON @extschema@.stage_state (country, sector) INCLUDE (rating);
CREATE TABLE @extschema@.supplier_state (
    country        text NOT NULL,
    stage          text NOT NULL,
    supplier       text NOT NULL,
    sector         text NOT NULL,
    dependencies   integer NOT NULL,             -- current rows, every kind
    unknown_shares integer NOT NULL,
    supply_rows    integer NOT NULL,             -- of them, kind supply
    supply_unknown integer NOT NULL,
    share_supply   numeric,                      -- the largest known share of each kind
    share_market   numeric,
    share_talent   numeric,
    known_share    numeric,                      -- their sum; NULL: none known
    weighted       numeric,                      -- sum of share x weakness x kind weight
    PRIMARY KEY (country, stage, supplier)
) WITH (fillfactor = 70);
-- a supplier's terms of one country, by sector: what country rows sum
CREATE INDEX supplier_state_supplier ON @extschema@.supplier_state (country, supplier, sector);
CREATE TABLE @extschema@.country_state (
    country        text NOT NULL,
    sector         text NOT NULL,
    supplier       text NOT NULL,
    relation       text,
    stages         integer NOT NULL,
    dependencies   integer NOT NULL,
    unknown_shares integer NOT NULL,
    known_share    numeric,
    weighted       numeric,
    risk           numeric,
    -- the supplier leads the sector: a supplier's rows of one country, which
    -- its all-sectors row sums, are one index range
    PRIMARY KEY (country, supplier, sector)
) WITH (fillfactor = 70);
-- the order of country_risk's rank, with every column the view shows: the
-- view reads a country's (or every) row in rank order from the index alone,
-- neither sorting nor visiting the table
CREATE INDEX country_state_rank ON @extschema@.country_state (country, sector, risk DESC NULLS LAST)
    INCLUDE (supplier, relation, stages, dependencies, unknown_shares, known_share);
CREATE TABLE @extschema@.country_total_state (
    country        text NOT NULL,
    supplier       text NOT NULL,
    relation       text,
    stages         integer NOT NULL,
    dependencies   integer NOT NULL,
    unknown_shares integer NOT NULL,
    known_share    numeric,
    weighted       numeric,
    risk           numeric,
    PRIMARY KEY (country, supplier)
) WITH (fillfactor = 70);
CREATE INDEX country_total_state_rank ON @extschema@.country_total_state (country, risk DESC NULLS LAST)
    INCLUDE (supplier, relation, stages, dependencies, unknown_shares, known_share);

COMMENT ON TABLE @extschema@.stage_state IS
    'internal, maintained: per (country, stage) with data, the current rating and stage_risk''s supply terms';
COMMENT ON TABLE @extschema@.supplier_state IS
    'internal, maintained: per (country, stage, supplier), the stage''s term of country_risk';
COMMENT ON TABLE @extschema@.country_state IS
    'internal, maintained: country_risk''s row per (country, sector, supplier), without the rank';
COMMENT ON TABLE @extschema@.country_total_state IS
    'internal, maintained: country_risk''s all-sectors row per (country, supplier), without the rank';

-- state_is_current(): whether the views read the maintained state (the
-- current rows, supplychain.as_of unset) or compute from the raw rows (a
-- date set: history, and verify_state()'s recomputation at 'infinity').
CREATE FUNCTION @extschema@.state_is_current() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT COALESCE(pg_catalog.current_setting('supplychain.as_of', true), '') = ''
$$;
COMMENT ON FUNCTION @extschema@.state_is_current() IS
    'internal: true when supplychain.as_of is unset, so that the risk views read the maintained state';

-- state_terms(): the terms of (country, stage) pairs from their current
-- dependency rows, in one pass over each pair's index range (src/state_terms.c):
-- one row per (pair, supplier), then one per pair (supplier NULL) with the
-- pair's own terms.  The formulas are the views' (60_views.sql); the rating
-- and the weights are read from the tables given.
CREATE FUNCTION @extschema@.state_terms(dependency regclass, assessment regclass, weight regclass,
                                        countries text[], stages text[])
RETURNS TABLE (country text, stage text, supplier text, dependencies integer, unknown_shares integer,
               supply_rows integer, supply_unknown integer, share_supply numeric, share_market numeric,
               share_talent numeric, known_share numeric, weighted numeric,
               hhi double precision, top_supplier text, top_share numeric)
AS 'MODULE_PATHNAME', 'sc_state_terms'
LANGUAGE C STABLE STRICT PARALLEL UNSAFE SUPPORT @extschema@.key_rows_support;
COMMENT ON FUNCTION @extschema@.state_terms(regclass, regclass, regclass, text[], text[]) IS
    'internal: the maintained state''s terms of (country, stage) pairs, computed from their current dependency rows';

-- refresh_country(beside, countries, sectors, suppliers): recompute the
-- country rows of these keys (sector NULL: the all-sectors row) from
-- supplier_state, after locking them in order.
CREATE FUNCTION @extschema@.refresh_country(beside regclass, countries text[], sectors text[], suppliers text[])
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
BEGIN
    IF countries IS NULL OR pg_catalog.cardinality(countries) = 0 THEN
        RETURN;
    END IF;
    -- lock: an upsert of each key, in order (a new key's row is a
    -- placeholder until the recomputation below)
    PERFORM @extschema@.exec_cached(pg_catalog.format($q$
        WITH k AS (SELECT DISTINCT country, sector, supplier
                   FROM @extschema@.key_rows($1, $2, $3) k (country, sector, supplier)),
        by_sector AS (
            INSERT INTO %1$s AS t (country, sector, supplier, stages, dependencies, unknown_shares)
            SELECT country, sector, supplier, 0, 0, 0 FROM k WHERE sector IS NOT NULL
            ORDER BY country, sector, supplier
            ON CONFLICT (country, supplier, sector) DO UPDATE SET stages = t.stages
        )
        INSERT INTO %2$s AS t (country, supplier, stages, dependencies, unknown_shares)
        SELECT DISTINCT country, supplier, 0, 0, 0 FROM k
        ORDER BY country, supplier
        ON CONFLICT (country, supplier) DO UPDATE SET stages = t.stages
    $q$, cs, ct), countries, sectors, suppliers);

    -- recompute the sector rows from the suppliers' stage terms (a new
    -- snapshot: a writer we waited for is seen); a key without terms goes
    PERFORM @extschema@.exec_cached(pg_catalog.format($q$
        WITH k AS (SELECT DISTINCT country, sector, supplier
                   FROM @extschema@.key_rows($1, $2, $3) k (country, sector, supplier)
                   WHERE sector IS NOT NULL),
        sums AS (
            SELECT k.country, k.sector, k.supplier, x.*,
                   al.relation, pg_catalog.round(x.weighted OPERATOR(pg_catalog.*) wa.value, 4) AS risk
            FROM k
            CROSS JOIN LATERAL (
                SELECT pg_catalog.count(*)::integer AS stages,
                       COALESCE(pg_catalog.sum(s.dependencies), 0)::integer AS dependencies,
                       COALESCE(pg_catalog.sum(s.unknown_shares), 0)::integer AS unknown_shares,
                       pg_catalog.sum(s.known_share) AS known_share,
                       pg_catalog.sum(s.weighted) AS weighted
                FROM %1$s s
                WHERE s.country OPERATOR(pg_catalog.=) k.country AND s.supplier OPERATOR(pg_catalog.=) k.supplier
                  AND s.sector OPERATOR(pg_catalog.=) k.sector) x
            LEFT JOIN %4$s al ON al.country OPERATOR(pg_catalog.=) k.country AND al.partner OPERATOR(pg_catalog.=) k.supplier
            LEFT JOIN %5$s wa ON wa.name OPERATOR(pg_catalog.=) ('alignment.' OPERATOR(pg_catalog.||) COALESCE(al.relation, 'unknown'))
        ), kept AS (
            UPDATE %2$s t
            SET relation = r.relation, stages = r.stages, dependencies = r.dependencies,
                unknown_shares = r.unknown_shares, known_share = r.known_share, weighted = r.weighted, risk = r.risk
            FROM sums r
            WHERE r.stages OPERATOR(pg_catalog.>) 0
              AND t.country OPERATOR(pg_catalog.=) r.country AND t.supplier OPERATOR(pg_catalog.=) r.supplier
              AND t.sector OPERATOR(pg_catalog.=) r.sector
        )
        DELETE FROM %2$s t USING sums r
        WHERE r.stages OPERATOR(pg_catalog.=) 0
          AND t.country OPERATOR(pg_catalog.=) r.country AND t.supplier OPERATOR(pg_catalog.=) r.supplier
          AND t.sector OPERATOR(pg_catalog.=) r.sector
    $q$, sup, cs, ct, al, wt), countries, sectors, suppliers);

    -- then the all-sectors rows, from the sector rows (a sum of sums: the
    -- same exact numbers as the sum over every stage term)
    PERFORM @extschema@.exec_cached(pg_catalog.format($q$
        WITH k AS (SELECT DISTINCT country, supplier
                   FROM @extschema@.key_rows($1, $2, $3) k (country, sector, supplier)),
        sums AS (
            SELECT k.country, k.supplier, x.*,
                   al.relation, pg_catalog.round(x.weighted OPERATOR(pg_catalog.*) wa.value, 4) AS risk
            FROM k
            CROSS JOIN LATERAL (
                SELECT COALESCE(pg_catalog.sum(s.stages), 0)::integer AS stages,
                       COALESCE(pg_catalog.sum(s.dependencies), 0)::integer AS dependencies,
                       COALESCE(pg_catalog.sum(s.unknown_shares), 0)::integer AS unknown_shares,
                       pg_catalog.sum(s.known_share) AS known_share,
                       pg_catalog.sum(s.weighted) AS weighted
                FROM %2$s s
                WHERE s.country OPERATOR(pg_catalog.=) k.country AND s.supplier OPERATOR(pg_catalog.=) k.supplier) x
            LEFT JOIN %4$s al ON al.country OPERATOR(pg_catalog.=) k.country AND al.partner OPERATOR(pg_catalog.=) k.supplier
            LEFT JOIN %5$s wa ON wa.name OPERATOR(pg_catalog.=) ('alignment.' OPERATOR(pg_catalog.||) COALESCE(al.relation, 'unknown'))
        ), kept AS (
            UPDATE %3$s t
            SET relation = r.relation, stages = r.stages, dependencies = r.dependencies,
                unknown_shares = r.unknown_shares, known_share = r.known_share, weighted = r.weighted, risk = r.risk
            FROM sums r
            WHERE r.stages OPERATOR(pg_catalog.>) 0
              AND t.country OPERATOR(pg_catalog.=) r.country AND t.supplier OPERATOR(pg_catalog.=) r.supplier
        )
        DELETE FROM %3$s t USING sums r
        WHERE r.stages OPERATOR(pg_catalog.=) 0
          AND t.country OPERATOR(pg_catalog.=) r.country AND t.supplier OPERATOR(pg_catalog.=) r.supplier
    $q$, sup, cs, ct, al, wt), countries, sectors, suppliers);
END
$$;
COMMENT ON FUNCTION @extschema@.refresh_country(regclass, text[], text[], text[]) IS
    'internal: recomputes the country_state rows of (country, sector, supplier) keys and the country_total_state rows of their (country, supplier), from supplier_state';

-- refresh_state(beside, countries, stages): recompute the state of these
-- (country, stage) pairs (distinct, sorted) from the raw rows, then the
-- country rows whose terms changed.  beside: the table a trigger fired on (on
-- a Citus worker a shard: the state's shards beside it are used).
CREATE FUNCTION @extschema@.refresh_state(beside regclass, countries text[], stages text[])
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
    changed record;
BEGIN
    IF countries IS NULL OR pg_catalog.cardinality(countries) = 0 THEN
        RETURN;
    END IF;
    -- lock the pairs, in order: writers of a pair serialize here
    PERFORM @extschema@.exec_cached(pg_catalog.format($q$
        INSERT INTO %1$s AS t (country, stage, sector, rows, suppliers, unknown_shares)
        SELECT p.country, p.stage, s.sector, 0, 0, 0
        FROM @extschema@.key_rows($1, $2) p (country, stage)
        JOIN %2$s s ON s.id OPERATOR(pg_catalog.=) p.stage
        ORDER BY p.country, p.stage
        ON CONFLICT (country, stage) DO UPDATE SET rows = t.rows
    $q$, ss, stg), countries, stages);

    -- the pairs' terms from their current rows (state_terms); a supplier's
    -- term is written only where it changed (numbers compared as text: 0.5
    -- and 0.50 print differently), and the changed terms' country rows follow
    SELECT * INTO changed FROM @extschema@.exec_cached(pg_catalog.format($q$
        WITH p AS (SELECT * FROM @extschema@.key_rows($1, $2) p (country, stage)),
        t AS MATERIALIZED (
            SELECT * FROM @extschema@.state_terms(%1$s::pg_catalog.oid, %2$s::pg_catalog.oid, %6$s::pg_catalog.oid, $1, $2)
        ), fresh AS MATERIALIZED (
            SELECT t.country, t.stage, t.supplier, s.sector, t.dependencies, t.unknown_shares, t.supply_rows,
                   t.supply_unknown, t.share_supply, t.share_market, t.share_talent, t.known_share, t.weighted
            FROM t JOIN %5$s s ON s.id OPERATOR(pg_catalog.=) t.stage
            WHERE t.supplier IS NOT NULL
        ), diff AS MATERIALIZED (
            -- the terms that changed: o only (gone), f only (new), both (changed)
            SELECT o.country AS o_country, o.stage AS o_stage, o.sector AS o_sector, o.supplier AS o_supplier,
                   f.*
            FROM (SELECT o.* FROM p JOIN %4$s o
                    ON o.country OPERATOR(pg_catalog.=) p.country AND o.stage OPERATOR(pg_catalog.=) p.stage) o
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
        ), terms AS (
            -- stage_risk's terms: the pair's row of state_terms, and its rating
            SELECT p.country, p.stage, s.sector, r.rating, r.as_of, t.dependencies AS rows,
                   t.supply_rows AS suppliers, t.supply_unknown AS unknown_shares,
                   t.hhi, t.top_supplier, t.top_share
            FROM p
            JOIN %5$s s ON s.id OPERATOR(pg_catalog.=) p.stage
            JOIN t ON t.country OPERATOR(pg_catalog.=) p.country AND t.stage OPERATOR(pg_catalog.=) p.stage
                  AND t.supplier IS NULL
            LEFT JOIN LATERAL (
                SELECT a.rating, a.as_of FROM %7$s a
                WHERE a.country OPERATOR(pg_catalog.=) p.country AND a.stage OPERATOR(pg_catalog.=) p.stage
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
        )
        SELECT pg_catalog.array_agg(country) AS countries, pg_catalog.array_agg(sector) AS sectors,
               pg_catalog.array_agg(supplier) AS suppliers
        FROM (SELECT o_country, o_sector, o_supplier FROM diff WHERE o_country IS NOT NULL
              UNION
              SELECT country, sector, supplier FROM diff WHERE country IS NOT NULL) k (country, sector, supplier)
    $q$, dep::oid, ass::oid, ss, sup, stg, wt::oid, ass), countries, stages);

    PERFORM @extschema@.refresh_country(beside, changed.r1, changed.r2, changed.r3);
END
$$;
COMMENT ON FUNCTION @extschema@.refresh_state(regclass, text[], text[]) IS
    'internal: recomputes the maintained state of (country, stage) pairs from the raw rows, then the country rows whose terms changed';

-- state_places(rel): where a change to a reference table (alignment, weight,
-- stage) fired at rel moves the state: on a single server, the state tables
-- themselves (stage_state); on a Citus node, where the trigger fires on each
-- placement of the reference table, the shards of stage_state on that node,
-- so that every node refreshes its own countries and each state row once
-- (none while the state is not distributed: distribute() copies it).
CREATE FUNCTION @extschema@.state_places(rel regclass) RETURNS SETOF regclass
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF @extschema@.table_label(rel) OPERATOR(pg_catalog.=) rel::text THEN
        RETURN NEXT '@extschema@.stage_state'::regclass;
        RETURN;
    END IF;
    RETURN QUERY EXECUTE $q$
        SELECT pg_catalog.to_regclass(pg_catalog.shard_name(s.logicalrelid, s.shardid))
        FROM pg_catalog.pg_dist_shard s
        JOIN pg_catalog.pg_dist_placement p ON p.shardid OPERATOR(pg_catalog.=) s.shardid
        WHERE s.logicalrelid OPERATOR(pg_catalog.=) '@extschema@.stage_state'::regclass
          AND p.groupid OPERATOR(pg_catalog.=) (SELECT groupid FROM pg_catalog.pg_dist_local_group)
          AND pg_catalog.to_regclass(pg_catalog.shard_name(s.logicalrelid, s.shardid)) IS NOT NULL
    $q$;
END
$$;
COMMENT ON FUNCTION @extschema@.state_places(regclass) IS
    'internal: the stage_state tables a change to a reference table fired at rel refreshes (on Citus, the shards on this node)';

-- state_track(): the statement triggers on dependency and assessment (both
-- have country and stage): the pairs the statement touched, sorted, are
-- refreshed.  A TRUNCATE refreshes every pair with state.
CREATE FUNCTION @extschema@.state_track() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    countries text[];
    stages text[];
BEGIN
    IF pg_catalog.current_setting('supplychain.copying', true) = 'on' THEN
        RETURN NULL;            -- distribute() or undistribute() moves the state with the rows
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        EXECUTE pg_catalog.format(
            'SELECT pg_catalog.array_agg(country ORDER BY country, stage), pg_catalog.array_agg(stage ORDER BY country, stage) FROM %s',
            @extschema@.shard_of('@extschema@.stage_state', TG_RELID::regclass)) INTO countries, stages;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT pg_catalog.array_agg(country ORDER BY country, stage), pg_catalog.array_agg(stage ORDER BY country, stage)
          INTO countries, stages
          FROM (SELECT DISTINCT country, stage FROM new_rows) k;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT pg_catalog.array_agg(country ORDER BY country, stage), pg_catalog.array_agg(stage ORDER BY country, stage)
          INTO countries, stages
          FROM (SELECT DISTINCT country, stage FROM old_rows) k;
    ELSE
        SELECT pg_catalog.array_agg(country ORDER BY country, stage), pg_catalog.array_agg(stage ORDER BY country, stage)
          INTO countries, stages
          FROM (SELECT country, stage FROM new_rows UNION SELECT country, stage FROM old_rows) k;
    END IF;
    PERFORM @extschema@.refresh_state(TG_RELID::regclass, countries, stages);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.state_track() IS
    'trigger: refreshes the maintained state of the (country, stage) pairs a statement on dependency or assessment touched';

-- state_track_alignment(): an alignment changes the risk of its (country,
-- partner) rows, in every sector.
CREATE FUNCTION @extschema@.state_track_alignment() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    countries text[];
    partners text[];
    place regclass;
    k record;
BEGIN
    IF pg_catalog.current_setting('supplychain.copying', true) = 'on' THEN
        RETURN NULL;            -- distribute() or undistribute() moves the state with the rows
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        -- every supplier of every country: the partners are NULL
        countries := ARRAY[NULL::text];
    ELSIF TG_OP = 'INSERT' THEN
        SELECT pg_catalog.array_agg(country), pg_catalog.array_agg(partner) INTO countries, partners FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT pg_catalog.array_agg(country), pg_catalog.array_agg(partner) INTO countries, partners FROM old_rows;
    ELSE
        SELECT pg_catalog.array_agg(country), pg_catalog.array_agg(partner) INTO countries, partners
          FROM (SELECT country, partner FROM new_rows UNION SELECT country, partner FROM old_rows) x;
    END IF;
    FOR place IN SELECT * FROM @extschema@.state_places(TG_RELID::regclass) LOOP
        -- the sectors of each pair's terms (NULL: every country, every supplier)
        EXECUTE pg_catalog.format($q$
            SELECT pg_catalog.array_agg(s.country) AS countries, pg_catalog.array_agg(s.sector) AS sectors,
                   pg_catalog.array_agg(s.supplier) AS suppliers
            FROM (SELECT DISTINCT s.country, s.sector, s.supplier
                  FROM @extschema@.key_rows($1, $2) p (country, partner)
                  JOIN %s s
                    ON (p.country IS NULL OR s.country OPERATOR(pg_catalog.=) p.country)
                   AND (p.partner IS NULL OR s.supplier OPERATOR(pg_catalog.=) p.partner)) s
        $q$, @extschema@.shard_of('@extschema@.supplier_state', place)) INTO k USING countries, partners;
        PERFORM @extschema@.refresh_country(place, k.countries, k.sectors, k.suppliers);
    END LOOP;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.state_track_alignment() IS
    'trigger: recomputes the country rows of the (country, partner) pairs an alignment statement touched';

-- refresh_weights(): the weakness and kind weights are in every stage term:
-- recompute the terms from their stored shares and the pairs' ratings (no
-- raw row is read), then every country row (the alignment weights are there).
CREATE FUNCTION @extschema@.refresh_weights(beside regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ss constant regclass := @extschema@.shard_of('@extschema@.stage_state', beside);
    sup constant regclass := @extschema@.shard_of('@extschema@.supplier_state', beside);
    wt constant regclass := @extschema@.shard_of('@extschema@.weight', beside);
    k record;
BEGIN
    -- lock every pair, in order, as a writer would
    EXECUTE pg_catalog.format('SELECT FROM %s ORDER BY country, stage FOR UPDATE', ss);
    EXECUTE pg_catalog.format($q$
        UPDATE %2$s t SET weighted = x.weighted
        FROM (SELECT s.country, s.stage, s.supplier,
                     (SELECT pg_catalog.sum(v.term) FROM (VALUES
                          (s.share_supply OPERATOR(pg_catalog.*) wr.value OPERATOR(pg_catalog.*) ws.value),
                          (s.share_market OPERATOR(pg_catalog.*) wr.value OPERATOR(pg_catalog.*) wm.value),
                          (s.share_talent OPERATOR(pg_catalog.*) wr.value OPERATOR(pg_catalog.*) wl.value)) v (term))
                         AS weighted
              FROM %2$s s
              JOIN %1$s p ON p.country OPERATOR(pg_catalog.=) s.country AND p.stage OPERATOR(pg_catalog.=) s.stage
              LEFT JOIN %3$s wr ON wr.name OPERATOR(pg_catalog.=) CASE WHEN p.rating IS NULL THEN 'weakness.unassessed'
                                            ELSE 'weakness.' OPERATOR(pg_catalog.||) p.rating::text END
              LEFT JOIN %3$s ws ON ws.name OPERATOR(pg_catalog.=) 'kind.supply'
              LEFT JOIN %3$s wm ON wm.name OPERATOR(pg_catalog.=) 'kind.market'
              LEFT JOIN %3$s wl ON wl.name OPERATOR(pg_catalog.=) 'kind.talent') x
        WHERE t.country OPERATOR(pg_catalog.=) x.country AND t.stage OPERATOR(pg_catalog.=) x.stage
          AND t.supplier OPERATOR(pg_catalog.=) x.supplier AND t.weighted::text IS DISTINCT FROM x.weighted::text
    $q$, ss, sup, wt);
    EXECUTE pg_catalog.format($q$
        SELECT pg_catalog.array_agg(country) AS countries, pg_catalog.array_agg(sector) AS sectors,
               pg_catalog.array_agg(supplier) AS suppliers
        FROM (SELECT DISTINCT country, sector, supplier FROM %s) s
    $q$, sup) INTO k;
    PERFORM @extschema@.refresh_country(beside, k.countries, k.sectors, k.suppliers);
END
$$;
COMMENT ON FUNCTION @extschema@.refresh_weights(regclass) IS
    'internal: recomputes every stage term and country row after a change of the weights they use';

-- state_track_weight(): only the weights the state holds matter: weakness
-- and kind weights (in every term) and alignment weights (in every risk).
CREATE FUNCTION @extschema@.state_track_weight() RETURNS trigger
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
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.state_track_weight() IS
    'trigger: a change of a weakness, kind or alignment weight recomputes the state that holds it';

-- state_track_stage(): a stage that moves to another sector moves its terms.
CREATE FUNCTION @extschema@.state_track_stage() RETURNS trigger
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
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.state_track_stage() IS
    'trigger: a stage moved to another sector moves its pairs'' state';

-- track_state(): the statement triggers of one table, one per event named,
-- each with the transition tables its event has (a helper of the scripts
-- only: dropped below).
CREATE FUNCTION @extschema@.track_state(tbl regclass, fn regproc, events text[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    e text;
BEGIN
    FOREACH e IN ARRAY events LOOP
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER %s ON %s %s FOR EACH STATEMENT EXECUTE FUNCTION %s()',
            'state_' || pg_catalog.lower(e), e, tbl,
            CASE e WHEN 'INSERT' THEN 'REFERENCING NEW TABLE AS new_rows'
                   WHEN 'UPDATE' THEN 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
                   WHEN 'DELETE' THEN 'REFERENCING OLD TABLE AS old_rows'
                   ELSE '' END,
            fn);
    END LOOP;
END
$$;
SELECT @extschema@.track_state('@extschema@.dependency', '@extschema@.state_track', '{INSERT,UPDATE,DELETE,TRUNCATE}');
SELECT @extschema@.track_state('@extschema@.assessment', '@extschema@.state_track', '{INSERT,UPDATE,DELETE,TRUNCATE}');
SELECT @extschema@.track_state('@extschema@.alignment', '@extschema@.state_track_alignment', '{INSERT,UPDATE,DELETE,TRUNCATE}');
SELECT @extschema@.track_state('@extschema@.weight', '@extschema@.state_track_weight', '{INSERT,UPDATE,DELETE}');
SELECT @extschema@.track_state('@extschema@.stage', '@extschema@.state_track_stage', '{UPDATE}');
DROP FUNCTION @extschema@.track_state(regclass, regproc, text[]);

-- rebuild_state(): the state (and the share rule's totals) from the raw
-- rows, whatever they held: after
-- writes that bypassed the triggers (ALTER TABLE ... DISABLE TRIGGER,
-- session_replication_role = replica, a logical replication subscriber that
-- was not sent the state, pg_restore --disable-triggers).  Returns the
-- number of (country, stage) pairs with state.
CREATE FUNCTION @extschema@.rebuild_state() RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    distributed boolean := false;
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
               @extschema@.country_state, @extschema@.country_total_state IN EXCLUSIVE MODE;
    RETURN @extschema@.rebuild_state_beside('@extschema@.stage_state');
END
$$;
COMMENT ON FUNCTION @extschema@.rebuild_state() IS
    'rebuilds the maintained risk state from the raw rows (after writes that bypassed the triggers); returns the number of (country, stage) pairs with state';

-- rebuild_state_beside(place): the rebuild of the state tables beside place
-- (stage_state, or on a Citus worker one of its shards), from the rows of
-- the dependency and assessment tables beside it.
CREATE FUNCTION @extschema@.rebuild_state_beside(place regclass) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    dep constant regclass := @extschema@.shard_of('@extschema@.dependency', place);
    ass constant regclass := @extschema@.shard_of('@extschema@.assessment', place);
    tot constant regclass := @extschema@.shard_of('@extschema@.share_total', place);
    k record;
    n bigint;
BEGIN
    IF @extschema@.table_label(place) OPERATOR(pg_catalog.<>) '@extschema@.stage_state' THEN
        RAISE EXCEPTION 'rebuild_state_beside() rebuilds the state beside stage_state or one of its shards, not %', place
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- the share rule's cached totals too (its check never trusts them)
    EXECUTE pg_catalog.format('DELETE FROM %s', tot);
    EXECUTE pg_catalog.format($q$
        INSERT INTO %s (stage, country, kind, item, total)
        SELECT stage, country, kind, item, COALESCE(pg_catalog.sum(share), 0)
        FROM (SELECT DISTINCT ON (country, stage, kind, item, supplier) *
              FROM %s ORDER BY country, stage, kind, item, supplier, as_of DESC) d
        GROUP BY stage, country, kind, item
    $q$, tot, dep);
    EXECUTE pg_catalog.format('DELETE FROM %s', @extschema@.shard_of('@extschema@.country_total_state', place));
    EXECUTE pg_catalog.format('DELETE FROM %s', @extschema@.shard_of('@extschema@.country_state', place));
    EXECUTE pg_catalog.format('DELETE FROM %s', @extschema@.shard_of('@extschema@.supplier_state', place));
    EXECUTE pg_catalog.format('DELETE FROM %s', place);
    EXECUTE pg_catalog.format($q$
        SELECT pg_catalog.array_agg(country ORDER BY country, stage) AS countries,
               pg_catalog.array_agg(stage ORDER BY country, stage) AS stages
        FROM (SELECT country, stage FROM %s UNION SELECT country, stage FROM %s) k
    $q$, dep, ass) INTO k;
    PERFORM @extschema@.refresh_state(place, k.countries, k.stages);
    -- statistics of the new contents, for the views' plans
    EXECUTE pg_catalog.format('ANALYZE %s, %s, %s, %s', place,
                              @extschema@.shard_of('@extschema@.supplier_state', place),
                              @extschema@.shard_of('@extschema@.country_state', place),
                              @extschema@.shard_of('@extschema@.country_total_state', place));
    EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %s', place) INTO n;
    RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@.rebuild_state_beside(regclass) IS
    'internal: rebuilds the state tables beside place (stage_state or one of its Citus shards) from the raw rows beside it';

-- verify_state(): the proof.  Every maintained table is recomputed from the
-- raw rows, independently of the triggers: the risk views read from the state
-- against the same views computed from the raw rows (their history path at
-- 'infinity'), and each state table against a plain GROUP BY of the current
-- rows.  One row per difference; none when the state is right.
CREATE FUNCTION @extschema@.verify_state()
RETURNS TABLE (object text, key text, state text, recomputed text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET supplychain.as_of = '' AS $$
BEGIN
    RETURN QUERY
    WITH st AS MATERIALIZED (SELECT * FROM @extschema@.country_risk),
         re AS MATERIALIZED (SELECT * FROM @extschema@.country_risk_at('infinity'))
    SELECT 'country_risk', pg_catalog.concat_ws(' ', COALESCE(s.country, r.country), COALESCE(s.sector, r.sector, '(all sectors)'),
                                                COALESCE(s.supplier, r.supplier)),
           s::text, r::text
    FROM st s FULL JOIN re r
      ON r.country OPERATOR(pg_catalog.=) s.country AND r.supplier OPERATOR(pg_catalog.=) s.supplier
     AND COALESCE(r.sector, '') OPERATOR(pg_catalog.=) COALESCE(s.sector, '')
    WHERE s::text IS DISTINCT FROM r::text;

    RETURN QUERY
    WITH st AS MATERIALIZED (SELECT * FROM @extschema@.stage_supplier_risk),
         re AS MATERIALIZED (SELECT * FROM @extschema@.stage_supplier_risk_at('infinity'))
    SELECT 'stage_supplier_risk', pg_catalog.concat_ws(' ', COALESCE(s.country, r.country), COALESCE(s.stage_id, r.stage_id),
                                                       COALESCE(s.supplier, r.supplier)),
           s::text, r::text
    FROM st s FULL JOIN re r
      ON r.country OPERATOR(pg_catalog.=) s.country AND r.stage_id OPERATOR(pg_catalog.=) s.stage_id
     AND r.supplier OPERATOR(pg_catalog.=) s.supplier
    WHERE s::text IS DISTINCT FROM r::text;

    RETURN QUERY
    WITH st AS MATERIALIZED (SELECT * FROM @extschema@.stage_risk),
         re AS MATERIALIZED (SELECT * FROM @extschema@.stage_risk_at('infinity'))
    SELECT 'stage_risk', pg_catalog.concat_ws(' ', COALESCE(s.country, r.country), COALESCE(s.stage_id, r.stage_id)),
           s::text, r::text
    FROM st s FULL JOIN re r
      ON r.country OPERATOR(pg_catalog.=) s.country AND r.stage_id OPERATOR(pg_catalog.=) s.stage_id
    WHERE s::text IS DISTINCT FROM r::text;

    -- the share rule's cached totals: a key without rows holds 0
    RETURN QUERY
    SELECT 'share_total', pg_catalog.concat_ws(' ', COALESCE(t.country, c.country), COALESCE(t.stage, c.stage),
                                               COALESCE(t.kind, c.kind), COALESCE(t.item, c.item)),
           t.total::text, c.total::text
    FROM @extschema@.share_total t
    FULL JOIN (SELECT stage, country, kind, item, COALESCE(pg_catalog.sum(share), 0) AS total
               FROM @extschema@.current_dependency GROUP BY stage, country, kind, item) c
      ON c.stage OPERATOR(pg_catalog.=) t.stage AND c.country OPERATOR(pg_catalog.=) t.country
     AND c.kind OPERATOR(pg_catalog.=) t.kind AND c.item OPERATOR(pg_catalog.=) t.item
    WHERE COALESCE(t.total, 0) OPERATOR(pg_catalog.<>) COALESCE(c.total, 0);

    -- the tables themselves, every row (the views show only assessed chains)
    RETURN QUERY
    WITH cur AS MATERIALIZED (SELECT * FROM @extschema@.current_dependency),
    re AS MATERIALIZED (
        SELECT p.country, p.stage, s.sector, a.rating, a.as_of AS rated_as_of,
               COALESCE(n.rows, 0)::integer AS rows, COALESCE(n.suppliers, 0)::integer AS suppliers,
               COALESCE(n.unknown_shares, 0)::integer AS unknown_shares, h.hhi,
               t.supplier AS top_supplier, t.share AS top_share
        FROM (SELECT country, stage FROM cur UNION SELECT country, stage FROM @extschema@.current_assessment) p
        JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) p.stage
        LEFT JOIN @extschema@.current_assessment a ON a.country OPERATOR(pg_catalog.=) p.country AND a.stage OPERATOR(pg_catalog.=) p.stage
        LEFT JOIN (SELECT country, stage, pg_catalog.count(*) AS rows,
                          pg_catalog.count(DISTINCT supplier) FILTER (WHERE kind OPERATOR(pg_catalog.=) 'supply') AS suppliers,
                          pg_catalog.count(*) FILTER (WHERE kind OPERATOR(pg_catalog.=) 'supply' AND share IS NULL) AS unknown_shares
                   FROM cur GROUP BY country, stage) n
               ON n.country OPERATOR(pg_catalog.=) p.country AND n.stage OPERATOR(pg_catalog.=) p.stage
        LEFT JOIN (SELECT country, stage, pg_catalog.max(hhi) AS hhi
                   -- in the order the state sums them (a float sum's last digit depends on it)
                   FROM (SELECT country, stage, item, @extschema@.hhi(share ORDER BY supplier DESC) AS hhi FROM cur
                         WHERE kind OPERATOR(pg_catalog.=) 'supply' GROUP BY country, stage, item) i
                   GROUP BY country, stage) h
               ON h.country OPERATOR(pg_catalog.=) p.country AND h.stage OPERATOR(pg_catalog.=) p.stage
        LEFT JOIN (SELECT DISTINCT ON (country, stage) country, stage, supplier, share FROM cur
                   WHERE kind OPERATOR(pg_catalog.=) 'supply' AND share IS NOT NULL
                   ORDER BY country, stage, share DESC, supplier) t
               ON t.country OPERATOR(pg_catalog.=) p.country AND t.stage OPERATOR(pg_catalog.=) p.stage
    )
    SELECT 'stage_state', pg_catalog.concat_ws(' ', COALESCE(s.country, r.country), COALESCE(s.stage, r.stage)),
           s::text, r::text
    -- the columns named (a whole-row reference to a distributed table in a
    -- join is not what Citus reads)
    FROM (SELECT country, stage, sector, rating, rated_as_of, rows, suppliers, unknown_shares, hhi,
                 top_supplier, top_share FROM @extschema@.stage_state) s
    FULL JOIN re r
      ON r.country OPERATOR(pg_catalog.=) s.country AND r.stage OPERATOR(pg_catalog.=) s.stage
    WHERE s::text IS DISTINCT FROM r::text;

    RETURN QUERY
    WITH per_kind AS (
        SELECT country, stage, supplier, kind, pg_catalog.max(share) AS share,
               pg_catalog.count(*) AS n, pg_catalog.count(*) FILTER (WHERE share IS NULL) AS unknown
        FROM @extschema@.current_dependency GROUP BY country, stage, supplier, kind
    ), re AS MATERIALIZED (
        SELECT k.country, k.stage, k.supplier, s.sector,
               pg_catalog.sum(k.n)::integer AS dependencies, pg_catalog.sum(k.unknown)::integer AS unknown_shares,
               COALESCE(pg_catalog.sum(k.n) FILTER (WHERE k.kind OPERATOR(pg_catalog.=) 'supply'), 0)::integer AS supply_rows,
               COALESCE(pg_catalog.sum(k.unknown) FILTER (WHERE k.kind OPERATOR(pg_catalog.=) 'supply'), 0)::integer AS supply_unknown,
               pg_catalog.max(k.share) FILTER (WHERE k.kind OPERATOR(pg_catalog.=) 'supply') AS share_supply,
               pg_catalog.max(k.share) FILTER (WHERE k.kind OPERATOR(pg_catalog.=) 'market') AS share_market,
               pg_catalog.max(k.share) FILTER (WHERE k.kind OPERATOR(pg_catalog.=) 'talent') AS share_talent
        FROM per_kind k JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) k.stage
        GROUP BY k.country, k.stage, k.supplier, s.sector
    )
    SELECT 'supplier_state', pg_catalog.concat_ws(' ', COALESCE(s.country, r.country), COALESCE(s.stage, r.stage),
                                                  COALESCE(s.supplier, r.supplier)),
           s::text, r::text
    FROM (SELECT country, stage, supplier, sector, dependencies, unknown_shares, supply_rows, supply_unknown,
                 share_supply, share_market, share_talent FROM @extschema@.supplier_state) s
    FULL JOIN re r
      ON r.country OPERATOR(pg_catalog.=) s.country AND r.stage OPERATOR(pg_catalog.=) s.stage
     AND r.supplier OPERATOR(pg_catalog.=) s.supplier
    WHERE s::text IS DISTINCT FROM r::text;
END
$$;
COMMENT ON FUNCTION @extschema@.verify_state() IS
    'recomputes the maintained risk state from the raw rows and returns one row per difference (none: the state is right)';

-- shard_for(tbl, country): on a Citus worker, the local shard of tbl that
-- holds country's rows (a reference table's shard for any country), for code
-- that a one-country query runs there (chain_exposure() inside tier_exposure,
-- which Citus routes whole to the worker of that country, where the name tbl
-- would be a distributed query, refused inside a query on a shard).  tbl
-- itself on a single server, on the coordinator, and for a table Citus does
-- not know.
CREATE FUNCTION @extschema@.shard_for(tbl regclass, country text) RETURNS regclass
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    method "char";
    coordinator boolean;
    shard regclass;
BEGIN
    IF pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NULL THEN
        RETURN tbl;                         -- no Citus
    END IF;
    EXECUTE 'SELECT pg_catalog.citus_is_coordinator()' INTO coordinator;
    EXECUTE 'SELECT p.partmethod FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid OPERATOR(pg_catalog.=) $1'
        INTO method USING tbl;
    IF coordinator OR method IS NULL THEN
        RETURN tbl;
    END IF;
    EXECUTE $q$
        SELECT pg_catalog.to_regclass(pg_catalog.shard_name($1,
                   CASE WHEN $3 OPERATOR(pg_catalog.=) 'n'
                        THEN (SELECT s.shardid FROM pg_catalog.pg_dist_shard s WHERE s.logicalrelid OPERATOR(pg_catalog.=) $1)
                        ELSE pg_catalog.get_shard_id_for_distribution_column($1, $2) END))
    $q$ INTO shard USING tbl, country, method;
    RETURN COALESCE(shard, tbl);
END
$$;
COMMENT ON FUNCTION @extschema@.shard_for(regclass, text) IS
    'internal: on a Citus worker, the local shard of tbl holding country''s rows (or a reference table''s shard); tbl itself elsewhere';

-- distribution_plan(): where distribute() puts each table of the extension,
-- in the order it does: the small tables become reference tables (a copy on
-- every node), parents before the tables that reference them; the
-- per-country tables are distributed by the depending (or affected)
-- country and colocated, so that every key of the share rule and every row a
-- view computes for one country are on one node.  share_total and the
-- maintained state (42_state.sql) come first: the triggers on dependency's
-- and assessment's shards need their colocated shards while Citus copies the
-- existing rows into them.  A new table is one line.
CREATE OR REPLACE FUNCTION @extschema@.distribution_plan()
RETURNS TABLE (step integer, table_name regclass, placement text, distribution_column text)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT r.step::integer, pg_catalog.format('@extschema@.%I', r.name)::regclass, 'reference', NULL::text
    FROM pg_catalog.unnest(ARRAY['source', 'country', 'sector', 'stage', 'stage_link', 'alignment',
                                 'policy', 'policy_measure', 'figure', 'weight',
                                 'material', 'material_supply', 'governance',
                                 'product', 'product_stage', 'country_group']) WITH ORDINALITY AS r(name, step)
    UNION ALL
    -- the depending country: the importer of a trade flow
    SELECT 100 + d.step::integer, pg_catalog.format('@extschema@.%I', d.name)::regclass, 'distributed', d.col
    FROM ROWS FROM (pg_catalog.unnest(ARRAY['share_total', 'stage_state', 'supplier_state', 'country_state',
                                            'country_total_state', 'dependency', 'assessment', 'policy_impact',
                                            'trade_flow']),
                    pg_catalog.unnest(ARRAY['country', 'country', 'country', 'country', 'country', 'country',
                                            'country', 'country', 'importer']))
         WITH ORDINALITY AS d(name, col, step)
    ORDER BY 1
$$;
COMMENT ON FUNCTION @extschema@.distribution_plan() IS
    'each table of the extension, in the order distribute() places it: reference (a copy on every node) or distributed (by country, colocated)';

CREATE OR REPLACE FUNCTION @extschema@.distribute() RETURNS text
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
-- the extension's tables have triggers (the rules), which Citus creates on
-- every shard only when asked to
SET citus.enable_unsafe_triggers = on
-- reference tables in any order while other tables still reference them
SET citus.enable_local_reference_table_foreign_keys = off
-- the SET LOCAL supplychain.maintenance below reaches the workers
SET citus.propagate_set_commands = 'local'
AS $$
DECLARE
    maintenance text := pg_catalog.current_setting('supplychain.maintenance', true);
    t record;
    unknown text;
    anchor regclass;                    -- the first distributed table
    method "char";
    repmodel "char";
    colocation integer;
    key text;
    made_ref integer := 0;
    kept_ref integer := 0;
    made_dist integer := 0;
    kept_dist integer := 0;
BEGIN
    PERFORM @extschema@.ensure_citus_coordinator('supplychain.distribute()');
    SELECT pg_catalog.string_agg(c.oid::regclass::text, ', ' ORDER BY c.relname) INTO unknown
      FROM pg_catalog.pg_depend d
      JOIN pg_catalog.pg_class c ON c.oid = d.objid AND c.relkind = 'r'
     WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'e'
       AND d.refclassid = 'pg_catalog.pg_extension'::regclass
       AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'supplychain')
       AND c.oid NOT IN (SELECT p.table_name FROM @extschema@.distribution_plan() p);
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'table % is not in supplychain.distribution_plan()', unknown
            USING ERRCODE = 'internal_error';
    END IF;

    -- Citus copies the shipped rows into the new shards: the shipped-row
    -- rule lets them pass in maintenance mode, here and on the workers.
    -- Citus sends a SET LOCAL to the workers from a transaction block or a
    -- DO block, not from a function's own statements: hence the DO.
    EXECUTE 'DO $d$ BEGIN SET LOCAL supplychain.maintenance = on; END $d$';
    -- the maintained state moves with the rows (its tables come first in the
    -- plan): the triggers do not recompute it from rows half copied
    EXECUTE 'DO $d$ BEGIN SET LOCAL supplychain.copying = on; END $d$';

    FOR t IN SELECT * FROM @extschema@.distribution_plan() ORDER BY step LOOP
        method := NULL;
        SELECT p.partmethod, p.repmodel, p.colocationid,
               CASE WHEN p.partmethod = 'h' THEN pg_catalog.column_to_column_name(p.logicalrelid, p.partkey) END
          INTO method, repmodel, colocation, key
          FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = t.table_name;
        IF t.placement = 'reference' THEN
            IF method IS NULL THEN
                PERFORM pg_catalog.create_reference_table(t.table_name);
                made_ref := made_ref + 1;
                RAISE NOTICE '% is now a reference table', t.table_name;
            ELSIF method = 'n' AND repmodel = 't' THEN
                kept_ref := kept_ref + 1;
                RAISE NOTICE '% is a reference table already', t.table_name;
            ELSE
                RAISE EXCEPTION '% is a Citus table already, but not a reference table', t.table_name
                    USING ERRCODE = 'object_not_in_prerequisite_state',
                          HINT = 'SELECT supplychain.undistribute() first, then supplychain.distribute() again.';
            END IF;
        ELSE
            IF method IS NULL THEN
                PERFORM pg_catalog.create_distributed_table(t.table_name, t.distribution_column,
                    colocate_with => COALESCE(anchor::text, 'none'));
                made_dist := made_dist + 1;
                RAISE NOTICE '% is now distributed by %', t.table_name, t.distribution_column;
            ELSIF method = 'h' AND key = t.distribution_column
                  AND colocation = COALESCE((SELECT p.colocationid FROM pg_catalog.pg_dist_partition p
                                             WHERE p.logicalrelid = anchor), colocation) THEN
                kept_dist := kept_dist + 1;
                RAISE NOTICE '% is distributed by % already', t.table_name, t.distribution_column;
            ELSE
                RAISE EXCEPTION '% is a Citus table already, but not distributed by % beside the extension''s other tables',
                                t.table_name, t.distribution_column
                    USING ERRCODE = 'object_not_in_prerequisite_state',
                          HINT = 'SELECT supplychain.undistribute() first, then supplychain.distribute() again.';
            END IF;
            anchor := COALESCE(anchor, t.table_name);
        END IF;
    END LOOP;

    -- back to the caller's mode, on the workers too
    EXECUTE pg_catalog.format('DO $d$ BEGIN SET LOCAL supplychain.maintenance = %L; END $d$',
                              COALESCE(maintenance, 'off'));
    EXECUTE 'DO $d$ BEGIN SET LOCAL supplychain.copying = off; END $d$';
    RETURN pg_catalog.format('reference tables: %s new, %s already; distributed by country: %s new, %s already',
                             made_ref, kept_ref, made_dist, kept_dist);
END
$$;
CREATE OR REPLACE FUNCTION @extschema@.undistribute() RETURNS text
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
SET citus.enable_unsafe_triggers = on
-- the reference tables' shards are dropped after the distributed ones, in one
-- transaction: over one connection per node
SET citus.multi_shard_modify_mode = 'sequential'
AS $$
DECLARE
    maintenance text := pg_catalog.current_setting('supplychain.maintenance', true);
    t record;
    tables text;
    trigger_name name;
    n integer := 0;
BEGIN
    PERFORM @extschema@.ensure_citus_coordinator('supplychain.undistribute()');
    SELECT pg_catalog.string_agg(p.table_name::text, ', ' ORDER BY p.step) INTO tables
      FROM @extschema@.distribution_plan() p
     WHERE EXISTS (SELECT FROM pg_catalog.pg_dist_partition d WHERE d.logicalrelid = p.table_name);
    IF tables IS NULL THEN
        RAISE NOTICE 'no table of supplychain is distributed';
        RETURN 'nothing to undistribute';
    END IF;
    -- writers wait (or fail) until the end of the transaction
    EXECUTE pg_catalog.format('LOCK TABLE %s IN EXCLUSIVE MODE', tables);

    FOR t IN SELECT p.table_name, c.relname, n.nspname
               FROM @extschema@.distribution_plan() p
               JOIN pg_catalog.pg_class c ON c.oid = p.table_name
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              WHERE EXISTS (SELECT FROM pg_catalog.pg_dist_partition d WHERE d.logicalrelid = p.table_name)
              ORDER BY p.step LOOP
        EXECUTE pg_catalog.format('CREATE TEMP TABLE %I ON COMMIT DROP AS SELECT * FROM %s',
                                  'supplychain_undistribute_' || t.relname, t.table_name);
    END LOOP;
    -- what Citus's DROP TABLE trigger does, referencing tables first
    FOR t IN SELECT p.table_name, c.relname, n.nspname
               FROM @extschema@.distribution_plan() p
               JOIN pg_catalog.pg_class c ON c.oid = p.table_name
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              WHERE EXISTS (SELECT FROM pg_catalog.pg_dist_partition d WHERE d.logicalrelid = p.table_name)
              ORDER BY p.step DESC LOOP
        PERFORM pg_catalog.master_remove_distributed_table_metadata_from_workers(t.table_name, t.nspname, t.relname);
        PERFORM pg_catalog.citus_drop_all_shards(t.table_name, t.nspname, t.relname, false);
        PERFORM pg_catalog.master_remove_partition_metadata(t.table_name, t.nspname, t.relname);
        -- and the trigger through which Citus truncates the shards
        FOR trigger_name IN SELECT g.tgname FROM pg_catalog.pg_trigger g
                             WHERE g.tgrelid = t.table_name
                               AND g.tgfoid = 'pg_catalog.citus_truncate_trigger()'::regprocedure LOOP
            EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', trigger_name, t.table_name);
        END LOOP;
        n := n + 1;
        RAISE NOTICE '% is a local table again', t.table_name;
    END LOOP;

    -- the rows back, in maintenance mode (shipped rows), parents first, the
    -- maintained state with them (not recomputed meanwhile)
    SET LOCAL supplychain.maintenance = on;
    SET LOCAL supplychain.copying = on;
    EXECUTE pg_catalog.format('TRUNCATE %s', tables);
    FOR t IN SELECT p.table_name, c.relname
               FROM @extschema@.distribution_plan() p
               JOIN pg_catalog.pg_class c ON c.oid = p.table_name
              WHERE p.table_name::text = ANY (pg_catalog.string_to_array(tables, ', '))
              ORDER BY p.step LOOP
        EXECUTE pg_catalog.format('INSERT INTO %s SELECT * FROM pg_temp.%I',
                                  t.table_name, 'supplychain_undistribute_' || t.relname);
    END LOOP;
    EXECUTE pg_catalog.format('SET LOCAL supplychain.maintenance = %L', COALESCE(maintenance, 'off'));
    SET LOCAL supplychain.copying = off;
    RETURN pg_catalog.format('%s tables undistributed', n);
END
$$;
-- stage_risk: one row per stage of each assessed chain (country, sector).
-- hhi is the Herfindahl-Hirschman index of the known supply shares of the
-- stage's most concentrated item; risk = weakness(rating) x hhi, NULL when no
-- share is known.
--
-- Each risk view reads the maintained state (42_state.sql) when
-- supplychain.as_of is unset, and computes from the raw rows at a date set
-- (history, and verify_state() at 'infinity'): two branches of a UNION ALL,
-- one of which a one-time filter skips.  A condition on the country reaches
-- the index of either branch.  In the raw branch, supply is NOT MATERIALIZED
-- so that the condition reaches each of its three readers.

CREATE OR REPLACE VIEW @extschema@.stage_risk AS
WITH state_chain AS (
    SELECT DISTINCT ss.country, ss.sector
    FROM @extschema@.stage_state ss
    WHERE ss.rating IS NOT NULL
)
SELECT c.country,
       s.sector,
       s.name AS stage,
       s.position,
       ss.rating,
       ss.rating::text AS rating_label,
       ss.rating::integer AS rating_level,
       COALESCE(ss.suppliers, 0)::integer AS suppliers,
       COALESCE(ss.unknown_shares, 0)::integer AS unknown_shares,
       round(ss.hhi::numeric, 4) AS hhi,
       ss.top_supplier,
       ss.top_share,
       round(w.value, 4) AS weakness,
       round(w.value * ss.hhi::numeric, 4) AS risk,
       ss.hhi::numeric > hc.value AS concentrated,
       s.id AS stage_id,
       ss.rated_as_of AS as_of
FROM state_chain c
JOIN @extschema@.stage s ON s.sector = c.sector
LEFT JOIN @extschema@.stage_state ss ON ss.country = c.country AND ss.stage = s.id
LEFT JOIN @extschema@.weight w
       ON w.name = CASE WHEN ss.rating IS NULL THEN 'weakness.unassessed'
                        ELSE 'weakness.' || ss.rating::text END
LEFT JOIN @extschema@.weight hc ON hc.name = 'hhi.concentrated'
WHERE (SELECT @extschema@.state_is_current())
UNION ALL
(WITH chain AS (
    SELECT DISTINCT a.country, s.sector
    FROM @extschema@.current_assessment a
    JOIN @extschema@.stage s ON s.id = a.stage
), supply AS NOT MATERIALIZED (
    SELECT d.stage, d.country, d.supplier, d.item, d.share
    FROM @extschema@.current_dependency d
    WHERE d.kind = 'supply'
), item_hhi AS (
    SELECT stage, country, item, @extschema@.hhi(share) AS hhi
    FROM supply GROUP BY stage, country, item
), stage_hhi AS (
    SELECT stage, country, max(hhi) AS hhi
    FROM item_hhi GROUP BY stage, country
), counts AS (
    SELECT stage, country, count(DISTINCT supplier) AS suppliers,
           count(*) FILTER (WHERE share IS NULL) AS unknown_shares
    FROM supply GROUP BY stage, country
), top AS (
    SELECT DISTINCT ON (stage, country) stage, country, supplier, share
    FROM supply WHERE share IS NOT NULL
    ORDER BY stage, country, share DESC, supplier
)
SELECT c.country,
       s.sector,
       s.name AS stage,
       s.position,
       a.rating,
       a.rating::text AS rating_label,
       a.rating::integer AS rating_level,
       COALESCE(n.suppliers, 0)::integer AS suppliers,
       COALESCE(n.unknown_shares, 0)::integer AS unknown_shares,
       round(h.hhi::numeric, 4) AS hhi,
       t.supplier AS top_supplier,
       t.share AS top_share,
       round(w.value, 4) AS weakness,
       round(w.value * h.hhi::numeric, 4) AS risk,
       h.hhi::numeric > hc.value AS concentrated,
       s.id AS stage_id,
       a.as_of
FROM chain c
JOIN @extschema@.stage s ON s.sector = c.sector
LEFT JOIN @extschema@.current_assessment a ON a.stage = s.id AND a.country = c.country
LEFT JOIN counts n ON n.stage = s.id AND n.country = c.country
LEFT JOIN stage_hhi h ON h.stage = s.id AND h.country = c.country
LEFT JOIN top t ON t.stage = s.id AND t.country = c.country
LEFT JOIN @extschema@.weight w
       ON w.name = CASE WHEN a.rating IS NULL THEN 'weakness.unassessed'
                        ELSE 'weakness.' || a.rating::text END
LEFT JOIN @extschema@.weight hc ON hc.name = 'hhi.concentrated'
WHERE NOT (SELECT @extschema@.state_is_current()));
COMMENT ON VIEW @extschema@.stage_risk IS
    'per stage of each assessed chain: rating, supplier count, HHI of known supply shares, top supplier, risk = weakness x HHI';

-- country_risk: dependency risk of country P on supplier C, per sector and
-- over all sectors (sector NULL):
--   risk = sum over P's stages k and kinds of
--          share(k, C) x weakness(rating(k)) x kind weight x alignment weight(P, C)
-- where share(k, C) is C's largest known share among the stage's items.
-- Dependencies with unknown share are counted (unknown_shares) but add
-- nothing to risk; risk is NULL when no share is known.

CREATE OR REPLACE VIEW @extschema@.stage_supplier_risk AS
SELECT t.country,
       t.sector,
       t.stage AS stage_id,
       t.supplier,
       t.dependencies,
       t.unknown_shares,
       t.known_share,
       t.weighted,
       round(t.weighted * wa.value, 4) AS risk
FROM @extschema@.supplier_state t
LEFT JOIN @extschema@.alignment al ON al.country = t.country AND al.partner = t.supplier
LEFT JOIN @extschema@.weight wa ON wa.name = 'alignment.' || COALESCE(al.relation, 'unknown')
WHERE (SELECT @extschema@.state_is_current())
UNION ALL
(WITH per_kind AS (
    SELECT d.country, s.sector, d.supplier, d.stage, d.kind,
           max(d.share) AS share,
           count(*) AS dependencies,
           count(*) FILTER (WHERE d.share IS NULL) AS unknown_shares
    FROM @extschema@.current_dependency d
    JOIN @extschema@.stage s ON s.id = d.stage
    GROUP BY d.country, s.sector, d.supplier, d.stage, d.kind
)
SELECT p.country,
       p.sector,
       p.stage AS stage_id,
       p.supplier,
       sum(p.dependencies)::integer AS dependencies,
       sum(p.unknown_shares)::integer AS unknown_shares,
       sum(p.share) AS known_share,
       sum(p.share * wr.value * wk.value) AS weighted,
       round(sum(p.share * wr.value * wk.value) * wa.value, 4) AS risk
FROM per_kind p
LEFT JOIN @extschema@.current_assessment a ON a.stage = p.stage AND a.country = p.country
LEFT JOIN @extschema@.weight wr
       ON wr.name = CASE WHEN a.rating IS NULL THEN 'weakness.unassessed'
                         ELSE 'weakness.' || a.rating::text END
LEFT JOIN @extschema@.weight wk ON wk.name = 'kind.' || p.kind
LEFT JOIN @extschema@.alignment al ON al.country = p.country AND al.partner = p.supplier
LEFT JOIN @extschema@.weight wa ON wa.name = 'alignment.' || COALESCE(al.relation, 'unknown')
WHERE NOT (SELECT @extschema@.state_is_current())
GROUP BY p.country, p.sector, p.stage, p.supplier, wa.value);
COMMENT ON VIEW @extschema@.stage_supplier_risk IS
    'one stage''s term of country_risk: weighted = sum over kinds of known share x stage weakness x kind weight; risk = weighted x alignment weight';

CREATE OR REPLACE VIEW @extschema@.country_risk AS
-- the state: one row per output row, read in rank order off an index
SELECT c.country, c.sector, c.supplier, c.relation, c.stages, c.dependencies, c.unknown_shares,
       c.known_share, c.risk,
       rank() OVER (PARTITION BY c.country, c.sector ORDER BY c.risk DESC NULLS LAST)::integer AS rank
FROM @extschema@.country_state c
WHERE (SELECT @extschema@.state_is_current())
UNION ALL
SELECT t.country, NULL::text, t.supplier, t.relation, t.stages, t.dependencies, t.unknown_shares,
       t.known_share, t.risk,
       rank() OVER (PARTITION BY t.country ORDER BY t.risk DESC NULLS LAST)::integer
FROM @extschema@.country_total_state t
WHERE (SELECT @extschema@.state_is_current())
UNION ALL
-- the raw rows (a date set)
(WITH summed AS (
    SELECT country, sector, supplier,
           count(*)::integer AS stages,
           sum(dependencies)::integer AS dependencies,
           sum(unknown_shares)::integer AS unknown_shares,
           sum(known_share) AS known_share,
           sum(weighted) AS weighted
    FROM (SELECT r.country, g.sector, r.supplier, r.dependencies, r.unknown_shares,
                 r.known_share, r.weighted
          FROM @extschema@.stage_supplier_risk r
          -- each stage's term counts for its sector and for all sectors (NULL),
          -- in one aggregation
          CROSS JOIN LATERAL (VALUES (r.sector), (NULL)) g (sector)) t
    GROUP BY country, sector, supplier
)
SELECT x.country,
       x.sector,
       x.supplier,
       al.relation,
       x.stages,
       x.dependencies,
       x.unknown_shares,
       x.known_share,
       round(x.weighted * wa.value, 4) AS risk,
       rank() OVER (PARTITION BY x.country, x.sector
                    ORDER BY round(x.weighted * wa.value, 4) DESC NULLS LAST)::integer AS rank
FROM summed x
LEFT JOIN @extschema@.alignment al ON al.country = x.country AND al.partner = x.supplier
LEFT JOIN @extschema@.weight wa ON wa.name = 'alignment.' || COALESCE(al.relation, 'unknown')
WHERE NOT (SELECT @extschema@.state_is_current()));
COMMENT ON VIEW @extschema@.country_risk IS
    'dependency risk of country on supplier per sector (sector NULL: all sectors); rank 1 = most risky';

-- chain_exposure: propagate_exposure on the schema's data.  Nodes are the
-- stages of each depending country's chains (the id is the two-letter
-- country code followed by the stage id, which the country code's CHECK
-- makes unambiguous).  A stage's own production in supplier country C is C's
-- known supply share (the largest over the stage's items, as the risk views
-- take it).  The rest of the stage's supply, 1 - min(1, sum of its known
-- import shares), is made at home from its upstream stages, in equal parts:
-- stage_link carries no weights.  Unknown shares add nothing.  64 tiers: on
-- the reference data's recycling loop (gain 1/8 per 4 links) the truncated
-- series is then within about 1e-14 of its limit.
CREATE OR REPLACE FUNCTION @extschema@.chain_exposure(
    for_supplier text DEFAULT NULL,
    max_tiers integer DEFAULT 64,
    for_country text DEFAULT NULL)
RETURNS TABLE (country text, stage_id text, supplier text, exposure double precision, tier integer)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    -- for_country: the depending country's rows only, read through the index
    only_d constant text := CASE WHEN for_country IS NULL THEN ''
        ELSE pg_catalog.format(' AND d.country OPERATOR(pg_catalog.=) %L', for_country) END;
    only_a constant text := CASE WHEN for_country IS NULL THEN ''
        ELSE pg_catalog.format(' AND a.country OPERATOR(pg_catalog.=) %L', for_country) END;
    edges_sql constant text := pg_catalog.format($q$
        WITH direct AS (
            SELECT d.country, d.stage, d.supplier, pg_catalog.max(d.share) AS share
            FROM @extschema@.current_dependency d
            WHERE d.kind OPERATOR(pg_catalog.=) 'supply' AND d.share IS NOT NULL %1$s
            GROUP BY d.country, d.stage, d.supplier
        ), imported AS (
            SELECT i.country, i.stage, pg_catalog.sum(i.share) AS share
            FROM direct i GROUP BY i.country, i.stage
        ), chain AS (
            SELECT d.country, s.sector
            FROM @extschema@.current_dependency d
            JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) d.stage
            WHERE true %1$s
            UNION
            SELECT a.country, s.sector
            FROM @extschema@.current_assessment a
            JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) a.stage
            WHERE true %2$s
        ), inputs AS (
            SELECT l.downstream, pg_catalog.count(*) AS n
            FROM @extschema@.stage_link l GROUP BY l.downstream
        )
        SELECT c.country OPERATOR(pg_catalog.||) l.upstream,
               c.country OPERATOR(pg_catalog.||) l.downstream,
               (1::numeric OPERATOR(pg_catalog.-) LEAST(COALESCE(i.share, 0::numeric), 1::numeric))::pg_catalog.float8
                   OPERATOR(pg_catalog./) n.n::pg_catalog.float8
        FROM @extschema@.stage_link l
        JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) l.downstream
        JOIN chain c ON c.sector OPERATOR(pg_catalog.=) s.sector
        JOIN inputs n ON n.downstream OPERATOR(pg_catalog.=) l.downstream
        LEFT JOIN imported i ON i.country OPERATOR(pg_catalog.=) c.country
                            AND i.stage OPERATOR(pg_catalog.=) l.downstream
    $q$, only_d, only_a);
    -- at the current date the same graph from the maintained state: each
    -- supplier's largest known supply share per stage (supplier_state), the
    -- chains with data (stage_state)
    only_s constant text := CASE WHEN for_country IS NULL THEN ''
        ELSE pg_catalog.format(' AND s.country OPERATOR(pg_catalog.=) %L', for_country) END;
    -- on a Citus worker (a one-country tier_exposure routed there) the
    -- local shards (45_citus.sql)
    sup constant regclass := @extschema@.shard_for('@extschema@.supplier_state', for_country);
    state_edges_sql constant text := pg_catalog.format($q$
        WITH imported AS (
            SELECT s.country, s.stage, pg_catalog.sum(s.share_supply) AS share
            FROM %2$s s
            WHERE s.share_supply IS NOT NULL %1$s
            GROUP BY s.country, s.stage
        ), chain AS (
            SELECT DISTINCT s.country, s.sector FROM %3$s s WHERE true %1$s
        ), inputs AS (
            SELECT l.downstream, pg_catalog.count(*) AS n
            FROM %4$s l GROUP BY l.downstream
        )
        SELECT c.country OPERATOR(pg_catalog.||) l.upstream,
               c.country OPERATOR(pg_catalog.||) l.downstream,
               (1::numeric OPERATOR(pg_catalog.-) LEAST(COALESCE(i.share, 0::numeric), 1::numeric))::pg_catalog.float8
                   OPERATOR(pg_catalog./) n.n::pg_catalog.float8
        FROM %4$s l
        JOIN %5$s s ON s.id OPERATOR(pg_catalog.=) l.downstream
        JOIN chain c ON c.sector OPERATOR(pg_catalog.=) s.sector
        JOIN inputs n ON n.downstream OPERATOR(pg_catalog.=) l.downstream
        LEFT JOIN imported i ON i.country OPERATOR(pg_catalog.=) c.country
                            AND i.stage OPERATOR(pg_catalog.=) l.downstream
    $q$, only_s, sup, @extschema@.shard_for('@extschema@.stage_state', for_country),
        @extschema@.shard_for('@extschema@.stage_link', for_country), @extschema@.shard_for('@extschema@.stage', for_country));
    state_origins_sql constant text := pg_catalog.format($q$
        SELECT o.node, o.supplier, o.share FROM (
            SELECT s.country OPERATOR(pg_catalog.||) s.stage AS node, s.supplier,
                   (s.share_supply OPERATOR(pg_catalog./)
                    GREATEST(1::numeric, pg_catalog.sum(s.share_supply) OVER (PARTITION BY s.country, s.stage)))::pg_catalog.float8 AS share
            FROM %s s
            WHERE s.share_supply IS NOT NULL %s) o
    $q$, sup, only_s);
    -- a stage's known imports are at most all of its supply: where the
    -- largest shares over items add up above 1, they are scaled down to 1
    origins_sql text := pg_catalog.format($q$
        SELECT o.node, o.supplier, o.share FROM (
            SELECT d.country OPERATOR(pg_catalog.||) d.stage AS node, d.supplier,
                   (pg_catalog.max(d.share) OPERATOR(pg_catalog./)
                    GREATEST(1::numeric, pg_catalog.sum(pg_catalog.max(d.share))
                                         OVER (PARTITION BY d.country, d.stage)))::pg_catalog.float8 AS share
            FROM @extschema@.current_dependency d
            WHERE d.kind OPERATOR(pg_catalog.=) 'supply' AND d.share IS NOT NULL %s
            GROUP BY d.country, d.stage, d.supplier) o
    $q$, only_d);
    current constant boolean := @extschema@.state_is_current();
BEGIN
    IF current THEN
        origins_sql := state_origins_sql;
    END IF;
    IF for_supplier IS NOT NULL THEN
        origins_sql := origins_sql
            || pg_catalog.format(' WHERE o.supplier OPERATOR(pg_catalog.=) %L', for_supplier);
    END IF;
    RETURN QUERY
        SELECT pg_catalog.left(p.node, 2), pg_catalog.substr(p.node, 3), p.country, p.exposure, p.tier
        FROM @extschema@.propagate_exposure(CASE WHEN current THEN state_edges_sql ELSE edges_sql END,
                                            origins_sql, COALESCE(max_tiers, 64)) p;
END
$fn$;
COMMENT ON FUNCTION @extschema@.chain_exposure(text, integer, text) IS
    'propagate_exposure on the schema''s data: per depending country (for_country NULL: all), stage and supplier country (for_supplier NULL: all), the multi-tier exposure from known supply shares along stage_link';

-- tier_exposure: the multi-tier exposure of each assessed chain (the US
-- chains of the reference data) per supplier country, beside the direct
-- share.  exposure counts known shares only; unknown_shares > 0 marks a
-- direct dependency without a figure, so exposure is then a lower bound
-- (NULL when nothing is known).  tier 0 = a direct supplier of the stage.
CREATE OR REPLACE VIEW @extschema@.tier_exposure AS
WITH direct AS (
    -- each direct supplier of each stage: its largest known supply share and
    -- its supply rows without one (the maintained state, or at a date the
    -- raw rows)
    SELECT s.country, s.stage, s.supplier, s.share_supply AS direct_share, s.supply_unknown AS unknown_shares
    FROM @extschema@.supplier_state s
    WHERE s.supply_rows > 0 AND (SELECT @extschema@.state_is_current())
    UNION ALL
    SELECT d.country, d.stage, d.supplier, max(d.share),
           (count(*) FILTER (WHERE d.share IS NULL))::integer
    FROM @extschema@.current_dependency d
    WHERE d.kind = 'supply' AND NOT (SELECT @extschema@.state_is_current())
    GROUP BY d.country, d.stage, d.supplier
), chain AS (
    -- one propagation per country (the graphs of two countries share no
    -- node), a country without data giving none; a condition on country runs
    -- only that country's, through the country table's key.  The countries
    -- come from that (reference) table so that a distributed engine calls
    -- the function for rows it holds on the coordinator
    SELECT c.code AS country FROM @extschema@.country c
), exposed AS (
    SELECT c.country, e.stage_id AS stage, e.supplier, e.exposure, e.tier
    FROM chain c
    CROSS JOIN LATERAL @extschema@.chain_exposure(NULL, 64, c.country) e
), terms AS (
    -- a direct supplier is tier 0; an exposure without a direct share is at
    -- its shortest tier (one row per stage and supplier of either kind: a
    -- union grouped, which a distributed engine runs, rather than a full join)
    SELECT u.country, u.stage, u.supplier,
           max(u.direct_share) AS direct_share,
           max(u.exposure) AS exposure,
           CASE WHEN bool_or(u.direct) THEN 0 ELSE min(u.tier) END AS tier,
           COALESCE(max(u.unknown_shares), 0) AS unknown_shares
    FROM (SELECT d.country, d.stage, d.supplier, d.direct_share, NULL::double precision AS exposure,
                 NULL::integer AS tier, d.unknown_shares, true AS direct
          FROM direct d
          UNION ALL
          SELECT x.country, x.stage, x.supplier, NULL, x.exposure, x.tier, NULL, false
          FROM exposed x) u
    GROUP BY u.country, u.stage, u.supplier
)
SELECT t.country,
       s.sector,
       s.name AS stage,
       t.supplier,
       t.direct_share,
       round(t.exposure::numeric, 4) AS exposure,
       t.tier,
       t.unknown_shares,
       s.position,
       s.id AS stage_id
FROM terms t
JOIN @extschema@.stage s ON s.id = t.stage;
COMMENT ON VIEW @extschema@.tier_exposure IS
    'per assessed chain, stage and supplier country: direct known share, multi-tier exposure along stage_link (4 decimals), shortest tier, unknown shares';

CREATE FUNCTION @extschema@.stage_supplier_risk_at(at date) RETURNS SETOF @extschema@.stage_supplier_risk
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp SET supplychain.as_of = '' AS $$
BEGIN
    PERFORM @extschema@.set_as_of(at);
    RETURN QUERY SELECT * FROM @extschema@.stage_supplier_risk;
END
$$;
COMMENT ON FUNCTION @extschema@.stage_supplier_risk_at(date) IS 'stage_supplier_risk as it was known at a date (rows with as_of <= at)';

-- stage_state, supplier_state, country_state, country_total_state (42_state.sql)
COMMENT ON COLUMN @extschema@.stage_state.country IS 'the depending country, as in dependency.country and assessment.country';
COMMENT ON COLUMN @extschema@.stage_state.stage IS 'the stage, as in stage.id';
COMMENT ON COLUMN @extschema@.stage_state.sector IS 'the stage''s sector when the pair was last refreshed';
COMMENT ON COLUMN @extschema@.stage_state.rating IS 'the latest assessment''s rating; NULL when the pair is not assessed';
COMMENT ON COLUMN @extschema@.stage_state.rated_as_of IS 'as_of of that assessment; NULL when not assessed';
COMMENT ON COLUMN @extschema@.stage_state.rows IS 'current dependency rows of the pair, every kind (0: only assessed)';
COMMENT ON COLUMN @extschema@.stage_state.suppliers IS 'distinct suppliers of the current supply rows (stage_risk.suppliers)';
COMMENT ON COLUMN @extschema@.stage_state.unknown_shares IS 'current supply rows without a share (stage_risk.unknown_shares)';
COMMENT ON COLUMN @extschema@.stage_state.hhi IS 'the largest HHI of known supply shares over the stage''s items, 0..1; NULL when no share is known';
COMMENT ON COLUMN @extschema@.stage_state.top_supplier IS 'supplier with the largest known supply share (ties: first code); NULL when none is known';
COMMENT ON COLUMN @extschema@.stage_state.top_share IS 'that share, 0..1';
COMMENT ON COLUMN @extschema@.supplier_state.country IS 'the depending country';
COMMENT ON COLUMN @extschema@.supplier_state.stage IS 'the stage';
COMMENT ON COLUMN @extschema@.supplier_state.supplier IS 'the supplier country';
COMMENT ON COLUMN @extschema@.supplier_state.sector IS 'the stage''s sector when the pair was last refreshed';
COMMENT ON COLUMN @extschema@.supplier_state.dependencies IS 'current dependency rows of (country, stage, supplier), every kind';
COMMENT ON COLUMN @extschema@.supplier_state.unknown_shares IS 'of them, rows without a share';
COMMENT ON COLUMN @extschema@.supplier_state.supply_rows IS 'current rows of kind supply';
COMMENT ON COLUMN @extschema@.supplier_state.supply_unknown IS 'of them, rows without a share';
COMMENT ON COLUMN @extschema@.supplier_state.share_supply IS 'the largest known share of kind supply over the stage''s items, 0..1; NULL when none is known';
COMMENT ON COLUMN @extschema@.supplier_state.share_market IS 'the largest known share of kind market, 0..1; NULL when none is known';
COMMENT ON COLUMN @extschema@.supplier_state.share_talent IS 'the largest known share of kind talent, 0..1; NULL when none is known';
COMMENT ON COLUMN @extschema@.supplier_state.known_share IS 'sum of the three largest known shares (stage_supplier_risk.known_share); NULL when none is known';
COMMENT ON COLUMN @extschema@.supplier_state.weighted IS 'sum over kinds of share x weakness of the stage''s rating x kind weight (stage_supplier_risk.weighted)';
COMMENT ON COLUMN @extschema@.country_state.country IS 'the depending country';
COMMENT ON COLUMN @extschema@.country_state.sector IS 'the sector';
COMMENT ON COLUMN @extschema@.country_state.supplier IS 'the supplier country';
COMMENT ON COLUMN @extschema@.country_state.relation IS 'alignment.relation of (country, supplier); NULL when none is recorded';
COMMENT ON COLUMN @extschema@.country_state.stages IS 'stages of the sector with a term of the supplier (supplier_state rows)';
COMMENT ON COLUMN @extschema@.country_state.dependencies IS 'sum of the terms'' current rows';
COMMENT ON COLUMN @extschema@.country_state.unknown_shares IS 'sum of the terms'' rows without a share';
COMMENT ON COLUMN @extschema@.country_state.known_share IS 'sum of the terms'' known shares; NULL when none is known';
COMMENT ON COLUMN @extschema@.country_state.weighted IS 'sum of the terms'' weighted shares; NULL when none is known';
COMMENT ON COLUMN @extschema@.country_state.risk IS 'weighted x alignment weight, 4 decimals (country_risk.risk)';
COMMENT ON COLUMN @extschema@.country_total_state.country IS 'the depending country';
COMMENT ON COLUMN @extschema@.country_total_state.supplier IS 'the supplier country';
COMMENT ON COLUMN @extschema@.country_total_state.relation IS 'alignment.relation of (country, supplier); NULL when none is recorded';
COMMENT ON COLUMN @extschema@.country_total_state.stages IS 'stages of every sector with a term of the supplier';
COMMENT ON COLUMN @extschema@.country_total_state.dependencies IS 'sum of the terms'' current rows';
COMMENT ON COLUMN @extschema@.country_total_state.unknown_shares IS 'sum of the terms'' rows without a share';
COMMENT ON COLUMN @extschema@.country_total_state.known_share IS 'sum of the terms'' known shares; NULL when none is known';
COMMENT ON COLUMN @extschema@.country_total_state.weighted IS 'sum of the terms'' weighted shares; NULL when none is known';
COMMENT ON COLUMN @extschema@.country_total_state.risk IS 'weighted x alignment weight, 4 decimals (country_risk.risk, sector NULL)';

GRANT SELECT ON ALL TABLES IN SCHEMA @extschema@ TO PUBLIC;

-- the state of the rows already there
SELECT @extschema@.rebuild_state();
