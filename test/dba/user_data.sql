-- user_data.sql - a user's rows in every table of the extension, several of
-- them pointing at shipped rows, one changed shipped weight, and user objects
-- outside the extension that use its types and views.  Loaded by test/dba.sh
-- before pg_dump (and before ALTER EXTENSION UPDATE when the old version has
-- the tables).  Texts carry quotes, tabs, newlines, backslashes and non-ASCII
-- so that COPY's escaping is exercised.
\set ON_ERROR_STOP 1
SET search_path = public, supplychain;

INSERT INTO source (id, title, publisher, published, url, note) VALUES
    ('dba-survey-2024', 'Widget supplier survey 2024', 'Example Widgets Inc.', '2024-03-01',
     'https://example.com/survey', E'internal: "do not cite"\tline 1\nline 2 \\ ☀'),
    ('dba-no-date', 'Undated memo', 'Example Widgets Inc.', NULL, NULL, '');

-- (released versions up to 0.3.0 lack them; the current one ships every ISO 3166-1 country)
INSERT INTO country (code, name) VALUES ('MX', 'Mexico'), ('DE', 'Germany'), ('VN', 'Viet Nam')
ON CONFLICT (code) DO NOTHING;

INSERT INTO sector (code, name) VALUES ('widgets', 'Widgets');

INSERT INTO stage (id, sector, position, name, description, source) VALUES
    ('widgets.parts', 'widgets', 1, 'Parts', 'bolts and nuts', 'dba-survey-2024'),
    ('widgets.assembly', 'widgets', 2, 'Assembly', NULL, NULL),
    -- a user stage in a shipped sector
    ('batteries.anodes', 'batteries', 6, 'Anode materials', 'graphite', 'dba-survey-2024');

INSERT INTO stage_link (upstream, downstream, note, source) VALUES
    ('widgets.parts', 'widgets.assembly', NULL, NULL),
    -- links between shipped and user stages
    ('batteries.refining', 'batteries.anodes', 'graphite is refined first', 'dba-survey-2024'),
    ('batteries.anodes', 'batteries.cells', NULL, NULL);

INSERT INTO assessment (stage, country, rating, as_of, diagnosis, basis, source) VALUES
    ('widgets.parts', 'US', 'weak', '2024-01-01', 'few domestic makers', 'Inferred: survey', 'dba-survey-2024'),
    ('widgets.assembly', 'US', 'satisfactory', '2024-01-01', NULL, NULL, NULL),
    ('batteries.anodes', 'US', 'very weak', '2024-01-01', NULL, NULL, 'dba-survey-2024'),
    -- a shipped stage rated by a shipped country that the brief leaves unrated
    ('semiconductors.fabrication', 'KR', 'satisfactory', '2024-01-01', 'leading-edge foundries', NULL, NULL),
    -- a newer rating of a shipped stage: the views must use it after restore too
    ('batteries.cells', 'US', 'satisfactory', '2024-06-01', 'new gigafactories', NULL, 'dba-survey-2024');

INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of, note, source) VALUES
    ('widgets.parts', 'US', 'CN', 'supply', 'bolts', 0.5, '2024-01-01', NULL, 'dba-survey-2024'),
    ('widgets.parts', 'US', 'MX', 'supply', 'bolts', 0.3, '2024-01-01', NULL, 'dba-survey-2024'),
    ('widgets.parts', 'US', 'DE', 'supply', 'nuts', 0.6, '2024-01-01', NULL, NULL),
    ('widgets.assembly', 'US', 'VN', 'talent', 'assemblers', NULL, '2024-01-01', 'share unknown', NULL),
    -- shipped stage, shipped countries, and the same key as a shipped row
    -- (CN 0.75 of battery cells): share_total must hold 0.75 + 0.2
    ('batteries.cells', 'US', 'KR', 'supply', 'battery cells', 0.2, '2021-06-01', 'added by the user', NULL),
    -- shipped stage and countries, a later as_of
    ('semiconductors.fabrication', 'US', 'TW', 'supply', 'leading-edge logic chips', 0.85, '2024-01-01', NULL, NULL),
    ('semiconductors.fabrication', 'US', 'KR', 'supply', 'leading-edge logic chips', 0.15, '2024-01-01', NULL, NULL),
    ('batteries.anodes', 'US', 'CN', 'supply', 'graphite', 0.9, '2024-01-01', NULL, 'dba-survey-2024');

