-- supplychain 0.2.0 -> 0.3.0: multi-tier exposure propagation (a C kernel),
-- disruption scenarios, the multi-tier exposure of the assessed chains, the
-- EU supply-risk indicator, history (risk at a date), and the heat map.

\echo Use "ALTER EXTENSION supplychain UPDATE TO '0.3.0'" to load this file. \quit

-- Resolve every unqualified name in pg_catalog only (LOCAL: for this script).
SET LOCAL search_path = pg_catalog, pg_temp;
-- This script ships reference rows (builtin = true); turned off at its end.
SET LOCAL supplychain.maintenance = on;

-- propagate_exposure: the kernel, on any graph the caller describes with two
-- queries (the pgRouting convention).  exposure(n, c) = own(n, c) + sum over
-- edges s -> n of share x exposure(s, c), summed over walks of at most
-- max_tiers edges; tier = the length of the shortest such walk (README,
-- "Multi-tier exposure").  VOLATILE and PARALLEL UNSAFE: it runs the
-- caller's SQL, which may call anything.
CREATE FUNCTION @extschema@.propagate_exposure(
    edges_sql text,
    origins_sql text,
    max_tiers integer DEFAULT 32)
RETURNS TABLE (node text, country text, exposure double precision, tier integer)
AS 'MODULE_PATHNAME', 'propagate_exposure'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.propagate_exposure(text, text, integer) IS
    'multi-tier exposure: edges_sql gives (supplier, customer, share), origins_sql (node, country, share); per node and country the fraction of supply tracing back to the country over walks of at most max_tiers edges, and the shortest tier';

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
CREATE FUNCTION @extschema@.chain_exposure(
    for_supplier text DEFAULT NULL,
    max_tiers integer DEFAULT 64)
RETURNS TABLE (country text, stage_id text, supplier text, exposure double precision, tier integer)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    edges_sql constant text := $q$
        WITH direct AS (
            SELECT d.country, d.stage, d.supplier, pg_catalog.max(d.share) AS share
            FROM @extschema@.current_dependency d
            WHERE d.kind OPERATOR(pg_catalog.=) 'supply' AND d.share IS NOT NULL
            GROUP BY d.country, d.stage, d.supplier
        ), imported AS (
            SELECT i.country, i.stage, pg_catalog.sum(i.share) AS share
            FROM direct i GROUP BY i.country, i.stage
        ), chain AS (
            SELECT d.country, s.sector
            FROM @extschema@.current_dependency d
            JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) d.stage
            UNION
            SELECT a.country, s.sector
            FROM @extschema@.current_assessment a
            JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) a.stage
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
    $q$;
    -- a stage's known imports are at most all of its supply: where the
    -- largest shares over items add up above 1, they are scaled down to 1
    origins_sql text := $q$
        SELECT o.node, o.supplier, o.share FROM (
            SELECT d.country OPERATOR(pg_catalog.||) d.stage AS node, d.supplier,
                   (pg_catalog.max(d.share) OPERATOR(pg_catalog./)
                    GREATEST(1::numeric, pg_catalog.sum(pg_catalog.max(d.share))
                                         OVER (PARTITION BY d.country, d.stage)))::pg_catalog.float8 AS share
            FROM @extschema@.current_dependency d
            WHERE d.kind OPERATOR(pg_catalog.=) 'supply' AND d.share IS NOT NULL
            GROUP BY d.country, d.stage, d.supplier) o
    $q$;
BEGIN
    IF for_supplier IS NOT NULL THEN
        origins_sql := origins_sql
            || pg_catalog.format(' WHERE o.supplier OPERATOR(pg_catalog.=) %L', for_supplier);
    END IF;
    RETURN QUERY
        SELECT pg_catalog.left(p.node, 2), pg_catalog.substr(p.node, 3), p.country, p.exposure, p.tier
        FROM @extschema@.propagate_exposure(edges_sql, origins_sql, COALESCE(max_tiers, 64)) p;
