-- supplychain 0.10.0 -> 0.11.0: the country groups' trade totals are
-- maintained state.  trade_country_group_total holds, per group, product and
-- year, what import_dependency's row of the group reads (kept by the
-- triggers on trade_flow and country_group, written by load_trade_flows()
-- in the same pass in C as trade_country_total, proven by verify_state());
-- import_dependency reads it instead of aggregating the members' flows.
-- The early warning reads a year's subjects once, and a key's by a probe.
\echo Use "ALTER EXTENSION supplychain UPDATE TO '0.11.0'" to load this file. \quit

-- the loader's scan takes the memberships, and returns the groups' rows too
DROP FUNCTION @extschema@.trade_totals_scan(regclass);
-- trade_totals_scan(flows, memberships): every key's totals from a table of
-- flows, in one pass over it in C (src/trade_totals.c), each flow to its
-- importer's and its exporter's row through a hash table; with memberships
-- (the parallel arrays groups, members, first_years and last_years, NULL:
-- still a member), in the same pass every (group, product, year)'s row of
-- trade_country_group_total, with is_group (a country's row has
-- inside_imports NULL).  Within the hash memory limit (work_mem x
-- hash_mem_multiplier), else it stops with 54000.
CREATE FUNCTION @extschema@.trade_totals_scan(flows regclass, groups text[] DEFAULT NULL, members text[] DEFAULT NULL,
                                              first_years integer[] DEFAULT NULL, last_years integer[] DEFAULT NULL)
RETURNS TABLE (country text, product text, year integer, import_flows integer, imports numeric, squares numeric,
               partners integer, top_value numeric, top_partner text, export_flows integer, exports numeric,
               inside_imports numeric, is_group boolean)
AS 'MODULE_PATHNAME', 'trade_totals_scan'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.trade_totals_scan(regclass, text[], text[], integer[], integer[]) IS
    'internal: trade_country_total''s rows of every key of a table of flows (and, given memberships, trade_country_group_total''s), in one pass in C within the hash memory limit';

