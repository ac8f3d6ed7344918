-- supplychain 0.1.0 -> 0.2.0: the supply-chain schema, the reference dataset
-- of the KIET 2021 brief, and the risk views.

\echo Use "ALTER EXTENSION supplychain UPDATE TO '0.2.0'" to load this file. \quit

-- Resolve every unqualified name in pg_catalog only, whatever the caller's
-- search_path.  LOCAL: CREATE EXTENSION then puts back the caller's path.
SET LOCAL search_path = pg_catalog, pg_temp;
-- This script ships reference rows (builtin = true), which the triggers below
-- allow only in maintenance mode; the script turns it off again at its end.
SET LOCAL supplychain.maintenance = on;

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
CREATE TABLE @extschema@.country (
    code    text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),   -- ISO 3166-1 alpha-2; 'EU' = European Union; 'ZZ' = unspecified foreign
    name    text NOT NULL,
    builtin boolean NOT NULL DEFAULT false
);
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
    as_of     date NOT NULL,
    diagnosis text,
    basis     text,        -- how the rating was read from the source (quote or inference)
    source    text REFERENCES @extschema@.source,
    builtin   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (stage, country, as_of)
);
CREATE TABLE @extschema@.dependency (
    stage    text NOT NULL REFERENCES @extschema@.stage,
    country  text NOT NULL REFERENCES @extschema@.country,      -- who depends
    supplier text NOT NULL REFERENCES @extschema@.country,      -- on whom
    kind     text NOT NULL CHECK (kind IN ('supply', 'market', 'talent')),
    item     text NOT NULL,
    share    numeric CHECK (share >= 0 AND share <= 1),          -- NULL = named without a figure
    as_of    date NOT NULL,
    note     text,
    source   text REFERENCES @extschema@.source,
    builtin  boolean NOT NULL DEFAULT false,
    -- the share rule's key (stage, country, kind, item) leads, so its check reads
    -- one key's rows through this index
    PRIMARY KEY (stage, country, kind, item, supplier, as_of),
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
    as_of     date NOT NULL,
    rationale text,
    source    text REFERENCES @extschema@.source,
    builtin   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (policy, country, horizon, as_of)
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
COMMENT ON TABLE @extschema@.country IS 'countries by ISO 3166-1 alpha-2 code; EU = the European Union as a bloc, ZZ = unspecified foreign countries';
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

-- The known shares of one item never sum above 1: for each key (stage,
-- country, kind, item) and at every date, the latest row of each supplier
-- up to that date counts, and the sum of the known shares is at most 1.
-- A CHECK cannot see other rows, and a trigger that sums them races with
-- concurrent writers, so writers of a key first lock its row in
-- share_total (an upsert): under READ COMMITTED the second writer waits and
-- then sees the first one's rows; under REPEATABLE READ or SERIALIZABLE it
-- gets a serialization failure.  The check then recomputes the sums from the
-- dependency rows themselves, so share_total holds nothing the check trusts.

CREATE TABLE @extschema@.share_total (
    stage   text NOT NULL,
    country text NOT NULL,
    kind    text NOT NULL,
    item    text NOT NULL,
    total   numeric NOT NULL,
    PRIMARY KEY (stage, country, kind, item)
);
COMMENT ON TABLE @extschema@.share_total IS
    'internal: one row per dependency key (stage, country, kind, item), locked by writers of the key; total = its current known share';

CREATE FUNCTION @extschema@.dependency_share_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    keys text;
    bad record;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM @extschema@.share_total;
        RETURN NULL;
    END IF;
    keys := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT stage, country, kind, item FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT stage, country, kind, item FROM old_rows'
        ELSE 'SELECT stage, country, kind, item FROM new_rows
              UNION SELECT stage, country, kind, item FROM old_rows' END;

    -- lock the keys, in a fixed order so that writers never deadlock
    EXECUTE format($q$
        INSERT INTO @extschema@.share_total AS t (stage, country, kind, item, total)
        SELECT DISTINCT stage, country, kind, item, 0 FROM (%s) k
        ORDER BY stage, country, kind, item
        ON CONFLICT (stage, country, kind, item) DO UPDATE SET total = t.total
    $q$, keys);

    -- each row adds its share minus the same supplier's previous share from
    -- its date on; the running sum is the key's total at each date.  (The
    -- cached current total is written by joining the latest date's total to
    -- share_total through its primary key: linear in the statement's keys.)
    EXECUTE format($q$
        WITH k AS (SELECT DISTINCT stage, country, kind, item FROM (%s) k),
        delta AS (
            SELECT d.stage, d.country, d.kind, d.item, d.as_of,
                   COALESCE(d.share, 0) - COALESCE(lag(d.share) OVER (
                       PARTITION BY d.stage, d.country, d.kind, d.item, d.supplier
                       ORDER BY d.as_of), 0) AS delta
            FROM @extschema@.dependency d JOIN k USING (stage, country, kind, item)
        ), per_date AS (
            SELECT stage, country, kind, item, as_of, sum(delta) AS delta
            FROM delta GROUP BY stage, country, kind, item, as_of
        ), running AS (
            SELECT stage, country, kind, item, as_of,
                   sum(delta) OVER (PARTITION BY stage, country, kind, item ORDER BY as_of) AS total,
                   row_number() OVER (PARTITION BY stage, country, kind, item ORDER BY as_of DESC) AS latest
            FROM per_date
        ), updated AS (
            UPDATE @extschema@.share_total t SET total = r.total
            FROM running r
            WHERE r.latest = 1
              AND (t.stage, t.country, t.kind, t.item) = (r.stage, r.country, r.kind, r.item)
        )
        SELECT stage, country, kind, item, as_of, total FROM running
        WHERE total > 1 ORDER BY stage, country, kind, item, as_of LIMIT 1
    $q$, keys) INTO bad;

    -- keys whose rows are all gone now hold nothing
    IF TG_OP <> 'INSERT' THEN
        EXECUTE format($q$
            UPDATE @extschema@.share_total t SET total = 0
            FROM (SELECT DISTINCT stage, country, kind, item FROM (%s) k) k
            WHERE (t.stage, t.country, t.kind, t.item) = (k.stage, k.country, k.kind, k.item)
              AND NOT EXISTS (SELECT FROM @extschema@.dependency d
                              WHERE (d.stage, d.country, d.kind, d.item) = (k.stage, k.country, k.kind, k.item))
        $q$, keys);
    END IF;

    IF bad.stage IS NOT NULL THEN
        RAISE EXCEPTION 'known shares of a dependency sum to % (above 1)', bad.total
            USING ERRCODE = 'check_violation',
                  DETAIL = format('Stage %s, country %s, kind %s, item "%s", as of %s: the latest known share of each supplier up to that date.',
                                  bad.stage, bad.country, bad.kind, bad.item, bad.as_of),
                  HINT = 'Shares are fractions of one item at one stage. Lower another supplier''s share at the same or an earlier date first.';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.dependency_share_check() IS
    'trigger: rejects known shares of one item summing above 1 at any date, serializing writers of a key on share_total';

CREATE TRIGGER share_check_insert AFTER INSERT ON @extschema@.dependency
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.dependency_share_check();
CREATE TRIGGER share_check_update AFTER UPDATE ON @extschema@.dependency
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.dependency_share_check();
CREATE TRIGGER share_check_delete AFTER DELETE ON @extschema@.dependency
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.dependency_share_check();
CREATE TRIGGER share_check_truncate AFTER TRUNCATE ON @extschema@.dependency
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.dependency_share_check();

-- Shipped rows are read-only: pg_dump does not keep them (CREATE EXTENSION
-- recreates them), so a change to one would be lost, and a restored user row
-- could then conflict with it.  Users record changes as their own rows
-- (dated tables: a later as_of).  Setting supplychain.maintenance = on lifts
-- the rule, for upgrade scripts that correct reference data.
CREATE FUNCTION @extschema@.builtin_readonly() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF pg_catalog.current_setting('supplychain.maintenance', true) = 'on' THEN
        RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'cannot truncate %.%: it holds shipped reference rows', TG_TABLE_SCHEMA, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation',
                  HINT = 'DELETE FROM the table WHERE NOT builtin removes your rows only.';
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NOT OLD.builtin) THEN
        RAISE EXCEPTION 'cannot mark a row of %.% as shipped reference data', TG_TABLE_SCHEMA, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation',
                  DETAIL = 'builtin = true marks the rows that come with the extension; pg_dump does not keep them.',
                  HINT = 'Leave builtin false (the default) for your own rows.';
    END IF;
    RAISE EXCEPTION 'cannot % a shipped reference row of %.%', pg_catalog.lower(TG_OP), TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation',
              DETAIL = 'Rows with builtin = true come with the extension; pg_dump would not keep a change to them.',
              HINT = 'Add your own row instead: in dated tables, a row with a later as_of takes precedence in the views.';