END
$fn$;
COMMENT ON FUNCTION @extschema@.chain_exposure(text, integer) IS
    'propagate_exposure on the schema''s data: per depending country, stage and supplier country (NULL: all), the multi-tier exposure from known supply shares along stage_link';

-- tier_exposure: the multi-tier exposure of each assessed chain (the US
-- chains of the reference data) per supplier country, beside the direct
-- share.  exposure counts known shares only; unknown_shares > 0 marks a
-- direct dependency without a figure, so exposure is then a lower bound
-- (NULL when nothing is known).  tier 0 = a direct supplier of the stage.
CREATE VIEW @extschema@.tier_exposure AS
WITH x AS (
    SELECT e.country, e.stage_id, e.supplier, e.exposure, e.tier
    FROM @extschema@.chain_exposure() e
), direct AS (
    SELECT d.country, d.stage, d.supplier,
           max(d.share) AS direct_share,
           count(*) FILTER (WHERE d.share IS NULL)::integer AS unknown_shares
    FROM @extschema@.current_dependency d
    WHERE d.kind = 'supply'
    GROUP BY d.country, d.stage, d.supplier
)
SELECT COALESCE(x.country, d.country) AS country,
       s.sector,
       s.name AS stage,
       COALESCE(x.supplier, d.supplier) AS supplier,
       d.direct_share,
       round(x.exposure::numeric, 4) AS exposure,
       CASE WHEN d.stage IS NOT NULL THEN 0 ELSE x.tier END AS tier,
       COALESCE(d.unknown_shares, 0) AS unknown_shares,
       s.position,
       s.id AS stage_id
FROM x
FULL JOIN direct d
       ON d.country = x.country AND d.stage = x.stage_id AND d.supplier = x.supplier
JOIN @extschema@.stage s ON s.id = COALESCE(x.stage_id, d.stage);
COMMENT ON VIEW @extschema@.tier_exposure IS
    'per assessed chain, stage and supplier country: direct known share, multi-tier exposure along stage_link (4 decimals), shortest tier, unknown shares';
GRANT SELECT ON @extschema@.tier_exposure TO PUBLIC;

-- disruption: if supplier cuts loss of its supply, the fraction of each
-- stage's supply lost directly (loss x its known share) and in total
-- (loss x its multi-tier exposure, chain_exposure): linear in loss, and
-- total_loss >= direct_loss.  One row per stage of every chain that has data.
-- The body is a PL/pgSQL function of its own because PL/pgSQL cannot have an
-- argument and a result column of the same name (sector).
CREATE FUNCTION @extschema@.disruption_rows(
    for_supplier text,
    loss_fraction double precision,
    for_sector text)
