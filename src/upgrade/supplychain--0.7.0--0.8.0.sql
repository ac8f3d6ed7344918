-- supplychain 0.7.0 -> 0.8.0: trade_flow partitioned by year (COLLATE "C"
-- codes), load_trade_flows(), the maintained totals trade_country_total that
-- import_dependency reads, the aggregate top_partner(); verify_state() and
-- rebuild_state() cover trade_country_total.  The flows of 0.7.0 move into one
-- partition per year.
\echo Use "ALTER EXTENSION supplychain UPDATE TO '0.8.0'" to load this file. \quit

-- top_partner: the partner of the largest value (of equal values, the first
-- code), in one pass; import_dependency and the trade totals use it
CREATE FUNCTION @extschema@.top_partner_accum(internal, numeric, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'top_partner_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.top_partner_final(internal) RETURNS text
    AS 'MODULE_PATHNAME', 'top_partner_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.top_partner_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'top_partner_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.top_partner_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'top_partner_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.top_partner_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'top_partner_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.top_partner_accum(internal, numeric, text) IS 'top_partner(numeric, text) transition';
COMMENT ON FUNCTION @extschema@.top_partner_final(internal) IS 'top_partner(numeric, text) result';
COMMENT ON FUNCTION @extschema@.top_partner_combine(internal, internal) IS 'top_partner(numeric, text) combine';
COMMENT ON FUNCTION @extschema@.top_partner_serialize(internal) IS 'top_partner(numeric, text) state as bytea';
COMMENT ON FUNCTION @extschema@.top_partner_deserialize(bytea, internal) IS 'top_partner(numeric, text) state from bytea';
CREATE AGGREGATE @extschema@.top_partner(numeric, text) (
    SFUNC = @extschema@.top_partner_accum, STYPE = internal,
    FINALFUNC = @extschema@.top_partner_final, COMBINEFUNC = @extschema@.top_partner_combine,
    SERIALFUNC = @extschema@.top_partner_serialize, DESERIALFUNC = @extschema@.top_partner_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.top_partner(numeric, text) IS
    'the partner (second argument) of the largest value; of equal values the partner that sorts first byte by byte; rows with a NULL skipped';

-- trade_flow of 0.7.0 steps aside, with its indexes and the views over it
DROP VIEW @extschema@.import_dependency;
DROP VIEW @extschema@.import_partner;
DROP VIEW @extschema@.group_import_partner;
ALTER TABLE @extschema@.trade_flow RENAME TO trade_flow_070;
ALTER INDEX @extschema@.trade_flow_pkey RENAME TO trade_flow_070_pkey;
ALTER INDEX @extschema@.trade_flow_importer RENAME TO trade_flow_070_importer;
ALTER INDEX @extschema@.trade_flow_exporter RENAME TO trade_flow_070_exporter;
ALTER INDEX @extschema@.trade_flow_product RENAME TO trade_flow_070_product;
-- (its constraints step aside too: the new table's get the same names,
-- PostgreSQL 18's NOT NULL constraints included)
DO $$
DECLARE
    c text;
BEGIN
    FOR c IN SELECT conname FROM pg_catalog.pg_constraint
             WHERE conrelid = '@extschema@.trade_flow_070'::regclass AND contype IN ('c', 'f', 'n') LOOP
        EXECUTE pg_catalog.format('ALTER TABLE @extschema@.trade_flow_070 RENAME CONSTRAINT %I TO %I', c, c || '_070');
    END LOOP;
END
$$;

-- trade_flow: one row per year, exporter, importer and product, as CEPII
-- BACI and UN Comtrade publish them.  Partitioned by year (docs/trade.md,
-- "Years"): load_trade_flows() builds a year's partition as a table of its
-- own, its indexes by sort, and attaches it, which checks the foreign keys
-- in one pass; trade_flow_year() gives a year an empty partition, for rows
-- written one by one.  There is no default partition: a row of a year
-- without one is refused.  (The partitions are tables outside the
-- extension, which pg_dump dumps whole and attaches again: a partition that
-- the extension's script created would exist twice on restore, and one
-- registered with pg_extension_config_dump makes pg_dump 15 -n crash.)  A
-- query on one year reads one partition.  The codes are ASCII: COLLATE "C"
-- compares them byte by byte, the cheapest comparison there is to build and
-- probe their indexes.  Each partition has the key (year, exporter,
-- importer, product) and an index on each of importer, exporter and product
-- that lets a filter reach the rows without reading the table.  No
-- builtin column: no flows are shipped.
CREATE TABLE @extschema@.trade_flow (
    year     integer NOT NULL CHECK (year BETWEEN 1800 AND 2999),
    exporter text COLLATE "C" NOT NULL REFERENCES @extschema@.country,
    importer text COLLATE "C" NOT NULL REFERENCES @extschema@.country,
    product  text COLLATE "C" NOT NULL REFERENCES @extschema@.product,
    value    numeric NOT NULL,
    quantity numeric,
    source   text REFERENCES @extschema@.source,
    CONSTRAINT trade_flow_value_not_negative CHECK (value >= 0),
    CONSTRAINT trade_flow_quantity_not_negative CHECK (quantity >= 0),
    CONSTRAINT trade_flow_exporter_is_not_importer CHECK (exporter <> importer)
) PARTITION BY LIST (year);
-- The key and the indexes are each partition's (trade_flow_indexes()),
-- not declared on trade_flow: an index of the extension's table would be
-- made anew on each partition as a restore attaches it, before the
-- partition's own (pg_dump dumps the partitions, tables outside the
-- extension, with their indexes), and the restore would fail on them.
COMMENT ON TABLE @extschema@.trade_flow IS
    'bilateral trade flows (CEPII BACI, UN Comtrade): what exporter shipped to importer of product in year; none are shipped';
COMMENT ON COLUMN @extschema@.trade_flow.year IS 'the calendar year of the flow';
COMMENT ON COLUMN @extschema@.trade_flow.exporter IS 'the exporting country (country.code)';
COMMENT ON COLUMN @extschema@.trade_flow.importer IS 'the importing country (country.code), never the exporter';
COMMENT ON COLUMN @extschema@.trade_flow.product IS 'the product (product.code)';
COMMENT ON COLUMN @extschema@.trade_flow.value IS 'the value of the flow, >= 0, in the source''s unit (BACI: thousand current US dollars); shares and ratios do not depend on the unit';
COMMENT ON COLUMN @extschema@.trade_flow.quantity IS 'the quantity, >= 0 (BACI: metric tons); NULL when not reported';
COMMENT ON COLUMN @extschema@.trade_flow.source IS 'the data set the flow comes from (source.id)';

-- trade_country_total: the maintained totals of trade_flow per country, product and
-- year: what the country imported (the flows, their sum, the sum of their
-- squares, the partners with a value above 0, the largest value and its
-- partner) and exported.  import_dependency reads a country's row here
-- instead of aggregating its flows.  Kept by the statement triggers on
-- trade_flow and its partitions (trade_track()), which lock each changed
-- key and recompute it from the flows, and by load_trade_flows(), which
-- writes a loaded year's rows in one pass; verify_state() recomputes them
-- all and rebuild_state() rebuilds them.  A row exists while the country
-- has a flow of the product that year, in or out.
CREATE TABLE @extschema@.trade_country_total (
    country      text COLLATE "C" NOT NULL,
    product      text COLLATE "C" NOT NULL,
    year         integer NOT NULL,
    import_flows integer NOT NULL DEFAULT 0,
    imports      numeric NOT NULL DEFAULT 0,
    squares      numeric NOT NULL DEFAULT 0,
    partners     integer NOT NULL DEFAULT 0,
    top_value    numeric,
    top_partner  text COLLATE "C",
    export_flows integer NOT NULL DEFAULT 0,
    exports      numeric NOT NULL DEFAULT 0,
    -- year first: a year's rows are one range (the loader replaces them,
    -- import_dependency reads them, one importer's within them)
    PRIMARY KEY (year, country, product)
);
COMMENT ON TABLE @extschema@.trade_country_total IS
    'maintained state: trade_flow''s imports and exports per country, product and year (import_dependency reads it); verify_state() checks it';
COMMENT ON COLUMN @extschema@.trade_country_total.country IS 'the importing and exporting country';
COMMENT ON COLUMN @extschema@.trade_country_total.product IS 'the product';
COMMENT ON COLUMN @extschema@.trade_country_total.year IS 'the year of the flows';
COMMENT ON COLUMN @extschema@.trade_country_total.import_flows IS 'the flows into the country';
COMMENT ON COLUMN @extschema@.trade_country_total.imports IS 'the sum of their values';
COMMENT ON COLUMN @extschema@.trade_country_total.squares IS 'the sum of the squares of their values';
COMMENT ON COLUMN @extschema@.trade_country_total.partners IS 'the flows in with a value above 0';
COMMENT ON COLUMN @extschema@.trade_country_total.top_value IS 'the largest value in; NULL when none is above 0';
COMMENT ON COLUMN @extschema@.trade_country_total.top_partner IS 'its exporter (of equal values, the first code)';
COMMENT ON COLUMN @extschema@.trade_country_total.export_flows IS 'the flows out of the country';
COMMENT ON COLUMN @extschema@.trade_country_total.exports IS 'the sum of their values';

-- trade_country_totals(flows, keys): the totals of the keys (country, product,
-- year; NULL keys: every key with flows) computed from the table flows, in
-- one aggregation per side.  The loader, the triggers and verify_state()
-- all compute them here.
CREATE FUNCTION @extschema@.trade_country_totals(flows regclass, countries text[] DEFAULT NULL,
                                         products text[] DEFAULT NULL, years integer[] DEFAULT NULL)
RETURNS SETOF @extschema@.trade_country_total
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF countries IS NULL THEN
        RETURN QUERY EXECUTE pg_catalog.format($q$
            SELECT COALESCE(i.country, e.country), COALESCE(i.product, e.product), COALESCE(i.year, e.year),
                   COALESCE(i.n, 0)::integer, COALESCE(i.imports, 0), COALESCE(i.squares, 0),
                   COALESCE(i.partners, 0)::integer, i.top_value, i.top_partner,
                   COALESCE(e.n, 0)::integer, COALESCE(e.exports, 0)
            FROM (SELECT f.importer AS country, f.product, f.year, pg_catalog.count(*) AS n,
                         pg_catalog.sum(f.value) AS imports, pg_catalog.sum(f.value OPERATOR(pg_catalog.*) f.value) AS squares,
                         pg_catalog.count(*) FILTER (WHERE f.value OPERATOR(pg_catalog.>) 0) AS partners,
                         pg_catalog.max(f.value) FILTER (WHERE f.value OPERATOR(pg_catalog.>) 0) AS top_value,
                         @extschema@.top_partner(f.value, f.exporter) FILTER (WHERE f.value OPERATOR(pg_catalog.>) 0) AS top_partner
                  FROM %1$s f GROUP BY f.importer, f.product, f.year) i
            FULL JOIN (SELECT f.exporter AS country, f.product, f.year, pg_catalog.count(*) AS n,
                              pg_catalog.sum(f.value) AS exports
                       FROM %1$s f GROUP BY f.exporter, f.product, f.year) e
              ON e.country OPERATOR(pg_catalog.=) i.country AND e.product OPERATOR(pg_catalog.=) i.product
             AND e.year OPERATOR(pg_catalog.=) i.year
        $q$, flows);
        RETURN;
    END IF;
    -- a few keys: each read through the indexes on importer and exporter
    RETURN QUERY EXECUTE pg_catalog.format($q$
        SELECT k.country, k.product, k.year,
               i.n::integer, COALESCE(i.imports, 0), COALESCE(i.squares, 0), i.partners::integer,
               i.top_value, i.top_partner, e.n::integer, COALESCE(e.exports, 0)
        FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (country, product, year)
        CROSS JOIN LATERAL (
            SELECT pg_catalog.count(*) AS n, pg_catalog.sum(f.value) AS imports,
                   pg_catalog.sum(f.value OPERATOR(pg_catalog.*) f.value) AS squares,
                   pg_catalog.count(*) FILTER (WHERE f.value OPERATOR(pg_catalog.>) 0) AS partners,
                   pg_catalog.max(f.value) FILTER (WHERE f.value OPERATOR(pg_catalog.>) 0) AS top_value,
                   @extschema@.top_partner(f.value, f.exporter) FILTER (WHERE f.value OPERATOR(pg_catalog.>) 0) AS top_partner
            FROM %1$s f
            WHERE f.importer OPERATOR(pg_catalog.=) k.country AND f.product OPERATOR(pg_catalog.=) k.product
              AND f.year OPERATOR(pg_catalog.=) k.year) i
        CROSS JOIN LATERAL (
            SELECT pg_catalog.count(*) AS n, pg_catalog.sum(f.value) AS exports
            FROM %1$s f
            WHERE f.exporter OPERATOR(pg_catalog.=) k.country AND f.product OPERATOR(pg_catalog.=) k.product
              AND f.year OPERATOR(pg_catalog.=) k.year) e
        WHERE i.n OPERATOR(pg_catalog.>) 0 OR e.n OPERATOR(pg_catalog.>) 0
    $q$, flows) USING countries, products, years;
END
$$;
COMMENT ON FUNCTION @extschema@.trade_country_totals(regclass, text[], text[], integer[]) IS
    'internal: trade_country_total''s rows computed from the flows of a table, for the given keys (NULL: every key)';

-- refresh_trade(beside, keys): the keys' rows of trade_country_total, from the
-- flows.  Two statements: the keys' rows locked in key order (writers of a
-- key serialize here), then recomputed in a statement that sees what the
-- writers before committed.
CREATE FUNCTION @extschema@.refresh_trade(beside regclass, countries text[], products text[], years integer[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    citus constant boolean := pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL;
    tot constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_country_total', beside) ELSE '@extschema@.trade_country_total' END;
    flows constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_flow', beside) ELSE '@extschema@.trade_flow' END;
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
END
$$;
COMMENT ON FUNCTION @extschema@.refresh_trade(regclass, text[], text[], integer[]) IS
    'internal: recomputes the rows of trade_country_total of the given (country, product, year) keys from trade_flow, beside a table or shard';

-- trade_track(): the statement triggers on trade_flow and on each of its
-- partitions (a statement on a partition fires the partition's, one on
-- trade_flow only trade_flow's): the keys of both sides of every flow the
-- statement touched are refreshed; a TRUNCATE removes the totals of the
-- years it emptied.
CREATE FUNCTION @extschema@.trade_track() RETURNS trigger
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
COMMENT ON FUNCTION @extschema@.trade_track() IS
    'trigger: refreshes the rows of trade_country_total of the (country, product, year) keys a statement on trade_flow or one of its partitions touched';

-- track_trade(tbl): the four statement triggers on trade_flow or a partition
CREATE FUNCTION @extschema@.track_trade(tbl regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    e text;
BEGIN
    -- trade_flow or one of its partitions, nothing else
    IF tbl IS DISTINCT FROM '@extschema@.trade_flow'::regclass THEN
        PERFORM @extschema@.trade_partition_check(tbl, false);
    END IF;
    FOREACH e IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'] LOOP
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER %s ON %s %s FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.trade_track()',
            'trade_' || pg_catalog.lower(e), e, tbl,
            CASE e WHEN 'INSERT' THEN 'REFERENCING NEW TABLE AS new_rows'
                   WHEN 'UPDATE' THEN 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
                   WHEN 'DELETE' THEN 'REFERENCING OLD TABLE AS old_rows'
                   ELSE '' END);
    END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.track_trade(regclass) IS
    'internal: creates the statement triggers that keep trade_country_total on trade_flow or one of its partitions';
SELECT @extschema@.track_trade('@extschema@.trade_flow');

-- trade_flow_partition(year): the partition of trade_flow that holds the
-- year, or NULL
CREATE FUNCTION @extschema@.trade_flow_partition(year integer) RETURNS regclass
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT i.inhrelid::regclass
    FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) i.inhrelid
    WHERE i.inhparent OPERATOR(pg_catalog.=) '@extschema@.trade_flow'::regclass
      AND pg_catalog.pg_get_expr(c.relpartbound, c.oid) OPERATOR(pg_catalog.=) pg_catalog.format('FOR VALUES IN (%s)', $1)
$$;
COMMENT ON FUNCTION @extschema@.trade_flow_partition(integer) IS
    'internal: the partition of trade_flow holding the year, or NULL';

-- trade_partition_check(tbl, loading): tbl is a partition of trade_flow
-- (or, loading, a year's table that load_trade_flows() is building, not yet
-- attached); anything else is refused (22023), so that the helpers below
-- never add keys, triggers or grants to another table
CREATE FUNCTION @extschema@.trade_partition_check(tbl regclass, loading boolean) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_inherits i
               WHERE i.inhrelid OPERATOR(pg_catalog.=) tbl
                 AND i.inhparent OPERATOR(pg_catalog.=) '@extschema@.trade_flow'::regclass) THEN
        RETURN;
    END IF;
    IF loading AND EXISTS (SELECT FROM pg_catalog.pg_class c
                           WHERE c.oid OPERATOR(pg_catalog.=) tbl
                             AND c.relnamespace OPERATOR(pg_catalog.=) '@extschema@'::regnamespace
                             AND c.relname OPERATOR(pg_catalog.~) '^trade_flow_[0-9]{4}_loading$'
                             AND NOT c.relispartition) THEN
        RETURN;
    END IF;
    RAISE EXCEPTION '% is not a partition of trade_flow', tbl
        USING ERRCODE = 'invalid_parameter_value';
END
$$;
COMMENT ON FUNCTION @extschema@.trade_partition_check(regclass, boolean) IS
    'internal: refuses (22023) a table that is not a partition of trade_flow (or, loading, a year load_trade_flows() is building)';

-- trade_flow_indexes(tbl, stem): a partition's primary key and three
-- indexes, named stem_pkey, stem_importer_product_year_idx, ...; each built
-- by one sort
CREATE FUNCTION @extschema@.trade_flow_indexes(tbl regclass, stem text) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM @extschema@.trade_partition_check(tbl, true);
    EXECUTE pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I PRIMARY KEY (year, exporter, importer, product)',
                              tbl, stem || '_pkey');
    EXECUTE pg_catalog.format('CREATE INDEX %I ON %s (importer, product, year)', stem || '_importer_product_year_idx', tbl);
    EXECUTE pg_catalog.format('CREATE INDEX %I ON %s (exporter, product, year)', stem || '_exporter_product_year_idx', tbl);
    EXECUTE pg_catalog.format('CREATE INDEX %I ON %s (product, year)', stem || '_product_year_idx', tbl);
END
$$;
COMMENT ON FUNCTION @extschema@.trade_flow_indexes(regclass, text) IS
    'internal: creates the primary key and the three indexes of a partition of trade_flow';

-- trade_partition_ready(part): a new partition gets the statement triggers
-- that keep trade_country_total, SELECT for everyone, and stays outside the extension (made during an
-- extension script, the update's, it would be a member: pg_dump would then
-- keep neither its definition nor its rows)
CREATE FUNCTION @extschema@.trade_partition_ready(part regclass) RETURNS regclass
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- (track_trade() refuses any other table than a partition)
    PERFORM @extschema@.track_trade(part);
    -- everyone reads the partitions as they read trade_flow
    EXECUTE pg_catalog.format('GRANT SELECT ON %s TO PUBLIC', part);
    IF EXISTS (SELECT FROM pg_catalog.pg_depend d
               WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::regclass
                 AND d.objid OPERATOR(pg_catalog.=) part AND d.deptype OPERATOR(pg_catalog.=) 'e') THEN
        EXECUTE pg_catalog.format('ALTER EXTENSION supplychain DROP TABLE %s', part);
    END IF;
    RETURN part;
END
$$;
COMMENT ON FUNCTION @extschema@.trade_partition_ready(regclass) IS
    'internal: gives a new partition of trade_flow its triggers, outside the extension';

-- trade_flow_year(year): the year's partition of trade_flow, created empty
-- when the year has none, for rows written one by one (load_trade_flows()
-- makes its own).  Needs to own trade_flow.  Returns the partition.
CREATE FUNCTION @extschema@.trade_flow_year(year integer) RETURNS regclass
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp
-- on Citus the partition's triggers go to its shards
SET citus.enable_unsafe_triggers = on
AS $$
DECLARE
    for_year constant integer := $1;
    part regclass;
BEGIN
    IF for_year IS NULL OR for_year NOT BETWEEN 1800 AND 2999 THEN
        RAISE EXCEPTION 'year must be between 1800 and 2999, not %', COALESCE(for_year::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- the owner's, as the partitions are, whether or not the year has one
    IF NOT pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c
                                   WHERE c.oid OPERATOR(pg_catalog.=) '@extschema@.trade_flow'::regclass), 'USAGE') THEN
        RAISE EXCEPTION 'must be owner of table trade_flow'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'A year''s partition is made by the owner of supplychain.trade_flow; writers write its rows.';
    END IF;
    -- one maker of a year's partition at a time (load_trade_flows() too)
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('supplychain.trade_flow_year'), for_year);
    part := @extschema@.trade_flow_partition(for_year);
    IF part IS NULL THEN
        EXECUTE pg_catalog.format('CREATE TABLE @extschema@.%I PARTITION OF @extschema@.trade_flow FOR VALUES IN (%s)',
                                  'trade_flow_' || for_year, for_year);
        part := pg_catalog.format('@extschema@.%I', 'trade_flow_' || for_year)::regclass;
        PERFORM @extschema@.trade_flow_indexes(part, 'trade_flow_' || for_year);
        PERFORM @extschema@.trade_partition_ready(part);
    END IF;
    RETURN part;
