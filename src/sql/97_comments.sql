-- Column comments: every column of every table and view of the schema says
-- what it holds, its unit or range, what NULL means and, in a view, how it
-- is computed (README, risk model).  One statement per column, tables
-- first, then views, columns in their order; the few comments kept beside
-- their tables in 30_tables.sql are not repeated.  sql/comments.sql checks
-- that no column is left without one.

-- source
COMMENT ON COLUMN @extschema@.source.id IS 'short readable key, e.g. ''kiet-2021''';
COMMENT ON COLUMN @extschema@.source.title IS 'title of the publication';
COMMENT ON COLUMN @extschema@.source.publisher IS 'who published it';
COMMENT ON COLUMN @extschema@.source.published IS 'publication date; the first day of the month when only the month is known; NULL if unknown';
COMMENT ON COLUMN @extschema@.source.url IS 'where to read it; NULL if none is known';
COMMENT ON COLUMN @extschema@.source.note IS 'free-text note on the source (authors, what it covers); NULL if none';
COMMENT ON COLUMN @extschema@.source.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- country
COMMENT ON COLUMN @extschema@.country.code IS 'two-letter ISO 3166-1 alpha-2 code, capitals; EU = the European Union as a bloc, ZZ = unspecified foreign countries';
COMMENT ON COLUMN @extschema@.country.name IS 'name of the country';
COMMENT ON COLUMN @extschema@.country.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- sector
COMMENT ON COLUMN @extschema@.sector.code IS 'short key, e.g. ''semiconductors'', ''batteries''';
COMMENT ON COLUMN @extschema@.sector.name IS 'name of the industry';
COMMENT ON COLUMN @extschema@.sector.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- stage
COMMENT ON COLUMN @extschema@.stage.id IS 'short readable key, by convention sector.stage, e.g. ''semiconductors.fabrication''';
COMMENT ON COLUMN @extschema@.stage.sector IS 'the sector whose chain the stage belongs to (sector.code)';
COMMENT ON COLUMN @extschema@.stage.position IS 'place of the stage in its sector''s chain order; > 0, unique per sector';
COMMENT ON COLUMN @extschema@.stage.name IS 'name of the stage, e.g. ''Fabrication''';
COMMENT ON COLUMN @extschema@.stage.description IS 'what the stage covers; NULL if not described';
COMMENT ON COLUMN @extschema@.stage.source IS 'source.id of the publication that defines the stage; NULL if none is cited';
COMMENT ON COLUMN @extschema@.stage.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- stage_link
COMMENT ON COLUMN @extschema@.stage_link.upstream IS 'stage.id of the stage that feeds';
COMMENT ON COLUMN @extschema@.stage_link.downstream IS 'stage.id of the stage it feeds';
COMMENT ON COLUMN @extschema@.stage_link.note IS 'free-text note on the link, e.g. the quote it comes from; NULL if none';
COMMENT ON COLUMN @extschema@.stage_link.source IS 'source.id of the publication that gives the link; NULL if none is cited';
COMMENT ON COLUMN @extschema@.stage_link.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- assessment
COMMENT ON COLUMN @extschema@.assessment.stage IS 'stage.id of the rated stage';
COMMENT ON COLUMN @extschema@.assessment.country IS 'the country whose own stage is rated (country.code)';
COMMENT ON COLUMN @extschema@.assessment.rating IS 'stage_rating: very weak < weak < satisfactory (integer 1..3)';
COMMENT ON COLUMN @extschema@.assessment.as_of IS 'date the rating holds from; the latest as_of of each (stage, country) up to supplychain.as_of is current';
COMMENT ON COLUMN @extschema@.assessment.diagnosis IS 'the source''s diagnosis of the stage, as quoted; NULL if none';
COMMENT ON COLUMN @extschema@.assessment.source IS 'source.id of the publication the rating is read from; NULL if none is cited';
COMMENT ON COLUMN @extschema@.assessment.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- dependency
COMMENT ON COLUMN @extschema@.dependency.stage IS 'stage.id of the stage at which country depends on supplier';
COMMENT ON COLUMN @extschema@.dependency.country IS 'the depending country (country.code)';
COMMENT ON COLUMN @extschema@.dependency.supplier IS 'the country depended on (country.code); never country itself';
COMMENT ON COLUMN @extschema@.dependency.item IS 'what is depended on, free text, e.g. ''chip sales''; the known shares of one (stage, country, kind, item) sum to at most 1';
COMMENT ON COLUMN @extschema@.dependency.as_of IS 'date the row holds from; the latest as_of of each (stage, country, kind, item, supplier) up to supplychain.as_of is current';
COMMENT ON COLUMN @extschema@.dependency.note IS 'free-text note, e.g. the quote the dependency is read from; NULL if none';
COMMENT ON COLUMN @extschema@.dependency.source IS 'source.id of the publication the dependency is read from; NULL if none is cited';
COMMENT ON COLUMN @extschema@.dependency.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- alignment
COMMENT ON COLUMN @extschema@.alignment.country IS 'the country whose view of partner this is (country.code)';
COMMENT ON COLUMN @extschema@.alignment.partner IS 'the country regarded (country.code); never country itself';
COMMENT ON COLUMN @extschema@.alignment.relation IS 'ally, partner, neutral or concern; the risk views weigh it by the weight alignment.<relation> (a pair without a row: alignment.unknown)';
COMMENT ON COLUMN @extschema@.alignment.note IS 'free-text note, e.g. the treaty or quote behind the relation; NULL if none';
COMMENT ON COLUMN @extschema@.alignment.source IS 'source.id of the publication that gives the relation; NULL if none is cited';
COMMENT ON COLUMN @extschema@.alignment.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- policy
COMMENT ON COLUMN @extschema@.policy.id IS 'short readable key, e.g. ''us-semiconductors-1''';
COMMENT ON COLUMN @extschema@.policy.country IS 'the issuing country (country.code)';
COMMENT ON COLUMN @extschema@.policy.sector IS 'the sector the policy is for (sector.code)';
COMMENT ON COLUMN @extschema@.policy.number IS 'number of the recommendation among the issuer''s for the sector; > 0, unique per (country, sector)';
COMMENT ON COLUMN @extschema@.policy.title IS 'title of the recommendation, as quoted';
COMMENT ON COLUMN @extschema@.policy.agency IS 'the agency in charge, e.g. ''U.S. Department of Commerce''; NULL if none is named';
COMMENT ON COLUMN @extschema@.policy.source IS 'source.id of the publication that gives the policy; NULL if none is cited';
COMMENT ON COLUMN @extschema@.policy.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- policy_measure
COMMENT ON COLUMN @extschema@.policy_measure.policy IS 'policy.id of the policy; its measures are deleted with it';
COMMENT ON COLUMN @extschema@.policy_measure.position IS 'order of the measure within the policy; > 0';
COMMENT ON COLUMN @extschema@.policy_measure.measure IS 'text of the measure, as quoted';
COMMENT ON COLUMN @extschema@.policy_measure.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- policy_impact
COMMENT ON COLUMN @extschema@.policy_impact.policy IS 'policy.id of the policy; its impacts are deleted with it';
COMMENT ON COLUMN @extschema@.policy_impact.country IS 'the affected country, whose industry the policy impacts (country.code)';
COMMENT ON COLUMN @extschema@.policy_impact.horizon IS 'short (short term) or long (mid-to-long term)';
COMMENT ON COLUMN @extschema@.policy_impact.score IS 'impact_score: very negative < negative < neutral < positive < very positive (integer -2..+2)';
COMMENT ON COLUMN @extschema@.policy_impact.as_of IS 'date the score holds from; the latest as_of of each (policy, country, horizon) up to supplychain.as_of is current';
COMMENT ON COLUMN @extschema@.policy_impact.rationale IS 'why the policy has this impact, as quoted; NULL if none';
COMMENT ON COLUMN @extschema@.policy_impact.source IS 'source.id of the publication the score is read from; NULL if none is cited';
COMMENT ON COLUMN @extschema@.policy_impact.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- figure
COMMENT ON COLUMN @extschema@.figure.id IS 'short readable key, e.g. ''us-fab-capacity-share''';
COMMENT ON COLUMN @extschema@.figure.country IS 'the country the figure is about (country.code); NULL if none';
COMMENT ON COLUMN @extschema@.figure.sector IS 'the sector the figure is about (sector.code); NULL if none';
COMMENT ON COLUMN @extschema@.figure.stage IS 'the stage the figure is about (stage.id); NULL if none';
COMMENT ON COLUMN @extschema@.figure.metric IS 'what is measured, e.g. ''central government subsidy'', ''share of global cell capacity''';
COMMENT ON COLUMN @extschema@.figure.qualifier IS 'about, more than or less than, as quoted; NULL = exact as quoted';
COMMENT ON COLUMN @extschema@.figure.value IS 'the number, in unit';
COMMENT ON COLUMN @extschema@.figure.unit IS 'unit of value, e.g. ''USD'', ''fraction'' (0..1)';
COMMENT ON COLUMN @extschema@.figure.period IS 'period the figure covers, free text, e.g. ''2015-2025'', ''2019''; NULL if none is stated';
COMMENT ON COLUMN @extschema@.figure.note IS 'free-text note, e.g. the quote the figure is read from; NULL if none';
COMMENT ON COLUMN @extschema@.figure.source IS 'source.id of the publication the figure is quoted from; never NULL';
COMMENT ON COLUMN @extschema@.figure.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- weight
COMMENT ON COLUMN @extschema@.weight.name IS 'key; the views read weakness.<rating>, weakness.unassessed, alignment.<relation>, alignment.unknown, kind.<kind>, hhi.concentrated and policy.long_term_risk_below';
COMMENT ON COLUMN @extschema@.weight.value IS 'the value the views use; change it to change the views';
COMMENT ON COLUMN @extschema@.weight.description IS 'what the weight means';
COMMENT ON COLUMN @extschema@.weight.default_value IS 'the shipped value (set value = default_value to go back); NULL for your own weights; a weight that has one cannot be deleted';
COMMENT ON COLUMN @extschema@.weight.builtin IS 'true for a shipped weight never changed; changing its value or description makes it false, a row of yours that pg_dump keeps';

