-- user_data_material.sql - a user's rows in the EU supply-risk tables
-- (material, material_supply, governance; 0.3.0 on), several of them
-- pointing at shipped rows: governance scores of shipped and user countries,
-- a user material in a shipped sector and one in the user's sector, supply
-- shares of a shipped material (the brief names lithium but gives no
-- figures).  Included by user_data.sql when the tables exist; loaded by
-- test/dba.sh on its own after an update from a version without them.
-- Needs user_data.sql's countries (MX, DE, VN), sector (widgets) and source.
\set ON_ERROR_STOP 1
SET search_path = public, supplychain;

INSERT INTO governance (country, year, wgi, source) VALUES
    ('CN', 2019, -0.6, 'dba-survey-2024'),
    ('CN', 2022, -0.5, 'dba-survey-2024'),   -- the latest year is the one used
    ('US', 2022, 1.1, NULL),
    ('DE', 2022, 1.4, NULL),
    ('MX', 2022, -0.4, NULL),
    ('VN', 2022, -0.3, NULL);

INSERT INTO material (id, name, sector, import_reliance, eol_rir, substitution, economic_importance, note, source) VALUES
    ('dba-graphite', 'Natural graphite', 'batteries', 0.98, 0.03, 0.95, 3.0,
     E'anode material; "flake" grade\tonly\nsecond line \\ ☀', 'dba-survey-2024'),
    ('dba-zinc', 'Zinc plating', 'widgets', 0.6, 0.3, 0.9, 2.0, NULL, NULL);

INSERT INTO material_supply (material, scope, country, share, trade_parameter, source) VALUES
    ('dba-graphite', 'global', 'CN', 0.65, NULL, 'dba-survey-2024'),
    ('dba-graphite', 'global', 'MX', 0.10, 0.8, 'dba-survey-2024'),
    ('dba-graphite', 'eu', 'CN', 0.4, NULL, NULL),
    ('dba-graphite', 'eu', 'DE', 0.2, 0.8, NULL),
    ('dba-zinc', 'global', 'VN', 0.3, NULL, NULL),
    -- a shipped material (no figures shipped) with the user's shares
    ('lithium', 'global', 'CN', 0.15, NULL, 'dba-survey-2024'),
    ('lithium', 'global', 'US', 0.05, 1.2, NULL);