END
$$;
COMMENT ON FUNCTION @extschema@.trade_flow_year(integer) IS
    'the year''s partition of trade_flow, created empty if the year has none (rows of a year without a partition are refused); returns it';

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
    anchor regclass;                    -- the first distributed table of the same collation
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
            -- colocated with the first table of the plan distributed by a
            -- column of the same collation (Citus colocates no others): the
            -- per-country tables, and the trade tables by their COLLATE "C"
            -- product
            SELECT q.table_name INTO anchor
              FROM @extschema@.distribution_plan() q
              JOIN pg_catalog.pg_attribute qa ON qa.attrelid = q.table_name AND qa.attname = q.distribution_column
              JOIN pg_catalog.pg_attribute ta ON ta.attrelid = t.table_name AND ta.attname = t.distribution_column
             WHERE q.placement = 'distributed' AND q.step < t.step AND qa.attcollation = ta.attcollation
             ORDER BY q.step LIMIT 1;
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
        END IF;
    END LOOP;

    -- back to the caller's mode, on the workers too
    EXECUTE pg_catalog.format('DO $d$ BEGIN SET LOCAL supplychain.maintenance = %L; END $d$',
                              COALESCE(maintenance, 'off'));
    EXECUTE 'DO $d$ BEGIN SET LOCAL supplychain.copying = off; END $d$';
    RETURN pg_catalog.format('reference tables: %s new, %s already; distributed: %s new, %s already',
                             made_ref, kept_ref, made_dist, kept_dist);