-- share_total
COMMENT ON COLUMN @extschema@.share_total.stage IS 'the dependency key''s stage, as in dependency.stage';
COMMENT ON COLUMN @extschema@.share_total.country IS 'the dependency key''s depending country, as in dependency.country';
COMMENT ON COLUMN @extschema@.share_total.kind IS 'the dependency key''s kind, as in dependency.kind';
COMMENT ON COLUMN @extschema@.share_total.item IS 'the dependency key''s item, as in dependency.item';
COMMENT ON COLUMN @extschema@.share_total.total IS 'sum of the known shares of each supplier''s latest row of the key (unknown = 0), 0..1; written by the share check (a key without rows has no row, since 0.15.0), which recomputes it from dependency rather than trust it';
COMMENT ON COLUMN @extschema@.share_total.hhi IS 'the HHI of the known shares of each supplier''s latest row of the key; NULL when none is known; written by the share check (the maintained state sums a stage''s most concentrated item from it)';

-- stage_state, supplier_state, country_state, country_total_state (42_state.sql)
COMMENT ON COLUMN @extschema@.stage_state.country IS 'the depending country, as in dependency.country and assessment.country';
COMMENT ON COLUMN @extschema@.stage_state.stage IS 'the stage, as in stage.id';
COMMENT ON COLUMN @extschema@.stage_state.sector IS 'the stage''s sector when the pair was last refreshed';
COMMENT ON COLUMN @extschema@.stage_state.rating IS 'the latest assessment''s rating; NULL when the pair is not assessed';
COMMENT ON COLUMN @extschema@.stage_state.rated_as_of IS 'as_of of that assessment; NULL when not assessed';
COMMENT ON COLUMN @extschema@.stage_state.rows IS 'current dependency rows of the pair, every kind (0: only assessed)';
COMMENT ON COLUMN @extschema@.stage_state.suppliers IS 'distinct suppliers of the current supply rows (stage_risk.suppliers)';
COMMENT ON COLUMN @extschema@.stage_state.unknown_shares IS 'current supply rows without a share (stage_risk.unknown_shares)';
COMMENT ON COLUMN @extschema@.stage_state.hhi IS 'the largest HHI of known supply shares over the stage''s items, 0..1; NULL when no share is known';
COMMENT ON COLUMN @extschema@.stage_state.top_supplier IS 'supplier with the largest known supply share (ties: first code); NULL when none is known';
COMMENT ON COLUMN @extschema@.stage_state.top_share IS 'that share, 0..1';
COMMENT ON COLUMN @extschema@.supplier_state.country IS 'the depending country';
COMMENT ON COLUMN @extschema@.supplier_state.stage IS 'the stage';
COMMENT ON COLUMN @extschema@.supplier_state.supplier IS 'the supplier country';
COMMENT ON COLUMN @extschema@.supplier_state.sector IS 'the stage''s sector when the pair was last refreshed';
COMMENT ON COLUMN @extschema@.supplier_state.dependencies IS 'current dependency rows of (country, stage, supplier), every kind';
COMMENT ON COLUMN @extschema@.supplier_state.unknown_shares IS 'of them, rows without a share';
COMMENT ON COLUMN @extschema@.supplier_state.supply_rows IS 'current rows of kind supply';
COMMENT ON COLUMN @extschema@.supplier_state.supply_unknown IS 'of them, rows without a share';
COMMENT ON COLUMN @extschema@.supplier_state.share_supply IS 'the largest known share of kind supply over the stage''s items, 0..1; NULL when none is known';
COMMENT ON COLUMN @extschema@.supplier_state.share_market IS 'the largest known share of kind market, 0..1; NULL when none is known';
COMMENT ON COLUMN @extschema@.supplier_state.share_talent IS 'the largest known share of kind talent, 0..1; NULL when none is known';
COMMENT ON COLUMN @extschema@.supplier_state.known_share IS 'sum of the three largest known shares (stage_supplier_risk.known_share); NULL when none is known';
COMMENT ON COLUMN @extschema@.supplier_state.weighted IS 'sum over kinds of share x weakness of the stage''s rating x kind weight (stage_supplier_risk.weighted)';
COMMENT ON COLUMN @extschema@.country_state.country IS 'the depending country';
COMMENT ON COLUMN @extschema@.country_state.sector IS 'the sector';
COMMENT ON COLUMN @extschema@.country_state.supplier IS 'the supplier country';
COMMENT ON COLUMN @extschema@.country_state.relation IS 'alignment.relation of (country, supplier); NULL when none is recorded';
COMMENT ON COLUMN @extschema@.country_state.stages IS 'stages of the sector with a term of the supplier (supplier_state rows)';
COMMENT ON COLUMN @extschema@.country_state.dependencies IS 'sum of the terms'' current rows';
COMMENT ON COLUMN @extschema@.country_state.unknown_shares IS 'sum of the terms'' rows without a share';
COMMENT ON COLUMN @extschema@.country_state.known_share IS 'sum of the terms'' known shares; NULL when none is known';
COMMENT ON COLUMN @extschema@.country_state.weighted IS 'sum of the terms'' weighted shares; NULL when none is known';
COMMENT ON COLUMN @extschema@.country_state.risk IS 'weighted x alignment weight, 4 decimals (country_risk.risk)';
COMMENT ON COLUMN @extschema@.country_total_state.country IS 'the depending country';
COMMENT ON COLUMN @extschema@.country_total_state.supplier IS 'the supplier country';
COMMENT ON COLUMN @extschema@.country_total_state.relation IS 'alignment.relation of (country, supplier); NULL when none is recorded';
COMMENT ON COLUMN @extschema@.country_total_state.stages IS 'stages of every sector with a term of the supplier';
COMMENT ON COLUMN @extschema@.country_total_state.dependencies IS 'sum of the terms'' current rows';
COMMENT ON COLUMN @extschema@.country_total_state.unknown_shares IS 'sum of the terms'' rows without a share';
COMMENT ON COLUMN @extschema@.country_total_state.known_share IS 'sum of the terms'' known shares; NULL when none is known';
COMMENT ON COLUMN @extschema@.country_total_state.weighted IS 'sum of the terms'' weighted shares; NULL when none is known';
COMMENT ON COLUMN @extschema@.country_total_state.risk IS 'weighted x alignment weight, 4 decimals (country_risk.risk, sector NULL)';

