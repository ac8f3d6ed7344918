-- supplychain 0.11.0 -> 0.12.0: the trade totals' writers recompute their
-- keys' rows through one helper, trade_recompute(), for both tables; the
-- loader's pass in C (trade_totals_scan) is faster, with the same results
-- and signature.  No table changes, no rows written.
\echo Use "ALTER EXTENSION supplychain UPDATE TO '0.12.0'" to load this file. \quit

-- trade_recompute(target, code, fresh, columns, keys): the rows of the
-- (code, product, year) keys in target (trade_country_total or
-- trade_country_group_total, or a shard of either; code names its code
-- column), whose rows the caller has locked, from fresh, a query of their
-- recomputed rows ($1, $2, $3: the keys' codes, products and years): a key
-- without a fresh row loses its row, the others take the fresh values of
-- columns.
CREATE FUNCTION @extschema@.trade_recompute(target regclass, code name, fresh text, columns name[],
                                            codes text[], products text[], years integer[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE pg_catalog.format($q$
        WITH fresh AS MATERIALIZED (%3$s),
        gone AS (
            DELETE FROM %1$s t
            USING ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (code, product, year)
            WHERE t.%2$I OPERATOR(pg_catalog.=) k.code AND t.product OPERATOR(pg_catalog.=) k.product
              AND t.year OPERATOR(pg_catalog.=) k.year
              AND NOT EXISTS (SELECT FROM fresh f WHERE f.%2$I OPERATOR(pg_catalog.=) k.code
                                AND f.product OPERATOR(pg_catalog.=) k.product AND f.year OPERATOR(pg_catalog.=) k.year)
        )
        UPDATE %1$s t
        SET %4$s
        FROM fresh f
        WHERE t.%2$I OPERATOR(pg_catalog.=) f.%2$I AND t.product OPERATOR(pg_catalog.=) f.product
          AND t.year OPERATOR(pg_catalog.=) f.year
    $q$, target, code, fresh,
         (SELECT pg_catalog.string_agg(pg_catalog.format('%I = f.%I', c, c), ', ') FROM pg_catalog.unnest(columns) c))
    USING codes, products, years;
END
$$;
COMMENT ON FUNCTION @extschema@.trade_recompute(regclass, name, text, name[], text[], text[], integer[]) IS
    'internal: recomputes the locked rows of the given (code, product, year) keys of a trade totals table (or shard) from a query of their fresh rows: deletes those without one, updates the others';

-- refresh_trade() and refresh_trade_groups() recompute through it
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
    PERFORM @extschema@.trade_recompute(tot, 'country',
        pg_catalog.format('SELECT * FROM @extschema@.trade_country_totals(%L, $1, $2, $3)', flows),
        '{import_flows,imports,squares,partners,top_value,top_partner,export_flows,exports}',
        countries, products, years);
    PERFORM @extschema@.refresh_trade_groups(beside, g.groups, g.products, g.years);
    IF before.measures IS NOT NULL THEN
        PERFORM @extschema@.watch_after(before, countries, products, NULL, years);
    END IF;
END
$$;
CREATE OR REPLACE FUNCTION @extschema@.refresh_trade_groups(beside regclass, groups text[], products text[], years integer[])
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
    PERFORM @extschema@.trade_recompute(tot, 'group_code',
        pg_catalog.format('SELECT * FROM @extschema@.trade_group_totals(%L, %L, $1, $2, $3)', flows, cg),
        '{import_flows,imports,squares,partners,top_value,top_partner,inside_imports,export_flows,exports}',
        groups, products, years);
END
$$;