END
$$;
COMMENT ON FUNCTION @extschema@.builtin_readonly() IS
    'trigger: shipped reference rows cannot be created, updated or deleted (unless supplychain.maintenance = on)';

-- A shipped weight that a user changes becomes the user's row (builtin =
-- false), so pg_dump keeps it; restoring it (an INSERT of a user row with a
-- shipped name) takes over the default that CREATE EXTENSION has just
-- inserted, in place.
CREATE FUNCTION @extschema@.weight_ownership() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF pg_catalog.current_setting('supplychain.maintenance', true) = 'on' THEN
        RETURN NEW;         -- upgrade scripts correct shipped weights as shipped
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.builtin AND NEW.name IS DISTINCT FROM OLD.name THEN
            RAISE EXCEPTION 'cannot rename shipped weight "%"', OLD.name
                USING ERRCODE = 'restrict_violation',
                      HINT = 'Change its value, or insert a weight of your own.';
        END IF;
        IF (NEW.value, NEW.description) IS DISTINCT FROM (OLD.value, OLD.description) THEN
            NEW.builtin := false;
        END IF;
    ELSIF NOT NEW.builtin THEN
        -- a user row named like a shipped default takes the default over in place
        UPDATE @extschema@.weight SET value = NEW.value, description = NEW.description, builtin = false
        WHERE name = NEW.name AND builtin;
        IF FOUND THEN
            RETURN NULL;
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.weight_ownership() IS
    'trigger: a changed shipped weight becomes a user row, and a restored user row replaces the shipped default';
CREATE TRIGGER weight_ownership BEFORE INSERT OR UPDATE ON @extschema@.weight
    FOR EACH ROW EXECUTE FUNCTION @extschema@.weight_ownership();

CREATE TRIGGER builtin_readonly BEFORE UPDATE OR DELETE ON @extschema@.source
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.source
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.source
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.source
    FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_readonly BEFORE UPDATE OR DELETE ON @extschema@.country
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.country
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.country
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.country
    FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_readonly BEFORE UPDATE OR DELETE ON @extschema@.sector
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.sector
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.sector
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.sector
    FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_readonly BEFORE UPDATE OR DELETE ON @extschema@.stage
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.stage
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.stage
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.stage
    FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_readonly BEFORE UPDATE OR DELETE ON @extschema@.stage_link
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.stage_link
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.stage_link
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.stage_link
    FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_readonly BEFORE UPDATE OR DELETE ON @extschema@.assessment
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.assessment
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.assessment
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.assessment
    FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_readonly BEFORE UPDATE OR DELETE ON @extschema@.dependency
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.dependency
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.dependency
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.dependency
    FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_readonly BEFORE UPDATE OR DELETE ON @extschema@.alignment
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.alignment
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.alignment
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.alignment
    FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_readonly BEFORE UPDATE OR DELETE ON @extschema@.policy
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.policy
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.policy
    FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_readonly BEFORE UPDATE OR DELETE ON @extschema@.policy_measure
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.policy_measure
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.policy_measure
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.policy_measure
    FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_readonly BEFORE UPDATE OR DELETE ON @extschema@.policy_impact
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.policy_impact
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.policy_impact
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.policy_impact
    FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_readonly BEFORE UPDATE OR DELETE ON @extschema@.figure
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.figure
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.figure
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.figure
    FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
-- a shipped weight cannot be deleted, even once changed: the views need it
CREATE TRIGGER builtin_readonly BEFORE DELETE ON @extschema@.weight
    FOR EACH ROW WHEN (OLD.default_value IS NOT NULL) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON @extschema@.weight
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_insert BEFORE INSERT ON @extschema@.weight
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();
CREATE TRIGGER builtin_claim BEFORE UPDATE ON @extschema@.weight
    FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) EXECUTE FUNCTION @extschema@.builtin_readonly();

-- Reference dataset of the supplychain extension: the KIET brief on the June 2021 US 100-day
-- supply-chain review (semiconductors, batteries), plus a few cited public figures.
-- Every row is builtin and cites a row of @extschema@.source. Pasted into the extension script.

-- Sources cited by the rows below
INSERT INTO @extschema@.source (id, title, publisher, published, url, note, builtin) VALUES
    ('kiet-2021', 'Investigative Report on the US Semiconductor and Battery Supply Chains: Key Points and Implications', 'Korea Institute for Industrial Economics and Trade (KIET), i-KIET Issue & Analysis', NULL, 'http://eng.kiet.re.kr', 'The primary source: a KIET brief (authors Lee Jun, Kyung Heekwon, Lee Sungkyung, Lee Goeun) on the semiconductor and battery parts of the White House 100-day review; Tables 1-6. The text gives no publication date.', true),
    ('wh-100day-2021', 'Building Resilient Supply Chains, Revitalizing American Manufacturing, and Fostering Broad-Based Growth: 100-Day Reviews under Executive Order 14017', 'The White House', '2021-06-01', 'https://www.whitehouse.gov/wp-content/uploads/2021/06/100-day-supply-chain-review-report.pdf', 'The review the KIET brief summarises; also the source cited here for the US share of global fabrication capacity and for ASML as sole EUV tool producer. Dated June 2021 (the KIET brief''s footnote 1 gives only the month), so the day is recorded as the first of the month; the KIET brief''s body says the report was released on June 4, 2021.', true),
    ('sia-bcg-2021', 'Strengthening the Global Semiconductor Supply Chain in an Uncertain Era', 'Semiconductor Industry Association (SIA) and Boston Consulting Group (BCG)', '2021-04-01', 'https://www.semiconductors.org/strengthening-the-global-semiconductor-supply-chain-in-an-uncertain-era/', 'April 2021; the day is recorded as the first of the month. Used for the 2019 shares of global semiconductor manufacturing capacity below 10 nm (Taiwan 92 %, South Korea 8 %).', true),
    ('us-state-collective-defense', 'U.S. Collective Defense Arrangements', 'U.S. Department of State', NULL, 'https://2009-2017.state.gov/s/l/treaty/collectivedefense/', 'Lists the US collective defense treaties: the North Atlantic Treaty (NATO, including the Netherlands), the U.S.-Japan Treaty of Mutual Cooperation and Security and the U.S.-Republic of Korea Mutual Defense Treaty, among others.', true),
    ('us-taiwan-relations-act', 'Taiwan Relations Act, Public Law 96-8', 'U.S. Congress', '1979-04-10', NULL, 'Governs US relations with Taiwan in the absence of diplomatic recognition; Taiwan is not a treaty ally.', true);