-- material
COMMENT ON COLUMN @extschema@.material.id IS 'short readable key, e.g. ''lithium''';
COMMENT ON COLUMN @extschema@.material.name IS 'name of the material';
COMMENT ON COLUMN @extschema@.material.sector IS 'the sector it serves (sector.code); NULL if none';
COMMENT ON COLUMN @extschema@.material.import_reliance IS 'import reliance IR of the EU, 0..1; used only with an EU sourcing mix; NULL = unknown';
COMMENT ON COLUMN @extschema@.material.eol_rir IS 'end-of-life recycling input rate EOL_RIR, 0..1; the risk is multiplied by 1 - eol_rir; NULL = unknown';
COMMENT ON COLUMN @extschema@.material.substitution IS 'substitution index SI_SR, 0..1; the risk is multiplied by it; NULL = unknown';
COMMENT ON COLUMN @extschema@.material.economic_importance IS 'economic importance EI, >= 0; critical needs at least 2.8; NULL = unknown';
COMMENT ON COLUMN @extschema@.material.note IS 'free-text note, e.g. the quote that names the material; NULL if none';
COMMENT ON COLUMN @extschema@.material.source IS 'source.id of the publication that names the material; NULL if none is cited';
COMMENT ON COLUMN @extschema@.material.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- material_supply
COMMENT ON COLUMN @extschema@.material_supply.material IS 'material.id; its supply rows are deleted with it';
COMMENT ON COLUMN @extschema@.material_supply.scope IS 'global: the global supply mix (GS); eu: the EU sourcing mix (EU)';
COMMENT ON COLUMN @extschema@.material_supply.country IS 'the supplying country (country.code)';
COMMENT ON COLUMN @extschema@.material_supply.share IS 'fraction 0..1 of the mix that comes from country';
COMMENT ON COLUMN @extschema@.material_supply.trade_parameter IS 'trade parameter t, above 0 and at most 10 (above 1 for export restrictions, 0.8 for EU trade-agreement partners); NULL = 1.0';
COMMENT ON COLUMN @extschema@.material_supply.source IS 'source.id of the publication the share is read from; NULL if none is cited';
COMMENT ON COLUMN @extschema@.material_supply.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- governance
COMMENT ON COLUMN @extschema@.governance.country IS 'the country scored (country.code)';
COMMENT ON COLUMN @extschema@.governance.year IS 'year of the score; material_risk uses each country''s latest year';
COMMENT ON COLUMN @extschema@.governance.wgi IS 'the World Governance Indicator, -2.5..2.5 (higher = better governed), the mean of the six dimensions; wgi_scaled puts it on 0..10';
COMMENT ON COLUMN @extschema@.governance.source IS 'source.id of the publication the score is read from; NULL if none is cited';
COMMENT ON COLUMN @extschema@.governance.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- current_assessment
COMMENT ON COLUMN @extschema@.current_assessment.stage IS 'as in assessment.stage';
COMMENT ON COLUMN @extschema@.current_assessment.country IS 'as in assessment.country';
COMMENT ON COLUMN @extschema@.current_assessment.rating IS 'as in assessment.rating: the current rating';
COMMENT ON COLUMN @extschema@.current_assessment.as_of IS 'as in assessment.as_of: the latest of the (stage, country) up to supplychain.as_of';
COMMENT ON COLUMN @extschema@.current_assessment.diagnosis IS 'as in assessment.diagnosis';
COMMENT ON COLUMN @extschema@.current_assessment.basis IS 'as in assessment.basis';
COMMENT ON COLUMN @extschema@.current_assessment.source IS 'as in assessment.source';
COMMENT ON COLUMN @extschema@.current_assessment.builtin IS 'as in assessment.builtin';
COMMENT ON COLUMN @extschema@.current_assessment.rating_label IS 'rating as text: very weak, weak or satisfactory';
COMMENT ON COLUMN @extschema@.current_assessment.rating_level IS 'rating as an integer, 1 (very weak) .. 3 (satisfactory)';

