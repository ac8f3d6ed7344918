-- The EU Critical Raw Materials supply-risk indicator: its functions and
-- aggregate (C), its tables, the materials the brief names, material_risk.

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

SELECT @extschema@.protect_shipped_rows('@extschema@.material');
SELECT @extschema@.protect_shipped_rows('@extschema@.material_supply');
SELECT @extschema@.protect_shipped_rows('@extschema@.governance');