-- Countries and blocs named by the rows below (ZZ = foreign, unnamed)
INSERT INTO @extschema@.country (code, name, builtin) VALUES
    ('US', 'United States', true),
    ('KR', 'Republic of Korea', true),
    ('TW', 'Taiwan', true),
    ('CN', 'China', true),
    ('JP', 'Japan', true),
    ('NL', 'Netherlands', true),
    ('EU', 'European Union', true),
    ('ZZ', 'Unspecified foreign countries', true);

-- Sectors of the brief
INSERT INTO @extschema@.sector (code, name, builtin) VALUES
    ('semiconductors', 'Semiconductors', true),
    ('batteries', 'Large-capacity batteries', true);

-- Supply-chain stages, in the brief's order (Tables 1 and 3)
INSERT INTO @extschema@.stage (id, sector, position, name, description, source, builtin) VALUES
    ('semiconductors.design', 'semiconductors', 1, 'Design', 'Chip design by fabless firms and integrated device manufacturers (IDMs), including IP and EDA tools', 'kiet-2021', true),
    ('semiconductors.fabrication', 'semiconductors', 2, 'Fabrication', 'Wafer fabrication of leading-edge and mature-node chips (foundry)', 'kiet-2021', true),
    ('semiconductors.atp', 'semiconductors', 3, 'ATP and Advanced Packaging', 'Assembly, testing and packaging (ATP) of chips, including advanced packaging and printed circuit boards', 'kiet-2021', true),
    ('semiconductors.materials', 'semiconductors', 4, 'Materials', 'Semiconductor materials: ultra-high purity polysilicon, wafers, photomasks, photoresists, gases and wet chemicals', 'kiet-2021', true),
    ('semiconductors.equipment', 'semiconductors', 5, 'Manufacturing Equipment', 'Semiconductor manufacturing equipment, including front-end and lithography equipment', 'kiet-2021', true),
    ('batteries.raw', 'batteries', 1, 'Raw Materials Production', 'Mining of battery raw materials, chiefly nickel, lithium and cobalt for cathode materials', 'kiet-2021', true),
    ('batteries.refining', 'batteries', 2, 'Materials Refinement and Processing', 'Refining and processing of mined raw materials into battery materials', 'kiet-2021', true),
    ('batteries.cells', 'batteries', 3, 'Manufacturing Materials and Cell Fabrication', 'Manufacture of battery materials and fabrication of battery cells', 'kiet-2021', true),
    ('batteries.packs', 'batteries', 4, 'Pack Fabrication', 'Assembly of cells into battery packs', 'kiet-2021', true),
    ('batteries.recycling', 'batteries', 5, 'Recycling and Reuse', 'Recycling and reuse of batteries, supplementing newly mined raw material', 'kiet-2021', true);

-- Stage links, upstream to downstream (batteries: recycling feeds refining, a cycle)
INSERT INTO @extschema@.stage_link (upstream, downstream, note, source, builtin) VALUES
    ('semiconductors.design', 'semiconductors.fabrication', 'The brief''s chain: "(1) Design (Fabless) → (2) Fabrication (Foundry)"; the US excels in "domestic design, foreign production".', 'kiet-2021', true),
    ('semiconductors.fabrication', 'semiconductors.atp', 'The brief''s chain: "(2) Fabrication (Foundry) → (3) ATP and Advanced Packaging".', 'kiet-2021', true),
    ('semiconductors.materials', 'semiconductors.fabrication', 'Materials feed fabrication: Table 1 calls ATP, materials and equipment "sectors closely related to semiconductor manufacturing".', 'kiet-2021', true),
    ('semiconductors.equipment', 'semiconductors.fabrication', 'Equipment feeds fabrication: Table 1 calls ATP, materials and equipment "sectors closely related to semiconductor manufacturing"; "front-end manufacturing equipment".', 'kiet-2021', true),
    ('batteries.raw', 'batteries.refining', 'The brief''s chain: "(1) Raw materials production (mining) → (2) Materials refinement and processing"; "Mined raw materials are exported owing to lack of refining and processing facilities in the U.S."', 'kiet-2021', true),
    ('batteries.refining', 'batteries.cells', 'The brief''s chain: "(2) Materials refinement and processing → (3) Manufacturing materials and cell fabrication".', 'kiet-2021', true),
    ('batteries.cells', 'batteries.packs', 'The brief''s chain: "(3) Manufacturing materials and cell fabrication → (4) Pack fabrication".', 'kiet-2021', true),
    ('batteries.packs', 'batteries.recycling', 'The brief''s chain: "(4) Pack fabrication → (5) Recycling and reuse".', 'kiet-2021', true),
    ('batteries.recycling', 'batteries.refining', 'Closes the loop: "Recycling and reuse supplements the supply of new mined raw material"; recycled material re-enters processing alongside mined material ("Refining and processing capacities need to be secured (in addition to recycling)").', 'kiet-2021', true);