RETURNS TABLE (country text, sector text, stage text,
               direct_loss double precision, total_loss double precision)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF for_supplier IS NULL
       OR NOT EXISTS (SELECT FROM @extschema@.country k WHERE k.code OPERATOR(pg_catalog.=) for_supplier) THEN
        RAISE EXCEPTION 'unknown supplier country: %', COALESCE(pg_catalog.quote_literal(for_supplier), 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give a code of supplychain.country, e.g. ''CN''.';
    END IF;
    -- NaN sorts above every number, so it fails the second test
    IF loss_fraction IS NULL OR NOT (loss_fraction OPERATOR(pg_catalog.>=) 0::pg_catalog.float8
                                     AND loss_fraction OPERATOR(pg_catalog.<=) 1::pg_catalog.float8) THEN
        RAISE EXCEPTION 'loss must be between 0 and 1, not %', COALESCE(loss_fraction::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'loss is the fraction of its supply that the supplier cuts.';
    END IF;
    IF for_sector IS NOT NULL
       AND NOT EXISTS (SELECT FROM @extschema@.sector k WHERE k.code OPERATOR(pg_catalog.=) for_sector) THEN
        RAISE EXCEPTION 'unknown sector: %', pg_catalog.quote_literal(for_sector)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give a code of supplychain.sector, e.g. ''batteries'', or NULL for all.';
    END IF;

    RETURN QUERY
    WITH chain AS (
        SELECT d.country AS chain_country, s.sector AS chain_sector
        FROM @extschema@.current_dependency d
        JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) d.stage
        UNION
        SELECT a.country, s.sector
        FROM @extschema@.current_assessment a
        JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) a.stage
    ), direct AS (
        SELECT d.country AS direct_country, d.stage AS direct_stage,
               pg_catalog.max(d.share)::pg_catalog.float8 AS direct_share
        FROM @extschema@.current_dependency d
        WHERE d.kind OPERATOR(pg_catalog.=) 'supply' AND d.share IS NOT NULL
          AND d.supplier OPERATOR(pg_catalog.=) for_supplier
        GROUP BY d.country, d.stage
    ), x AS (
        SELECT e.country AS x_country, e.stage_id AS x_stage, e.exposure AS x_exposure
        FROM @extschema@.chain_exposure(for_supplier) e
    )
    SELECT c.chain_country, s.sector, s.name,
           loss_fraction OPERATOR(pg_catalog.*) COALESCE(di.direct_share, 0::pg_catalog.float8),
           loss_fraction OPERATOR(pg_catalog.*) COALESCE(x.x_exposure, 0::pg_catalog.float8)
    FROM chain c
    JOIN @extschema@.stage s ON s.sector OPERATOR(pg_catalog.=) c.chain_sector
    LEFT JOIN direct di ON di.direct_country OPERATOR(pg_catalog.=) c.chain_country
                       AND di.direct_stage OPERATOR(pg_catalog.=) s.id
    LEFT JOIN x ON x.x_country OPERATOR(pg_catalog.=) c.chain_country
               AND x.x_stage OPERATOR(pg_catalog.=) s.id
    WHERE for_sector IS NULL OR s.sector OPERATOR(pg_catalog.=) for_sector
    ORDER BY c.chain_country, s.sector, s.position;
END
$fn$;
COMMENT ON FUNCTION @extschema@.disruption_rows(text, double precision, text) IS
    'internal: the body of disruption(), which documents it';

CREATE FUNCTION @extschema@.disruption(
    supplier text,
    loss double precision DEFAULT 1.0,
    sector text DEFAULT NULL)
RETURNS TABLE (country text, sector text, stage text,
               direct_loss double precision, total_loss double precision)
LANGUAGE sql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT r.country, r.sector, r.stage, r.direct_loss, r.total_loss
    FROM @extschema@.disruption_rows($1, $2, $3) r
$fn$;
COMMENT ON FUNCTION @extschema@.disruption(text, double precision, text) IS
    'if supplier cuts loss (0..1) of its supply: per stage of each chain (sector NULL: all), the fraction of supply lost directly (loss x known share) and in total through upstream stages (loss x multi-tier exposure)';

-- EU Critical Raw Materials supply-risk indicator (JRC 2017 method).