-- state_places() names the state table (country_group's triggers refresh
-- trade_country_group_total's shards)
DROP FUNCTION @extschema@.state_places(regclass);
-- state_places(rel, state): where a change to a reference table (alignment,
-- weight, stage; country_group, for trade_country_group_total) fired at rel
-- moves the state: on a single server, the state table itself (stage_state
-- unless another is named); on a Citus node, where the trigger fires on each
-- placement of the reference table, the shards of the state table on that
-- node, so that every node refreshes its own rows and each state row once
-- (none while the state is not distributed: distribute() copies it).
CREATE FUNCTION @extschema@.state_places(rel regclass, state regclass DEFAULT '@extschema@.stage_state')
RETURNS SETOF regclass
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF @extschema@.table_label(rel) OPERATOR(pg_catalog.=) rel::text THEN
        RETURN NEXT state;
        RETURN;
    END IF;
    RETURN QUERY EXECUTE $q$
        SELECT pg_catalog.to_regclass(pg_catalog.shard_name(s.logicalrelid, s.shardid))
        FROM pg_catalog.pg_dist_shard s
        JOIN pg_catalog.pg_dist_placement p ON p.shardid OPERATOR(pg_catalog.=) s.shardid
        WHERE s.logicalrelid OPERATOR(pg_catalog.=) $1
          AND p.groupid OPERATOR(pg_catalog.=) (SELECT groupid FROM pg_catalog.pg_dist_local_group)
          AND pg_catalog.to_regclass(pg_catalog.shard_name(s.logicalrelid, s.shardid)) IS NOT NULL
    $q$ USING state;
END
$$;
COMMENT ON FUNCTION @extschema@.state_places(regclass, regclass) IS
    'internal: the state tables (stage_state, or the one named) a change to a reference table fired at rel refreshes (on Citus, the shards on this node)';

-- the groups' totals, filled from the flows there are
-- trade_country_group_total: the maintained totals of each country group's
-- trade per product and year, what import_dependency's row of the group
-- reads: the members' flows in (import_flows, inside ones too); over the
-- partners outside the group, each partner's flows into the members summed
-- (imports, the sum of the squares of those sums, the partners above 0, the
-- largest sum and its partner); the members' imports from each other
-- (inside_imports); and their exports to non-members.  Membership is by the
-- flow's year, as in group_import_partner.  Kept with trade_country_total:
-- by the statement triggers on trade_flow (refresh_trade() refreshes the
-- groups of each changed key's country, the rows locked in key order), by
-- load_trade_flows() (in the same pass in C), and by the triggers on
-- country_group (a group whose members change is recomputed whole);
-- verify_state() recomputes it, rebuild_state() rebuilds it.  A row exists
-- while a member has a flow of the product that year, in, or out to a
-- non-member.  (Its name sorts before trade_flow's partitions': see the end
-- of this file.)
CREATE TABLE @extschema@.trade_country_group_total (
    group_code     text COLLATE "C" NOT NULL,
    product        text COLLATE "C" NOT NULL,
    year           integer NOT NULL,
    import_flows   integer NOT NULL DEFAULT 0,
    imports        numeric NOT NULL DEFAULT 0,
    squares        numeric NOT NULL DEFAULT 0,
    partners       integer NOT NULL DEFAULT 0,
    top_value      numeric,
    top_partner    text COLLATE "C",
    inside_imports numeric NOT NULL DEFAULT 0,
    export_flows   integer NOT NULL DEFAULT 0,
    exports        numeric NOT NULL DEFAULT 0,
    PRIMARY KEY (year, group_code, product)
);
COMMENT ON TABLE @extschema@.trade_country_group_total IS
    'maintained state: each country group''s imports (per partner outside it, summed over its members), its members'' trade with each other and its exports to non-members, per product and year (import_dependency reads it); verify_state() checks it';
COMMENT ON COLUMN @extschema@.trade_country_group_total.group_code IS 'the group (country_group.group_code)';
COMMENT ON COLUMN @extschema@.trade_country_group_total.product IS 'the product';
COMMENT ON COLUMN @extschema@.trade_country_group_total.year IS 'the year of the flows (and of the membership)';
COMMENT ON COLUMN @extschema@.trade_country_group_total.import_flows IS 'the flows into the members, from members too';
COMMENT ON COLUMN @extschema@.trade_country_group_total.imports IS 'the sum of their values from non-members';
COMMENT ON COLUMN @extschema@.trade_country_group_total.squares IS 'the sum over the non-member partners of the square of each one''s imports into the members';
COMMENT ON COLUMN @extschema@.trade_country_group_total.partners IS 'the non-member partners with imports above 0';
COMMENT ON COLUMN @extschema@.trade_country_group_total.top_value IS 'the largest of their imports; NULL when none is above 0';
COMMENT ON COLUMN @extschema@.trade_country_group_total.top_partner IS 'its partner (of equal values, the first code)';
COMMENT ON COLUMN @extschema@.trade_country_group_total.inside_imports IS 'the sum of the values of the members'' flows from each other';
COMMENT ON COLUMN @extschema@.trade_country_group_total.export_flows IS 'the flows out of the members to non-members';
COMMENT ON COLUMN @extschema@.trade_country_group_total.exports IS 'the sum of their values';

-- trade_group_totals(flows, memberships, keys): trade_country_group_total's
-- rows computed in SQL from a table of flows and one of memberships
-- (country_group or its placement), for every group (groups NULL), every
-- key of some groups (products NULL), or the (group, product, year) keys,
-- each through the flows' index on (product, year).  The members' imports
-- are summed per partner, then over the partners, as group_import_partner
-- and import_dependency did before 0.11.0.  The triggers and verify_state()
-- compute them here; the loader, in C (trade_totals_scan()).
CREATE FUNCTION @extschema@.trade_group_totals(flows regclass, memberships regclass, groups text[] DEFAULT NULL,
                                               products text[] DEFAULT NULL, years integer[] DEFAULT NULL)
RETURNS SETOF @extschema@.trade_country_group_total
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    -- a member counts in the year of the flow (country_group)
    member_then constant text := '%1$s.since OPERATOR(pg_catalog.<=) pg_catalog.make_date(%2$s, 12, 31)
        AND (%1$s.until IS NULL OR %1$s.until OPERATOR(pg_catalog.>=) pg_catalog.make_date(%2$s, 1, 1))';
    p text;
    e text;
BEGIN
    IF products IS NULL THEN
        -- per partner, and the exports, each in one aggregation
        p := pg_catalog.format($q$
            SELECT g.group_code, f.product, f.year, f.exporter AS partner, pg_catalog.count(*) AS flows,
                   pg_catalog.sum(f.value) AS value, x.member IS NOT NULL AS inside
            FROM %1$s f
            JOIN %2$s g ON g.member OPERATOR(pg_catalog.=) f.importer AND %3$s
            LEFT JOIN %2$s x ON x.group_code OPERATOR(pg_catalog.=) g.group_code AND x.member OPERATOR(pg_catalog.=) f.exporter
                            AND %4$s
            WHERE $1 IS NULL OR g.group_code OPERATOR(pg_catalog.=) ANY ($1)
            GROUP BY g.group_code, f.product, f.year, f.exporter, x.member IS NOT NULL
        $q$, flows, memberships, pg_catalog.format(member_then, 'g', 'f.year'), pg_catalog.format(member_then, 'x', 'f.year'));
        e := pg_catalog.format($q$
            SELECT g.group_code, f.product, f.year, pg_catalog.count(*) AS export_flows, pg_catalog.sum(f.value) AS exports
            FROM %1$s f
            JOIN %2$s g ON g.member OPERATOR(pg_catalog.=) f.exporter AND %3$s
            LEFT JOIN %2$s x ON x.group_code OPERATOR(pg_catalog.=) g.group_code AND x.member OPERATOR(pg_catalog.=) f.importer
                            AND %4$s
            WHERE x.member IS NULL AND ($1 IS NULL OR g.group_code OPERATOR(pg_catalog.=) ANY ($1))
            GROUP BY g.group_code, f.product, f.year
        $q$, flows, memberships, pg_catalog.format(member_then, 'g', 'f.year'), pg_catalog.format(member_then, 'x', 'f.year'));
    ELSE
        -- per key, its flows through the index (OFFSET 0: a probe per key)
        p := pg_catalog.format($q$
            SELECT k.group_code, k.product, k.year, q.partner, q.flows, q.value, q.inside
            FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (group_code, product, year)
            CROSS JOIN LATERAL (
                SELECT f.exporter AS partner, pg_catalog.count(*) AS flows, pg_catalog.sum(f.value) AS value,
                       x.member IS NOT NULL AS inside
                FROM %1$s f
                JOIN %2$s g ON g.group_code OPERATOR(pg_catalog.=) k.group_code AND g.member OPERATOR(pg_catalog.=) f.importer
                           AND %3$s
                LEFT JOIN %2$s x ON x.group_code OPERATOR(pg_catalog.=) k.group_code AND x.member OPERATOR(pg_catalog.=) f.exporter
                                AND %4$s
                WHERE f.product OPERATOR(pg_catalog.=) k.product AND f.year OPERATOR(pg_catalog.=) k.year
                GROUP BY f.exporter, x.member IS NOT NULL
                OFFSET 0) q
        $q$, flows, memberships, pg_catalog.format(member_then, 'g', 'k.year'), pg_catalog.format(member_then, 'x', 'k.year'));
        e := pg_catalog.format($q$
            SELECT k.group_code, k.product, k.year, q.export_flows, q.exports
            FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (group_code, product, year)
            CROSS JOIN LATERAL (
                SELECT pg_catalog.count(*) AS export_flows, pg_catalog.sum(f.value) AS exports
                FROM %1$s f
                JOIN %2$s g ON g.group_code OPERATOR(pg_catalog.=) k.group_code AND g.member OPERATOR(pg_catalog.=) f.exporter
                           AND %3$s
                WHERE f.product OPERATOR(pg_catalog.=) k.product AND f.year OPERATOR(pg_catalog.=) k.year
                  AND NOT EXISTS (SELECT FROM %2$s x
                                  WHERE x.group_code OPERATOR(pg_catalog.=) k.group_code
                                    AND x.member OPERATOR(pg_catalog.=) f.importer AND %4$s)
                OFFSET 0) q
            WHERE q.export_flows OPERATOR(pg_catalog.>) 0
        $q$, flows, memberships, pg_catalog.format(member_then, 'g', 'k.year'), pg_catalog.format(member_then, 'x', 'k.year'));
    END IF;
    RETURN QUERY EXECUTE pg_catalog.format($q$
        WITH p AS (%s), e AS (%s)
        SELECT COALESCE(i.group_code, e.group_code)::text, COALESCE(i.product, e.product)::text, COALESCE(i.year, e.year),
               COALESCE(i.import_flows, 0)::integer, COALESCE(i.imports, 0), COALESCE(i.squares, 0),
               COALESCE(i.partners, 0)::integer, i.top_value, i.top_partner::text, COALESCE(i.inside_imports, 0),
               COALESCE(e.export_flows, 0)::integer, COALESCE(e.exports, 0)
        FROM (SELECT p.group_code, p.product, p.year, pg_catalog.sum(p.flows) AS import_flows,
                     pg_catalog.sum(p.value) FILTER (WHERE NOT p.inside) AS imports,
                     pg_catalog.sum(p.value OPERATOR(pg_catalog.*) p.value) FILTER (WHERE NOT p.inside) AS squares,
                     pg_catalog.count(*) FILTER (WHERE NOT p.inside AND p.value OPERATOR(pg_catalog.>) 0) AS partners,
                     pg_catalog.max(p.value) FILTER (WHERE NOT p.inside AND p.value OPERATOR(pg_catalog.>) 0) AS top_value,
                     @extschema@.top_partner(p.value, p.partner)
                         FILTER (WHERE NOT p.inside AND p.value OPERATOR(pg_catalog.>) 0) AS top_partner,
                     pg_catalog.sum(p.value) FILTER (WHERE p.inside) AS inside_imports
              FROM p GROUP BY p.group_code, p.product, p.year) i
        FULL JOIN e
          ON e.group_code OPERATOR(pg_catalog.=) i.group_code AND e.product OPERATOR(pg_catalog.=) i.product
         AND e.year OPERATOR(pg_catalog.=) i.year
    $q$, p, e) USING groups, products, years;
END
$$;
COMMENT ON FUNCTION @extschema@.trade_group_totals(regclass, regclass, text[], text[], integer[]) IS
    'internal: trade_country_group_total''s rows computed in SQL from a table of flows and one of memberships, for every group, some groups, or the given (group, product, year) keys';

-- refresh_trade_groups(beside, keys): trade_country_group_total's rows of
-- the (group, product, year) keys, whose rows the caller has locked, from
-- the flows beside beside (a table or a Citus shard); products NULL: every
-- row of the groups, replaced whole (under the lock on memberships below).
CREATE FUNCTION @extschema@.refresh_trade_groups(beside regclass, groups text[], products text[], years integer[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    citus constant boolean := pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL;
    tot constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_country_group_total', beside) ELSE '@extschema@.trade_country_group_total' END;
    flows constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_flow', beside) ELSE '@extschema@.trade_flow' END;
    cg constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.country_group', beside) ELSE '@extschema@.country_group' END;
BEGIN
    IF groups IS NULL OR pg_catalog.cardinality(groups) = 0 THEN
        RETURN;
    END IF;
    IF products IS NULL THEN
        EXECUTE pg_catalog.format('DELETE FROM %s t WHERE t.group_code OPERATOR(pg_catalog.=) ANY ($1)', tot) USING groups;
        EXECUTE pg_catalog.format('INSERT INTO %s SELECT * FROM @extschema@.trade_group_totals(%L, %L, $1)', tot, flows, cg)
            USING groups;
        RETURN;
    END IF;
    EXECUTE pg_catalog.format($q$
        WITH fresh AS MATERIALIZED (SELECT * FROM @extschema@.trade_group_totals(%2$L, %3$L, $1, $2, $3)),
        gone AS (
            DELETE FROM %1$s t
            USING ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (group_code, product, year)
            WHERE t.group_code OPERATOR(pg_catalog.=) k.group_code AND t.product OPERATOR(pg_catalog.=) k.product
              AND t.year OPERATOR(pg_catalog.=) k.year
              AND NOT EXISTS (SELECT FROM fresh f WHERE f.group_code OPERATOR(pg_catalog.=) k.group_code
                                AND f.product OPERATOR(pg_catalog.=) k.product AND f.year OPERATOR(pg_catalog.=) k.year)
        )
        UPDATE %1$s t
        SET import_flows = f.import_flows, imports = f.imports, squares = f.squares, partners = f.partners,
            top_value = f.top_value, top_partner = f.top_partner, inside_imports = f.inside_imports,
            export_flows = f.export_flows, exports = f.exports
        FROM fresh f
        WHERE t.group_code OPERATOR(pg_catalog.=) f.group_code AND t.product OPERATOR(pg_catalog.=) f.product
          AND t.year OPERATOR(pg_catalog.=) f.year
    $q$, tot, flows, cg) USING groups, products, years;
END
$$;
COMMENT ON FUNCTION @extschema@.refresh_trade_groups(regclass, text[], text[], integer[]) IS
    'internal: recomputes the rows of trade_country_group_total of the given (group, product, year) keys (products NULL: of the groups, whole) from trade_flow, beside a table or shard';

-- trade_groups_track(): the statement triggers on country_group: a group
-- whose memberships a statement changed gets its rows of
-- trade_country_group_total recomputed whole, under the exclusive lock on
-- memberships (writers of flows take it shared before they read the
-- memberships: refresh_trade(), load_trade_flows()).  On Citus the trigger
-- fires on each placement of the reference table, and each node refreshes
-- the shards it holds.
CREATE FUNCTION @extschema@.trade_groups_track() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    groups text[];
    place regclass;
BEGIN
    IF pg_catalog.current_setting('supplychain.copying', true) = 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('supplychain.country_group'));
    IF TG_OP = 'TRUNCATE' THEN
        -- no memberships left: no group has totals
        FOR place IN SELECT * FROM @extschema@.state_places(TG_RELID::regclass, '@extschema@.trade_country_group_total') LOOP
            EXECUTE pg_catalog.format('DELETE FROM %s', place);
        END LOOP;
        RETURN NULL;
    ELSE
        EXECUTE CASE TG_OP
            WHEN 'INSERT' THEN 'SELECT pg_catalog.array_agg(DISTINCT group_code) FROM new_rows'
            WHEN 'DELETE' THEN 'SELECT pg_catalog.array_agg(DISTINCT group_code) FROM old_rows'
            ELSE 'SELECT pg_catalog.array_agg(DISTINCT group_code) FROM (SELECT group_code FROM new_rows UNION SELECT group_code FROM old_rows) g' END
        INTO groups;
    END IF;
    FOR place IN SELECT * FROM @extschema@.state_places(TG_RELID::regclass, '@extschema@.trade_country_group_total') LOOP
        PERFORM @extschema@.refresh_trade_groups(place, groups, NULL, NULL);
    END LOOP;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.trade_groups_track() IS
    'trigger: recomputes the rows of trade_country_group_total of the groups whose memberships a statement on country_group changed';
CREATE TRIGGER trade_groups_insert AFTER INSERT ON @extschema@.country_group
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.trade_groups_track();
CREATE TRIGGER trade_groups_update AFTER UPDATE ON @extschema@.country_group
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.trade_groups_track();
CREATE TRIGGER trade_groups_delete AFTER DELETE ON @extschema@.country_group
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.trade_groups_track();
CREATE TRIGGER trade_groups_truncate AFTER TRUNCATE ON @extschema@.country_group
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.trade_groups_track();

INSERT INTO @extschema@.trade_country_group_total
SELECT * FROM @extschema@.trade_group_totals('@extschema@.trade_flow', '@extschema@.country_group');
ANALYZE @extschema@.trade_country_group_total;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.trade_country_group_total', '');
GRANT SELECT ON @extschema@.trade_country_group_total TO PUBLIC;

-- import_dependency: a group's row is its row of trade_country_group_total
CREATE OR REPLACE VIEW @extschema@.import_dependency AS
WITH imports AS (
    SELECT t.country AS importer, t.product, t.year, t.imports, t.partners, t.squares,
           t.top_value, t.top_partner, 0::numeric AS inside_imports, t.exports
    FROM @extschema@.trade_country_total t
    WHERE t.import_flows > 0
    UNION ALL
    SELECT g.group_code, g.product, g.year, g.imports, g.partners, g.squares, g.top_value, g.top_partner,
           g.inside_imports, g.exports
    FROM @extschema@.trade_country_group_total g
    WHERE g.import_flows > 0
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

-- the writers and readers of the totals
CREATE OR REPLACE FUNCTION @extschema@.trade_country_totals(flows regclass, countries text[] DEFAULT NULL,
                                         products text[] DEFAULT NULL, years integer[] DEFAULT NULL)
RETURNS SETOF @extschema@.trade_country_total
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF countries IS NULL THEN
        -- every key: one pass in C over a table (a partition), unless it is
        -- under row-level security or its keys outgrow the hash memory (then
        -- SQL, which spills to disk)
        IF (SELECT c.relkind OPERATOR(pg_catalog.=) 'r' AND NOT c.relrowsecurity
            FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) flows) THEN
            BEGIN
                RETURN QUERY SELECT s.country, s.product, s.year, s.import_flows, s.imports, s.squares, s.partners,
                                    s.top_value, s.top_partner, s.export_flows, s.exports
                             FROM @extschema@.trade_totals_scan(flows) s;
                RETURN;
            EXCEPTION WHEN program_limit_exceeded THEN
                NULL;
            END;
        END IF;
        RETURN QUERY EXECUTE pg_catalog.format($q$
            SELECT COALESCE(i.country, e.country), COALESCE(i.product, e.product), COALESCE(i.year, e.year),
                   COALESCE((i.t).flows, 0)::integer, COALESCE((i.t).total, 0), COALESCE((i.t).squares, 0),
                   COALESCE((i.t).partners, 0)::integer, (i.t).top_value, (i.t).top_partner,
                   COALESCE((e.t).flows, 0)::integer, COALESCE((e.t).total, 0)
            FROM (SELECT f.importer AS country, f.product, f.year, @extschema@.trade_totals(f.value, f.exporter) AS t
                  FROM %1$s f GROUP BY f.importer, f.product, f.year) i
            FULL JOIN (SELECT f.exporter AS country, f.product, f.year, @extschema@.trade_totals(f.value, NULL) AS t
                       FROM %1$s f GROUP BY f.exporter, f.product, f.year) e
              ON e.country OPERATOR(pg_catalog.=) i.country AND e.product OPERATOR(pg_catalog.=) i.product
             AND e.year OPERATOR(pg_catalog.=) i.year
        $q$, flows);
        RETURN;
    END IF;
    -- a few keys: each read through the indexes on importer and exporter
    RETURN QUERY EXECUTE pg_catalog.format($q$
        SELECT k.country, k.product, k.year,
               COALESCE((i.t).flows, 0)::integer, COALESCE((i.t).total, 0), COALESCE((i.t).squares, 0),
               COALESCE((i.t).partners, 0)::integer, (i.t).top_value, (i.t).top_partner,
               COALESCE((e.t).flows, 0)::integer, COALESCE((e.t).total, 0)
        FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (country, product, year)
        CROSS JOIN LATERAL (
            SELECT @extschema@.trade_totals(f.value, f.exporter) AS t
            FROM %1$s f
            WHERE f.importer OPERATOR(pg_catalog.=) k.country AND f.product OPERATOR(pg_catalog.=) k.product
              AND f.year OPERATOR(pg_catalog.=) k.year) i
        CROSS JOIN LATERAL (
            SELECT @extschema@.trade_totals(f.value, NULL) AS t
            FROM %1$s f
            WHERE f.exporter OPERATOR(pg_catalog.=) k.country AND f.product OPERATOR(pg_catalog.=) k.product
              AND f.year OPERATOR(pg_catalog.=) k.year) e
        WHERE (i.t).flows OPERATOR(pg_catalog.>) 0 OR (e.t).flows OPERATOR(pg_catalog.>) 0
    $q$, flows) USING countries, products, years;
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
    g record;
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
    -- the groups' keys: the memberships of the keys' countries that year,
    -- read once no change of them is under way
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(pg_catalog.hashtext('supplychain.country_group'));
    EXECUTE pg_catalog.format($q$
        SELECT pg_catalog.array_agg(g.group_code ORDER BY g.year, g.group_code, g.product) AS groups,
               pg_catalog.array_agg(g.product ORDER BY g.year, g.group_code, g.product) AS products,
               pg_catalog.array_agg(g.year ORDER BY g.year, g.group_code, g.product) AS years
        FROM (SELECT DISTINCT m.group_code COLLATE "C" AS group_code, k.product, k.year
              FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (country, product, year)
              JOIN %s m ON m.member OPERATOR(pg_catalog.=) k.country
               AND m.since OPERATOR(pg_catalog.<=) pg_catalog.make_date(k.year, 12, 31)
               AND (m.until IS NULL OR m.until OPERATOR(pg_catalog.>=) pg_catalog.make_date(k.year, 1, 1))) g
    $q$, CASE WHEN citus THEN @extschema@.shard_of('@extschema@.country_group', beside) ELSE '@extschema@.country_group' END)
    INTO g USING countries, products, years;
    IF g.groups IS NOT NULL THEN
        EXECUTE pg_catalog.format($q$
            INSERT INTO %s AS t (group_code, product, year)
            SELECT k.group_code, k.product, k.year
            FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (group_code, product, year)
            ON CONFLICT (year, group_code, product) DO UPDATE SET import_flows = t.import_flows
        $q$, CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_country_group_total', beside)
                  ELSE '@extschema@.trade_country_group_total' END) USING g.groups, g.products, g.years;
    END IF;
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
    PERFORM @extschema@.refresh_trade_groups(beside, g.groups, g.products, g.years);
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
        EXECUTE pg_catalog.format($q$
            DELETE FROM %s t WHERE NOT EXISTS (SELECT FROM %s f WHERE f.year OPERATOR(pg_catalog.=) t.year)
        $q$, @extschema@.shard_of('@extschema@.trade_country_group_total', TG_RELID::regclass),
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
    ms record;
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
    -- (and the groups' rows, by the memberships of the year, read once no
    -- change of them is under way)
    DELETE FROM @extschema@.trade_country_total t WHERE t.year OPERATOR(pg_catalog.=) for_year;
    DELETE FROM @extschema@.trade_country_group_total t WHERE t.year OPERATOR(pg_catalog.=) for_year;
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(pg_catalog.hashtext('supplychain.country_group'));
    SELECT pg_catalog.array_agg(m.group_code) AS groups, pg_catalog.array_agg(m.member) AS members,
           pg_catalog.array_agg(pg_catalog.date_part('year', m.since)::integer) AS first_years,
           pg_catalog.array_agg(pg_catalog.date_part('year', m.until)::integer) AS last_years
      INTO ms
      FROM @extschema@.country_group m
     WHERE m.since OPERATOR(pg_catalog.<=) pg_catalog.make_date(for_year, 12, 31)
       AND (m.until IS NULL OR m.until OPERATOR(pg_catalog.>=) pg_catalog.make_date(for_year, 1, 1));
    BEGIN
        EXECUTE pg_catalog.format($q$
            WITH s AS (SELECT * FROM @extschema@.trade_totals_scan(%L, $1, $2, $3, $4)),
            g AS (
                INSERT INTO @extschema@.trade_country_group_total
                SELECT s.country, s.product, s.year, s.import_flows, s.imports, s.squares, s.partners, s.top_value,
                       s.top_partner, s.inside_imports, s.export_flows, s.exports
                FROM s WHERE s.is_group
            )
            INSERT INTO @extschema@.trade_country_total
            SELECT s.country, s.product, s.year, s.import_flows, s.imports, s.squares, s.partners, s.top_value,
                   s.top_partner, s.export_flows, s.exports
            FROM s WHERE NOT s.is_group
        $q$, pg_catalog.format('@extschema@.%I', part))
        USING ms.groups, ms.members, ms.first_years, ms.last_years;
    EXCEPTION WHEN program_limit_exceeded THEN
        EXECUTE pg_catalog.format('INSERT INTO @extschema@.trade_country_total SELECT * FROM @extschema@.trade_country_totals(%L)',
                                  pg_catalog.format('@extschema@.%I', part));
        EXECUTE pg_catalog.format('INSERT INTO @extschema@.trade_country_group_total SELECT * FROM @extschema@.trade_group_totals(%L, %L)',
                                  pg_catalog.format('@extschema@.%I', part), '@extschema@.country_group');
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
               @extschema@.country_state, @extschema@.country_total_state, @extschema@.trade_country_total,
               @extschema@.trade_country_group_total
          IN EXCLUSIVE MODE;
    n := @extschema@.rebuild_state_beside('@extschema@.stage_state');
    -- the trade totals were rebuilt without their triggers (44_watch.sql)
    PERFORM @extschema@.watch_refresh();
    RETURN n;
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.rebuild_state_beside(place regclass) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    dep constant regclass := @extschema@.shard_of('@extschema@.dependency', place);
    ass constant regclass := @extschema@.shard_of('@extschema@.assessment', place);
    tot constant regclass := @extschema@.shard_of('@extschema@.share_total', place);
    trade constant regclass := @extschema@.shard_of('@extschema@.trade_country_total', place);
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
        INSERT INTO %s (stage, country, kind, item, total, hhi)
        SELECT stage, country, kind, item, COALESCE(pg_catalog.sum(share), 0),
               @extschema@.hhi(share ORDER BY supplier DESC)
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
    -- trade_flow's totals (85_trade.sql)
    EXECUTE pg_catalog.format('DELETE FROM %s', trade);
    EXECUTE pg_catalog.format('INSERT INTO %s SELECT * FROM @extschema@.trade_country_totals(%L)',
                              trade, @extschema@.shard_of('@extschema@.trade_flow', place));
    EXECUTE pg_catalog.format('DELETE FROM %s', @extschema@.shard_of('@extschema@.trade_country_group_total', place));
    EXECUTE pg_catalog.format('INSERT INTO %s SELECT * FROM @extschema@.trade_group_totals(%L, %L)',
                              @extschema@.shard_of('@extschema@.trade_country_group_total', place),
                              @extschema@.shard_of('@extschema@.trade_flow', place),
                              @extschema@.shard_of('@extschema@.country_group', place));
    -- statistics of the new contents, for the views' plans
    EXECUTE pg_catalog.format('ANALYZE %s, %s, %s, %s, %s', place,
                              @extschema@.shard_of('@extschema@.supplier_state', place),
                              @extschema@.shard_of('@extschema@.country_state', place),
                              @extschema@.shard_of('@extschema@.country_total_state', place), trade);
    EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %s', place) INTO n;
    RETURN n;
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.verify_state()
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

    -- the share rule's cached totals and HHIs: a key without rows holds 0
    -- and no HHI
    RETURN QUERY
    SELECT 'share_total', pg_catalog.concat_ws(' ', COALESCE(t.country, c.country), COALESCE(t.stage, c.stage),
                                               COALESCE(t.kind, c.kind), COALESCE(t.item, c.item)),
           pg_catalog.concat_ws(' ', t.total, t.hhi), pg_catalog.concat_ws(' ', c.total, c.hhi)
    FROM @extschema@.share_total t
    FULL JOIN (SELECT stage, country, kind, item, COALESCE(pg_catalog.sum(share), 0) AS total,
                      @extschema@.hhi(share ORDER BY supplier DESC) AS hhi
               FROM @extschema@.current_dependency GROUP BY stage, country, kind, item) c
      ON c.stage OPERATOR(pg_catalog.=) t.stage AND c.country OPERATOR(pg_catalog.=) t.country
     AND c.kind OPERATOR(pg_catalog.=) t.kind AND c.item OPERATOR(pg_catalog.=) t.item
    WHERE COALESCE(t.total, 0) OPERATOR(pg_catalog.<>) COALESCE(c.total, 0)
       OR t.hhi IS DISTINCT FROM c.hhi;

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

    -- trade_flow's totals (85_trade.sql)
    RETURN QUERY
    SELECT 'trade_country_total', pg_catalog.concat_ws(' ', COALESCE(s.country, r.country), COALESCE(s.product, r.product),
                                               COALESCE(s.year, r.year)),
           s::text, r::text
    FROM (SELECT country, product, year, import_flows, imports, squares, partners, top_value, top_partner,
                 export_flows, exports FROM @extschema@.trade_country_total) s
    FULL JOIN @extschema@.trade_country_totals('@extschema@.trade_flow') r
      ON r.country OPERATOR(pg_catalog.=) s.country AND r.product OPERATOR(pg_catalog.=) s.product
     AND r.year OPERATOR(pg_catalog.=) s.year
    WHERE s::text IS DISTINCT FROM r::text;

    -- the groups' (compared by value: of two partners' equal sums, the
    -- largest value is either's, whose display scales may differ)
    RETURN QUERY
    SELECT 'trade_country_group_total', pg_catalog.concat_ws(' ', COALESCE(s.group_code, r.group_code),
                                                             COALESCE(s.product, r.product), COALESCE(s.year, r.year)),
           s::text, r::text
    FROM @extschema@.trade_country_group_total s
    FULL JOIN @extschema@.trade_group_totals('@extschema@.trade_flow', '@extschema@.country_group') r
      ON r.group_code OPERATOR(pg_catalog.=) s.group_code AND r.product OPERATOR(pg_catalog.=) s.product
     AND r.year OPERATOR(pg_catalog.=) s.year
    WHERE (s.import_flows, s.imports, s.squares, s.partners, s.top_value, s.top_partner COLLATE "C", s.inside_imports,
           s.export_flows, s.exports)
          IS DISTINCT FROM (r.import_flows, r.imports, r.squares, r.partners, r.top_value, r.top_partner COLLATE "C",
                            r.inside_imports, r.export_flows, r.exports);
END
$$;

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
                                            'trade_country_total', 'trade_country_group_total', 'trade_flow']),
                    pg_catalog.unnest(ARRAY['country', 'country', 'country', 'country', 'country', 'country',
                                            'country', 'country', 'product', 'product', 'product']))
         WITH ORDINALITY AS d(name, col, step)
    ORDER BY 1
$$;

CREATE OR REPLACE FUNCTION @extschema@.watch_values(measures text[], k1 text[] DEFAULT NULL, k2 text[] DEFAULT NULL,
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

CREATE OR REPLACE FUNCTION @extschema@.watch_apply(measures text[], k1 text[], k2 text[], k3 text[], years integer[],
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

CREATE OR REPLACE FUNCTION @extschema@.watch_distributed_write(rel regclass) RETURNS integer
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
COMMENT ON FUNCTION @extschema@.refresh_trade(regclass, text[], text[], integer[]) IS
    'internal: recomputes the rows of trade_country_total of the given (country, product, year) keys, and of trade_country_group_total of their groups, from trade_flow, beside a table or shard';