-- US self-assessment per stage (Tables 1 and 3), as of the June 2021 review
INSERT INTO @extschema@.assessment (stage, country, rating, as_of, diagnosis, basis, source, builtin) VALUES
    ('semiconductors.design', 'US', 'satisfactory', '2021-06-01', 'Highly competitive Integrated Device Manufacturers (IDM) and “fabless” manufacturers; Leader in intellectual property (IP) and electronic design automation (EDA); Risk factors: high dependence on sales to China, dependence on foreign workers', 'Inferred: Table 1 gives no rating, only strengths ("Highly competitive Integrated Device Manufacturers (IDM) and “fabless” manufacturers", "Leader in intellectual property (IP) and electronic design automation (EDA)") besides risk factors; text: "the U.S. excels in “fables” segments"', 'kiet-2021', true),
    ('semiconductors.fabrication', 'US', 'very weak', '2021-06-01', 'Assessed to be the weakest sector; Overall weakness in foundation for semiconductor manufacturing; U.S. is dependent on Korea and Taiwan for leading-edge logic chips and on China for low-tech mature-node chips.; Due to the lack of a manufacturing base for ATP, materials, equipment, etc, sectors closely related to semiconductor manufacturing are unable to acquire technology and knowledge from manufacturing processes.', 'Table 1: "Assessed to be the weakest sector"; text: "with fabrication being the weakest sector"', 'kiet-2021', true),
    ('semiconductors.atp', 'US', 'weak', '2021-06-01', 'Assessed as a weak sector; Report argues China is distorting the market with large-scale investment and price tampering.; US manufacturing base for printed circuit boards (PCBs), a crucial packaging material, is very weak.; Difficult for US to grow ATP industry depending solely on domestic (military) market', 'Table 1: "Assessed as a weak sector"', 'kiet-2021', true),
    ('semiconductors.materials', 'US', 'weak', '2021-06-01', 'Assessed as a weak sector; Competitiveness in ultra-high purity polysilicon, wafers, photomasks, photoresists, and other key materials relatively weak compared to Japan and Europe.; However, gas and wet chemicals highly competitive', 'Table 1: "Assessed as a weak sector"', 'kiet-2021', true),
    ('semiconductors.equipment', 'US', 'satisfactory', '2021-06-01', 'Strong competitiveness of front-end manufacturing equipment; US dependent on the Netherlands and Japan for lithography equipment; U.S. equipment sales dependent on Asian customers, particularly Taiwan, China, and Korea', 'Inferred: Table 1 gives no rating; "Strong competitiveness of front-end manufacturing equipment"', 'kiet-2021', true),
    ('batteries.raw', 'US', 'weak', '2021-06-01', 'Assessed as a weak sector; Focuses on nickel, lithium, and cobalt, which are key ingredients of cathode materials for batteries.; Difficult to meet the rapidly increasing demand by using only recycled and alternative materials. Production of key materials must be increased.; New labor and environmental standards are necessary to make domestic production economically feasible.; Necessary to diversify supply and demand channels through cooperation with allies and spread global labor and environmental standards.', 'Table 3: "Assessed as a weak sector"', 'kiet-2021', true),
    ('batteries.refining', 'US', 'very weak', '2021-06-01', 'Assessed as the weakest sector; Mined raw materials are exported owing to lack of refining and processing facilities in the U.S.; Refining and processing capacities need to be secured (in addition to recycling) in order to strengthen the supply chain.; Report states that the above factors have given China the lead in supply chains.', 'Table 3: "Assessed as the weakest sector"; text: "The weakest link is upstream in the value chain."', 'kiet-2021', true),
    ('batteries.cells', 'US', 'weak', '2021-06-01', 'Diagnosis: US possesses less than 10 percent of global supply capacity.; China accounts for more than 75 percent.; Lack of demand hinders private investment; U.S. accounts for only 12 percent of the global battery demand.', 'Inferred: Table 3 gives no rating; text: "the independent domestic manufacturing base for batteries is generally weak along the entire supply chain"; "US possesses less than 10 percent of global supply capacity"', 'kiet-2021', true),
    ('batteries.packs', 'US', 'weak', '2021-06-01', 'Expanding federal support for cell fabrication and packaging can facilitate private investment.', 'Inferred: Table 3 gives no rating; text: "the independent domestic manufacturing base for batteries is generally weak along the entire supply chain"', 'kiet-2021', true),
    ('batteries.recycling', 'US', 'weak', '2021-06-01', 'Recycling and reuse in early stages of development.; Recycling and reuse supplements the supply of new mined raw material.; With the appropriate policies and investment, US can gain competitive status in global battery supply chain.', 'Inferred: Table 3 gives no rating; text: "the independent domestic manufacturing base for batteries is generally weak along the entire supply chain"; "Recycling and reuse in early stages of development."', 'kiet-2021', true);

-- Dependencies of the US chains named by the brief (share NULL where the brief gives no figure)
INSERT INTO @extschema@.dependency (stage, country, supplier, kind, item, share, as_of, note, source, builtin) VALUES
    ('semiconductors.design', 'US', 'CN', 'market', 'chip sales', NULL, '2021-06-01', 'Table 1 (Design), risk factor: "high dependence on sales to China"', 'kiet-2021', true),
    ('semiconductors.design', 'US', 'ZZ', 'talent', 'foreign workers', NULL, '2021-06-01', 'Table 1 (Design), risk factor: "dependence on foreign workers"; the brief names no country', 'kiet-2021', true),
    ('semiconductors.fabrication', 'US', 'TW', 'supply', 'leading-edge logic chips', 0.92, '2021-06-01', 'Dependency named in the brief''s Table 1: "U.S. is dependent on Korea and Taiwan for leading-edge logic chips"; the share is Taiwan''s share of global semiconductor manufacturing capacity below 10 nm in 2019 (SIA/BCG), not a share of US supply', 'sia-bcg-2021', true),
    ('semiconductors.fabrication', 'US', 'KR', 'supply', 'leading-edge logic chips', 0.08, '2021-06-01', 'Dependency named in the brief''s Table 1: "U.S. is dependent on Korea and Taiwan for leading-edge logic chips"; the share is South Korea''s share of global semiconductor manufacturing capacity below 10 nm in 2019 (SIA/BCG), not a share of US supply', 'sia-bcg-2021', true),
    ('semiconductors.fabrication', 'US', 'CN', 'supply', 'mature-node chips', NULL, '2021-06-01', 'Table 1 (Fabrication): "on China for low-tech mature-node chips"; no figure given', 'kiet-2021', true),
    ('semiconductors.materials', 'US', 'JP', 'supply', 'key materials (ultra-high purity polysilicon, wafers, photomasks, photoresists)', NULL, '2021-06-01', 'Table 1 (Materials): US competitiveness in these key materials is "relatively weak compared to Japan and Europe"; no figure given', 'kiet-2021', true),
    ('semiconductors.materials', 'US', 'EU', 'supply', 'key materials (ultra-high purity polysilicon, wafers, photomasks, photoresists)', NULL, '2021-06-01', 'Table 1 (Materials): US competitiveness in these key materials is "relatively weak compared to Japan and Europe" (the brief says Europe; recorded as the EU bloc); no figure given', 'kiet-2021', true),
    ('semiconductors.equipment', 'US', 'NL', 'supply', 'lithography equipment', NULL, '2021-06-01', 'Table 1 (Manufacturing Equipment): "US dependent on the Netherlands and Japan for lithography equipment"; no figure given', 'kiet-2021', true),
    ('semiconductors.equipment', 'US', 'JP', 'supply', 'lithography equipment', NULL, '2021-06-01', 'Table 1 (Manufacturing Equipment): "US dependent on the Netherlands and Japan for lithography equipment"; no figure given', 'kiet-2021', true),
    ('semiconductors.equipment', 'US', 'NL', 'supply', 'EUV lithography tools', 1.0, '2021-06-01', 'ASML (Netherlands) is the sole producer of EUV lithography tools', 'wh-100day-2021', true),
    ('semiconductors.equipment', 'US', 'TW', 'market', 'equipment sales', NULL, '2021-06-01', 'Table 1 (Manufacturing Equipment): "U.S. equipment sales dependent on Asian customers, particularly Taiwan, China, and Korea"; no figure given', 'kiet-2021', true),
    ('semiconductors.equipment', 'US', 'CN', 'market', 'equipment sales', NULL, '2021-06-01', 'Table 1 (Manufacturing Equipment): "U.S. equipment sales dependent on Asian customers, particularly Taiwan, China, and Korea"; no figure given', 'kiet-2021', true),
    ('semiconductors.equipment', 'US', 'KR', 'market', 'equipment sales', NULL, '2021-06-01', 'Table 1 (Manufacturing Equipment): "U.S. equipment sales dependent on Asian customers, particularly Taiwan, China, and Korea"; no figure given', 'kiet-2021', true),
    ('batteries.refining', 'US', 'CN', 'supply', 'refined and processed battery materials', NULL, '2021-06-01', 'Table 3 (Materials Refinement and Processing): "Mined raw materials are exported owing to lack of refining and processing facilities in the U.S." and "Report states that the above factors have given China the lead in supply chains."; no figure given', 'kiet-2021', true),
    ('batteries.cells', 'US', 'CN', 'supply', 'battery cells', 0.75, '2021-06-01', 'China accounts for more than 75 percent of global cell supply capacity (lower bound; share of global capacity)', 'kiet-2021', true);