-- current_dependency
COMMENT ON COLUMN @extschema@.current_dependency.stage IS 'as in dependency.stage';
COMMENT ON COLUMN @extschema@.current_dependency.country IS 'as in dependency.country';
COMMENT ON COLUMN @extschema@.current_dependency.supplier IS 'as in dependency.supplier';
COMMENT ON COLUMN @extschema@.current_dependency.kind IS 'as in dependency.kind';
COMMENT ON COLUMN @extschema@.current_dependency.item IS 'as in dependency.item';
COMMENT ON COLUMN @extschema@.current_dependency.share IS 'as in dependency.share: the current share, 0..1; NULL when unknown';
COMMENT ON COLUMN @extschema@.current_dependency.as_of IS 'as in dependency.as_of: the latest of the (stage, country, kind, item, supplier) up to supplychain.as_of';
COMMENT ON COLUMN @extschema@.current_dependency.note IS 'as in dependency.note';
COMMENT ON COLUMN @extschema@.current_dependency.source IS 'as in dependency.source';
COMMENT ON COLUMN @extschema@.current_dependency.builtin IS 'as in dependency.builtin';

-- current_policy_impact
COMMENT ON COLUMN @extschema@.current_policy_impact.policy IS 'as in policy_impact.policy';
COMMENT ON COLUMN @extschema@.current_policy_impact.country IS 'as in policy_impact.country';
COMMENT ON COLUMN @extschema@.current_policy_impact.horizon IS 'as in policy_impact.horizon';
COMMENT ON COLUMN @extschema@.current_policy_impact.score IS 'as in policy_impact.score: the current score';
COMMENT ON COLUMN @extschema@.current_policy_impact.as_of IS 'as in policy_impact.as_of: the latest of the (policy, country, horizon) up to supplychain.as_of';
COMMENT ON COLUMN @extschema@.current_policy_impact.rationale IS 'as in policy_impact.rationale';
COMMENT ON COLUMN @extschema@.current_policy_impact.source IS 'as in policy_impact.source';
COMMENT ON COLUMN @extschema@.current_policy_impact.builtin IS 'as in policy_impact.builtin';
COMMENT ON COLUMN @extschema@.current_policy_impact.score_label IS 'score as text: very negative, negative, neutral, positive or very positive';
COMMENT ON COLUMN @extschema@.current_policy_impact.score_value IS 'score as an integer, -2 (very negative) .. +2 (very positive)';

