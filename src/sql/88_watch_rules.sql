-- Early warning (44_watch.sql): the shipped rules and their sources, and
-- the persistence of trade dependencies over the years.

ALTER TABLE @extschema@.watch ADD CONSTRAINT watch_product_fkey FOREIGN KEY (product) REFERENCES @extschema@.product;

INSERT INTO @extschema@.source (id, title, publisher, published, url, note, builtin) VALUES
    ('kr-ews-2021', 'Supply-chain early-warning system for imported items', 'Government of the Republic of Korea (Ministry of Economy and Finance)', '2021-11-01', NULL, 'Set up in November 2021 (the day is recorded as the first of the month): about 4,000 imported items of which more than half comes from one country are watched, 100 to 200 of them closely. The rule single-partner-above-half applies the criterion, one partner above half of an importer''s imports of a product, to every importer.', true),
    ('eu-crma-2024', 'Regulation (EU) 2024/1252 of the European Parliament and of the Council of 11 April 2024 establishing a framework for ensuring a secure and sustainable supply of critical raw materials (Critical Raw Materials Act)', 'European Union, Official Journal', '2024-04-11', 'https://eur-lex.europa.eu/eli/reg/2024/1252/oj', 'Article 5(1)(d): a benchmark that the Union''s annual consumption of each strategic raw material, at any relevant stage of processing, comes from no single third country for more than 65 %. The rule eu-single-third-country-above-65 reads it on import_dependency''s rows of the group EU: the top non-member partner''s share of the imports from non-members. The date is the day of adoption.', true);

INSERT INTO @extschema@.watch (name, measure, importer, comparison, threshold, source, note, builtin) VALUES
    ('single-partner-above-half', 'import_dependency.top_share', NULL, '>', 0.5, 'kr-ews-2021',
     'One partner supplies more than half of an importer''s imports of a product: Korea''s early-warning criterion (November 2021), here for every importer.', true),
    ('eu-single-third-country-above-65', 'import_dependency.top_share', 'EU', '>', 0.65, 'eu-crma-2024',
     'A single third country supplies more than 65 % of the EU''s imports of a product from non-members (the Critical Raw Materials Act''s benchmark, Article 5(1)(d), read on imports).', true),
    ('eu-strategic-dependency', 'import_dependency.dependent', 'EU', '=', 1, 'ec-swd-2021-352',
     'The EU''s imports of a product meet the European Commission''s 2021 strategic-dependency test (concentrated, import-dependent and hard to substitute).', true);

-- what every subject of a measure may read: a group's members (the
-- import_dependency of groups), a policy's sector or the policy itself
CREATE TRIGGER watch_members AFTER INSERT OR UPDATE OR DELETE ON @extschema@.country_group
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.watch_track('import_dependency.top_share', 'import_dependency.hhi',
                                                                'import_dependency.dependent');
CREATE TRIGGER watch_policies AFTER UPDATE OR DELETE ON @extschema@.policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.watch_track('policy_risk.long_value');

-- a shipped rule cannot be deleted (disable it); pg_dump keeps users' rules
SELECT @extschema@.protect_shipped_rows('@extschema@.watch', 'DELETE', 'OLD.builtin');
-- and the cleared alerts (the open ones are raised again by the restore)
SELECT pg_catalog.pg_extension_config_dump('@extschema@.alert', 'WHERE cleared_at IS NOT NULL');

-- import_dependency_persistence: how many of the last three years (the
-- year and the two before) an importer's imports of a product were a
-- strategic dependency; persistent in two of three (CEPII's GeoDep counts a
-- product as dependent so).  A year without data counts as not dependent.
CREATE VIEW @extschema@.import_dependency_persistence AS
SELECT d.importer,
       d.product,
       d.year,
       d.dependent,
       (count(*) FILTER (WHERE d.dependent) OVER w)::integer AS dependent_years,
       count(*) FILTER (WHERE d.dependent) OVER w >= 2 AS persistent
FROM @extschema@.import_dependency d
WINDOW w AS (PARTITION BY d.importer, d.product ORDER BY d.year RANGE BETWEEN 2 PRECEDING AND CURRENT ROW);
COMMENT ON VIEW @extschema@.import_dependency_persistence IS
    'per importer, product and year: in how many of the three years to it the imports were a strategic dependency (dependent_years), and persistent = two or more (CEPII GeoDep)';