-- How one country regards another (ally / partner / neutral / concern)
INSERT INTO @extschema@.alignment (country, partner, relation, note, source, builtin) VALUES
    ('US', 'KR', 'ally', 'The brief: "Korea, as a U.S. ally"; also a US treaty ally under the U.S.-Republic of Korea Mutual Defense Treaty (U.S. Collective Defense Arrangements).', 'kiet-2021', true),
    ('US', 'JP', 'ally', 'Treaty ally under the U.S.-Japan Treaty of Mutual Cooperation and Security (U.S. Collective Defense Arrangements).', 'us-state-collective-defense', true),
    ('US', 'NL', 'ally', 'Treaty ally as a member of NATO (North Atlantic Treaty; U.S. Collective Defense Arrangements).', 'us-state-collective-defense', true),
    ('US', 'TW', 'partner', 'Not a treaty ally: relations are governed by the Taiwan Relations Act (1979) in the absence of diplomatic recognition, hence partner.', 'us-taiwan-relations-act', true),
    ('US', 'EU', 'partner', 'The brief has the US work with "ally and partner countries" and names Europe beside Japan as a key-materials supplier; the EU is a bloc and not itself a party to a US collective defense treaty, so partner rather than ally (its NATO members are allies individually).', 'kiet-2021', true),
    ('US', 'CN', 'concern', 'Policy ⑦ (Table 2): "Work with allies to restrict exports of advanced equipment to countries of concern."; the brief speaks of "the U.S. efforts to stave off China" and of US legislation "containing China".', 'kiet-2021', true),
    ('KR', 'US', 'ally', 'The brief: "Korea, as a U.S. ally"; Korea should establish itself "as a reliable global partner of the U.S. and as a technology ally".', 'kiet-2021', true);

-- US policy recommendations (Table 2: Commerce, semiconductors; Table 4: Energy, batteries)
INSERT INTO @extschema@.policy (id, country, sector, number, title, agency, source, builtin) VALUES
    ('us-semiconductors-1', 'US', 'semiconductors', 1, 'Boost domestic investment and strengthen close communication and cooperation with industry', 'U.S. Department of Commerce', 'kiet-2021', true),
    ('us-semiconductors-2', 'US', 'semiconductors', 2, 'Expedite implementation of CHIPS for America Act to gain technological competitive advantage', 'U.S. Department of Commerce', 'kiet-2021', true),
    ('us-semiconductors-3', 'US', 'semiconductors', 3, 'Strengthen the domestic semiconductor manufacturing environment', 'U.S. Department of Commerce', 'kiet-2021', true),
    ('us-semiconductors-4', 'US', 'semiconductors', 4, 'Support SMEs to strengthen innovation capacity', 'U.S. Department of Commerce', 'kiet-2021', true),
    ('us-semiconductors-5', 'US', 'semiconductors', 5, 'Develop and secure manpower for semiconductors', 'U.S. Department of Commerce', 'kiet-2021', true),
    ('us-semiconductors-6', 'US', 'semiconductors', 6, 'Cooperate with allies to secure supply chain resilience', 'U.S. Department of Commerce', 'kiet-2021', true),
    ('us-semiconductors-7', 'US', 'semiconductors', 7, 'Protect technology', 'U.S. Department of Commerce', 'kiet-2021', true),
    ('us-batteries-1', 'US', 'batteries', 1, 'Increase demand for American-made batteries', 'U.S. Department of Energy', 'kiet-2021', true),
    ('us-batteries-2', 'US', 'batteries', 2, 'Expand domestic supply capabilities for key materials', 'U.S. Department of Energy', 'kiet-2021', true),
    ('us-batteries-3', 'US', 'batteries', 3, 'Stimulate production of materials, cells and packs', 'U.S. Department of Energy', 'kiet-2021', true),
    ('us-batteries-4', 'US', 'batteries', 4, 'Invest in human resources and innovation to strengthen the battery ecosystem', 'U.S. Department of Energy', 'kiet-2021', true);

-- Key measures of each policy, verbatim from Tables 2 and 4
INSERT INTO @extschema@.policy_measure (policy, position, measure, builtin) VALUES
    ('us-semiconductors-1', 1, 'Expand information sharing between suppliers and consumers by actively utilizing the convening authority of the Department of Commerce and the consultive groups of other departments.', true),
    ('us-semiconductors-1', 2, 'Strengthen association and cooperation with enterprises in ally and partner countries.', true),
    ('us-semiconductors-1', 3, 'Develop a response system for each scenario to enhance the ability to address current supply chain issues.', true),
    ('us-semiconductors-2', 1, 'Rapidly disburse 50 billion USD budget allocated in CHIPS for America Act to support construction and expansion of domestic manufacturing facilities.', true),
    ('us-semiconductors-2', 2, 'Expand R&D support and secure cutting-edge semiconductor technology; establish a national semiconductor technology center (NSTC).', true),
    ('us-semiconductors-2', 3, 'Establish a multilateral fund to strengthen supply chain security through export restrictions, foreign direct investment (FDI) screening, and intellectual property protection.', true),
    ('us-semiconductors-3', 1, 'Expand basic infrastructure (electricity, water, etc.) for semiconductor manufacturing based on the American Jobs Plan Executive Order.', true),
    ('us-semiconductors-3', 2, 'Provide funding to SMEs in materials, parts, and equipment sectors', true),
    ('us-semiconductors-3', 3, 'Strengthen testing capability related to national defense and security.', true),
    ('us-semiconductors-4', 1, 'Utilize the Small Business Innovation Research (SBIR) program and Small Business Technology Transfer (STTR) program to provide financial support for startups and small businesses related to semiconductors.', true),
    ('us-semiconductors-4', 2, 'Support technology commercialization and scaling-up.', true),
    ('us-semiconductors-4', 3, 'Provide SMEs with financial support through the Small Business Administration (SBA) and the U.S. Export-Import Bank (EXIM).', true),
    ('us-semiconductors-5', 1, 'Utilize programs and funds from the Department of Labor''s Employment and Training Administration (ETA) to strengthen vocational training.', true),
    ('us-semiconductors-5', 2, 'Attract foreign talent through visa reform and strengthen education in science, technology, engineering, and mathematics (STEM).', true),
    ('us-semiconductors-6', 1, 'Locate foreign production facilities in on allied territory', true),
    ('us-semiconductors-6', 2, 'Pursue joint R&D and strengthen joint response capacity', true),
    ('us-semiconductors-6', 3, 'Multilateral and bilateral strategy discussions', true),
    ('us-semiconductors-7', 1, 'Maintain and strengthen export restrictions in order to address weaknesses in the supply chain.', true),
    ('us-semiconductors-7', 2, 'Work with allies to restrict exports of advanced equipment to countries of concern.', true),
    ('us-semiconductors-7', 3, 'Maintain and strengthen the function of the Committee on Foreign Investment in the United States (CFIUS).', true),
    ('us-batteries-1', 1, 'Electrify public fleet of, school buses, and carpool vans.', true),
    ('us-batteries-1', 2, 'Build more charging infrastructure, strengthen energy efficiency and emissions standards.', true),
    ('us-batteries-1', 3, 'Include energy storage systems (ESS) in investment tax credits.', true),
    ('us-batteries-1', 4, 'Revise transmission regulations to support renewable energy and ESS.', true),
    ('us-batteries-2', 1, 'Support manufacturing and refining of domestic lithium.', true),
    ('us-batteries-2', 2, 'Promote nickel and cobalt recycling.', true),
    ('us-batteries-2', 3, 'Invest in nickel smelting facilities and secure supply through cooperation with allies.', true),
    ('us-batteries-2', 4, 'Modernize environmental standards and revise labor requirements.', true),
    ('us-batteries-3', 1, 'Create a new federal subsidy program to promote private sector investment in batteries.', true),
    ('us-batteries-3', 2, 'Utilize the Department of Energy’s Advanced Technology Vehicle Management Loan program to promote investment.', true),
    ('us-batteries-3', 3, 'Revise tax credit policy to support cell fabrication and materials processing SMEs', true),
    ('us-batteries-3', 4, 'Strengthen domestic production by using subsidies, R&D, and other policies with federal budget', true),
    ('us-batteries-4', 1, 'Expand investment in workforce training for next generation battery and electric car industries.', true),
    ('us-batteries-4', 2, 'Recruit battery manufacturing workers.', true),
    ('us-batteries-4', 3, 'Expand R&D to alleviate weaknesses in the supply chain.', true),
    ('us-batteries-4', 4, 'Establish the Manufacturing USA Institute for large-capacity batteries.', true);

