-- The tables of the supply-chain schema (the EU indicator's tables are in
-- 75_eu_risk.sql).

-- Tables.  Text keys keep the data readable and make pg_dump simple: there
-- are no sequences whose values users' rows and shipped rows could share.
-- Every table has a builtin flag marking the shipped reference rows, and is
-- registered below so that pg_dump keeps users' rows and never duplicates ours.

CREATE TABLE @extschema@.source (
    id        text PRIMARY KEY,           -- short readable key, e.g. 'kiet-2021'
    title     text NOT NULL,
    publisher text NOT NULL,
    published date,                       -- first day of the month when only the month is known; NULL if unknown
    url       text,
    note      text,
    builtin   boolean NOT NULL DEFAULT false
);
-- Every dependency and trade flow row checks two foreign keys here.  Packed,
-- the few hundred countries fit three pages, and the planner then scans the
-- table for each check instead of probing the key; spread over more pages
-- (fillfactor 10: about 25) the checks read one index entry.
CREATE TABLE @extschema@.country (
    code    text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),   -- ISO 3166-1 alpha-2; 'EU' = European Union; 'ZZ' = unspecified foreign
    name    text NOT NULL,
    builtin boolean NOT NULL DEFAULT false
) WITH (fillfactor = 10);
CREATE TABLE @extschema@.sector (
    code    text PRIMARY KEY,            -- 'semiconductors', 'batteries'
    name    text NOT NULL,
    builtin boolean NOT NULL DEFAULT false
);
CREATE TABLE @extschema@.stage (
    id       text PRIMARY KEY,           -- e.g. 'semiconductors.fabrication'
    sector   text NOT NULL REFERENCES @extschema@.sector,
    position integer NOT NULL CHECK (position > 0),
    name     text NOT NULL,
    description text,
    source   text REFERENCES @extschema@.source,
    builtin  boolean NOT NULL DEFAULT false,
    UNIQUE (sector, position)
);
CREATE TABLE @extschema@.stage_link (
    upstream   text NOT NULL REFERENCES @extschema@.stage,
    downstream text NOT NULL REFERENCES @extschema@.stage,
    note       text,
    source     text REFERENCES @extschema@.source,
    builtin    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (upstream, downstream)
);
CREATE TABLE @extschema@.assessment (
    stage     text NOT NULL REFERENCES @extschema@.stage,
    country   text NOT NULL REFERENCES @extschema@.country,
    rating    @extschema@.stage_rating NOT NULL,
    as_of     date NOT NULL DEFAULT CURRENT_DATE,
    diagnosis text,
    basis     text,        -- how the rating was read from the source (quote or inference)
    source    text REFERENCES @extschema@.source,
    builtin   boolean NOT NULL DEFAULT false,
    -- the depending country leads, so that one country's rows are one index range
    PRIMARY KEY (country, stage, as_of)
);
CREATE TABLE @extschema@.dependency (
    stage    text NOT NULL REFERENCES @extschema@.stage,
    country  text NOT NULL REFERENCES @extschema@.country,      -- who depends
    supplier text NOT NULL REFERENCES @extschema@.country,      -- on whom
    kind     text NOT NULL CHECK (kind IN ('supply', 'market', 'talent')),
    item     text NOT NULL,
    share    numeric CHECK (share >= 0 AND share <= 1),          -- NULL = named without a figure
    as_of    date NOT NULL DEFAULT CURRENT_DATE,
    note     text,
    source   text REFERENCES @extschema@.source,
    builtin  boolean NOT NULL DEFAULT false,
    -- the depending country leads (one country's rows are one index range), then
    -- the rest of the share rule's key (stage, kind, item), whose check reads
    -- one key's rows through this index; a backward scan gives each
    -- (country, stage, kind, item, supplier) latest row first
    PRIMARY KEY (country, stage, kind, item, supplier, as_of),
    CHECK (supplier <> country)
);
CREATE TABLE @extschema@.alignment (
    country  text NOT NULL REFERENCES @extschema@.country,
    partner  text NOT NULL REFERENCES @extschema@.country,
    relation text NOT NULL CHECK (relation IN ('ally', 'partner', 'neutral', 'concern')),
    note     text,
    source   text REFERENCES @extschema@.source,
    builtin  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (country, partner),
    CHECK (partner <> country)
);
CREATE TABLE @extschema@.policy (
    id      text PRIMARY KEY,            -- e.g. 'us-2021-semiconductors-1'
    country text NOT NULL REFERENCES @extschema@.country,   -- who issues the policy
    sector  text NOT NULL REFERENCES @extschema@.sector,
    number  integer NOT NULL CHECK (number > 0),
    title   text NOT NULL,
    agency  text,
    source  text REFERENCES @extschema@.source,
    builtin boolean NOT NULL DEFAULT false,
    UNIQUE (country, sector, number)
);
CREATE TABLE @extschema@.policy_measure (
    policy   text NOT NULL REFERENCES @extschema@.policy ON DELETE CASCADE,
    position integer NOT NULL CHECK (position > 0),
    measure  text NOT NULL,
    builtin  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (policy, position)
);
CREATE TABLE @extschema@.policy_impact (
    policy    text NOT NULL REFERENCES @extschema@.policy ON DELETE CASCADE,
    country   text NOT NULL REFERENCES @extschema@.country,  -- the affected country
    horizon   text NOT NULL CHECK (horizon IN ('short', 'long')),
    score     @extschema@.impact_score NOT NULL,
    as_of     date NOT NULL DEFAULT CURRENT_DATE,
    rationale text,
    source    text REFERENCES @extschema@.source,
    builtin   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (country, policy, horizon, as_of)
);
CREATE TABLE @extschema@.figure (     -- quoted figures that are not dependencies (subsidies, capacity, demand)
    id       text PRIMARY KEY,
    country  text REFERENCES @extschema@.country,
    sector   text REFERENCES @extschema@.sector,
    stage    text REFERENCES @extschema@.stage,
    metric   text NOT NULL,           -- e.g. 'central government subsidy', 'share of global cell capacity'
    qualifier text CHECK (qualifier IN ('about', 'more than', 'less than')),  -- NULL = exact as quoted
    value    numeric NOT NULL,
    unit     text NOT NULL,            -- 'USD', 'fraction'
    period   text,                     -- e.g. '2015-2025', '2019', '1990'
    note     text,
    source   text NOT NULL REFERENCES @extschema@.source,
    builtin  boolean NOT NULL DEFAULT false
);
CREATE TABLE @extschema@.weight (
    name          text PRIMARY KEY,
    value         numeric NOT NULL,
    description   text NOT NULL,
    default_value numeric,            -- the shipped value; NULL for users' own weights
    builtin       boolean NOT NULL DEFAULT false
);

COMMENT ON TABLE @extschema@.source IS 'publications the data cites; every reference row names one';
COMMENT ON TABLE @extschema@.country IS 'countries by ISO 3166-1 alpha-2 code (every officially assigned code ships, with its English short name: source iso-3166-1); EU = the European Union as a bloc, ZZ = unspecified foreign countries';
COMMENT ON TABLE @extschema@.sector IS 'industries whose supply chains are assessed';
COMMENT ON TABLE @extschema@.stage IS 'supply-chain stages of a sector, in chain order (position)';
COMMENT ON TABLE @extschema@.stage_link IS 'which stage feeds which; cycles are allowed (recycling feeds refining)';
COMMENT ON TABLE @extschema@.assessment IS 'a country''s rating of its own stage, dated; the latest as_of is current';
COMMENT ON TABLE @extschema@.dependency IS 'country depends on supplier for item at a stage; share NULL = named without a figure';
COMMENT ON TABLE @extschema@.alignment IS 'how country regards partner: ally, partner, neutral or concern';
COMMENT ON TABLE @extschema@.policy IS 'policy recommendations of a country for a sector';
COMMENT ON TABLE @extschema@.policy_measure IS 'the key measures of each policy, in order';
COMMENT ON TABLE @extschema@.policy_impact IS 'impact of a policy on a country''s industry, short or long (mid-to-long) term, dated';
COMMENT ON TABLE @extschema@.figure IS 'quoted figures that are not dependencies: subsidies, budgets, capacity and demand shares';
COMMENT ON TABLE @extschema@.weight IS 'every constant the risk views use; change a value to change the views (default_value keeps the shipped one)';
COMMENT ON COLUMN @extschema@.dependency.share IS 'fraction 0..1 of the item that comes from supplier; NULL when unknown (never read as 0 or 1)';
COMMENT ON COLUMN @extschema@.dependency.kind IS 'supply (imports), market (sales) or talent (workers)';
COMMENT ON COLUMN @extschema@.assessment.basis IS 'where the rating comes from: a quote, or "Inferred: " and the reasoning';
