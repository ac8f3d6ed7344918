-- Risk views at a date: what was known then.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
RESET client_min_messages;
SET search_path = public, supplychain;

-- the views equal the functions at the latest date
SELECT (SELECT count(*) FROM (SELECT * FROM stage_risk EXCEPT SELECT * FROM stage_risk_at('infinity')) d)
     + (SELECT count(*) FROM (SELECT * FROM stage_risk_at('infinity') EXCEPT SELECT * FROM stage_risk) d) AS stage_diff,
       (SELECT count(*) FROM (SELECT * FROM country_risk EXCEPT SELECT * FROM country_risk_at('infinity')) d)
     + (SELECT count(*) FROM (SELECT * FROM country_risk_at('infinity') EXCEPT SELECT * FROM country_risk) d) AS country_diff,
       (SELECT count(*) FROM (SELECT * FROM policy_risk EXCEPT SELECT * FROM policy_risk_at('infinity')) d)
     + (SELECT count(*) FROM (SELECT * FROM policy_risk_at('infinity') EXCEPT SELECT * FROM policy_risk) d) AS policy_diff;

-- before the brief's date nothing was known
SELECT count(*) AS rows_2020 FROM stage_risk_at('2020-12-31');
SELECT count(*) AS rows_2021 FROM stage_risk_at('2021-06-01');

-- two dated versions of a rating: refining re-rated weak in 2024, with a dependency figure
INSERT INTO assessment (stage, country, rating, as_of, diagnosis)
VALUES ('batteries.refining', 'US', 'weak', '2024-01-01', 'hypothetical later rating');
INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
VALUES ('batteries.refining', 'US', 'CN', 'supply', 'refined and processed battery materials', 0.6, '2024-01-01');
SELECT at, stage, rating, hhi, risk, as_of
FROM (VALUES ('2021-06-01'::date), ('2023-12-31'), ('2024-01-01'), ('infinity')) v(at),
     LATERAL stage_risk_at(v.at) r
WHERE r.stage_id = 'batteries.refining' ORDER BY at;
-- CN in batteries: 2021: cells 0.75 x 2/3 = 0.5; 2024: + refining 0.6 x weak 2/3 = 0.4 -> 0.9
SELECT at, supplier, known_share, risk, rank
FROM (VALUES ('2021-06-01'::date), ('2024-06-01')) v(at), LATERAL country_risk_at(v.at) r
WHERE r.sector = 'batteries' AND r.supplier = 'CN' ORDER BY at;
SELECT stage, rating FROM weakest_stage WHERE sector = 'batteries' ORDER BY stage;

-- the setting does not outlive the call; a session may also set it
SELECT COALESCE(current_setting('supplychain.as_of', true), '') AS after_call;
SET supplychain.as_of = '2021-06-01';
SELECT stage, rating FROM stage_risk WHERE stage_id = 'batteries.refining';
RESET supplychain.as_of;
SELECT stage, rating FROM stage_risk WHERE stage_id = 'batteries.refining';

DELETE FROM dependency WHERE NOT builtin;
DELETE FROM assessment WHERE NOT builtin;

-- the maintained state equals its recomputation from the raw rows
SELECT count(*) AS state_differences FROM supplychain.verify_state();