-- Impact of each US policy on Korea's industry, short and mid-to-long term (Tables 5 and 6)
INSERT INTO @extschema@.policy_impact (policy, country, horizon, score, as_of, rationale, source, builtin) VALUES
    ('us-semiconductors-1', 'KR', 'short', 'very positive', '2021-06-01', 'The new Semiconductors in America Coalition (SAC) and other channels will provide opportunities to gain information and expand business opportunities.; It will be possible to jointly address supply chain issues.', 'kiet-2021', true),
    ('us-semiconductors-1', 'KR', 'long', 'positive', '2021-06-01', 'The new Semiconductors in America Coalition (SAC) and other channels will provide opportunities to gain information and expand business opportunities.; It will be possible to jointly address supply chain issues.', 'kiet-2021', true),
    ('us-semiconductors-2', 'KR', 'short', 'very positive', '2021-06-01', 'Expanded incentives for Korean companies investing in the U.S.; However, enhanced U.S. semiconductor manufacturing capabilities may weaken Korea’s position in the global semiconductor market in the mid to long term.', 'kiet-2021', true),
    ('us-semiconductors-2', 'KR', 'long', 'negative', '2021-06-01', 'Expanded incentives for Korean companies investing in the U.S.; However, enhanced U.S. semiconductor manufacturing capabilities may weaken Korea’s position in the global semiconductor market in the mid to long term.', 'kiet-2021', true),
    ('us-semiconductors-3', 'KR', 'short', 'positive', '2021-06-01', 'Expansion of manufacturing infrastructure can provide Korean companies investing in the U.S. with a stable manufacturing base.; However, if a competitive semiconductor ecosystem is developed in the U.S., this will help the U.S. regain market share within the semiconductor industry leading to an overall improvement in U.S. competitive advantage.', 'kiet-2021', true),
    ('us-semiconductors-3', 'KR', 'long', 'negative', '2021-06-01', 'Expansion of manufacturing infrastructure can provide Korean companies investing in the U.S. with a stable manufacturing base.; However, if a competitive semiconductor ecosystem is developed in the U.S., this will help the U.S. regain market share within the semiconductor industry leading to an overall improvement in U.S. competitive advantage.', 'kiet-2021', true),
    ('us-semiconductors-4', 'KR', 'short', 'neutral', '2021-06-01', 'No direct benefits for Korean materials, parts, and equipment enterprises.; This policy will contribute to strengthening the U.S. materials, parts, and equipment ecosystem.', 'kiet-2021', true),
    ('us-semiconductors-4', 'KR', 'long', 'negative', '2021-06-01', 'No direct benefits for Korean materials, parts, and equipment enterprises.; This policy will contribute to strengthening the U.S. materials, parts, and equipment ecosystem.', 'kiet-2021', true),
    ('us-semiconductors-5', 'KR', 'short', 'neutral', '2021-06-01', 'May help Korean companies in the U.S. secure a high-quality workforce to some extent.; At the same time there is a possibility that Korea may lose high-quality talent to the U.S.', 'kiet-2021', true),
    ('us-semiconductors-5', 'KR', 'long', 'negative', '2021-06-01', 'May help Korean companies in the U.S. secure a high-quality workforce to some extent.; At the same time there is a possibility that Korea may lose high-quality talent to the U.S.', 'kiet-2021', true),
    ('us-semiconductors-6', 'KR', 'short', 'very positive', '2021-06-01', 'Close communication between semiconductor allies will allow for joint responses to issues in the semiconductor supply chain as well as foster cooperation.; May help blunt China’s ascent in technology and thus help maintain the current technology gap.; However, if Korea openly participates in counter-China measures, it may suffer indiscriminate trade retaliation from China.', 'kiet-2021', true),
    ('us-semiconductors-6', 'KR', 'long', 'neutral', '2021-06-01', 'Close communication between semiconductor allies will allow for joint responses to issues in the semiconductor supply chain as well as foster cooperation.; May help blunt China’s ascent in technology and thus help maintain the current technology gap.; However, if Korea openly participates in counter-China measures, it may suffer indiscriminate trade retaliation from China.', 'kiet-2021', true),
    ('us-semiconductors-7', 'KR', 'short', 'very positive', '2021-06-01', NULL, 'kiet-2021', true),
    ('us-semiconductors-7', 'KR', 'long', 'neutral', '2021-06-01', NULL, 'kiet-2021', true),
    ('us-batteries-1', 'KR', 'short', 'very positive', '2021-06-01', 'Korean battery firms can supply the new demand created by promotional measures.; U.S. firms may enter the competitive market in the mid to long term, but it will be difficult for them to gain manufacturing competitiveness immediately. This will allow Korean battery manufacturers to maintain a large market share of the U.S. domestic market.', 'kiet-2021', true),
    ('us-batteries-1', 'KR', 'long', 'positive', '2021-06-01', 'Korean battery firms can supply the new demand created by promotional measures.; U.S. firms may enter the competitive market in the mid to long term, but it will be difficult for them to gain manufacturing competitiveness immediately. This will allow Korean battery manufacturers to maintain a large market share of the U.S. domestic market.', 'kiet-2021', true),
    ('us-batteries-2', 'KR', 'short', 'neutral', '2021-06-01', 'Mid- to long-term development of U.S. capabilities in raw materials will help Korea''s battery industry diversify its supply channels.; Joint R&D in recycling and reuse will contribute to enhanced technological capabilities and stabilization of the supply chain.', 'kiet-2021', true),
    ('us-batteries-2', 'KR', 'long', 'positive', '2021-06-01', 'Mid- to long-term development of U.S. capabilities in raw materials will help Korea''s battery industry diversify its supply channels.; Joint R&D in recycling and reuse will contribute to enhanced technological capabilities and stabilization of the supply chain.', 'kiet-2021', true),
    ('us-batteries-3', 'KR', 'short', 'neutral', '2021-06-01', 'We can expect the U.S. battery industry and the related ecosystem to attain competitiveness in the mid-to-long term.; If U.S. domestic firms are prioritized for government support (much like China has done), we can expect the U.S. to gain competitiveness quickly.; Korean firms will inevitably lose market share in the U.S. market. Competitive pressures within the global market will intensify in the mid-to-long term as well.', 'kiet-2021', true),
    ('us-batteries-3', 'KR', 'long', 'negative', '2021-06-01', 'We can expect the U.S. battery industry and the related ecosystem to attain competitiveness in the mid-to-long term.; If U.S. domestic firms are prioritized for government support (much like China has done), we can expect the U.S. to gain competitiveness quickly.; Korean firms will inevitably lose market share in the U.S. market. Competitive pressures within the global market will intensify in the mid-to-long term as well.', 'kiet-2021', true),
    ('us-batteries-4', 'KR', 'short', 'neutral', '2021-06-01', 'U.S. battery industry will strengthen in the mid-to-long term.; Active recruitment of foreign talent could lead to loss of manufacturing workers in Korea .', 'kiet-2021', true),
    ('us-batteries-4', 'KR', 'long', 'negative', '2021-06-01', 'U.S. battery industry will strengthen in the mid-to-long term.; Active recruitment of foreign talent could lead to loss of manufacturing workers in Korea .', 'kiet-2021', true);