COMMENT ON COLUMN @extschema@.watch.name IS 'the rule''s name (its key; alert.watch)';
COMMENT ON COLUMN @extschema@.watch.threshold IS 'the value the measure is compared with';
COMMENT ON COLUMN @extschema@.watch.source IS 'the publication the rule comes from (source.id); NULL for a user''s own';
COMMENT ON COLUMN @extschema@.watch.note IS 'what the rule is for';
COMMENT ON COLUMN @extschema@.watch.builtin IS 'a shipped rule, unchanged (a changed one becomes the user''s row)';
COMMENT ON COLUMN @extschema@.alert.id IS 'the alert (acknowledge() takes it; the notifications carry it)';
COMMENT ON COLUMN @extschema@.alert.watch IS 'the rule met (watch.name)';
COMMENT ON COLUMN @extschema@.alert.key IS 'the subject''s key columns in one text, U+001F between them: what the writers compare (subject shows them named)';
COMMENT ON COLUMN @extschema@.alert.country IS 'the subject''s country: the depending or affected country, or the importer';
COMMENT ON COLUMN @extschema@.alert.value_cleared IS 'the measure when the alert cleared (NULL: the subject is gone, or the rule was disabled)';
COMMENT ON COLUMN @extschema@.alert.acknowledged_at IS 'when acknowledge() was called on it';
COMMENT ON COLUMN @extschema@.alert.acknowledged_by IS 'who called acknowledge()';
COMMENT ON COLUMN @extschema@.alert.note IS 'the note given to acknowledge()';
COMMENT ON COLUMN @extschema@.open_alert.id IS 'alert.id as text (acknowledge() takes either)';
COMMENT ON COLUMN @extschema@.open_alert.watch IS 'the rule met (watch.name)';
COMMENT ON COLUMN @extschema@.open_alert.measure IS 'the rule''s measure';
COMMENT ON COLUMN @extschema@.open_alert.country IS 'the subject''s depending or affected country (country_risk, stage_risk, policy_risk)';
COMMENT ON COLUMN @extschema@.open_alert.sector IS 'the subject''s sector (NULL: country_risk''s all-sectors row, or import_dependency)';
COMMENT ON COLUMN @extschema@.open_alert.stage IS 'the subject''s stage (stage_risk)';
COMMENT ON COLUMN @extschema@.open_alert.supplier IS 'the subject''s supplier (country_risk)';
COMMENT ON COLUMN @extschema@.open_alert.importer IS 'the subject''s importer (import_dependency)';
COMMENT ON COLUMN @extschema@.open_alert.product IS 'the subject''s product (import_dependency)';
COMMENT ON COLUMN @extschema@.open_alert.year IS 'the subject''s year (import_dependency)';
COMMENT ON COLUMN @extschema@.open_alert.policy IS 'the subject''s policy (policy_risk)';
COMMENT ON COLUMN @extschema@.open_alert.comparison IS 'the rule''s comparison';
COMMENT ON COLUMN @extschema@.open_alert.threshold IS 'the rule''s threshold';
COMMENT ON COLUMN @extschema@.open_alert.value_before IS 'the measure before the write that raised the alert (NULL: a new subject, or one evaluated again as a whole: a rule changed, a threshold or weakness weight, a group''s members)';
COMMENT ON COLUMN @extschema@.open_alert.value_after IS 'the measure that met the rule';
COMMENT ON COLUMN @extschema@.open_alert.raised_at IS 'the raising transaction''s time';
COMMENT ON COLUMN @extschema@.open_alert.acknowledged_at IS 'when acknowledge() was called on it';
COMMENT ON COLUMN @extschema@.open_alert.acknowledged_by IS 'who called acknowledge()';
COMMENT ON COLUMN @extschema@.open_alert.note IS 'the note given to acknowledge()';
COMMENT ON COLUMN @extschema@.import_dependency_persistence.importer IS 'as in import_dependency';
COMMENT ON COLUMN @extschema@.import_dependency_persistence.product IS 'as in import_dependency';
COMMENT ON COLUMN @extschema@.import_dependency_persistence.year IS 'as in import_dependency';
COMMENT ON COLUMN @extschema@.import_dependency_persistence.dependent IS 'a strategic dependency that year (import_dependency.dependent)';
COMMENT ON COLUMN @extschema@.import_dependency_persistence.dependent_years IS 'of the year and the two before, how many it was dependent (0..3)';
COMMENT ON COLUMN @extschema@.import_dependency_persistence.persistent IS 'dependent in two or more of the three years';