END
$$;
COMMENT ON FUNCTION @extschema@.distribute() IS
    'on a Citus coordinator: makes the small tables reference tables and distributes dependency, assessment, policy_impact, share_total and the risk state by country, colocated, and the trade tables by product (distribution_plan()); idempotent';

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
    part record;
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
        -- a partitioned table's partitions first (trade_flow's years:
        -- tables of Citus's own beside it), then the table
        FOR part IN SELECT x.table_name, c.relname, n.nspname
                      FROM (SELECT i.inhrelid::regclass AS table_name, 0 AS last
                            FROM pg_catalog.pg_inherits i
                            WHERE i.inhparent = t.table_name
                              AND EXISTS (SELECT FROM pg_catalog.pg_dist_partition d WHERE d.logicalrelid = i.inhrelid)
                            UNION ALL
                            SELECT t.table_name, 1) x
                      JOIN pg_catalog.pg_class c ON c.oid = x.table_name
                      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                     ORDER BY x.last, c.relname LOOP
            PERFORM pg_catalog.master_remove_distributed_table_metadata_from_workers(part.table_name, part.nspname, part.relname);
            PERFORM pg_catalog.citus_drop_all_shards(part.table_name, part.nspname, part.relname, false);
            PERFORM pg_catalog.master_remove_partition_metadata(part.table_name, part.nspname, part.relname);
            -- and the trigger through which Citus truncates the shards
            FOR trigger_name IN SELECT g.tgname FROM pg_catalog.pg_trigger g
                                 WHERE g.tgrelid = part.table_name
                                   AND g.tgfoid = 'pg_catalog.citus_truncate_trigger()'::regprocedure LOOP
                EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', trigger_name, part.table_name);
            END LOOP;
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
-- group_import_partner: a group's imports from each partner, per product
-- and year: the sum over the members that year of their imports from the
-- partner; inside marks a partner that is itself a member that year (the
-- members' trade with each other).  Membership is by the flow's year
-- (country_group).
-- (A member's periods do not overlap, so the outer join finds at most one
-- row: a hash join, where a subquery would run once per partner.)
CREATE VIEW @extschema@.group_import_partner AS
SELECT g.group_code AS importer, f.product, f.year, f.exporter AS partner, sum(f.value) AS value,
       x.member IS NOT NULL AS inside
FROM @extschema@.trade_flow f
JOIN @extschema@.country_group g
  ON g.member = f.importer
 AND g.since <= make_date(f.year, 12, 31)
 AND (g.until IS NULL OR g.until >= make_date(f.year, 1, 1))
LEFT JOIN @extschema@.country_group x
  ON x.group_code = g.group_code AND x.member = f.exporter
 AND x.since <= make_date(f.year, 12, 31)
 AND (x.until IS NULL OR x.until >= make_date(f.year, 1, 1))
GROUP BY g.group_code, f.product, f.year, f.exporter, x.member IS NOT NULL;
COMMENT ON VIEW @extschema@.group_import_partner IS
    'imports of each country group (its members together, by the flow''s year) from each partner, per product and year; inside = the partner is a member';
COMMENT ON COLUMN @extschema@.group_import_partner.importer IS 'the group (country_group.group_code)';
COMMENT ON COLUMN @extschema@.group_import_partner.product IS 'the product (product.code)';
COMMENT ON COLUMN @extschema@.group_import_partner.year IS 'the year of the flows';
COMMENT ON COLUMN @extschema@.group_import_partner.partner IS 'the exporting country';
COMMENT ON COLUMN @extschema@.group_import_partner.value IS 'the imports from the partner into all members that year';
COMMENT ON COLUMN @extschema@.group_import_partner.inside IS 'true when the partner is a member of the group that year';

-- import_partner: the imports of each importer from each partner, per product
-- and year: a country's flows, and the groups' rows of group_import_partner.
-- Filters on importer, product, year or partner reach trade_flow through its
-- indexes.
CREATE VIEW @extschema@.import_partner AS
SELECT f.importer, f.product, f.year, f.exporter AS partner, f.value, false AS inside
FROM @extschema@.trade_flow f
UNION ALL
SELECT g.importer, g.product, g.year, g.partner, g.value, g.inside
FROM @extschema@.group_import_partner g;
COMMENT ON VIEW @extschema@.import_partner IS
    'imports of each importer (a country, or a group: its members together) from each partner, per product and year; inside = the partner is a member of the group';
COMMENT ON COLUMN @extschema@.import_partner.importer IS 'the importing country, or a group (country_group.group_code)';
COMMENT ON COLUMN @extschema@.import_partner.product IS 'the product (product.code)';
COMMENT ON COLUMN @extschema@.import_partner.year IS 'the year of the flows';
COMMENT ON COLUMN @extschema@.import_partner.partner IS 'the exporting country';
COMMENT ON COLUMN @extschema@.import_partner.value IS 'the imports from the partner (for a group: into all members that year)';
COMMENT ON COLUMN @extschema@.import_partner.inside IS 'true when the partner is a member of the importing group that year; always false for a country';

-- import_dependency: the European Commission's 2021 strategic-dependency
-- test per importer, product and year (docs/trade.md, "Formulas"):
--   imports        sum of the imports from partners outside the importer
--                  (a country: all its imports)
--   hhi            sum over partners of (value / imports)^2, computed in one
--                  pass as sum(value^2) / imports^2
--   outside_share  imports / (imports + inside_imports)
--   exports        the importer's exports of the product (a group: its
--                  members' exports to non-members)
--   concentrated   hhi > trade.hhi_above
--   import_dependent  outside_share > trade.outside_share_above
--   hard_to_substitute  imports / exports > trade.import_export_ratio_above,
--                  or no exports
-- The flags compare the exact values; the columns show them to 4 decimals.
-- A country's row is its row of trade_country_total (the maintained totals: a
-- read, no aggregation); a group's is aggregated from its members' flows,
-- inside split from outside by the membership of the year.
CREATE VIEW @extschema@.import_dependency AS
WITH imports AS (
    SELECT t.country AS importer, t.product, t.year, t.imports, t.partners, t.squares,
           t.top_value, t.top_partner, 0::numeric AS inside_imports, t.exports
    FROM @extschema@.trade_country_total t
    WHERE t.import_flows > 0
    UNION ALL
    -- (the codes compared byte by byte, as trade_country_total's)
    SELECT p.importer COLLATE "C", p.product, p.year,
           COALESCE(sum(p.value) FILTER (WHERE NOT p.inside), 0),
           count(*) FILTER (WHERE NOT p.inside AND p.value > 0),
           sum(p.value * p.value) FILTER (WHERE NOT p.inside),
           max(p.value) FILTER (WHERE NOT p.inside AND p.value > 0),
           @extschema@.top_partner(p.value, p.partner) FILTER (WHERE NOT p.inside AND p.value > 0),
           COALESCE(sum(p.value) FILTER (WHERE p.inside), 0),
           COALESCE((SELECT sum(f.value)
                     FROM @extschema@.trade_flow f
                     JOIN @extschema@.country_group g
                       ON g.member = f.exporter
                      AND g.since <= make_date(f.year, 12, 31)
                      AND (g.until IS NULL OR g.until >= make_date(f.year, 1, 1))
                     WHERE g.group_code = p.importer AND f.product = p.product AND f.year = p.year
                       AND NOT EXISTS (SELECT FROM @extschema@.country_group x
                                       WHERE x.group_code = g.group_code AND x.member = f.importer
                                         AND x.since <= make_date(f.year, 12, 31)
                                         AND (x.until IS NULL OR x.until >= make_date(f.year, 1, 1)))), 0)
    FROM @extschema@.group_import_partner p
    GROUP BY p.importer, p.product, p.year
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
COMMENT ON VIEW @extschema@.import_dependency IS
    'per importer (country or group), product and year: import concentration and the European Commission''s 2021 strategic-dependency test (concentrated, import_dependent, hard_to_substitute; dependent = all three)';
COMMENT ON COLUMN @extschema@.import_dependency.importer IS 'the importing country, or a group (country_group.group_code)';
COMMENT ON COLUMN @extschema@.import_dependency.product IS 'the product (product.code)';
COMMENT ON COLUMN @extschema@.import_dependency.year IS 'the year of the flows';
COMMENT ON COLUMN @extschema@.import_dependency.imports IS 'imports from partners outside the importer (a group: from non-members), in trade_flow''s unit';
COMMENT ON COLUMN @extschema@.import_dependency.partners IS 'the number of partners with imports above 0 (a group: non-members)';
COMMENT ON COLUMN @extschema@.import_dependency.top_partner IS 'the partner with the largest imports (of equal ones, the first code); NULL when imports are 0';
COMMENT ON COLUMN @extschema@.import_dependency.top_share IS 'the top partner''s share of imports (4 decimals)';
COMMENT ON COLUMN @extschema@.import_dependency.hhi IS 'the Herfindahl-Hirschman index of the partners'' shares of imports, 0..1 (4 decimals); NULL when imports are 0';
COMMENT ON COLUMN @extschema@.import_dependency.inside_imports IS 'a group: the members'' imports from each other; a country: 0';
COMMENT ON COLUMN @extschema@.import_dependency.outside_share IS 'imports / (imports + inside_imports) (4 decimals); 1 for a country';
COMMENT ON COLUMN @extschema@.import_dependency.exports IS 'the importer''s exports of the product (a group: its members'' exports to non-members); 0 when none';
COMMENT ON COLUMN @extschema@.import_dependency.import_export_ratio IS 'imports / exports (4 decimals); NULL when exports are 0';
COMMENT ON COLUMN @extschema@.import_dependency.concentrated IS 'hhi > weight trade.hhi_above (0.4)';
COMMENT ON COLUMN @extschema@.import_dependency.import_dependent IS 'outside_share > weight trade.outside_share_above (0.5)';
COMMENT ON COLUMN @extschema@.import_dependency.hard_to_substitute IS 'import_export_ratio > weight trade.import_export_ratio_above (1), or exports are 0';
COMMENT ON COLUMN @extschema@.import_dependency.dependent IS 'concentrated and import_dependent and hard_to_substitute: a strategic dependency';

-- load_trade_flows(year, staging): the year's flows are the rows of staging
-- (a table or view with trade_flow's columns; quantity and source may be
-- missing), replacing whatever the year held, all or nothing.  The rows go
-- into a table of their own, which gets its indexes built by sort and is
-- then attached as the year's partition: PostgreSQL checks its foreign keys
-- in one pass as it attaches it.  trade_country_total gets the year's rows in one
-- aggregation per side.  The previous partition of the year, if any, is
-- detached and dropped at the end, so readers of trade_flow wait only for
-- the attach, not for the build.  A bad row fails the load with an error
-- that names it, and the year keeps its previous flows.  Needs to own
-- trade_flow (ATTACH PARTITION does) and CREATE on the extension's schema.
-- On Citus (trade_flow distributed) the rows are deleted and inserted
-- through trade_flow.  Returns the number of flows loaded.
CREATE FUNCTION @extschema@.load_trade_flows(year integer, staging regclass)
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
        EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM @extschema@.%I', building) INTO loaded;
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

    -- 4. the year's totals, from the new partition alone
    DELETE FROM @extschema@.trade_country_total t WHERE t.year OPERATOR(pg_catalog.=) for_year;
    EXECUTE pg_catalog.format('INSERT INTO @extschema@.trade_country_total SELECT * FROM @extschema@.trade_country_totals(%L)',
                              pg_catalog.format('@extschema@.%I', part));
    -- (no ANALYZE: building the indexes counted the rows, and autovacuum
    -- analyzes the new partition soon)
    IF take_over THEN
        RAISE NOTICE 'the table % is now the partition %.% (its rows were not copied)', staging_name, '@extschema@', part
            USING HINT = 'To keep a staging table, give load_trade_flows a view of it, or a table of other columns.';
    END IF;
    RETURN loaded;
END
$fn$;
COMMENT ON FUNCTION @extschema@.load_trade_flows(integer, regclass) IS
    'loads a year of trade flows from a staging table or view with trade_flow''s columns, replacing the year''s flows, as a partition built on its own and attached; all or nothing; returns the flows loaded';

-- rebuild_state(): the state (and the share rule's totals, and
-- trade_flow's in trade_country_total) from the raw rows, whatever they held: after
-- writes that bypassed the triggers (ALTER TABLE ... DISABLE TRIGGER,
-- session_replication_role = replica, a logical replication subscriber that
-- was not sent the state, pg_restore --disable-triggers).  Returns the
-- number of (country, stage) pairs with state.
CREATE OR REPLACE FUNCTION @extschema@.rebuild_state() RETURNS bigint
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
               @extschema@.country_state, @extschema@.country_total_state, @extschema@.trade_country_total
          IN EXCLUSIVE MODE;
    RETURN @extschema@.rebuild_state_beside('@extschema@.stage_state');
END
$$;
COMMENT ON FUNCTION @extschema@.rebuild_state() IS
    'rebuilds the maintained risk state from the raw rows (after writes that bypassed the triggers); returns the number of (country, stage) pairs with state';

-- rebuild_state_beside(place): the rebuild of the state tables beside place
-- (stage_state, or on a Citus worker one of its shards), from the rows of
-- the dependency and assessment tables beside it.
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
    -- statistics of the new contents, for the views' plans
    EXECUTE pg_catalog.format('ANALYZE %s, %s, %s, %s, %s', place,
                              @extschema@.shard_of('@extschema@.supplier_state', place),
                              @extschema@.shard_of('@extschema@.country_state', place),
                              @extschema@.shard_of('@extschema@.country_total_state', place), trade);
    EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %s', place) INTO n;
    RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@.rebuild_state_beside(regclass) IS
    'internal: rebuilds the state tables beside place (stage_state or one of its Citus shards) from the raw rows beside it';

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
END
$$;
COMMENT ON FUNCTION @extschema@.verify_state() IS
    'recomputes the maintained risk state from the raw rows and returns one row per difference (none: the state is right)';
-- trade_country_total is dumped whole (registered last, as an update
-- from 0.7.0 registers it): in a restore the partitions' rows arrive before their
-- triggers do (pg_dump puts triggers after the data), so the totals come
-- with the dump rather than from the triggers.  Its name sorts before the
-- partitions' (trade_flow_2021): in a data-only restore into partitions
-- that have their triggers (trade_flow_year() made them), pg_restore loads
-- it first, and the triggers then recompute the keys the flows touch, to
-- the same values, instead of the dump's rows colliding with theirs.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.trade_country_total', '');

-- the flows of 0.7.0, each year into a partition of its own (made outside
-- the extension by trade_flow_year()); their totals in one pass
SELECT @extschema@.trade_flow_year(y) FROM (SELECT DISTINCT year AS y FROM @extschema@.trade_flow_070) t ORDER BY y;
SELECT pg_catalog.set_config('supplychain.copying', 'on', true);
INSERT INTO @extschema@.trade_flow SELECT * FROM @extschema@.trade_flow_070;
SELECT pg_catalog.set_config('supplychain.copying', 'off', true);
INSERT INTO @extschema@.trade_country_total SELECT * FROM @extschema@.trade_country_totals('@extschema@.trade_flow');
-- (out of the extension first: that also takes it off the tables pg_dump
-- keeps the rows of)
ALTER EXTENSION supplychain DROP TABLE @extschema@.trade_flow_070;
DROP TABLE @extschema@.trade_flow_070;
ANALYZE @extschema@.trade_flow, @extschema@.trade_country_total;

GRANT SELECT ON @extschema@.trade_flow, @extschema@.trade_country_total,
    @extschema@.group_import_partner, @extschema@.import_partner, @extschema@.import_dependency TO PUBLIC;