-- Quoted figures that are not dependencies (subsidies, budget, capacity and demand shares)
INSERT INTO @extschema@.figure (id, country, sector, stage, metric, qualifier, value, unit, period, note, source, builtin) VALUES
    ('cn-semiconductor-subsidy-central', 'CN', 'semiconductors', NULL, 'central government subsidy', 'about', 200000000000, 'USD', '2015-2025', 'Footnote 7: "China is planning to inject roughly 200 billion USD in central government subsidies into the semiconductor industry" through its National Integrated Circuit Industry Investment Fund (ICF); planned', 'kiet-2021', true),
    ('cn-semiconductor-subsidy-local', 'CN', 'semiconductors', NULL, 'local government subsidy', 'about', 145000000000, 'USD', '2015-2025', 'Footnote 7: "roughly 145 billion USD in local government subsidies between 2015 and 2025 through its National Integrated Circuit Industry Investment Fund (ICF)"; planned', 'kiet-2021', true),
    ('us-chips-act-budget', 'US', 'semiconductors', NULL, 'CHIPS for America Act budget', NULL, 50000000000, 'USD', NULL, 'Table 2, policy ②: "Rapidly disburse 50 billion USD budget allocated in CHIPS for America Act to support construction and expansion of domestic manufacturing facilities."', 'kiet-2021', true),
    ('us-battery-cell-capacity-share', 'US', 'batteries', 'batteries.cells', 'share of global cell supply capacity', 'less than', 0.10, 'fraction', NULL, 'Table 3 (Manufacturing Materials and Cell Fabrication): "US possesses less than 10 percent of global supply capacity."', 'kiet-2021', true),
    ('cn-battery-cell-capacity-share', 'CN', 'batteries', 'batteries.cells', 'share of global cell supply capacity', 'more than', 0.75, 'fraction', NULL, 'Table 3 (Manufacturing Materials and Cell Fabrication): "China accounts for more than 75 percent." Also stored as the US dependency on China for battery cells.', 'kiet-2021', true),
    ('us-battery-demand-share', 'US', 'batteries', 'batteries.cells', 'share of global battery demand', NULL, 0.12, 'fraction', NULL, 'Table 3 (Manufacturing Materials and Cell Fabrication): "U.S. accounts for only 12 percent of the global battery demand."', 'kiet-2021', true),
    ('us-fab-capacity-share', 'US', 'semiconductors', 'semiconductors.fabrication', 'share of global semiconductor fabrication capacity', 'about', 0.12, 'fraction', NULL, 'Current share at the time of the 100-day review (2021), as quoted there; down from 37 percent in 1990.', 'wh-100day-2021', true),
    ('us-fab-capacity-share-1990', 'US', 'semiconductors', 'semiconductors.fabrication', 'share of global semiconductor fabrication capacity', NULL, 0.37, 'fraction', '1990', 'US share in 1990, as quoted in the 100-day review.', 'wh-100day-2021', true);

-- The weights of the risk model (README, "Risk model").
INSERT INTO @extschema@.weight (name, value, description, builtin) VALUES
    ('weakness.satisfactory', 1.0 / 3, 'weakness of a stage rated satisfactory', true),
    ('weakness.weak', 2.0 / 3, 'weakness of a stage rated weak', true),
    ('weakness.very weak', 1, 'weakness of a stage rated very weak', true),
    ('weakness.unassessed', 1, 'weakness of a stage the depending country has not rated (no evidence of strength)', true),
    ('alignment.ally', 0.25, 'weight of a dependency on an ally', true),
    ('alignment.partner', 0.5, 'weight of a dependency on a partner', true),
    ('alignment.neutral', 0.75, 'weight of a dependency on a neutral country', true),
    ('alignment.concern', 1, 'weight of a dependency on a country of concern', true),
    ('alignment.unknown', 0.75, 'weight of a dependency on a country with no alignment row (as neutral)', true),
    ('kind.supply', 1, 'weight of a supply (import) dependency', true),
    ('kind.market', 1, 'weight of a market (sales) dependency', true),
    ('kind.talent', 1, 'weight of a talent (workforce) dependency', true),
    ('hhi.concentrated', 0.25, 'HHI above which a stage is flagged concentrated (2,500 on the 0..10,000 scale, the US merger guidelines'' "highly concentrated")', true),
    ('policy.long_term_risk_below', 0, 'a policy is a long-term risk when its long-term value is below this (0: any negative impact)', true);
UPDATE @extschema@.weight SET default_value = value WHERE builtin;

-- Current rows: the latest as_of of each key.

CREATE VIEW @extschema@.current_assessment AS
SELECT DISTINCT ON (a.stage, a.country) a.*,
       a.rating::text AS rating_label, a.rating::integer AS rating_level
FROM @extschema@.assessment a
ORDER BY a.stage, a.country, a.as_of DESC;
COMMENT ON VIEW @extschema@.current_assessment IS 'the latest assessment of each (stage, country)';

CREATE VIEW @extschema@.current_dependency AS
-- ordered like the primary key, backwards, so that a scan of it can feed
-- the DISTINCT ON without a sort
SELECT DISTINCT ON (d.stage, d.country, d.kind, d.item, d.supplier) d.*
FROM @extschema@.dependency d
ORDER BY d.stage DESC, d.country DESC, d.kind DESC, d.item DESC, d.supplier DESC, d.as_of DESC;
COMMENT ON VIEW @extschema@.current_dependency IS 'the latest row of each dependency (stage, country, supplier, kind, item)';