-- stage_risk
COMMENT ON COLUMN @extschema@.stage_risk.country IS 'the country whose chain it is: one with a current assessment of a stage of the sector';
COMMENT ON COLUMN @extschema@.stage_risk.sector IS 'the chain''s sector, as in stage.sector';
COMMENT ON COLUMN @extschema@.stage_risk.stage IS 'name of the stage, as in stage.name (the key is stage_id)';
COMMENT ON COLUMN @extschema@.stage_risk.position IS 'as in stage.position: place in the chain';
COMMENT ON COLUMN @extschema@.stage_risk.rating IS 'the country''s current rating of the stage; NULL if it has not rated it';
COMMENT ON COLUMN @extschema@.stage_risk.rating_label IS 'rating as text; NULL if not rated';
COMMENT ON COLUMN @extschema@.stage_risk.rating_level IS 'rating as an integer 1..3; NULL if not rated';
COMMENT ON COLUMN @extschema@.stage_risk.suppliers IS 'number of distinct supplier countries of the stage''s current supply dependencies (known share or not); 0 if none';
COMMENT ON COLUMN @extschema@.stage_risk.unknown_shares IS 'number of the stage''s current supply dependencies without a share; 0 if none';
COMMENT ON COLUMN @extschema@.stage_risk.hhi IS 'concentration 0..1: the largest over the stage''s items of the sum of squared known supply shares (hhi()), 4 decimals; NULL when no share is known';
COMMENT ON COLUMN @extschema@.stage_risk.top_supplier IS 'the supplier with the largest known supply share at the stage (ties: the first by code); NULL when no share is known';
COMMENT ON COLUMN @extschema@.stage_risk.top_share IS 'that supplier''s share of its item, 0..1; NULL when no share is known';
COMMENT ON COLUMN @extschema@.stage_risk.weakness IS 'the weight weakness.<rating>, or weakness.unassessed when not rated (by default 1/3 satisfactory, 2/3 weak, 1 very weak or not rated), 4 decimals';
COMMENT ON COLUMN @extschema@.stage_risk.risk IS 'weakness x hhi (both before rounding), 4 decimals; NULL when no share is known';
COMMENT ON COLUMN @extschema@.stage_risk.concentrated IS 'hhi above the weight hhi.concentrated (0.25 by default); NULL when no share is known';
COMMENT ON COLUMN @extschema@.stage_risk.stage_id IS 'as in stage.id';
COMMENT ON COLUMN @extschema@.stage_risk.as_of IS 'date of the current rating, as in assessment.as_of; NULL if not rated';

