-- The heat map: valid XML, one cell per stage x supplier with data, stable bytes.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
RESET client_min_messages;
SET search_path = public, supplychain;

SELECT sector, xml_is_well_formed_document(heatmap_svg('US', sector)) AS well_formed,
       xmlparse(document heatmap_svg('US', sector)) IS NOT NULL AS parses,
       (xpath('count(//svg:rect[@class="cell"])', xmlparse(document heatmap_svg('US', sector)),
              '{{svg,http://www.w3.org/2000/svg}}'))[1]::text::int AS cells,
       (SELECT count(*) FROM (SELECT DISTINCT d.stage, d.supplier FROM current_dependency d
                              JOIN stage s ON s.id = d.stage
                              WHERE d.country = 'US' AND (v.sector IS NULL OR s.sector = v.sector)) p) AS stage_supplier_pairs,
       heatmap_svg('US', sector) = heatmap_svg('US', sector) AS identical,
       md5(heatmap_svg('US', sector)) AS md5
FROM (VALUES ('semiconductors'), ('batteries'), (NULL)) v(sector);

-- the printed values are the country_risk terms, cells in (stage id, supplier) order:
-- equipment NL 1.0 x 1/3 x 0.25 = 0.08; fabrication KR 0.08 x 1 x 0.25 = 0.02, TW 0.92 x 1 x 0.5 = 0.46
SELECT (xpath('//svg:rect[@class="cell"]/following-sibling::svg:text[1]/text()',
              xmlparse(document heatmap_svg('US', 'semiconductors')),
              '{{svg,http://www.w3.org/2000/svg}}'))::text[] AS cell_texts;
-- every stage's rating is printed beside its name
SELECT count(*) AS rating_labels
FROM stage_risk r
WHERE r.country = 'US' AND strpos(heatmap_svg('US'), '(' || r.rating_label || ')') > 0;

-- names are escaped
INSERT INTO country (code, name) VALUES ('QZ', 'Q&A <test>');
INSERT INTO sector (code, name) VALUES ('s&p', 'S&P');
INSERT INTO stage (id, sector, position, name) VALUES ('s&p.1', 's&p', 1, 'Bits & <pieces>');
INSERT INTO assessment (stage, country, rating, as_of) VALUES ('s&p.1', 'QZ', 'weak', '2024-01-01');
INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
VALUES ('s&p.1', 'QZ', 'CN', 'supply', 'x', 0.5, '2024-01-01');
SELECT xml_is_well_formed_document(heatmap_svg('QZ', 's&p')) AS escaped_well_formed;
DELETE FROM dependency WHERE stage = 's&p.1';
DELETE FROM assessment WHERE stage = 's&p.1';
DELETE FROM stage WHERE id = 's&p.1';
DELETE FROM sector WHERE code = 's&p';
DELETE FROM country WHERE code = 'QZ';

-- a country with no assessed chain
SELECT heatmap_svg('KR');

-- the maintained state equals its recomputation from the raw rows
SELECT count(*) AS state_differences FROM supplychain.verify_state();
