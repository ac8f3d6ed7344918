-- demo.sql - what make demo prints: the two types, then the risk report of
-- the reference data (the KIET 2021 brief).  Fits in 120 columns.
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION supplychain;
SET search_path = "$user", public, supplychain;

\echo
\echo '== The two types'
SELECT 'Very_Weak'::stage_rating < 'satisfactory' AS "'Very_Weak' < 'satisfactory'",
       '⚙⚙'::impact_score = 'very positive' AS "'⚙⚙' = 'very positive'",
       symbol('-2', 'sun') AS "symbol('-2', 'sun')";

\echo
\echo '== Weakest stage of each US chain (US self-assessment, 100-day review as read by KIET 2021)'
SELECT sector, stage, rating_label AS rating
FROM weakest_stage WHERE country = 'US' ORDER BY sector DESC;

\echo
\echo '== Each chain: rating and concentration of known supply shares (risk = weakness x HHI)'
SELECT sector, position AS "#", left(stage, 38) AS stage, rating_label AS rating, suppliers AS sup, unknown_shares AS unk,
       hhi, top_supplier AS top, top_share AS share, risk
FROM stage_risk WHERE country = 'US' ORDER BY sector DESC, position;

\echo
\echo '== Top supplier countries per sector by dependency risk (NULL risk: named, share unknown)'
SELECT COALESCE(sector, '(all)') AS sector, rank, supplier, relation, stages, unknown_shares AS unknown,
       known_share, risk
FROM country_risk WHERE country = 'US' AND rank <= 3
ORDER BY sector DESC NULLS LAST, rank, supplier;

\echo
\echo '== US policies with a negative mid-to-long-term impact on Korea'
-- the brief draws semiconductor impacts with gears and battery impacts with suns
SELECT sector, policy_no AS "#", left(policy, 48) AS policy,
       short_label || ' ' || symbol(short_term, CASE sector WHEN 'batteries' THEN 'sun' ELSE 'gear' END) AS short,
       long_label || ' ' || symbol(long_term, CASE sector WHEN 'batteries' THEN 'sun' ELSE 'gear' END) AS long,
       net, trend
FROM policy_risk WHERE country = 'KR' AND long_term_risk ORDER BY sector DESC, policy_no;

\echo
\echo '== Impact balance on Korea per sector and horizon (short-term positives outweigh negatives)'
SELECT COALESCE(sector, '(all)') AS sector, horizon, positive, neutral, negative, net, mean
FROM policy_balance WHERE country = 'KR'
ORDER BY sector DESC NULLS LAST, horizon DESC;

\echo
\echo '== If China cut all its supply: loss per stage of the US battery chain, directly and through upstream stages'
SELECT stage, round(direct_loss::numeric, 4) AS direct_loss, round(total_loss::numeric, 4) AS total_loss
FROM disruption('CN', 1.0, 'batteries') WHERE country = 'US';