-- stage_supplier_risk
COMMENT ON COLUMN @extschema@.stage_supplier_risk.country IS 'the depending country, as in dependency.country';
COMMENT ON COLUMN @extschema@.stage_supplier_risk.sector IS 'the stage''s sector, as in stage.sector';
COMMENT ON COLUMN @extschema@.stage_supplier_risk.stage_id IS 'as in dependency.stage';
COMMENT ON COLUMN @extschema@.stage_supplier_risk.supplier IS 'as in dependency.supplier';
COMMENT ON COLUMN @extschema@.stage_supplier_risk.dependencies IS 'number of current dependencies of country on supplier at the stage, all kinds and items';
COMMENT ON COLUMN @extschema@.stage_supplier_risk.unknown_shares IS 'how many of them have no share';
COMMENT ON COLUMN @extschema@.stage_supplier_risk.known_share IS 'sum over kinds of supplier''s largest known share among the stage''s items; NULL when no share is known';
COMMENT ON COLUMN @extschema@.stage_supplier_risk.weighted IS 'sum over kinds of that share x the stage''s weakness (weakness.<rating>, or weakness.unassessed when country has not rated it) x the weight kind.<kind>; not rounded; NULL when no share is known';
COMMENT ON COLUMN @extschema@.stage_supplier_risk.risk IS 'weighted x the weight alignment.<relation> (alignment.unknown without an alignment row), 4 decimals; NULL when no share is known';