INSERT INTO alignment (country, partner, relation, note, source) VALUES
    ('US', 'MX', 'partner', 'USMCA', NULL),
    ('US', 'DE', 'ally', NULL, NULL),
    ('US', 'VN', 'neutral', NULL, NULL),
    ('KR', 'CN', 'concern', NULL, 'dba-survey-2024');

INSERT INTO policy (id, country, sector, number, title, agency, source) VALUES
    ('dba-us-widgets-1', 'US', 'widgets', 1, 'Reshore widget parts', 'Department of Commerce', 'dba-survey-2024'),
    ('dba-kr-batteries-1', 'KR', 'batteries', 1, 'K-battery strategy', NULL, NULL);

INSERT INTO policy_measure (policy, position, measure) VALUES
    ('dba-us-widgets-1', 1, 'tax credit for domestic bolts'),
    ('dba-us-widgets-1', 2, E'buy-American rule for "nuts"'),
    -- a measure added to a shipped policy
    ('us-batteries-1', 99, 'added by the user');

INSERT INTO policy_impact (policy, country, horizon, score, as_of, rationale, source) VALUES
    ('dba-us-widgets-1', 'MX', 'short', 'negative', '2024-01-01', 'parts move north', NULL),
    ('dba-us-widgets-1', 'MX', 'long', '-2', '2024-01-01', NULL, NULL),
    ('dba-kr-batteries-1', 'US', 'short', '☀', '2024-01-01', NULL, 'dba-survey-2024'),
    -- a newer impact of a shipped policy on a shipped country
    ('us-semiconductors-2', 'KR', 'long', 'neutral', '2024-01-01', 'reassessed', 'dba-survey-2024');

INSERT INTO figure (id, country, sector, stage, metric, qualifier, value, unit, period, note, source) VALUES
    ('dba-mx-bolt-share', 'MX', 'widgets', 'widgets.parts', 'share of US bolt imports', 'about', 0.3, 'fraction', '2023', NULL, 'dba-survey-2024'),
    ('dba-kr-fab-capex', 'KR', 'semiconductors', 'semiconductors.fabrication', 'planned investment', 'more than', 450e9, 'USD', '2021-2030', NULL, 'dba-survey-2024');

INSERT INTO weight (name, value, description) VALUES
    ('dba.custom', 0.125, 'a weight of the user''s own');

-- The EU supply-risk tables (0.3.0 on): when the old version of an update
-- test has no such tables, test/dba.sh loads this part after the update.
SELECT to_regclass('supplychain.material') IS NOT NULL AS dba_has_material \gset
\if :dba_has_material
\ir user_data_material.sql
\endif
-- a shipped weight changed by the user: it becomes the user's row
UPDATE weight SET value = 0.9 WHERE name = 'alignment.concern';

-- Early-warning rules (0.10.0 on): a rule of the user's, enabled (nothing
-- meets it: no alert), and a shipped rule the user changed (its row now)
SELECT to_regclass('supplychain.watch') IS NOT NULL AS dba_has_watch \gset
\if :dba_has_watch
INSERT INTO watch (name, measure, country, comparison, threshold, enabled, source, note) VALUES
    ('dba-us-risk', 'country_risk.risk', 'US', '>', 10, true, 'dba-survey-2024', 'never met: risks are at most 1');
UPDATE watch SET threshold = 0.6 WHERE name = 'single-partner-above-half';
\endif

-- Outside the extension: a user table on the types (with indexes and a
-- foreign key to a shipped table) and a user view on a risk view.
CREATE TABLE public.dba_supplier_rating (
    id      integer PRIMARY KEY,
    country text REFERENCES supplychain.country,
    rating  supplychain.stage_rating NOT NULL,
    score   supplychain.impact_score
);
INSERT INTO public.dba_supplier_rating
SELECT i, (ARRAY['US', 'KR', 'MX', NULL])[1 + i % 4], (1 + i % 3)::stage_rating,
       CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 5 - 2)::impact_score END
FROM generate_series(1, 500) i;
CREATE INDEX dba_supplier_rating_rs ON public.dba_supplier_rating (rating, score);
CREATE INDEX dba_supplier_rating_score_hash ON public.dba_supplier_rating USING hash (score);
CREATE VIEW public.dba_weak_stages AS
    SELECT country, sector, stage, rating FROM supplychain.stage_risk WHERE rating <= 'weak';