CREATE FUNCTION @extschema@.wgi_scaled(double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'wgi_scaled' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.wgi_scaled(double precision) IS
    'World Governance Indicator (-2.5..2.5) on the EU scale 0..10 (10 = worst): 2 x (2.5 - wgi)';

CREATE FUNCTION @extschema@.hhi_wgi_accum(double precision, double precision, double precision, double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'hhi_wgi_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hhi_wgi_accum(double precision, double precision, double precision, double precision) IS
    'hhi_wgi transition: adds share^2 x wgi_scaled x trade_parameter; NaN marks a share without governance score';
CREATE FUNCTION @extschema@.hhi_wgi_final(double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'hhi_wgi_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hhi_wgi_final(double precision) IS
    'hhi_wgi final function: NULL when a known share lacks a governance score';
CREATE AGGREGATE @extschema@.hhi_wgi(share double precision, wgi_scaled double precision, trade_parameter double precision) (
    SFUNC = @extschema@.hhi_wgi_accum, STYPE = double precision,
    FINALFUNC = @extschema@.hhi_wgi_final,
    COMBINEFUNC = pg_catalog.float8pl, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.hhi_wgi(double precision, double precision, double precision) IS
    'governance-weighted HHI: sum of share^2 x wgi_scaled x trade_parameter (NULL trade parameter = 1.0)';

CREATE FUNCTION @extschema@.eu_supply_risk(hhi_wgi_gs double precision, hhi_wgi_eu double precision,
        import_reliance double precision, eol_rir double precision, substitution double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'eu_supply_risk' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.eu_supply_risk(double precision, double precision, double precision, double precision, double precision) IS
    'EU supply risk: [HHI_GS x IR/2 + HHI_EU x (1 - IR/2)] x (1 - EOL_RIR) x SI; NULL hhi_wgi_eu = GS only';

CREATE TABLE @extschema@.material (
    id                  text PRIMARY KEY,
    name                text NOT NULL,
    sector              text REFERENCES @extschema@.sector,
    import_reliance     numeric CHECK (import_reliance BETWEEN 0 AND 1),
    eol_rir             numeric CHECK (eol_rir BETWEEN 0 AND 1),
    substitution        numeric CHECK (substitution BETWEEN 0 AND 1),
    economic_importance numeric CHECK (economic_importance >= 0),
    note                text,
    source              text REFERENCES @extschema@.source,
    builtin             boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.material IS
    'raw materials with the EU method''s parameters (import reliance, end-of-life recycling input rate, substitution index, economic importance); NULL = unknown';

CREATE TABLE @extschema@.material_supply (
    material        text NOT NULL REFERENCES @extschema@.material ON DELETE CASCADE,
    scope           text NOT NULL CHECK (scope IN ('global', 'eu')),
    country         text NOT NULL REFERENCES @extschema@.country,
    share           numeric NOT NULL CHECK (share BETWEEN 0 AND 1),
    trade_parameter numeric CHECK (trade_parameter > 0 AND trade_parameter <= 10),
    source          text REFERENCES @extschema@.source,
    builtin         boolean NOT NULL DEFAULT false,
    PRIMARY KEY (material, scope, country)
);
COMMENT ON TABLE @extschema@.material_supply IS
    'production shares of a material per country: scope global (GS) or EU sourcing (EU); trade_parameter NULL = 1.0';

CREATE TABLE @extschema@.governance (
    country text NOT NULL REFERENCES @extschema@.country,
    year    integer NOT NULL,
    wgi     numeric NOT NULL CHECK (wgi BETWEEN -2.5 AND 2.5),
    source  text REFERENCES @extschema@.source,
    builtin boolean NOT NULL DEFAULT false,
    PRIMARY KEY (country, year)
);
COMMENT ON TABLE @extschema@.governance IS
    'World Governance Indicator per country and year (-2.5..2.5, the mean of the six WGI dimensions); the latest year is used';

CREATE VIEW @extschema@.material_risk AS
WITH wgi AS (
    SELECT DISTINCT ON (g.country) g.country, g.wgi
    FROM @extschema@.governance g
    ORDER BY g.country, g.year DESC
), hhi AS (
    SELECT s.material, s.scope,
           @extschema@.hhi_wgi(s.share::double precision,
                               @extschema@.wgi_scaled(w.wgi::double precision),
                               s.trade_parameter::double precision) AS hhi_wgi,
           count(*)::integer AS countries
    FROM @extschema@.material_supply s
    LEFT JOIN wgi w ON w.country = s.country
    GROUP BY s.material, s.scope
), sr AS (
    -- an EU mix whose index is unknown leaves the risk unknown: it must not
    -- fall back to the GS-only formula
    SELECT m.*, gs.countries AS gs_countries, gs.hhi_wgi AS gs_hhi, eu.hhi_wgi AS eu_hhi,
           eu.material IS NOT NULL AS has_eu,
           CASE WHEN eu.material IS NOT NULL AND eu.hhi_wgi IS NULL THEN NULL
                ELSE @extschema@.eu_supply_risk(gs.hhi_wgi, eu.hhi_wgi, m.import_reliance::double precision,
                                                m.eol_rir::double precision, m.substitution::double precision)
           END AS supply_risk
    FROM @extschema@.material m
    LEFT JOIN hhi gs ON gs.material = m.id AND gs.scope = 'global'
    LEFT JOIN hhi eu ON eu.material = m.id AND eu.scope = 'eu'
)
SELECT sr.id AS material, sr.name, sr.sector,
       sr.gs_countries,
       round(sr.gs_hhi::numeric, 4) AS hhi_wgi_gs,
       round(sr.eu_hhi::numeric, 4) AS hhi_wgi_eu,
       sr.import_reliance, sr.eol_rir, sr.substitution, sr.economic_importance,
       CASE WHEN sr.has_eu THEN 'GS and EU' ELSE 'GS only' END AS method,
       round(sr.supply_risk::numeric, 4) AS supply_risk,
       sr.supply_risk >= 1 AND sr.economic_importance >= 2.8 AS critical
FROM sr;
COMMENT ON VIEW @extschema@.material_risk IS
    'EU supply-risk indicator per material; NULL where an input is unknown; critical when supply_risk >= 1 and economic_importance >= 2.8';

-- The materials the brief names, with no figures: it gives none.
INSERT INTO @extschema@.material (id, name, sector, note, source, builtin) VALUES
    ('lithium', 'Lithium', 'batteries', 'Table 3 (Raw Materials Production): "Focuses on nickel, lithium, and cobalt, which are key ingredients of cathode materials for batteries."', 'kiet-2021', true),
    ('nickel', 'Nickel', 'batteries', 'Table 3 (Raw Materials Production): "Focuses on nickel, lithium, and cobalt, which are key ingredients of cathode materials for batteries."', 'kiet-2021', true),
    ('cobalt', 'Cobalt', 'batteries', 'Table 3 (Raw Materials Production): "Focuses on nickel, lithium, and cobalt, which are key ingredients of cathode materials for batteries."', 'kiet-2021', true),
    ('polysilicon', 'Ultra-high purity polysilicon', 'semiconductors', 'Table 1 (Materials): "Competitiveness in ultra-high purity polysilicon, wafers, photomasks, photoresists, and other key materials relatively weak compared to Japan and Europe."', 'kiet-2021', true),
    ('wafers', 'Wafers', 'semiconductors', 'Table 1 (Materials): "Competitiveness in ultra-high purity polysilicon, wafers, photomasks, photoresists, and other key materials relatively weak compared to Japan and Europe."', 'kiet-2021', true),
    ('photoresists', 'Photoresists', 'semiconductors', 'Table 1 (Materials): "Competitiveness in ultra-high purity polysilicon, wafers, photomasks, photoresists, and other key materials relatively weak compared to Japan and Europe."', 'kiet-2021', true);

CREATE TRIGGER builtin_readonly BEFORE UPDATE OR DELETE ON @extschema@.material
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.material
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.material
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.material
    FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_readonly BEFORE UPDATE OR DELETE ON @extschema@.material_supply
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.material_supply
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.material_supply
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.material_supply
    FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_readonly BEFORE UPDATE OR DELETE ON @extschema@.governance
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.governance
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.governance
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.governance
    FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();

SELECT pg_catalog.pg_extension_config_dump('@extschema@.material', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.material_supply', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.governance', 'WHERE NOT builtin');
GRANT SELECT ON @extschema@.material, @extschema@.material_supply, @extschema@.governance,
    @extschema@.material_risk TO PUBLIC;

-- History: every view at a date.  The current_* views read the latest row
-- of each key up to the date in the setting supplychain.as_of (unset: no
-- limit); the *_at(date) functions set it for the duration of one call.

CREATE FUNCTION @extschema@.as_of_limit() RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT COALESCE(NULLIF(pg_catalog.current_setting('supplychain.as_of', true), '')::date,
                    'infinity'::date)
$$;
COMMENT ON FUNCTION @extschema@.as_of_limit() IS
    'the date the views evaluate at: setting supplychain.as_of, or infinity when unset';

CREATE OR REPLACE VIEW @extschema@.current_assessment AS
SELECT DISTINCT ON (a.stage, a.country) a.*,
       a.rating::text AS rating_label, a.rating::integer AS rating_level
FROM @extschema@.assessment a
WHERE a.as_of <= (SELECT @extschema@.as_of_limit())
ORDER BY a.stage, a.country, a.as_of DESC;

CREATE OR REPLACE VIEW @extschema@.current_dependency AS
SELECT DISTINCT ON (d.stage, d.country, d.kind, d.item, d.supplier) d.*
FROM @extschema@.dependency d
WHERE d.as_of <= (SELECT @extschema@.as_of_limit())
ORDER BY d.stage DESC, d.country DESC, d.kind DESC, d.item DESC, d.supplier DESC, d.as_of DESC;

CREATE OR REPLACE VIEW @extschema@.current_policy_impact AS
SELECT DISTINCT ON (i.policy, i.country, i.horizon) i.*,
       i.score::text AS score_label, i.score::integer AS score_value
FROM @extschema@.policy_impact i
WHERE i.as_of <= (SELECT @extschema@.as_of_limit())
ORDER BY i.policy, i.country, i.horizon, i.as_of DESC;

-- set_as_of: the setting for the rest of the calling function, whose own
-- "SET supplychain.as_of" clause puts the caller's value back on exit.
CREATE FUNCTION @extschema@.set_as_of(at date) RETURNS void
LANGUAGE sql VOLATILE STRICT SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_catalog.set_config('supplychain.as_of',
        CASE WHEN pg_catalog.isfinite(at) THEN pg_catalog.to_char(at, 'YYYY-MM-DD') ELSE at::text END, true)
$$;
COMMENT ON FUNCTION @extschema@.set_as_of(date) IS
    'sets supplychain.as_of (ISO date) until the end of the calling *_at function';

CREATE FUNCTION @extschema@.stage_risk_at(at date) RETURNS SETOF @extschema@.stage_risk
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp SET supplychain.as_of = '' AS $$
BEGIN
    PERFORM @extschema@.set_as_of(at);
    RETURN QUERY SELECT * FROM @extschema@.stage_risk;
END
$$;
CREATE FUNCTION @extschema@.country_risk_at(at date) RETURNS SETOF @extschema@.country_risk
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp SET supplychain.as_of = '' AS $$
BEGIN
    PERFORM @extschema@.set_as_of(at);
    RETURN QUERY SELECT * FROM @extschema@.country_risk;
END
$$;
CREATE FUNCTION @extschema@.policy_risk_at(at date) RETURNS SETOF @extschema@.policy_risk
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp SET supplychain.as_of = '' AS $$
BEGIN
    PERFORM @extschema@.set_as_of(at);
    RETURN QUERY SELECT * FROM @extschema@.policy_risk;
END
$$;
CREATE FUNCTION @extschema@.policy_balance_at(at date) RETURNS SETOF @extschema@.policy_balance
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp SET supplychain.as_of = '' AS $$
BEGIN
    PERFORM @extschema@.set_as_of(at);
    RETURN QUERY SELECT * FROM @extschema@.policy_balance;
END
$$;
COMMENT ON FUNCTION @extschema@.stage_risk_at(date) IS 'stage_risk as it was known at a date (rows with as_of <= at)';
COMMENT ON FUNCTION @extschema@.country_risk_at(date) IS 'country_risk as it was known at a date (rows with as_of <= at)';
COMMENT ON FUNCTION @extschema@.policy_risk_at(date) IS 'policy_risk as it was known at a date (rows with as_of <= at)';
COMMENT ON FUNCTION @extschema@.policy_balance_at(date) IS 'policy_balance as it was known at a date (rows with as_of <= at)';

-- Heat map: stages down, supplier countries across, each cell the supplier's
-- dependency risk at that stage (the country_risk term), as a self-contained
-- SVG.  Sequential ColorBrewer YlOrRd bins (readable with colour-vision
-- deficiencies, and in grey); unknown shares grey with "?".

CREATE FUNCTION @extschema@.xml_escape(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
           pg_catalog.replace(pg_catalog.regexp_replace($1, '[\x01-\x08\x0B\x0C\x0E-\x1F]', '', 'g'),
                              '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&apos;')
$$;
COMMENT ON FUNCTION @extschema@.xml_escape(text) IS 'text escaped for XML content and attribute values (control characters XML forbids are dropped)';

CREATE FUNCTION @extschema@.heatmap_svg(country text, sector text DEFAULT NULL) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cell_w   constant integer := 64;
    cell_h   constant integer := 30;
    label_w  constant integer := 340;
    top      constant integer := 96;
    bins     constant numeric[] := '{0.1,0.2,0.4,0.6}';
    fills    constant text[] := '{#ffffb2,#fecc5c,#fd8d3c,#f03b20,#bd0026}';
    inks     constant text[] := '{#000000,#000000,#000000,#ffffff,#ffffff}';
    ranges   constant text[] := '{"below 0.10","0.10 to 0.20","0.20 to 0.40","0.40 to 0.60","0.60 and above"}';
    stages   text[];
    suppliers text[];
    ncols    integer;
    width    integer;
    height   integer;
    title    text;
    svg      text;
    r        record;
    k        integer;
    x        integer;
    y        integer;
BEGIN
    -- rows: the stages of the country's assessed chains, in chain order
    SELECT array_agg(sr.stage_id ORDER BY sr.sector COLLATE "C" DESC, sr.position) INTO stages
      FROM @extschema@.stage_risk sr
     WHERE sr.country = heatmap_svg.country
       AND (heatmap_svg.sector IS NULL OR sr.sector = heatmap_svg.sector);
    IF stages IS NULL THEN
        RAISE EXCEPTION 'no assessed chain of country "%"%', heatmap_svg.country,
              COALESCE(' in sector "' || heatmap_svg.sector || '"', '')
              USING ERRCODE = 'no_data_found',
                    HINT = 'The heat map draws the stages of chains the country has rated in assessment.';
    END IF;
    -- columns: suppliers the country depends on at those stages, most known share first
    SELECT array_agg(t.supplier ORDER BY t.total DESC NULLS LAST, t.supplier COLLATE "C") INTO suppliers
      FROM (SELECT d.supplier, sum(d.share) AS total
              FROM @extschema@.current_dependency d
             WHERE d.country = heatmap_svg.country AND d.stage = ANY (stages)
             GROUP BY d.supplier) t;
    ncols := COALESCE(array_length(suppliers, 1), 0);
    width := GREATEST(label_w + ncols * cell_w + 24, 840);
    height := top + array_length(stages, 1) * cell_h + 80;
    title := 'Dependency risk of ' || heatmap_svg.country || ' '
             || COALESCE('(' || heatmap_svg.sector || ')', '(all sectors)');

    svg := format('<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" '
                  'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">', width, height, width, height)
        || format('<title>%s</title>', @extschema@.xml_escape(title))
        || format('<rect x="0" y="0" width="%s" height="%s" fill="#ffffff"/>', width, height)
        || format('<text x="12" y="26" font-size="16" font-weight="bold">%s</text>', @extschema@.xml_escape(title))
        || '<text x="12" y="46" fill="#444444">cell = known share x stage weakness x alignment weight'
        || ' (summed over kinds); ? = named, share unknown</text>';

    -- column headers: supplier and how the country regards it
    FOR k IN 1 .. ncols LOOP
        x := label_w + (k - 1) * cell_w + cell_w / 2;
        svg := svg || format('<text x="%s" y="%s" text-anchor="middle" font-weight="bold">%s</text>',
                             x, top - 20, @extschema@.xml_escape(suppliers[k]))
                   || format('<text x="%s" y="%s" text-anchor="middle" font-size="10" fill="#444444">%s</text>',
                             x, top - 7, @extschema@.xml_escape(COALESCE(
                                 (SELECT a.relation FROM @extschema@.alignment a
                                   WHERE a.country = heatmap_svg.country AND a.partner = suppliers[k]),
                                 'no alignment')));
    END LOOP;

    -- row labels: stage name and rating
    FOR r IN
        SELECT sr.stage_id, sr.sector, sr.stage, sr.rating_label
          FROM @extschema@.stage_risk sr
         WHERE sr.country = heatmap_svg.country AND sr.stage_id = ANY (stages)
         ORDER BY array_position(stages, sr.stage_id)
    LOOP
        y := top + (array_position(stages, r.stage_id) - 1) * cell_h;
        svg := svg || format('<text x="12" y="%s">%s <tspan fill="#444444">(%s)</tspan></text>', y + 19,
                             @extschema@.xml_escape(CASE WHEN heatmap_svg.sector IS NULL
                                                         THEN r.sector || ': ' ELSE '' END || r.stage),
                             @extschema@.xml_escape(COALESCE(r.rating_label, 'not rated')));
    END LOOP;

    -- cells: each (stage, supplier) with a dependency, its stage_supplier_risk
    FOR r IN
        SELECT c.stage_id AS stage, c.supplier, c.risk
          FROM @extschema@.stage_supplier_risk c
         WHERE c.country = heatmap_svg.country AND c.stage_id = ANY (stages)
         ORDER BY c.stage_id COLLATE "C", c.supplier COLLATE "C"
    LOOP
        x := label_w + (array_position(suppliers, r.supplier) - 1) * cell_w;
        y := top + (array_position(stages, r.stage) - 1) * cell_h;
        IF r.risk IS NULL THEN
            svg := svg || format('<rect class="cell" x="%s" y="%s" width="%s" height="%s" fill="#d9d9d9" stroke="#ffffff"/>',
                                 x, y, cell_w, cell_h)
                       || format('<text x="%s" y="%s" text-anchor="middle">?</text>', x + cell_w / 2, y + 19);
        ELSE
            k := 1 + (SELECT count(*) FROM unnest(bins) lim WHERE r.risk >= lim)::integer;
            svg := svg || format('<rect class="cell" x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#ffffff"/>',
                                 x, y, cell_w, cell_h, fills[k])
                       || format('<text x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>',
                                 x + cell_w / 2, y + 19, inks[k], to_char(r.risk, 'FM990.00'));
        END IF;
    END LOOP;

    -- legend
    y := top + array_length(stages, 1) * cell_h + 28;
    svg := svg || format('<text x="12" y="%s" font-weight="bold">risk</text>', y + 14);
    FOR k IN 1 .. 5 LOOP
        x := 60 + (k - 1) * 125;
        svg := svg || format('<rect x="%s" y="%s" width="18" height="18" fill="%s" stroke="#888888"/>', x, y, fills[k])
                   || format('<text x="%s" y="%s">%s</text>', x + 24, y + 14, @extschema@.xml_escape(ranges[k]));
    END LOOP;
    svg := svg || format('<rect x="%s" y="%s" width="18" height="18" fill="#d9d9d9" stroke="#888888"/>', 700, y)
               || format('<text x="%s" y="%s">share unknown</text>', 724, y + 14);
    RETURN svg || '</svg>';
END
$$;
COMMENT ON FUNCTION @extschema@.heatmap_svg(text, text) IS
    'SVG heat map of a country''s dependency risk: stages down, suppliers across, colour-blind-safe bins, legend and title';

SET LOCAL supplychain.maintenance = off;