-- country_risk
COMMENT ON COLUMN @extschema@.country_risk.country IS 'the depending country, as in dependency.country';
COMMENT ON COLUMN @extschema@.country_risk.sector IS 'the sector of the stages summed; NULL = all sectors together';
COMMENT ON COLUMN @extschema@.country_risk.supplier IS 'the country depended on, as in dependency.supplier';
COMMENT ON COLUMN @extschema@.country_risk.relation IS 'how country regards supplier, as in alignment.relation; NULL without an alignment row (weighted as alignment.unknown)';
COMMENT ON COLUMN @extschema@.country_risk.stages IS 'number of stages at which country depends on supplier (rows of stage_supplier_risk)';
COMMENT ON COLUMN @extschema@.country_risk.dependencies IS 'number of current dependencies behind them, all kinds and items';
COMMENT ON COLUMN @extschema@.country_risk.unknown_shares IS 'how many of them have no share';
COMMENT ON COLUMN @extschema@.country_risk.known_share IS 'sum of stage_supplier_risk.known_share over the stages (can exceed 1); NULL when no share is known';
COMMENT ON COLUMN @extschema@.country_risk.risk IS 'alignment weight x sum of stage_supplier_risk.weighted over the stages, 4 decimals; NULL when no share of supplier is known';
COMMENT ON COLUMN @extschema@.country_risk.rank IS 'rank of supplier by risk within (country, sector): 1 = most risky; ties share a rank; NULL risks rank last';

-- policy_risk
COMMENT ON COLUMN @extschema@.policy_risk.country IS 'the affected country: one with a current impact of the policy, as in policy_impact.country';
COMMENT ON COLUMN @extschema@.policy_risk.sector IS 'the policy''s sector, as in policy.sector';
COMMENT ON COLUMN @extschema@.policy_risk.policy_no IS 'as in policy.number';
COMMENT ON COLUMN @extschema@.policy_risk.policy IS 'title of the policy, as in policy.title (the key is policy_id)';
COMMENT ON COLUMN @extschema@.policy_risk.short_term IS 'the current short-term impact score; NULL if none is recorded';
COMMENT ON COLUMN @extschema@.policy_risk.long_term IS 'the current long-term impact score; NULL if none is recorded';
COMMENT ON COLUMN @extschema@.policy_risk.short_value IS 'short_term as an integer -2..+2; NULL if none';
COMMENT ON COLUMN @extschema@.policy_risk.long_value IS 'long_term as an integer -2..+2; NULL if none';
COMMENT ON COLUMN @extschema@.policy_risk.short_label IS 'short_term as text; NULL if none';
COMMENT ON COLUMN @extschema@.policy_risk.long_label IS 'long_term as text; NULL if none';
COMMENT ON COLUMN @extschema@.policy_risk.net IS 'short_value + long_value, -4..+4; NULL if either is missing';
COMMENT ON COLUMN @extschema@.policy_risk.trend IS 'long_value - short_value, -4..+4 (> 0: improves over time); NULL if either is missing';
COMMENT ON COLUMN @extschema@.policy_risk.long_term_risk IS 'long_value below the weight policy.long_term_risk_below (0 by default: any negative long-term impact); NULL if no long-term score';
COMMENT ON COLUMN @extschema@.policy_risk.issuer IS 'the issuing country, as in policy.country';
COMMENT ON COLUMN @extschema@.policy_risk.policy_id IS 'as in policy.id';

-- policy_balance
COMMENT ON COLUMN @extschema@.policy_balance.country IS 'the affected country, as in policy_impact.country';
COMMENT ON COLUMN @extschema@.policy_balance.sector IS 'the policies'' sector, as in policy.sector; NULL = all sectors together';
COMMENT ON COLUMN @extschema@.policy_balance.horizon IS 'as in policy_impact.horizon: short or long';
COMMENT ON COLUMN @extschema@.policy_balance.positive IS 'number of current impacts with a score above neutral (positive or very positive)';
COMMENT ON COLUMN @extschema@.policy_balance.neutral IS 'number of current impacts with a neutral score';
COMMENT ON COLUMN @extschema@.policy_balance.negative IS 'number of current impacts with a score below neutral (negative or very negative)';
COMMENT ON COLUMN @extschema@.policy_balance.net IS 'sum of the current scores'' integer values (-2..+2 each), as sum(impact_score)';
COMMENT ON COLUMN @extschema@.policy_balance.mean IS 'their mean, -2..+2, as avg(impact_score), 4 decimals';