CREATE VIEW @extschema@.current_policy_impact AS
SELECT DISTINCT ON (i.policy, i.country, i.horizon) i.*,
       i.score::text AS score_label, i.score::integer AS score_value
FROM @extschema@.policy_impact i
ORDER BY i.policy, i.country, i.horizon, i.as_of DESC;
COMMENT ON VIEW @extschema@.current_policy_impact IS 'the latest impact of each (policy, country, horizon)';

-- stage_risk: one row per stage of each assessed chain (country, sector).
-- hhi is the Herfindahl-Hirschman index of the known supply shares of the
-- stage's most concentrated item; risk = weakness(rating) x hhi, NULL when no
-- share is known.

CREATE VIEW @extschema@.stage_risk AS
WITH chain AS (
    SELECT DISTINCT a.country, s.sector
    FROM @extschema@.current_assessment a
    JOIN @extschema@.stage s ON s.id = a.stage
), supply AS (
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
LEFT JOIN @extschema@.weight hc ON hc.name = 'hhi.concentrated';
COMMENT ON VIEW @extschema@.stage_risk IS
    'per stage of each assessed chain: rating, supplier count, HHI of known supply shares, top supplier, risk = weakness x HHI';

-- country_risk: dependency risk of country P on supplier C, per sector and
-- over all sectors (sector NULL):
--   risk = sum over P's stages k and kinds of
--          share(k, C) x weakness(rating(k)) x kind weight x alignment weight(P, C)
-- where share(k, C) is C's largest known share among the stage's items.
-- Dependencies with unknown share are counted (unknown_shares) but add
-- nothing to risk; risk is NULL when no share is known.

CREATE VIEW @extschema@.stage_supplier_risk AS
WITH per_kind AS (
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
GROUP BY p.country, p.sector, p.stage, p.supplier, wa.value;
COMMENT ON VIEW @extschema@.stage_supplier_risk IS
    'one stage''s term of country_risk: weighted = sum over kinds of known share x stage weakness x kind weight; risk = weighted x alignment weight';

CREATE VIEW @extschema@.country_risk AS
WITH summed AS (
    SELECT country, sector, supplier,
           count(*)::integer AS stages,
           sum(dependencies)::integer AS dependencies,
           sum(unknown_shares)::integer AS unknown_shares,
           sum(known_share) AS known_share,
           sum(weighted) AS weighted
    FROM @extschema@.stage_supplier_risk
    GROUP BY GROUPING SETS ((country, sector, supplier), (country, supplier))
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
LEFT JOIN @extschema@.weight wa ON wa.name = 'alignment.' || COALESCE(al.relation, 'unknown');
COMMENT ON VIEW @extschema@.country_risk IS
    'dependency risk of country on supplier per sector (sector NULL: all sectors); rank 1 = most risky';

-- policy_risk: per policy and affected country, the short- and long-term
-- impact, their sum (net), the trend (long - short) and the long-term flag.

CREATE VIEW @extschema@.policy_risk AS
WITH affected AS (
    SELECT DISTINCT policy, country FROM @extschema@.current_policy_impact
)
SELECT f.country,
       p.sector,
       p.number AS policy_no,
       p.title AS policy,
       st.score AS short_term,
       lt.score AS long_term,
       st.score::integer AS short_value,
       lt.score::integer AS long_value,
       st.score::text AS short_label,
       lt.score::text AS long_label,
       st.score::integer + lt.score::integer AS net,
       lt.score::integer - st.score::integer AS trend,
       lt.score::integer < w.value AS long_term_risk,
       p.country AS issuer,
       p.id AS policy_id
FROM affected f
JOIN @extschema@.policy p ON p.id = f.policy
LEFT JOIN @extschema@.current_policy_impact st
       ON st.policy = f.policy AND st.country = f.country AND st.horizon = 'short'
LEFT JOIN @extschema@.current_policy_impact lt
       ON lt.policy = f.policy AND lt.country = f.country AND lt.horizon = 'long'
LEFT JOIN @extschema@.weight w ON w.name = 'policy.long_term_risk_below';
COMMENT ON VIEW @extschema@.policy_risk IS
    'per policy and affected country: short and long-term impact, net = short + long, trend = long - short, long_term_risk';

-- policy_balance: per affected country, sector (NULL: all sectors) and
-- horizon, how many policies help, are neutral or hurt, and their sum.

CREATE VIEW @extschema@.policy_balance AS
SELECT i.country,
       p.sector,
       i.horizon,
       count(*) FILTER (WHERE i.score::integer > 0)::integer AS positive,
       count(*) FILTER (WHERE i.score::integer = 0)::integer AS neutral,
       count(*) FILTER (WHERE i.score::integer < 0)::integer AS negative,
       @extschema@.sum(i.score) AS net,
       round(@extschema@.avg(i.score), 4) AS mean
FROM @extschema@.current_policy_impact i
JOIN @extschema@.policy p ON p.id = i.policy
GROUP BY GROUPING SETS ((i.country, p.sector, i.horizon), (i.country, i.horizon));
COMMENT ON VIEW @extschema@.policy_balance IS
    'per affected country, sector (NULL: all) and horizon: counts of positive, neutral and negative impacts, their sum and mean';

-- weakest_stage: the lowest-rated stages of each assessed chain.

CREATE VIEW @extschema@.weakest_stage AS
SELECT r.country, r.sector, r.stage, r.position, r.rating, r.rating_label, r.rating_level
FROM @extschema@.stage_risk r
WHERE r.rating_level = (SELECT min(r2.rating_level) FROM @extschema@.stage_risk r2
                        WHERE r2.country = r.country AND r2.sector = r.sector);
COMMENT ON VIEW @extschema@.weakest_stage IS 'the lowest-rated stage(s) of each assessed chain';

-- pg_dump keeps users' rows and never duplicates the shipped ones.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.source', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.country', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.sector', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.stage', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.stage_link', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.assessment', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.dependency', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.alignment', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.policy', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.policy_measure', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.policy_impact', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.figure', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.weight', 'WHERE NOT builtin');


-- stage_closure: every stage upstream of each stage, at its shortest
-- distance.  Cycles are allowed (recycling feeds refining feeds ...
-- recycling); the walk ends because no shortest path has more links than
-- there are stages, and UNION never revisits a (stage, upstream, depth).
CREATE VIEW @extschema@.stage_closure AS
WITH RECURSIVE up (stage, upstream, depth) AS (
    SELECT l.downstream, l.upstream, 1 FROM @extschema@.stage_link l
    UNION
    SELECT u.stage, l.upstream, u.depth + 1
    FROM up u JOIN @extschema@.stage_link l ON l.downstream = u.upstream
    WHERE u.depth < (SELECT count(*) FROM @extschema@.stage)
)
SELECT stage, upstream, min(depth)::integer AS depth
FROM up GROUP BY stage, upstream;
COMMENT ON VIEW @extschema@.stage_closure IS
    'every stage upstream of each stage (transitively) and its shortest distance in links; terminates on cycles';

-- Anyone may read; writing is granted by the DBA (README, "Privileges").
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA @extschema@ TO PUBLIC;

SET LOCAL supplychain.maintenance = off;