-- weakest_stage
COMMENT ON COLUMN @extschema@.weakest_stage.country IS 'as in stage_risk.country';
COMMENT ON COLUMN @extschema@.weakest_stage.sector IS 'as in stage_risk.sector';
COMMENT ON COLUMN @extschema@.weakest_stage.stage IS 'as in stage_risk.stage: name of a stage with the chain''s lowest current rating';
COMMENT ON COLUMN @extschema@.weakest_stage.position IS 'as in stage_risk.position';
COMMENT ON COLUMN @extschema@.weakest_stage.rating IS 'as in stage_risk.rating: the lowest rating among the chain''s rated stages';
COMMENT ON COLUMN @extschema@.weakest_stage.rating_label IS 'as in stage_risk.rating_label';
COMMENT ON COLUMN @extschema@.weakest_stage.rating_level IS 'as in stage_risk.rating_level';

-- stage_closure
COMMENT ON COLUMN @extschema@.stage_closure.stage IS 'stage.id of the downstream stage';
COMMENT ON COLUMN @extschema@.stage_closure.upstream IS 'stage.id of a stage that feeds it, directly or through others along stage_link (a stage on a cycle is upstream of itself)';
COMMENT ON COLUMN @extschema@.stage_closure.depth IS 'links on the shortest path from upstream to stage, >= 1 (1 = a direct stage_link)';

-- tier_exposure
COMMENT ON COLUMN @extschema@.tier_exposure.country IS 'the depending country, as in dependency.country';
COMMENT ON COLUMN @extschema@.tier_exposure.sector IS 'the stage''s sector, as in stage.sector';
COMMENT ON COLUMN @extschema@.tier_exposure.stage IS 'name of the stage, as in stage.name (the key is stage_id)';
COMMENT ON COLUMN @extschema@.tier_exposure.supplier IS 'the supplier country, direct or through upstream stages';
COMMENT ON COLUMN @extschema@.tier_exposure.direct_share IS 'supplier''s largest current known supply share among the stage''s items, 0..1; NULL if it is no direct supplier or its share is unknown';
COMMENT ON COLUMN @extschema@.tier_exposure.exposure IS 'multi-tier exposure 0..1 (chain_exposure): the fraction of the stage''s supply that traces back to supplier through known shares, 4 decimals; NULL when none is known';
COMMENT ON COLUMN @extschema@.tier_exposure.tier IS '0 for a direct supplier of the stage (known share or not), else the number of links to the nearest stage it supplies with a known share';
COMMENT ON COLUMN @extschema@.tier_exposure.unknown_shares IS 'number of the stage''s current supply dependencies on supplier without a share; when > 0, exposure is a lower bound';
COMMENT ON COLUMN @extschema@.tier_exposure.position IS 'as in stage.position: place in the chain';
COMMENT ON COLUMN @extschema@.tier_exposure.stage_id IS 'as in stage.id';

-- material_risk
COMMENT ON COLUMN @extschema@.material_risk.material IS 'as in material.id';
COMMENT ON COLUMN @extschema@.material_risk.name IS 'as in material.name';
COMMENT ON COLUMN @extschema@.material_risk.sector IS 'as in material.sector';
COMMENT ON COLUMN @extschema@.material_risk.gs_countries IS 'number of countries in the global supply mix (material_supply rows of scope global); NULL if none';
COMMENT ON COLUMN @extschema@.material_risk.hhi_wgi_gs IS 'governance-weighted HHI (HHI_WGI) of the global mix: sum of share^2 x wgi_scaled x trade parameter (latest governance year), 4 decimals; NULL if no share, or a share without governance score';
COMMENT ON COLUMN @extschema@.material_risk.hhi_wgi_eu IS 'the same for the EU sourcing mix (scope eu); NULL if no EU share, or a share without governance score';
COMMENT ON COLUMN @extschema@.material_risk.import_reliance IS 'as in material.import_reliance';
COMMENT ON COLUMN @extschema@.material_risk.eol_rir IS 'as in material.eol_rir';
COMMENT ON COLUMN @extschema@.material_risk.substitution IS 'as in material.substitution';
COMMENT ON COLUMN @extschema@.material_risk.economic_importance IS 'as in material.economic_importance';
COMMENT ON COLUMN @extschema@.material_risk.method IS '''GS and EU'' when the material has EU sourcing rows, else ''GS only''';
COMMENT ON COLUMN @extschema@.material_risk.supply_risk IS 'the EU supply risk SR = [hhi_wgi_gs x import_reliance/2 + hhi_wgi_eu x (1 - import_reliance/2)] x (1 - eol_rir) x substitution, GS only hhi_wgi_gs x (1 - eol_rir) x substitution; 4 decimals; NULL where an input is unknown';
COMMENT ON COLUMN @extschema@.material_risk.critical IS 'supply_risk >= 1 and economic_importance >= 2.8; NULL when an unknown input leaves it undecided';
