-- Trade data: products (HS codes), which products feed which stage, bilateral
-- trade flows, country groups, import_partner and import_dependency (the
-- European Commission's 2021 strategic-dependency test), and
-- load_trade_dependencies(), which turns a year of flows into dependency
-- rows.  Ships every ISO 3166-1 country, the EU's members and the HS codes
-- of the brief's two chains; never trade values (docs/trade.md).

INSERT INTO @extschema@.source (id, title, publisher, published, url, note, builtin) VALUES
    ('iso-3166-1', 'ISO 3166-1: Codes for the representation of names of countries and their subdivisions, Part 1: Country code', 'International Organization for Standardization (ISO), ISO 3166 Maintenance Agency', NULL, 'https://www.iso.org/iso-3166-country-codes.html', 'The builtin rows of country (which has no source column): the 249 officially assigned alpha-2 codes with their English short names, as published in the iso-codes list (iso_3166-1.json, version 4.15.0, https://salsa.debian.org/iso-codes-team/iso-codes). The rows US, KR, TW, CN, JP and NL keep the shorter names they shipped with; EU (exceptionally reserved) and ZZ (user-assigned) are not ISO 3166-1 country codes.', true),
    ('eu-countries', 'Countries: EU member countries in brief', 'European Union', NULL, 'https://european-union.europa.eu/principles-countries-history/country-profiles_en', 'Members of the European Union and their years of accession. The day is the entry into force of the founding Treaty of Rome (1958-01-01) and of each accession treaty (1973-01-01, 1981-01-01, 1986-01-01, 1995-01-01, 2004-05-01, 2007-01-01, 2013-07-01); the United Kingdom left on 31 January 2020 (Withdrawal Agreement), its last day as a member.', true),
    ('wco-hs-2017', 'Harmonized Commodity Description and Coding System (HS), 2017 edition', 'World Customs Organization (WCO)', '2017-01-01', 'https://www.wcoomd.org/en/topics/nomenclature/instrument-and-tools/hs-nomenclature-2017-edition.aspx', 'HS 2017 entered into force on 1 January 2017. Product names are the heading and subheading texts of the nomenclature; the stage of each product is what its text says it is.', true),
    ('ec-swd-2021-352', 'Strategic dependencies and capacities, Commission Staff Working Document SWD(2021) 352 final', 'European Commission', '2021-05-05', 'https://ec.europa.eu/info/sites/default/files/swd-strategic-dependencies-capacities_en.pdf', 'Accompanies the 2021 update of the EU industrial strategy. A product is a high dependency when the HHI of its extra-EU import sources is above 0.4, extra-EU imports are more than half of all EU imports of it, and extra-EU imports exceed total EU exports of it; the weights trade.* hold the three thresholds.', true),
    ('trade-flow', 'Bilateral trade flows loaded into supplychain.trade_flow', 'the user''s own trade data (for example CEPII BACI or UN Comtrade)', NULL, NULL, 'Cited by the dependency rows that load_trade_dependencies() writes, and only by them: it deletes and rewrites the rows citing this source for the year and importer it loads. Do not cite it in rows of your own.', true);

-- Every ISO 3166-1 alpha-2 code not shipped by 50_reference.sql (source iso-3166-1)
INSERT INTO @extschema@.country (code, name, builtin) VALUES
    ('AD', 'Andorra', true),
    ('AE', 'United Arab Emirates', true),
    ('AF', 'Afghanistan', true),
    ('AG', 'Antigua and Barbuda', true),
    ('AI', 'Anguilla', true),
    ('AL', 'Albania', true),
    ('AM', 'Armenia', true),
    ('AO', 'Angola', true),
    ('AQ', 'Antarctica', true),
    ('AR', 'Argentina', true),
    ('AS', 'American Samoa', true),
    ('AT', 'Austria', true),
    ('AU', 'Australia', true),
    ('AW', 'Aruba', true),
    ('AX', 'Åland Islands', true),
    ('AZ', 'Azerbaijan', true),
    ('BA', 'Bosnia and Herzegovina', true),
    ('BB', 'Barbados', true),
    ('BD', 'Bangladesh', true),
    ('BE', 'Belgium', true),
    ('BF', 'Burkina Faso', true),
    ('BG', 'Bulgaria', true),
    ('BH', 'Bahrain', true),
    ('BI', 'Burundi', true),
    ('BJ', 'Benin', true),
    ('BL', 'Saint Barthélemy', true),
    ('BM', 'Bermuda', true),
    ('BN', 'Brunei Darussalam', true),
    ('BO', 'Bolivia, Plurinational State of', true),
    ('BQ', 'Bonaire, Sint Eustatius and Saba', true),
    ('BR', 'Brazil', true),
    ('BS', 'Bahamas', true),
    ('BT', 'Bhutan', true),
    ('BV', 'Bouvet Island', true),
    ('BW', 'Botswana', true),
    ('BY', 'Belarus', true),
    ('BZ', 'Belize', true),
    ('CA', 'Canada', true),
    ('CC', 'Cocos (Keeling) Islands', true),
    ('CD', 'Congo, The Democratic Republic of the', true),
    ('CF', 'Central African Republic', true),
    ('CG', 'Congo', true),
    ('CH', 'Switzerland', true),
    ('CI', 'Côte d''Ivoire', true),
    ('CK', 'Cook Islands', true),
    ('CL', 'Chile', true),
    ('CM', 'Cameroon', true),
    ('CO', 'Colombia', true),
    ('CR', 'Costa Rica', true),
    ('CU', 'Cuba', true),
    ('CV', 'Cabo Verde', true),
    ('CW', 'Curaçao', true),
    ('CX', 'Christmas Island', true),
    ('CY', 'Cyprus', true),
    ('CZ', 'Czechia', true),
    ('DE', 'Germany', true),
    ('DJ', 'Djibouti', true),
    ('DK', 'Denmark', true),
    ('DM', 'Dominica', true),
    ('DO', 'Dominican Republic', true),
    ('DZ', 'Algeria', true),
    ('EC', 'Ecuador', true),
    ('EE', 'Estonia', true),
    ('EG', 'Egypt', true),
    ('EH', 'Western Sahara', true),
    ('ER', 'Eritrea', true),
    ('ES', 'Spain', true),
    ('ET', 'Ethiopia', true),
    ('FI', 'Finland', true),
    ('FJ', 'Fiji', true),
    ('FK', 'Falkland Islands (Malvinas)', true),
    ('FM', 'Micronesia, Federated States of', true),
    ('FO', 'Faroe Islands', true),
    ('FR', 'France', true),
    ('GA', 'Gabon', true),
    ('GB', 'United Kingdom', true),
    ('GD', 'Grenada', true),
    ('GE', 'Georgia', true),
    ('GF', 'French Guiana', true),
    ('GG', 'Guernsey', true),
    ('GH', 'Ghana', true),
    ('GI', 'Gibraltar', true),
    ('GL', 'Greenland', true),
    ('GM', 'Gambia', true),
    ('GN', 'Guinea', true),
    ('GP', 'Guadeloupe', true),
    ('GQ', 'Equatorial Guinea', true),
    ('GR', 'Greece', true),
    ('GS', 'South Georgia and the South Sandwich Islands', true),
    ('GT', 'Guatemala', true),
    ('GU', 'Guam', true),
    ('GW', 'Guinea-Bissau', true),
    ('GY', 'Guyana', true),
    ('HK', 'Hong Kong', true),
    ('HM', 'Heard Island and McDonald Islands', true),
    ('HN', 'Honduras', true),
    ('HR', 'Croatia', true),
    ('HT', 'Haiti', true),
    ('HU', 'Hungary', true),
    ('ID', 'Indonesia', true),
    ('IE', 'Ireland', true),
    ('IL', 'Israel', true),
    ('IM', 'Isle of Man', true),
    ('IN', 'India', true),
    ('IO', 'British Indian Ocean Territory', true),
    ('IQ', 'Iraq', true),
    ('IR', 'Iran, Islamic Republic of', true),
    ('IS', 'Iceland', true),
    ('IT', 'Italy', true),
    ('JE', 'Jersey', true),
    ('JM', 'Jamaica', true),
    ('JO', 'Jordan', true),
    ('KE', 'Kenya', true),
    ('KG', 'Kyrgyzstan', true),
    ('KH', 'Cambodia', true),
    ('KI', 'Kiribati', true),
    ('KM', 'Comoros', true),
    ('KN', 'Saint Kitts and Nevis', true),
    ('KP', 'Korea, Democratic People''s Republic of', true),
    ('KW', 'Kuwait', true),
    ('KY', 'Cayman Islands', true),
    ('KZ', 'Kazakhstan', true),
    ('LA', 'Lao People''s Democratic Republic', true),
    ('LB', 'Lebanon', true),
    ('LC', 'Saint Lucia', true),
    ('LI', 'Liechtenstein', true),
    ('LK', 'Sri Lanka', true),
    ('LR', 'Liberia', true),
    ('LS', 'Lesotho', true),
    ('LT', 'Lithuania', true),
    ('LU', 'Luxembourg', true),
    ('LV', 'Latvia', true),
    ('LY', 'Libya', true),
    ('MA', 'Morocco', true),
    ('MC', 'Monaco', true),
    ('MD', 'Moldova, Republic of', true),
    ('ME', 'Montenegro', true),
    ('MF', 'Saint Martin (French part)', true),
    ('MG', 'Madagascar', true),
    ('MH', 'Marshall Islands', true),
    ('MK', 'North Macedonia', true),
    ('ML', 'Mali', true),
    ('MM', 'Myanmar', true),
    ('MN', 'Mongolia', true),
    ('MO', 'Macao', true),
    ('MP', 'Northern Mariana Islands', true),
    ('MQ', 'Martinique', true),
    ('MR', 'Mauritania', true),
    ('MS', 'Montserrat', true),
    ('MT', 'Malta', true),
    ('MU', 'Mauritius', true),
    ('MV', 'Maldives', true),
    ('MW', 'Malawi', true),
    ('MX', 'Mexico', true),
    ('MY', 'Malaysia', true),
    ('MZ', 'Mozambique', true),
    ('NA', 'Namibia', true),
    ('NC', 'New Caledonia', true),
    ('NE', 'Niger', true),
    ('NF', 'Norfolk Island', true),
    ('NG', 'Nigeria', true),
    ('NI', 'Nicaragua', true),
    ('NO', 'Norway', true),
    ('NP', 'Nepal', true),
    ('NR', 'Nauru', true),
    ('NU', 'Niue', true),
    ('NZ', 'New Zealand', true),
    ('OM', 'Oman', true),
    ('PA', 'Panama', true),
    ('PE', 'Peru', true),
    ('PF', 'French Polynesia', true),
    ('PG', 'Papua New Guinea', true),
    ('PH', 'Philippines', true),
    ('PK', 'Pakistan', true),
    ('PL', 'Poland', true),
    ('PM', 'Saint Pierre and Miquelon', true),
    ('PN', 'Pitcairn', true),
    ('PR', 'Puerto Rico', true),
    ('PS', 'Palestine, State of', true),
    ('PT', 'Portugal', true),
    ('PW', 'Palau', true),
    ('PY', 'Paraguay', true),
    ('QA', 'Qatar', true),
    ('RE', 'Réunion', true),
    ('RO', 'Romania', true),
    ('RS', 'Serbia', true),
    ('RU', 'Russian Federation', true),
    ('RW', 'Rwanda', true),
    ('SA', 'Saudi Arabia', true),
    ('SB', 'Solomon Islands', true),
    ('SC', 'Seychelles', true),
    ('SD', 'Sudan', true),
    ('SE', 'Sweden', true),
    ('SG', 'Singapore', true),
    ('SH', 'Saint Helena, Ascension and Tristan da Cunha', true),
    ('SI', 'Slovenia', true),
    ('SJ', 'Svalbard and Jan Mayen', true),
    ('SK', 'Slovakia', true),
    ('SL', 'Sierra Leone', true),
    ('SM', 'San Marino', true),
    ('SN', 'Senegal', true),
    ('SO', 'Somalia', true),
    ('SR', 'Suriname', true),
    ('SS', 'South Sudan', true),
    ('ST', 'Sao Tome and Principe', true),
    ('SV', 'El Salvador', true),
    ('SX', 'Sint Maarten (Dutch part)', true),
    ('SY', 'Syrian Arab Republic', true),
    ('SZ', 'Eswatini', true),
    ('TC', 'Turks and Caicos Islands', true),
    ('TD', 'Chad', true),
    ('TF', 'French Southern Territories', true),
    ('TG', 'Togo', true),
    ('TH', 'Thailand', true),
    ('TJ', 'Tajikistan', true),
    ('TK', 'Tokelau', true),
    ('TL', 'Timor-Leste', true),
    ('TM', 'Turkmenistan', true),
    ('TN', 'Tunisia', true),
    ('TO', 'Tonga', true),
    ('TR', 'Türkiye', true),
    ('TT', 'Trinidad and Tobago', true),
    ('TV', 'Tuvalu', true),
    ('TZ', 'Tanzania, United Republic of', true),
    ('UA', 'Ukraine', true),
    ('UG', 'Uganda', true),
    ('UM', 'United States Minor Outlying Islands', true),
    ('UY', 'Uruguay', true),
    ('UZ', 'Uzbekistan', true),
    ('VA', 'Holy See (Vatican City State)', true),
    ('VC', 'Saint Vincent and the Grenadines', true),
    ('VE', 'Venezuela, Bolivarian Republic of', true),
    ('VG', 'Virgin Islands, British', true),
    ('VI', 'Virgin Islands, U.S.', true),
    ('VN', 'Viet Nam', true),
    ('VU', 'Vanuatu', true),
    ('WF', 'Wallis and Futuna', true),
    ('WS', 'Samoa', true),
    ('YE', 'Yemen', true),
    ('YT', 'Mayotte', true),
    ('ZA', 'South Africa', true),
    ('ZM', 'Zambia', true),
    ('ZW', 'Zimbabwe', true);

-- Products: HS codes as text, so that leading zeros stay ('010121').  An HS
-- code is 2, 4 or 6 digits (chapter, heading, subheading): a 5-digit code is
-- a 6-digit one that lost its leading zero on the way through a spreadsheet.
CREATE TABLE @extschema@.product (
    code           text PRIMARY KEY CHECK (code ~ '^[0-9A-Za-z][0-9A-Za-z.-]*$'),
    name           text NOT NULL,
    classification text NOT NULL DEFAULT 'HS2017',
    note           text,
    source         text REFERENCES @extschema@.source,
    builtin        boolean NOT NULL DEFAULT false,
    CONSTRAINT product_hs_code CHECK (classification !~ '^HS' OR code ~ '^([0-9]{2}){1,3}$')
);
COMMENT ON TABLE @extschema@.product IS
    'traded products, by code of a classification (HS 2017 by default); trade_flow and product_stage refer to them';
COMMENT ON COLUMN @extschema@.product.code IS 'the product code as text, e.g. HS subheading ''850760''; HS codes have 2, 4 or 6 digits, leading zeros kept';
COMMENT ON COLUMN @extschema@.product.name IS 'the product''s name in the classification';
COMMENT ON COLUMN @extschema@.product.classification IS 'the nomenclature of the code: ''HS2017'' (default), ''HS1992'', ... or one of your own';
COMMENT ON COLUMN @extschema@.product.note IS 'free text';
COMMENT ON COLUMN @extschema@.product.source IS 'the publication of the code and name';
COMMENT ON COLUMN @extschema@.product.builtin IS 'true for the rows that come with the extension (read-only)';

-- product_stage: which products feed which stage.  item is the dependency
-- item that load_trade_dependencies() writes; it defaults to the product
-- code.  Products mapped to the same (stage, item) are one item: the shares
-- are then shares of their imports together.
CREATE TABLE @extschema@.product_stage (
    product text NOT NULL REFERENCES @extschema@.product,
    stage   text NOT NULL REFERENCES @extschema@.stage,
    item    text NOT NULL CHECK (item <> ''),
    note    text,
    source  text REFERENCES @extschema@.source,
    builtin boolean NOT NULL DEFAULT false,
    PRIMARY KEY (product, stage)
);
COMMENT ON TABLE @extschema@.product_stage IS
    'which products feed which stage; load_trade_dependencies() writes a dependency per (stage, item) from the trade flows of its products';
COMMENT ON COLUMN @extschema@.product_stage.product IS 'the product (product.code)';
COMMENT ON COLUMN @extschema@.product_stage.stage IS 'the stage it feeds (stage.id)';
COMMENT ON COLUMN @extschema@.product_stage.item IS 'the dependency item the product counts toward; defaults to the product code';
COMMENT ON COLUMN @extschema@.product_stage.note IS 'why the product belongs to the stage';
COMMENT ON COLUMN @extschema@.product_stage.source IS 'the publication that says so';
COMMENT ON COLUMN @extschema@.product_stage.builtin IS 'true for the rows that come with the extension (read-only)';

CREATE FUNCTION @extschema@.product_stage_item() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.item := COALESCE(NEW.item, NEW.product);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.product_stage_item() IS
    'trigger: product_stage.item defaults to the product code';
CREATE TRIGGER item_default BEFORE INSERT OR UPDATE ON @extschema@.product_stage
    FOR EACH ROW EXECUTE FUNCTION @extschema@.product_stage_item();

-- trade_flow: one row per year, exporter, importer and product, as CEPII
-- BACI and UN Comtrade publish them.  Partitioned by year (docs/trade.md,
-- "Years"): load_trade_flows() builds a year's partition as a table of its
-- own, its indexes by sort, and attaches it, which checks the foreign keys
-- in one pass; trade_flow_year() gives a year an empty partition, for rows
-- written one by one.  There is no default partition: a row of a year
-- without one is refused.  (The partitions are tables outside the
-- extension, which pg_dump dumps whole and attaches again: a partition that
-- the extension's script created would exist twice on restore, and one
-- registered with pg_extension_config_dump makes pg_dump 15 -n crash.)  A
-- query on one year reads one partition.  The codes are ASCII: COLLATE "C"
-- compares them byte by byte, the cheapest comparison there is to build and
-- probe their indexes.  Each partition has the key (year, exporter,
-- importer, product) and an index on each of importer, exporter and product
-- that lets a filter reach the rows without reading the table.  No
-- builtin column: no flows are shipped.
CREATE TABLE @extschema@.trade_flow (
    year     integer NOT NULL CHECK (year BETWEEN 1800 AND 2999),
    exporter text COLLATE "C" NOT NULL REFERENCES @extschema@.country,
    importer text COLLATE "C" NOT NULL REFERENCES @extschema@.country,
    product  text COLLATE "C" NOT NULL REFERENCES @extschema@.product,
    value    numeric NOT NULL,
    quantity numeric,
    source   text REFERENCES @extschema@.source,
    CONSTRAINT trade_flow_value_not_negative CHECK (value >= 0),
    CONSTRAINT trade_flow_quantity_not_negative CHECK (quantity >= 0),
    CONSTRAINT trade_flow_exporter_is_not_importer CHECK (exporter <> importer)
) PARTITION BY LIST (year);
-- The key and the indexes are each partition's (trade_flow_indexes()),
-- not declared on trade_flow: an index of the extension's table would be
-- made anew on each partition as a restore attaches it, before the
-- partition's own (pg_dump dumps the partitions, tables outside the
-- extension, with their indexes), and the restore would fail on them.
COMMENT ON TABLE @extschema@.trade_flow IS
    'bilateral trade flows (CEPII BACI, UN Comtrade): what exporter shipped to importer of product in year; none are shipped';
COMMENT ON COLUMN @extschema@.trade_flow.year IS 'the calendar year of the flow';
COMMENT ON COLUMN @extschema@.trade_flow.exporter IS 'the exporting country (country.code)';
COMMENT ON COLUMN @extschema@.trade_flow.importer IS 'the importing country (country.code), never the exporter';
COMMENT ON COLUMN @extschema@.trade_flow.product IS 'the product (product.code)';
COMMENT ON COLUMN @extschema@.trade_flow.value IS 'the value of the flow, >= 0, in the source''s unit (BACI: thousand current US dollars); shares and ratios do not depend on the unit';
COMMENT ON COLUMN @extschema@.trade_flow.quantity IS 'the quantity, >= 0 (BACI: metric tons); NULL when not reported';
COMMENT ON COLUMN @extschema@.trade_flow.source IS 'the data set the flow comes from (source.id)';

-- trade_country_total: the maintained totals of trade_flow per country, product and
-- year: what the country imported (the flows, their sum, the sum of their
-- squares, the partners with a value above 0, the largest value and its
-- partner) and exported.  import_dependency reads a country's row here
-- instead of aggregating its flows.  Kept by the statement triggers on
-- trade_flow and its partitions (trade_track()), which lock each changed
-- key and recompute it from the flows, and by load_trade_flows(), which
-- writes a loaded year's rows in one pass; verify_state() recomputes them
-- all and rebuild_state() rebuilds them.  A row exists while the country
-- has a flow of the product that year, in or out.
CREATE TABLE @extschema@.trade_country_total (
    country      text COLLATE "C" NOT NULL,
    product      text COLLATE "C" NOT NULL,
    year         integer NOT NULL,
    import_flows integer NOT NULL DEFAULT 0,
    imports      numeric NOT NULL DEFAULT 0,
    squares      numeric NOT NULL DEFAULT 0,
    partners     integer NOT NULL DEFAULT 0,
    top_value    numeric,
    top_partner  text COLLATE "C",
    export_flows integer NOT NULL DEFAULT 0,
    exports      numeric NOT NULL DEFAULT 0,
    -- year first: a year's rows are one range (the loader replaces them,
    -- import_dependency reads them, one importer's within them)
    PRIMARY KEY (year, country, product)
);
COMMENT ON TABLE @extschema@.trade_country_total IS
    'maintained state: trade_flow''s imports and exports per country, product and year (import_dependency reads it); verify_state() checks it';
COMMENT ON COLUMN @extschema@.trade_country_total.country IS 'the importing and exporting country';
COMMENT ON COLUMN @extschema@.trade_country_total.product IS 'the product';
COMMENT ON COLUMN @extschema@.trade_country_total.year IS 'the year of the flows';
COMMENT ON COLUMN @extschema@.trade_country_total.import_flows IS 'the flows into the country';
COMMENT ON COLUMN @extschema@.trade_country_total.imports IS 'the sum of their values';
COMMENT ON COLUMN @extschema@.trade_country_total.squares IS 'the sum of the squares of their values';
COMMENT ON COLUMN @extschema@.trade_country_total.partners IS 'the flows in with a value above 0';
COMMENT ON COLUMN @extschema@.trade_country_total.top_value IS 'the largest value in; NULL when none is above 0';
COMMENT ON COLUMN @extschema@.trade_country_total.top_partner IS 'its exporter (of equal values, the first code)';
COMMENT ON COLUMN @extschema@.trade_country_total.export_flows IS 'the flows out of the country';
COMMENT ON COLUMN @extschema@.trade_country_total.exports IS 'the sum of their values';

-- trade_totals_scan(flows, memberships): every key's totals from a table of
-- flows, in one pass over it in C (src/trade_totals.c), each flow to its
-- importer's and its exporter's row (each code numbered once, a country's
-- totals in columns indexed by the product's number); with memberships
-- (the parallel arrays groups, members, first_years and last_years, NULL:
-- still a member), in the same pass every (group, product, year)'s row of
-- trade_country_group_total, with is_group (a country's row has
-- inside_imports NULL).  Within the hash memory limit (work_mem x
-- hash_mem_multiplier), else it stops with 54000.
CREATE FUNCTION @extschema@.trade_totals_scan(flows regclass, groups text[] DEFAULT NULL, members text[] DEFAULT NULL,
                                              first_years integer[] DEFAULT NULL, last_years integer[] DEFAULT NULL)
RETURNS TABLE (country text, product text, year integer, import_flows integer, imports numeric, squares numeric,
               partners integer, top_value numeric, top_partner text, export_flows integer, exports numeric,
               inside_imports numeric, is_group boolean)
AS 'MODULE_PATHNAME', 'trade_totals_scan'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.trade_totals_scan(regclass, text[], text[], integer[], integer[]) IS
    'internal: trade_country_total''s rows of every key of a table of flows (and, given memberships, trade_country_group_total''s), in one pass in C within the hash memory limit';

-- trade_country_totals(flows, keys): the totals of the keys (country, product,
-- year; NULL keys: every key with flows) computed from the table flows, in
-- one aggregation per side.  The loader, the triggers and verify_state()
-- all compute them here.
CREATE FUNCTION @extschema@.trade_country_totals(flows regclass, countries text[] DEFAULT NULL,
                                         products text[] DEFAULT NULL, years integer[] DEFAULT NULL)
RETURNS SETOF @extschema@.trade_country_total
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF countries IS NULL THEN
        -- every key: one pass in C over a table (a partition), unless it is
        -- under row-level security or its keys outgrow the hash memory (then
        -- SQL, which spills to disk)
        IF (SELECT c.relkind OPERATOR(pg_catalog.=) 'r' AND NOT c.relrowsecurity
            FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) flows) THEN
            BEGIN
                RETURN QUERY SELECT s.country, s.product, s.year, s.import_flows, s.imports, s.squares, s.partners,
                                    s.top_value, s.top_partner, s.export_flows, s.exports
                             FROM @extschema@.trade_totals_scan(flows) s;
                RETURN;
            EXCEPTION WHEN program_limit_exceeded THEN
                NULL;
            END;
        END IF;
        RETURN QUERY EXECUTE pg_catalog.format($q$
            SELECT COALESCE(i.country, e.country), COALESCE(i.product, e.product), COALESCE(i.year, e.year),
                   COALESCE((i.t).flows, 0)::integer, COALESCE((i.t).total, 0), COALESCE((i.t).squares, 0),
                   COALESCE((i.t).partners, 0)::integer, (i.t).top_value, (i.t).top_partner,
                   COALESCE((e.t).flows, 0)::integer, COALESCE((e.t).total, 0)
            FROM (SELECT f.importer AS country, f.product, f.year, @extschema@.trade_totals(f.value, f.exporter) AS t
                  FROM %1$s f GROUP BY f.importer, f.product, f.year) i
            FULL JOIN (SELECT f.exporter AS country, f.product, f.year, @extschema@.trade_totals(f.value, NULL) AS t
                       FROM %1$s f GROUP BY f.exporter, f.product, f.year) e
              ON e.country OPERATOR(pg_catalog.=) i.country AND e.product OPERATOR(pg_catalog.=) i.product
             AND e.year OPERATOR(pg_catalog.=) i.year
        $q$, flows);
        RETURN;
    END IF;
    -- a few keys: each read through the indexes on importer and exporter
    RETURN QUERY EXECUTE pg_catalog.format($q$
        SELECT k.country, k.product, k.year,
               COALESCE((i.t).flows, 0)::integer, COALESCE((i.t).total, 0), COALESCE((i.t).squares, 0),
               COALESCE((i.t).partners, 0)::integer, (i.t).top_value, (i.t).top_partner,
               COALESCE((e.t).flows, 0)::integer, COALESCE((e.t).total, 0)
        FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (country, product, year)
        CROSS JOIN LATERAL (
            SELECT @extschema@.trade_totals(f.value, f.exporter) AS t
            FROM %1$s f
            WHERE f.importer OPERATOR(pg_catalog.=) k.country AND f.product OPERATOR(pg_catalog.=) k.product
              AND f.year OPERATOR(pg_catalog.=) k.year) i
        CROSS JOIN LATERAL (
            SELECT @extschema@.trade_totals(f.value, NULL) AS t
            FROM %1$s f
            WHERE f.exporter OPERATOR(pg_catalog.=) k.country AND f.product OPERATOR(pg_catalog.=) k.product
              AND f.year OPERATOR(pg_catalog.=) k.year) e
        WHERE (i.t).flows OPERATOR(pg_catalog.>) 0 OR (e.t).flows OPERATOR(pg_catalog.>) 0
    $q$, flows) USING countries, products, years;
END
$$;
COMMENT ON FUNCTION @extschema@.trade_country_totals(regclass, text[], text[], integer[]) IS
    'internal: trade_country_total''s rows computed from the flows of a table, for the given keys (NULL: every key)';

-- trade_recompute(target, code, fresh, columns, keys): the rows of the
-- (code, product, year) keys in target (trade_country_total or
-- trade_country_group_total, or a shard of either; code names its code
-- column), whose rows the caller has locked, from fresh, a query of their
-- recomputed rows ($1, $2, $3: the keys' codes, products and years): a key
-- without a fresh row loses its row, the others take the fresh values of
-- columns.  One statement, which sees what the writers before committed.
CREATE FUNCTION @extschema@.trade_recompute(target regclass, code name, fresh text, columns name[],
                                            codes text[], products text[], years integer[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE pg_catalog.format($q$
        WITH fresh AS MATERIALIZED (%3$s),
        gone AS (
            DELETE FROM %1$s t
            USING ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (code, product, year)
            WHERE t.%2$I OPERATOR(pg_catalog.=) k.code AND t.product OPERATOR(pg_catalog.=) k.product
              AND t.year OPERATOR(pg_catalog.=) k.year
              AND NOT EXISTS (SELECT FROM fresh f WHERE f.%2$I OPERATOR(pg_catalog.=) k.code
                                AND f.product OPERATOR(pg_catalog.=) k.product AND f.year OPERATOR(pg_catalog.=) k.year)
        )
        UPDATE %1$s t
        SET %4$s
        FROM fresh f
        WHERE t.%2$I OPERATOR(pg_catalog.=) f.%2$I AND t.product OPERATOR(pg_catalog.=) f.product
          AND t.year OPERATOR(pg_catalog.=) f.year
    $q$, target, code, fresh,
         (SELECT pg_catalog.string_agg(pg_catalog.format('%I = f.%I', c, c), ', ') FROM pg_catalog.unnest(columns) c))
    USING codes, products, years;
END
$$;
COMMENT ON FUNCTION @extschema@.trade_recompute(regclass, name, text, name[], text[], text[], integer[]) IS
    'internal: recomputes the locked rows of the given (code, product, year) keys of a trade totals table (or shard) from a query of their fresh rows: deletes those without one, updates the others';

-- refresh_trade(beside, keys): the keys' rows of trade_country_total, from the
-- flows, and the rows of trade_country_group_total of the groups each key's
-- country belongs to that year.  The keys' rows are locked in key order
-- (writers of a key serialize here), then the groups' rows (under the
-- memberships' lock, shared), then both are recomputed in statements that
-- see what the writers before committed.
CREATE FUNCTION @extschema@.refresh_trade(beside regclass, countries text[], products text[], years integer[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET jit = off AS $$
DECLARE
    citus constant boolean := pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL;
    tot constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_country_total', beside) ELSE '@extschema@.trade_country_total' END;
    flows constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_flow', beside) ELSE '@extschema@.trade_flow' END;
    before @extschema@.watch_snapshot;
    g record;
BEGIN
    IF countries IS NULL OR pg_catalog.cardinality(countries) = 0 THEN
        RETURN;
    END IF;
    EXECUTE pg_catalog.format($q$
        INSERT INTO %s AS t (country, product, year)
        SELECT DISTINCT k.country, k.product, k.year
        FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (country, product, year)
        ORDER BY 3, 1, 2
        ON CONFLICT (year, country, product) DO UPDATE SET import_flows = t.import_flows WHERE false
    $q$, tot) USING countries, products, years;
    -- the groups' keys: the memberships of the keys' countries that year,
    -- read once no change of them is under way
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(pg_catalog.hashtext('supplychain.country_group'));
    EXECUTE pg_catalog.format($q$
        SELECT pg_catalog.array_agg(g.group_code ORDER BY g.year, g.group_code, g.product) AS groups,
               pg_catalog.array_agg(g.product ORDER BY g.year, g.group_code, g.product) AS products,
               pg_catalog.array_agg(g.year ORDER BY g.year, g.group_code, g.product) AS years
        FROM (SELECT DISTINCT m.group_code COLLATE "C" AS group_code, k.product, k.year
              FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (country, product, year)
              JOIN %s m ON m.member OPERATOR(pg_catalog.=) k.country
               AND m.since OPERATOR(pg_catalog.<=) pg_catalog.make_date(k.year, 12, 31)
               AND (m.until IS NULL OR m.until OPERATOR(pg_catalog.>=) pg_catalog.make_date(k.year, 1, 1))) g
    $q$, CASE WHEN citus THEN @extschema@.shard_of('@extschema@.country_group', beside) ELSE '@extschema@.country_group' END)
    INTO g USING countries, products, years;
    IF g.groups IS NOT NULL THEN
        EXECUTE pg_catalog.format($q$
            INSERT INTO %s AS t (group_code, product, year)
            SELECT k.group_code, k.product, k.year
            FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (group_code, product, year)
            ON CONFLICT (year, group_code, product) DO UPDATE SET import_flows = t.import_flows WHERE false
        $q$, CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_country_group_total', beside)
                  ELSE '@extschema@.trade_country_group_total' END) USING g.groups, g.products, g.years;
    END IF;
    -- the early warning's values before (44_watch.sql), of keys now locked
    before := @extschema@.watch_before(beside, '{import_dependency.top_share,import_dependency.hhi,import_dependency.dependent}',
                                       countries, products, NULL, years);
    PERFORM @extschema@.trade_recompute(tot, 'country',
        pg_catalog.format('SELECT * FROM @extschema@.trade_country_totals(%L, $1, $2, $3)', flows),
        '{import_flows,imports,squares,partners,top_value,top_partner,export_flows,exports}',
        countries, products, years);
    PERFORM @extschema@.refresh_trade_groups(beside, g.groups, g.products, g.years);
    IF before.measures IS NOT NULL THEN
        PERFORM @extschema@.watch_after(before, countries, products, NULL, years);
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.refresh_trade(regclass, text[], text[], integer[]) IS
    'internal: recomputes the rows of trade_country_total of the given (country, product, year) keys, and of trade_country_group_total of their groups, from trade_flow, beside a table or shard';

-- trade_track(): the statement triggers on trade_flow and on each of its
-- partitions (a statement on a partition fires the partition's, one on
-- trade_flow only trade_flow's): the keys of both sides of every flow the
-- statement touched are refreshed, and their groups'; a TRUNCATE removes
-- the totals (countries' and groups') of the years it emptied.
CREATE FUNCTION @extschema@.trade_track() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    countries text[];
    products text[];
    years integer[];
BEGIN
    IF pg_catalog.current_setting('supplychain.copying', true) = 'on' THEN
        RETURN NULL;            -- distribute(), undistribute() or load_trade_flows() write the totals themselves
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        -- the years left without flows lose their totals (the table is
        -- locked: no writer of its keys can be waiting)
        EXECUTE pg_catalog.format($q$
            DELETE FROM %s t WHERE NOT EXISTS (SELECT FROM %s f WHERE f.year OPERATOR(pg_catalog.=) t.year)
        $q$, @extschema@.shard_of('@extschema@.trade_country_total', TG_RELID::regclass),
             @extschema@.shard_of('@extschema@.trade_flow', TG_RELID::regclass));
        EXECUTE pg_catalog.format($q$
            DELETE FROM %s t WHERE NOT EXISTS (SELECT FROM %s f WHERE f.year OPERATOR(pg_catalog.=) t.year)
        $q$, @extschema@.shard_of('@extschema@.trade_country_group_total', TG_RELID::regclass),
             @extschema@.shard_of('@extschema@.trade_flow', TG_RELID::regclass));
        -- their subjects' alerts (44_watch.sql)
        PERFORM @extschema@.watch_reevaluate('{import_dependency.top_share,import_dependency.hhi,import_dependency.dependent}',
                                             TG_RELID::regclass);
        RETURN NULL;
    ELSE
        EXECUTE pg_catalog.format($q$
            SELECT pg_catalog.array_agg(country ORDER BY country, product, year),
                   pg_catalog.array_agg(product ORDER BY country, product, year),
                   pg_catalog.array_agg(year ORDER BY country, product, year)
            FROM (%s) k
        $q$, CASE TG_OP
                WHEN 'INSERT' THEN 'SELECT importer AS country, product, year FROM new_rows UNION SELECT exporter, product, year FROM new_rows'
                WHEN 'DELETE' THEN 'SELECT importer AS country, product, year FROM old_rows UNION SELECT exporter, product, year FROM old_rows'
                ELSE 'SELECT importer AS country, product, year FROM new_rows UNION SELECT exporter, product, year FROM new_rows
                      UNION SELECT importer, product, year FROM old_rows UNION SELECT exporter, product, year FROM old_rows' END)
        INTO countries, products, years;
    END IF;
    PERFORM @extschema@.refresh_trade(TG_RELID::regclass, countries, products, years);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.trade_track() IS
    'trigger: refreshes the rows of trade_country_total of the (country, product, year) keys a statement on trade_flow or one of its partitions touched';

-- track_trade(tbl): the four statement triggers on trade_flow or a partition
CREATE FUNCTION @extschema@.track_trade(tbl regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    e text;
BEGIN
    -- trade_flow or one of its partitions, nothing else
    IF tbl IS DISTINCT FROM '@extschema@.trade_flow'::regclass THEN
        PERFORM @extschema@.trade_partition_check(tbl, false);
    END IF;
    FOREACH e IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'] LOOP
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER %s ON %s %s FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.trade_track()',
            'trade_' || pg_catalog.lower(e), e, tbl,
            CASE e WHEN 'INSERT' THEN 'REFERENCING NEW TABLE AS new_rows'
                   WHEN 'UPDATE' THEN 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
                   WHEN 'DELETE' THEN 'REFERENCING OLD TABLE AS old_rows'
                   ELSE '' END);
    END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.track_trade(regclass) IS
    'internal: creates the statement triggers that keep trade_country_total on trade_flow or one of its partitions';
SELECT @extschema@.track_trade('@extschema@.trade_flow');

-- trade_flow_partition(year): the partition of trade_flow that holds the
-- year, or NULL
CREATE FUNCTION @extschema@.trade_flow_partition(year integer) RETURNS regclass
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT i.inhrelid::regclass
    FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) i.inhrelid
    WHERE i.inhparent OPERATOR(pg_catalog.=) '@extschema@.trade_flow'::regclass
      AND pg_catalog.pg_get_expr(c.relpartbound, c.oid) OPERATOR(pg_catalog.=) pg_catalog.format('FOR VALUES IN (%s)', $1)
$$;
COMMENT ON FUNCTION @extschema@.trade_flow_partition(integer) IS
    'internal: the partition of trade_flow holding the year, or NULL';

-- trade_partition_check(tbl, loading): tbl is a partition of trade_flow
-- (or, loading, a year's table that load_trade_flows() is building, not yet
-- attached); anything else is refused (22023), so that the helpers below
-- never add keys, triggers or grants to another table
CREATE FUNCTION @extschema@.trade_partition_check(tbl regclass, loading boolean) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_inherits i
               WHERE i.inhrelid OPERATOR(pg_catalog.=) tbl
                 AND i.inhparent OPERATOR(pg_catalog.=) '@extschema@.trade_flow'::regclass) THEN
        RETURN;
    END IF;
    IF loading AND EXISTS (SELECT FROM pg_catalog.pg_class c
                           WHERE c.oid OPERATOR(pg_catalog.=) tbl
                             AND c.relnamespace OPERATOR(pg_catalog.=) '@extschema@'::regnamespace
                             AND c.relname OPERATOR(pg_catalog.~) '^trade_flow_[0-9]{4}_loading$'
                             AND NOT c.relispartition) THEN
        RETURN;
    END IF;
    RAISE EXCEPTION '% is not a partition of trade_flow', tbl
        USING ERRCODE = 'invalid_parameter_value';
END
$$;
COMMENT ON FUNCTION @extschema@.trade_partition_check(regclass, boolean) IS
    'internal: refuses (22023) a table that is not a partition of trade_flow (or, loading, a year load_trade_flows() is building)';

-- trade_flow_indexes(tbl, stem): a partition's primary key and three
-- indexes, named stem_pkey, stem_importer_product_year_idx, ...; each built
-- by one sort
CREATE FUNCTION @extschema@.trade_flow_indexes(tbl regclass, stem text) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM @extschema@.trade_partition_check(tbl, true);
    EXECUTE pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I PRIMARY KEY (year, exporter, importer, product)',
                              tbl, stem || '_pkey');
    EXECUTE pg_catalog.format('CREATE INDEX %I ON %s (importer, product, year)', stem || '_importer_product_year_idx', tbl);
    EXECUTE pg_catalog.format('CREATE INDEX %I ON %s (exporter, product, year)', stem || '_exporter_product_year_idx', tbl);
    EXECUTE pg_catalog.format('CREATE INDEX %I ON %s (product, year)', stem || '_product_year_idx', tbl);
END
$$;
COMMENT ON FUNCTION @extschema@.trade_flow_indexes(regclass, text) IS
    'internal: creates the primary key and the three indexes of a partition of trade_flow';

-- trade_partition_ready(part): a new partition gets the statement triggers
-- that keep trade_country_total, SELECT for everyone, and stays outside the extension (made during an
-- extension script, the update's, it would be a member: pg_dump would then
-- keep neither its definition nor its rows)
CREATE FUNCTION @extschema@.trade_partition_ready(part regclass) RETURNS regclass
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- (track_trade() refuses any other table than a partition)
    PERFORM @extschema@.track_trade(part);
    -- everyone reads the partitions as they read trade_flow
    EXECUTE pg_catalog.format('GRANT SELECT ON %s TO PUBLIC', part);
    IF EXISTS (SELECT FROM pg_catalog.pg_depend d
               WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::regclass
                 AND d.objid OPERATOR(pg_catalog.=) part AND d.deptype OPERATOR(pg_catalog.=) 'e') THEN
        EXECUTE pg_catalog.format('ALTER EXTENSION supplychain DROP TABLE %s', part);
    END IF;
    RETURN part;
END
$$;
COMMENT ON FUNCTION @extschema@.trade_partition_ready(regclass) IS
    'internal: gives a new partition of trade_flow its triggers, outside the extension';

-- trade_flow_year(year): the year's partition of trade_flow, created empty
-- when the year has none, for rows written one by one (load_trade_flows()
-- makes its own).  Needs to own trade_flow.  Returns the partition.
CREATE FUNCTION @extschema@.trade_flow_year(year integer) RETURNS regclass
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp
-- on Citus the partition's triggers go to its shards
SET citus.enable_unsafe_triggers = on
AS $$
DECLARE
    for_year constant integer := $1;
    part regclass;
BEGIN
    IF for_year IS NULL OR for_year NOT BETWEEN 1800 AND 2999 THEN
        RAISE EXCEPTION 'year must be between 1800 and 2999, not %', COALESCE(for_year::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- the owner's, as the partitions are, whether or not the year has one
    IF NOT pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c
                                   WHERE c.oid OPERATOR(pg_catalog.=) '@extschema@.trade_flow'::regclass), 'USAGE') THEN
        RAISE EXCEPTION 'must be owner of table trade_flow'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'A year''s partition is made by the owner of supplychain.trade_flow; writers write its rows.';
    END IF;
    -- one maker of a year's partition at a time (load_trade_flows() too)
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('supplychain.trade_flow_year'), for_year);
    part := @extschema@.trade_flow_partition(for_year);
    IF part IS NULL THEN
        EXECUTE pg_catalog.format('CREATE TABLE @extschema@.%I PARTITION OF @extschema@.trade_flow FOR VALUES IN (%s)',
                                  'trade_flow_' || for_year, for_year);
        part := pg_catalog.format('@extschema@.%I', 'trade_flow_' || for_year)::regclass;
        PERFORM @extschema@.trade_flow_indexes(part, 'trade_flow_' || for_year);
        PERFORM @extschema@.trade_partition_ready(part);
    END IF;
    RETURN part;
END
$$;
COMMENT ON FUNCTION @extschema@.trade_flow_year(integer) IS
    'the year''s partition of trade_flow, created empty if the year has none (rows of a year without a partition are refused); returns it';

-- country_group: groups of countries, such as the European Union, with the
-- dates of each membership.  A group is itself a country row (code 'EU'),
-- so that it can depend on suppliers.  A member counts in year Y when
-- since <= Y-12-31 and (until IS NULL OR until >= Y-01-01): a member for
-- part of a year counts for all of it.  Periods of one member do not overlap.
CREATE TABLE @extschema@.country_group (
    group_code text NOT NULL REFERENCES @extschema@.country,
    member     text NOT NULL REFERENCES @extschema@.country,
    since      date NOT NULL,
    until      date,
    note       text,
    source     text REFERENCES @extschema@.source,
    builtin    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (group_code, member, since),
    CHECK (member <> group_code),
    CHECK (until >= since)
);
COMMENT ON TABLE @extschema@.country_group IS
    'members of a country group (EU = the European Union) with their dates; a member counts in year Y when since <= Y-12-31 and (until IS NULL or until >= Y-01-01)';
COMMENT ON COLUMN @extschema@.country_group.group_code IS 'the group, itself a country row (country.code), e.g. ''EU''';
COMMENT ON COLUMN @extschema@.country_group.member IS 'the member country (country.code)';
COMMENT ON COLUMN @extschema@.country_group.since IS 'the first day of membership';
COMMENT ON COLUMN @extschema@.country_group.until IS 'the last day of membership; NULL = still a member';
COMMENT ON COLUMN @extschema@.country_group.note IS 'free text';
COMMENT ON COLUMN @extschema@.country_group.source IS 'the publication of the dates';
COMMENT ON COLUMN @extschema@.country_group.builtin IS 'true for the rows that come with the extension (read-only)';

-- A member counted twice in a year would count its trade twice.
CREATE FUNCTION @extschema@.country_group_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    bad record;
BEGIN
    -- the table the trigger fires on (on Citus, each placement of the
    -- reference table), named through TG_RELID as the other rules do
    EXECUTE pg_catalog.format($q$
        SELECT a.group_code, a.member, a.since, a.until, b.since AS other
        FROM (SELECT DISTINCT n.group_code, n.member FROM new_rows n) k
        JOIN %1$s a
          ON a.group_code OPERATOR(pg_catalog.=) k.group_code AND a.member OPERATOR(pg_catalog.=) k.member
        JOIN %1$s b
          ON b.group_code OPERATOR(pg_catalog.=) a.group_code AND b.member OPERATOR(pg_catalog.=) a.member
         AND b.since OPERATOR(pg_catalog.>) a.since
        WHERE a.until IS NULL OR a.until OPERATOR(pg_catalog.>=) b.since
        ORDER BY a.group_code, a.member, a.since
        LIMIT 1
    $q$, TG_RELID::regclass) INTO bad;
    IF bad.group_code IS NOT NULL THEN
        RAISE EXCEPTION 'membership periods of % in group % overlap', bad.member, bad.group_code
            USING ERRCODE = 'exclusion_violation',
                  DETAIL = pg_catalog.format('The period from %s to %s and the one from %s overlap.',
                                             bad.since, COALESCE(bad.until::text, 'now'), bad.other),
                  HINT = 'End the earlier period (until) before the next one starts.';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.country_group_check() IS
    'trigger: the membership periods of one country in one group do not overlap';
CREATE TRIGGER overlap_check_insert AFTER INSERT ON @extschema@.country_group
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.country_group_check();
CREATE TRIGGER overlap_check_update AFTER UPDATE ON @extschema@.country_group
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.country_group_check();

SELECT @extschema@.protect_shipped_rows('@extschema@.product');
SELECT @extschema@.protect_shipped_rows('@extschema@.product_stage');
SELECT @extschema@.protect_shipped_rows('@extschema@.country_group');

-- The European Union: the 27 members and the United Kingdom until it left
INSERT INTO @extschema@.country_group (group_code, member, since, until, note, source, builtin) VALUES
    ('EU', 'BE', '1958-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'DE', '1958-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'FR', '1958-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'IT', '1958-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'LU', '1958-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'NL', '1958-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'DK', '1973-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'IE', '1973-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'GB', '1973-01-01', '2020-01-31', 'Left the European Union on 31 January 2020, its last day as a member.', 'eu-countries', true),
    ('EU', 'GR', '1981-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'ES', '1986-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'PT', '1986-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'AT', '1995-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'FI', '1995-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'SE', '1995-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'CY', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'CZ', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'EE', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'HU', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'LT', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'LV', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'MT', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'PL', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'SI', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'SK', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'BG', '2007-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'RO', '2007-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'HR', '2013-07-01', NULL, NULL, 'eu-countries', true);

-- The HS 2017 codes of the brief's two chains whose text says what they are
INSERT INTO @extschema@.product (code, name, classification, source, builtin) VALUES
    ('260400', 'Nickel ores and concentrates', 'HS2017', 'wco-hs-2017', true),
    ('260500', 'Cobalt ores and concentrates', 'HS2017', 'wco-hs-2017', true),
    ('282520', 'Lithium oxide and hydroxide', 'HS2017', 'wco-hs-2017', true),
    ('283691', 'Lithium carbonates', 'HS2017', 'wco-hs-2017', true),
    ('381800', 'Chemical elements doped for use in electronics, in the form of discs, wafers or similar forms; chemical compounds doped for use in electronics', 'HS2017', 'wco-hs-2017', true),
    ('848620', 'Machines and apparatus for the manufacture of semiconductor devices or of electronic integrated circuits', 'HS2017', 'wco-hs-2017', true),
    ('850760', 'Electric accumulators: lithium-ion', 'HS2017', 'wco-hs-2017', true),
    ('854231', 'Electronic integrated circuits: processors and controllers, whether or not combined with memories, converters, logic circuits, amplifiers, clock and timing circuits, or other circuits', 'HS2017', 'wco-hs-2017', true),
    ('854232', 'Electronic integrated circuits: memories', 'HS2017', 'wco-hs-2017', true),
    ('854233', 'Electronic integrated circuits: amplifiers', 'HS2017', 'wco-hs-2017', true),
    ('854239', 'Electronic integrated circuits: other', 'HS2017', 'wco-hs-2017', true);

INSERT INTO @extschema@.product_stage (product, stage, note, source, builtin) VALUES
    ('260400', 'batteries.raw', 'Mined nickel: the brief''s raw materials stage "focuses on nickel, lithium, and cobalt".', 'wco-hs-2017', true),
    ('260500', 'batteries.raw', 'Mined cobalt: the brief''s raw materials stage "focuses on nickel, lithium, and cobalt".', 'wco-hs-2017', true),
    ('282520', 'batteries.refining', 'A processed lithium chemical (lithium hydroxide), made from mined lithium.', 'wco-hs-2017', true),
    ('283691', 'batteries.refining', 'A processed lithium chemical (lithium carbonate), made from mined lithium.', 'wco-hs-2017', true),
    ('850760', 'batteries.cells', 'Lithium-ion accumulators: battery cells (and the packs made of them, which the subheading does not tell apart).', 'wco-hs-2017', true),
    ('381800', 'semiconductors.materials', 'Doped wafers: a semiconductor material.', 'wco-hs-2017', true),
    ('848620', 'semiconductors.equipment', 'Machines for making semiconductor devices and integrated circuits: manufacturing equipment.', 'wco-hs-2017', true),
    ('854231', 'semiconductors.fabrication', 'Integrated circuits (processors and controllers): the output of fabrication.', 'wco-hs-2017', true),
    ('854232', 'semiconductors.fabrication', 'Integrated circuits (memories): the output of fabrication.', 'wco-hs-2017', true),
    ('854233', 'semiconductors.fabrication', 'Integrated circuits (amplifiers): the output of fabrication.', 'wco-hs-2017', true),
    ('854239', 'semiconductors.fabrication', 'Integrated circuits (other): the output of fabrication.', 'wco-hs-2017', true);

-- Statistics from the start: autovacuum would not analyze tables this small,
-- and without statistics the planner takes country_group for a table of
-- hundreds of rows and hashes trade_flow to join it.
ANALYZE @extschema@.country, @extschema@.country_group, @extschema@.product, @extschema@.product_stage;

-- The thresholds of the strategic-dependency test (ec-swd-2021-352)
INSERT INTO @extschema@.weight (name, value, description, builtin) VALUES
    ('trade.hhi_above', 0.4, 'import_dependency: concentrated when the HHI of the partners'' shares of imports is above this (European Commission, SWD(2021) 352)', true),
    ('trade.outside_share_above', 0.5, 'import_dependency: import_dependent when imports from outside the group are above this share of all imports (SWD(2021) 352)', true),
    ('trade.import_export_ratio_above', 1, 'import_dependency: hard_to_substitute when imports are above this multiple of exports, or exports are 0 (SWD(2021) 352)', true);
UPDATE @extschema@.weight SET default_value = value WHERE builtin AND name LIKE 'trade.%';

-- trade_country_group_total: the maintained totals of each country group's
-- trade per product and year, what import_dependency's row of the group
-- reads: the members' flows in (import_flows, inside ones too); over the
-- partners outside the group, each partner's flows into the members summed
-- (imports, the sum of the squares of those sums, the partners above 0, the
-- largest sum and its partner); the members' imports from each other
-- (inside_imports); and their exports to non-members.  Membership is by the
-- flow's year, as in group_import_partner.  Kept with trade_country_total:
-- by the statement triggers on trade_flow (refresh_trade() refreshes the
-- groups of each changed key's country, the rows locked in key order), by
-- load_trade_flows() (in the same pass in C), and by the triggers on
-- country_group (a group whose members change is recomputed whole);
-- verify_state() recomputes it, rebuild_state() rebuilds it.  A row exists
-- while a member has a flow of the product that year, in, or out to a
-- non-member.  (Its name sorts before trade_flow's partitions': see the end
-- of this file.)
CREATE TABLE @extschema@.trade_country_group_total (
    group_code     text COLLATE "C" NOT NULL,
    product        text COLLATE "C" NOT NULL,
    year           integer NOT NULL,
    import_flows   integer NOT NULL DEFAULT 0,
    imports        numeric NOT NULL DEFAULT 0,
    squares        numeric NOT NULL DEFAULT 0,
    partners       integer NOT NULL DEFAULT 0,
    top_value      numeric,
    top_partner    text COLLATE "C",
    inside_imports numeric NOT NULL DEFAULT 0,
    export_flows   integer NOT NULL DEFAULT 0,
    exports        numeric NOT NULL DEFAULT 0,
    PRIMARY KEY (year, group_code, product)
);
COMMENT ON TABLE @extschema@.trade_country_group_total IS
    'maintained state: each country group''s imports (per partner outside it, summed over its members), its members'' trade with each other and its exports to non-members, per product and year (import_dependency reads it); verify_state() checks it';
COMMENT ON COLUMN @extschema@.trade_country_group_total.group_code IS 'the group (country_group.group_code)';
COMMENT ON COLUMN @extschema@.trade_country_group_total.product IS 'the product';
COMMENT ON COLUMN @extschema@.trade_country_group_total.year IS 'the year of the flows (and of the membership)';
COMMENT ON COLUMN @extschema@.trade_country_group_total.import_flows IS 'the flows into the members, from members too';
COMMENT ON COLUMN @extschema@.trade_country_group_total.imports IS 'the sum of their values from non-members';
COMMENT ON COLUMN @extschema@.trade_country_group_total.squares IS 'the sum over the non-member partners of the square of each one''s imports into the members';
COMMENT ON COLUMN @extschema@.trade_country_group_total.partners IS 'the non-member partners with imports above 0';
COMMENT ON COLUMN @extschema@.trade_country_group_total.top_value IS 'the largest of their imports; NULL when none is above 0';
COMMENT ON COLUMN @extschema@.trade_country_group_total.top_partner IS 'its partner (of equal values, the first code)';
COMMENT ON COLUMN @extschema@.trade_country_group_total.inside_imports IS 'the sum of the values of the members'' flows from each other';
COMMENT ON COLUMN @extschema@.trade_country_group_total.export_flows IS 'the flows out of the members to non-members';
COMMENT ON COLUMN @extschema@.trade_country_group_total.exports IS 'the sum of their values';

-- trade_group_totals(flows, memberships, keys): trade_country_group_total's
-- rows computed in SQL from a table of flows and one of memberships
-- (country_group or its placement), for every group (groups NULL), every
-- key of some groups (products NULL), or the (group, product, year) keys,
-- each through the flows' index on (product, year).  The members' imports
-- are summed per partner, then over the partners, as group_import_partner
-- and import_dependency did before 0.11.0.  The triggers and verify_state()
-- compute them here; the loader, in C (trade_totals_scan()).
CREATE FUNCTION @extschema@.trade_group_totals(flows regclass, memberships regclass, groups text[] DEFAULT NULL,
                                               products text[] DEFAULT NULL, years integer[] DEFAULT NULL)
RETURNS SETOF @extschema@.trade_country_group_total
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    -- a member counts in the year of the flow (country_group)
    member_then constant text := '%1$s.since OPERATOR(pg_catalog.<=) pg_catalog.make_date(%2$s, 12, 31)
        AND (%1$s.until IS NULL OR %1$s.until OPERATOR(pg_catalog.>=) pg_catalog.make_date(%2$s, 1, 1))';
    p text;
    e text;
BEGIN
    IF products IS NULL THEN
        -- per partner, and the exports, each in one aggregation
        p := pg_catalog.format($q$
            SELECT g.group_code, f.product, f.year, f.exporter AS partner, pg_catalog.count(*) AS flows,
                   pg_catalog.sum(f.value) AS value, x.member IS NOT NULL AS inside
            FROM %1$s f
            JOIN %2$s g ON g.member OPERATOR(pg_catalog.=) f.importer AND %3$s
            LEFT JOIN %2$s x ON x.group_code OPERATOR(pg_catalog.=) g.group_code AND x.member OPERATOR(pg_catalog.=) f.exporter
                            AND %4$s
            WHERE $1 IS NULL OR g.group_code OPERATOR(pg_catalog.=) ANY ($1)
            GROUP BY g.group_code, f.product, f.year, f.exporter, x.member IS NOT NULL
        $q$, flows, memberships, pg_catalog.format(member_then, 'g', 'f.year'), pg_catalog.format(member_then, 'x', 'f.year'));
        e := pg_catalog.format($q$
            SELECT g.group_code, f.product, f.year, pg_catalog.count(*) AS export_flows, pg_catalog.sum(f.value) AS exports
            FROM %1$s f
            JOIN %2$s g ON g.member OPERATOR(pg_catalog.=) f.exporter AND %3$s
            LEFT JOIN %2$s x ON x.group_code OPERATOR(pg_catalog.=) g.group_code AND x.member OPERATOR(pg_catalog.=) f.importer
                            AND %4$s
            WHERE x.member IS NULL AND ($1 IS NULL OR g.group_code OPERATOR(pg_catalog.=) ANY ($1))
            GROUP BY g.group_code, f.product, f.year
        $q$, flows, memberships, pg_catalog.format(member_then, 'g', 'f.year'), pg_catalog.format(member_then, 'x', 'f.year'));
    ELSE
        -- per key, its flows through the index (OFFSET 0: a probe per key)
        p := pg_catalog.format($q$
            SELECT k.group_code, k.product, k.year, q.partner, q.flows, q.value, q.inside
            FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (group_code, product, year)
            CROSS JOIN LATERAL (
                SELECT f.exporter AS partner, pg_catalog.count(*) AS flows, pg_catalog.sum(f.value) AS value,
                       x.member IS NOT NULL AS inside
                FROM %1$s f
                JOIN %2$s g ON g.group_code OPERATOR(pg_catalog.=) k.group_code AND g.member OPERATOR(pg_catalog.=) f.importer
                           AND %3$s
                LEFT JOIN %2$s x ON x.group_code OPERATOR(pg_catalog.=) k.group_code AND x.member OPERATOR(pg_catalog.=) f.exporter
                                AND %4$s
                WHERE f.product OPERATOR(pg_catalog.=) k.product AND f.year OPERATOR(pg_catalog.=) k.year
                GROUP BY f.exporter, x.member IS NOT NULL
                OFFSET 0) q
        $q$, flows, memberships, pg_catalog.format(member_then, 'g', 'k.year'), pg_catalog.format(member_then, 'x', 'k.year'));
        e := pg_catalog.format($q$
            SELECT k.group_code, k.product, k.year, q.export_flows, q.exports
            FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (group_code, product, year)
            CROSS JOIN LATERAL (
                SELECT pg_catalog.count(*) AS export_flows, pg_catalog.sum(f.value) AS exports
                FROM %1$s f
                JOIN %2$s g ON g.group_code OPERATOR(pg_catalog.=) k.group_code AND g.member OPERATOR(pg_catalog.=) f.exporter
                           AND %3$s
                WHERE f.product OPERATOR(pg_catalog.=) k.product AND f.year OPERATOR(pg_catalog.=) k.year
                  AND NOT EXISTS (SELECT FROM %2$s x
                                  WHERE x.group_code OPERATOR(pg_catalog.=) k.group_code
                                    AND x.member OPERATOR(pg_catalog.=) f.importer AND %4$s)
                OFFSET 0) q
            WHERE q.export_flows OPERATOR(pg_catalog.>) 0
        $q$, flows, memberships, pg_catalog.format(member_then, 'g', 'k.year'), pg_catalog.format(member_then, 'x', 'k.year'));
    END IF;
    RETURN QUERY EXECUTE pg_catalog.format($q$
        WITH p AS (%s), e AS (%s)
        SELECT COALESCE(i.group_code, e.group_code)::text, COALESCE(i.product, e.product)::text, COALESCE(i.year, e.year),
               COALESCE(i.import_flows, 0)::integer, COALESCE(i.imports, 0), COALESCE(i.squares, 0),
               COALESCE(i.partners, 0)::integer, i.top_value, i.top_partner::text, COALESCE(i.inside_imports, 0),
               COALESCE(e.export_flows, 0)::integer, COALESCE(e.exports, 0)
        FROM (SELECT p.group_code, p.product, p.year, pg_catalog.sum(p.flows) AS import_flows,
                     pg_catalog.sum(p.value) FILTER (WHERE NOT p.inside) AS imports,
                     pg_catalog.sum(p.value OPERATOR(pg_catalog.*) p.value) FILTER (WHERE NOT p.inside) AS squares,
                     pg_catalog.count(*) FILTER (WHERE NOT p.inside AND p.value OPERATOR(pg_catalog.>) 0) AS partners,
                     pg_catalog.max(p.value) FILTER (WHERE NOT p.inside AND p.value OPERATOR(pg_catalog.>) 0) AS top_value,
                     @extschema@.top_partner(p.value, p.partner)
                         FILTER (WHERE NOT p.inside AND p.value OPERATOR(pg_catalog.>) 0) AS top_partner,
                     pg_catalog.sum(p.value) FILTER (WHERE p.inside) AS inside_imports
              FROM p GROUP BY p.group_code, p.product, p.year) i
        FULL JOIN e
          ON e.group_code OPERATOR(pg_catalog.=) i.group_code AND e.product OPERATOR(pg_catalog.=) i.product
         AND e.year OPERATOR(pg_catalog.=) i.year
    $q$, p, e) USING groups, products, years;
END
$$;
COMMENT ON FUNCTION @extschema@.trade_group_totals(regclass, regclass, text[], text[], integer[]) IS
    'internal: trade_country_group_total''s rows computed in SQL from a table of flows and one of memberships, for every group, some groups, or the given (group, product, year) keys';

-- refresh_trade_groups(beside, keys): trade_country_group_total's rows of
-- the (group, product, year) keys, whose rows the caller has locked, from
-- the flows beside beside (a table or a Citus shard); products NULL: every
-- row of the groups, replaced whole (under the lock on memberships below).
CREATE FUNCTION @extschema@.refresh_trade_groups(beside regclass, groups text[], products text[], years integer[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    citus constant boolean := pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL;
    tot constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_country_group_total', beside) ELSE '@extschema@.trade_country_group_total' END;
    flows constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_flow', beside) ELSE '@extschema@.trade_flow' END;
    cg constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.country_group', beside) ELSE '@extschema@.country_group' END;
BEGIN
    IF groups IS NULL OR pg_catalog.cardinality(groups) = 0 THEN
        RETURN;
    END IF;
    IF products IS NULL THEN
        EXECUTE pg_catalog.format('DELETE FROM %s t WHERE t.group_code OPERATOR(pg_catalog.=) ANY ($1)', tot) USING groups;
        EXECUTE pg_catalog.format('INSERT INTO %s SELECT * FROM @extschema@.trade_group_totals(%L, %L, $1)', tot, flows, cg)
            USING groups;
        RETURN;
    END IF;
    PERFORM @extschema@.trade_recompute(tot, 'group_code',
        pg_catalog.format('SELECT * FROM @extschema@.trade_group_totals(%L, %L, $1, $2, $3)', flows, cg),
        '{import_flows,imports,squares,partners,top_value,top_partner,inside_imports,export_flows,exports}',
        groups, products, years);
END
$$;
COMMENT ON FUNCTION @extschema@.refresh_trade_groups(regclass, text[], text[], integer[]) IS
    'internal: recomputes the rows of trade_country_group_total of the given (group, product, year) keys (products NULL: of the groups, whole) from trade_flow, beside a table or shard';

-- trade_groups_track(): the statement triggers on country_group: a group
-- whose memberships a statement changed gets its rows of
-- trade_country_group_total recomputed whole, under the exclusive lock on
-- memberships (writers of flows take it shared before they read the
-- memberships: refresh_trade(), load_trade_flows()).  On Citus the trigger
-- fires on each placement of the reference table, and each node refreshes
-- the shards it holds.
CREATE FUNCTION @extschema@.trade_groups_track() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    groups text[];
    place regclass;
BEGIN
    IF pg_catalog.current_setting('supplychain.copying', true) = 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('supplychain.country_group'));
    IF TG_OP = 'TRUNCATE' THEN
        -- no memberships left: no group has totals
        FOR place IN SELECT * FROM @extschema@.state_places(TG_RELID::regclass, '@extschema@.trade_country_group_total') LOOP
            EXECUTE pg_catalog.format('DELETE FROM %s', place);
        END LOOP;
        RETURN NULL;
    ELSE
        EXECUTE CASE TG_OP
            WHEN 'INSERT' THEN 'SELECT pg_catalog.array_agg(DISTINCT group_code) FROM new_rows'
            WHEN 'DELETE' THEN 'SELECT pg_catalog.array_agg(DISTINCT group_code) FROM old_rows'
            ELSE 'SELECT pg_catalog.array_agg(DISTINCT group_code) FROM (SELECT group_code FROM new_rows UNION SELECT group_code FROM old_rows) g' END
        INTO groups;
    END IF;
    FOR place IN SELECT * FROM @extschema@.state_places(TG_RELID::regclass, '@extschema@.trade_country_group_total') LOOP
        PERFORM @extschema@.refresh_trade_groups(place, groups, NULL, NULL);
    END LOOP;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.trade_groups_track() IS
    'trigger: recomputes the rows of trade_country_group_total of the groups whose memberships a statement on country_group changed';
CREATE TRIGGER trade_groups_insert AFTER INSERT ON @extschema@.country_group
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.trade_groups_track();
CREATE TRIGGER trade_groups_update AFTER UPDATE ON @extschema@.country_group
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.trade_groups_track();
CREATE TRIGGER trade_groups_delete AFTER DELETE ON @extschema@.country_group
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.trade_groups_track();
CREATE TRIGGER trade_groups_truncate AFTER TRUNCATE ON @extschema@.country_group
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.trade_groups_track();

-- group_import_partner: a group's imports from each partner, per product
-- and year: the sum over the members that year of their imports from the
-- partner; inside marks a partner that is itself a member that year (the
-- members' trade with each other).  Membership is by the flow's year
-- (country_group).
-- (A member's periods do not overlap, so the outer join finds at most one
-- row: a hash join, where a subquery would run once per partner.)
CREATE VIEW @extschema@.group_import_partner AS
SELECT g.group_code AS importer, f.product, f.year, f.exporter AS partner, sum(f.value) AS value,
       x.member IS NOT NULL AS inside
FROM @extschema@.trade_flow f
JOIN @extschema@.country_group g
  ON g.member = f.importer
 AND g.since <= make_date(f.year, 12, 31)
 AND (g.until IS NULL OR g.until >= make_date(f.year, 1, 1))
LEFT JOIN @extschema@.country_group x
  ON x.group_code = g.group_code AND x.member = f.exporter
 AND x.since <= make_date(f.year, 12, 31)
 AND (x.until IS NULL OR x.until >= make_date(f.year, 1, 1))
GROUP BY g.group_code, f.product, f.year, f.exporter, x.member IS NOT NULL;
COMMENT ON VIEW @extschema@.group_import_partner IS
    'imports of each country group (its members together, by the flow''s year) from each partner, per product and year; inside = the partner is a member';
COMMENT ON COLUMN @extschema@.group_import_partner.importer IS 'the group (country_group.group_code)';
COMMENT ON COLUMN @extschema@.group_import_partner.product IS 'the product (product.code)';
COMMENT ON COLUMN @extschema@.group_import_partner.year IS 'the year of the flows';
COMMENT ON COLUMN @extschema@.group_import_partner.partner IS 'the exporting country';
COMMENT ON COLUMN @extschema@.group_import_partner.value IS 'the imports from the partner into all members that year';
COMMENT ON COLUMN @extschema@.group_import_partner.inside IS 'true when the partner is a member of the group that year';

-- import_partner: the imports of each importer from each partner, per product
-- and year: a country's flows, and the groups' rows of group_import_partner.
-- Filters on importer, product, year or partner reach trade_flow through its
-- indexes.
CREATE VIEW @extschema@.import_partner AS
SELECT f.importer, f.product, f.year, f.exporter AS partner, f.value, false AS inside
FROM @extschema@.trade_flow f
UNION ALL
SELECT g.importer, g.product, g.year, g.partner, g.value, g.inside
FROM @extschema@.group_import_partner g;
COMMENT ON VIEW @extschema@.import_partner IS
    'imports of each importer (a country, or a group: its members together) from each partner, per product and year; inside = the partner is a member of the group';
COMMENT ON COLUMN @extschema@.import_partner.importer IS 'the importing country, or a group (country_group.group_code)';
COMMENT ON COLUMN @extschema@.import_partner.product IS 'the product (product.code)';
COMMENT ON COLUMN @extschema@.import_partner.year IS 'the year of the flows';
COMMENT ON COLUMN @extschema@.import_partner.partner IS 'the exporting country';
COMMENT ON COLUMN @extschema@.import_partner.value IS 'the imports from the partner (for a group: into all members that year)';
COMMENT ON COLUMN @extschema@.import_partner.inside IS 'true when the partner is a member of the importing group that year; always false for a country';

-- import_dependency: the European Commission's 2021 strategic-dependency
-- test per importer, product and year (docs/trade.md, "Formulas"):
--   imports        sum of the imports from partners outside the importer
--                  (a country: all its imports)
--   hhi            sum over partners of (value / imports)^2, computed in one
--                  pass as sum(value^2) / imports^2
--   outside_share  imports / (imports + inside_imports)
--   exports        the importer's exports of the product (a group: its
--                  members' exports to non-members)
--   concentrated   hhi > trade.hhi_above
--   import_dependent  outside_share > trade.outside_share_above
--   hard_to_substitute  imports / exports > trade.import_export_ratio_above,
--                  or no exports
-- The flags compare the exact values; the columns show them to 4 decimals.
-- A country's row is its row of trade_country_total, a group's its row of
-- trade_country_group_total (the maintained totals: a read, no aggregation).
CREATE VIEW @extschema@.import_dependency AS
WITH imports AS (
    SELECT t.country AS importer, t.product, t.year, t.imports, t.partners, t.squares,
           t.top_value, t.top_partner, 0::numeric AS inside_imports, t.exports
    FROM @extschema@.trade_country_total t
    WHERE t.import_flows > 0
    UNION ALL
    SELECT g.group_code, g.product, g.year, g.imports, g.partners, g.squares, g.top_value, g.top_partner,
           g.inside_imports, g.exports
    FROM @extschema@.trade_country_group_total g
    WHERE g.import_flows > 0
), w AS (
    SELECT max(value) FILTER (WHERE name = 'trade.hhi_above') AS hhi_above,
           max(value) FILTER (WHERE name = 'trade.outside_share_above') AS outside_share_above,
           max(value) FILTER (WHERE name = 'trade.import_export_ratio_above') AS ratio_above
    FROM @extschema@.weight WHERE name LIKE 'trade.%'
), r AS (
    SELECT i.importer, i.product, i.year, i.imports, i.partners, i.top_value, i.top_partner, i.inside_imports,
           i.exports,
           i.squares / NULLIF(i.imports * i.imports, 0) AS hhi,
           i.top_value / NULLIF(i.imports, 0) AS top_share,
           i.imports / NULLIF(i.imports + i.inside_imports, 0) AS outside_share,
           i.imports / NULLIF(i.exports, 0) AS ratio
    FROM imports i
)
SELECT r.importer,
       r.product,
       r.year,
       r.imports,
       r.partners::integer AS partners,
       r.top_partner,
       round(r.top_share, 4) AS top_share,
       round(r.hhi, 4) AS hhi,
       r.inside_imports,
       round(r.outside_share, 4) AS outside_share,
       r.exports,
       round(r.ratio, 4) AS import_export_ratio,
       COALESCE(r.hhi > w.hhi_above, false) AS concentrated,
       COALESCE(r.outside_share > w.outside_share_above, false) AS import_dependent,
       COALESCE(r.ratio > w.ratio_above, r.exports = 0) AS hard_to_substitute,
       COALESCE(r.hhi > w.hhi_above, false)
           AND COALESCE(r.outside_share > w.outside_share_above, false)
           AND COALESCE(r.ratio > w.ratio_above, r.exports = 0) AS dependent
FROM r CROSS JOIN w;
COMMENT ON VIEW @extschema@.import_dependency IS
    'per importer (country or group), product and year: import concentration and the European Commission''s 2021 strategic-dependency test (concentrated, import_dependent, hard_to_substitute; dependent = all three)';
COMMENT ON COLUMN @extschema@.import_dependency.importer IS 'the importing country, or a group (country_group.group_code)';
COMMENT ON COLUMN @extschema@.import_dependency.product IS 'the product (product.code)';
COMMENT ON COLUMN @extschema@.import_dependency.year IS 'the year of the flows';
COMMENT ON COLUMN @extschema@.import_dependency.imports IS 'imports from partners outside the importer (a group: from non-members), in trade_flow''s unit';
COMMENT ON COLUMN @extschema@.import_dependency.partners IS 'the number of partners with imports above 0 (a group: non-members)';
COMMENT ON COLUMN @extschema@.import_dependency.top_partner IS 'the partner with the largest imports (of equal ones, the first code); NULL when imports are 0';
COMMENT ON COLUMN @extschema@.import_dependency.top_share IS 'the top partner''s share of imports (4 decimals)';
COMMENT ON COLUMN @extschema@.import_dependency.hhi IS 'the Herfindahl-Hirschman index of the partners'' shares of imports, 0..1 (4 decimals); NULL when imports are 0';
COMMENT ON COLUMN @extschema@.import_dependency.inside_imports IS 'a group: the members'' imports from each other; a country: 0';
COMMENT ON COLUMN @extschema@.import_dependency.outside_share IS 'imports / (imports + inside_imports) (4 decimals); 1 for a country';
COMMENT ON COLUMN @extschema@.import_dependency.exports IS 'the importer''s exports of the product (a group: its members'' exports to non-members); 0 when none';
COMMENT ON COLUMN @extschema@.import_dependency.import_export_ratio IS 'imports / exports (4 decimals); NULL when exports are 0';
COMMENT ON COLUMN @extschema@.import_dependency.concentrated IS 'hhi > weight trade.hhi_above (0.4)';
COMMENT ON COLUMN @extschema@.import_dependency.import_dependent IS 'outside_share > weight trade.outside_share_above (0.5)';
COMMENT ON COLUMN @extschema@.import_dependency.hard_to_substitute IS 'import_export_ratio > weight trade.import_export_ratio_above (1), or exports are 0';
COMMENT ON COLUMN @extschema@.import_dependency.dependent IS 'concentrated and import_dependent and hard_to_substitute: a strategic dependency';

-- load_trade_flows(year, staging): the year's flows are the rows of staging
-- (a table or view with trade_flow's columns; quantity and source may be
-- missing), replacing whatever the year held, all or nothing.  The rows go
-- into a table of their own, which gets its indexes built by sort and is
-- then attached as the year's partition: PostgreSQL checks its foreign keys
-- in one pass as it attaches it.  trade_country_total gets the year's rows in one
-- aggregation per side.  The previous partition of the year, if any, is
-- detached and dropped at the end, so readers of trade_flow wait only for
-- the attach, not for the build.  A bad row fails the load with an error
-- that names it, and the year keeps its previous flows.  Needs to own
-- trade_flow (ATTACH PARTITION does) and CREATE on the extension's schema.
-- On Citus (trade_flow distributed) the rows are deleted and inserted
-- through trade_flow.  Returns the number of flows loaded.
CREATE FUNCTION @extschema@.load_trade_flows(year integer, staging regclass)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    for_year constant integer := $1;
    part text;
    building text;
    cols text[];
    missing text;
    select_list text;
    distributed boolean := false;
    old_part regclass;
    loaded bigint;
    bad text;
    suffix text;
    take_over boolean;
    staging_name text := staging::text;
    checks text;
    violated text;
    msg text;
    det text;
    state text;
    before @extschema@.watch_snapshot;
    ms record;
BEGIN
    IF for_year IS NULL OR for_year NOT BETWEEN 1800 AND 2999 THEN
        RAISE EXCEPTION 'year must be between 1800 and 2999, not %', COALESCE(for_year::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF staging IS NULL THEN
        RAISE EXCEPTION 'staging must name a table or view'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT pg_catalog.array_agg(a.attname::text) INTO cols
      FROM pg_catalog.pg_attribute a
     WHERE a.attrelid OPERATOR(pg_catalog.=) staging AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped;
    SELECT pg_catalog.string_agg(c, ', ') INTO missing
      FROM pg_catalog.unnest(ARRAY['year', 'exporter', 'importer', 'product', 'value']) c
     WHERE c OPERATOR(pg_catalog.<>) ALL (COALESCE(cols, '{}'));
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION '% has no column %', staging, missing
            USING ERRCODE = 'undefined_column',
                  HINT = 'The staging table needs trade_flow''s columns year, exporter, importer, product and value (quantity and source are optional).';
    END IF;
    select_list := pg_catalog.format('s.year, s.exporter, s.importer, s.product, s.value, %s, %s',
        CASE WHEN 'quantity' OPERATOR(pg_catalog.=) ANY (cols) THEN 's.quantity' ELSE 'NULL' END,
        CASE WHEN 'source' OPERATOR(pg_catalog.=) ANY (cols) THEN 's.source' ELSE 'NULL' END);
    -- one load (or maker of the year's partition) at a time
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('supplychain.trade_flow_year'), for_year);

    IF pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
        EXECUTE 'SELECT EXISTS (SELECT FROM pg_catalog.pg_dist_partition WHERE logicalrelid OPERATOR(pg_catalog.=) $1)'
            INTO distributed USING '@extschema@.trade_flow'::regclass;
    END IF;
    IF distributed THEN
        -- through the distributed table: its triggers keep trade_country_total
        EXECUTE pg_catalog.format('SELECT s.year FROM %s s WHERE s.year IS DISTINCT FROM $1 LIMIT 1', staging)
            INTO bad USING for_year;
        IF bad IS NOT NULL OR FOUND THEN
            RAISE EXCEPTION 'a row of % is not of year %', staging, for_year
                USING ERRCODE = 'check_violation', DETAIL = pg_catalog.format('It is of year %s.', COALESCE(bad, 'NULL'));
        END IF;
        PERFORM @extschema@.trade_flow_year(for_year);
        DELETE FROM @extschema@.trade_flow f WHERE f.year OPERATOR(pg_catalog.=) for_year;
        EXECUTE pg_catalog.format(
            'INSERT INTO @extschema@.trade_flow (year, exporter, importer, product, value, quantity, source) SELECT %s FROM %s s',
            select_list, staging);
        GET DIAGNOSTICS loaded = ROW_COUNT;
        RETURN loaded;
    END IF;

    -- 1. the year as a table of its own, with trade_flow's columns and
    -- checks, and one more: every row is of the year (which also spares
    -- the attach a scan).  A table of the caller's with exactly
    -- trade_flow's columns and nothing else (no index, trigger, constraint,
    -- grant, rule, policy, inheritance; CREATE TABLE ... (LIKE
    -- supplychain.trade_flow)) becomes that table itself: it is moved into
    -- the extension's schema and checked in one scan, and its rows are
    -- never copied.  Anything else is copied.
    part := 'trade_flow_' || for_year;
    building := part || '_loading';
    SELECT c.relkind OPERATOR(pg_catalog.=) 'r' AND c.relpersistence OPERATOR(pg_catalog.=) 'p'
           AND NOT c.relispartition AND NOT c.relhassubclass AND NOT c.relhasrules AND NOT c.relhastriggers
           AND NOT c.relrowsecurity AND c.relacl IS NULL
           AND pg_catalog.pg_has_role(c.relowner, 'USAGE')
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indrelid OPERATOR(pg_catalog.=) c.oid)
           -- (NOT NULL constraints apart: PostgreSQL 18 lists them there)
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k
                           WHERE k.conrelid OPERATOR(pg_catalog.=) c.oid AND k.contype OPERATOR(pg_catalog.<>) 'n')
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_inherits h WHERE h.inhrelid OPERATOR(pg_catalog.=) c.oid)
           AND (SELECT pg_catalog.array_agg(pg_catalog.format('%s %s %s %s', a.attname, a.atttypid, a.atttypmod, a.attcollation)
                                            ORDER BY a.attnum)
                FROM pg_catalog.pg_attribute a
                WHERE a.attrelid OPERATOR(pg_catalog.=) c.oid AND a.attnum OPERATOR(pg_catalog.>) 0)
               OPERATOR(pg_catalog.=)
               (SELECT pg_catalog.array_agg(pg_catalog.format('%s %s %s %s', a.attname, a.atttypid, a.atttypmod, a.attcollation)
                                            ORDER BY a.attnum)
                FROM pg_catalog.pg_attribute a
                WHERE a.attrelid OPERATOR(pg_catalog.=) '@extschema@.trade_flow'::regclass AND a.attnum OPERATOR(pg_catalog.>) 0)
      INTO take_over
      FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) staging;
    IF take_over THEN
        -- trade_flow's checks and NOT NULLs, and the year's, in one
        -- ALTER TABLE: one scan validates them all
        SELECT pg_catalog.string_agg(pg_catalog.format('ADD CONSTRAINT %I %s', k.conname, pg_catalog.pg_get_constraintdef(k.oid)), ', '),
               pg_catalog.string_agg(pg_catalog.format('NOT COALESCE(%s, true)',
                                                       pg_catalog.substr(pg_catalog.pg_get_constraintdef(k.oid), 7)), ' OR ')
          INTO checks, violated
          FROM pg_catalog.pg_constraint k
         WHERE k.conrelid OPERATOR(pg_catalog.=) '@extschema@.trade_flow'::regclass AND k.contype OPERATOR(pg_catalog.=) 'c';
        SELECT checks || ', ' || pg_catalog.string_agg(pg_catalog.format('ALTER COLUMN %I SET NOT NULL', a.attname), ', '),
               violated || ' OR ' || pg_catalog.string_agg(pg_catalog.format('%I IS NULL', a.attname), ' OR ')
          INTO checks, violated
          FROM pg_catalog.pg_attribute a
         WHERE a.attrelid OPERATOR(pg_catalog.=) '@extschema@.trade_flow'::regclass AND a.attnum OPERATOR(pg_catalog.>) 0
           AND a.attnotnull;
        checks := checks || pg_catalog.format(', ADD CONSTRAINT %I CHECK (year OPERATOR(pg_catalog.=) %s)', part || '_year', for_year);
        violated := violated || pg_catalog.format(' OR year IS DISTINCT FROM %s', for_year);
        EXECUTE pg_catalog.format('ALTER TABLE %s RENAME TO %I', staging, building);
        IF (SELECT c.relnamespace FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) staging)
           OPERATOR(pg_catalog.<>) '@extschema@'::regnamespace THEN
            EXECUTE pg_catalog.format('ALTER TABLE %s SET SCHEMA @extschema@', staging);
        END IF;
        BEGIN
            EXECUTE pg_catalog.format('ALTER TABLE @extschema@.%I %s', building, checks);
        EXCEPTION WHEN integrity_constraint_violation THEN
            GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, state = RETURNED_SQLSTATE;
            EXECUTE pg_catalog.format('SELECT s::text FROM @extschema@.%I s WHERE %s LIMIT 1', building, violated) INTO bad;
            RAISE EXCEPTION 'a row of % is not a flow of %: %', staging_name, for_year, msg
                USING ERRCODE = state, DETAIL = pg_catalog.format('Failing row contains %s.', bad),
                      HINT = 'Nothing was loaded: the year keeps its previous flows, and the staging table its rows.';
        END;
    ELSE
        EXECUTE pg_catalog.format(
            'CREATE TABLE @extschema@.%I (LIKE @extschema@.trade_flow INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT %I CHECK (year OPERATOR(pg_catalog.=) %s))',
            building, part || '_year', for_year);
        BEGIN
            EXECUTE pg_catalog.format(
                'INSERT INTO @extschema@.%I (year, exporter, importer, product, value, quantity, source) SELECT %s FROM %s s',
                building, select_list, staging);
            GET DIAGNOSTICS loaded = ROW_COUNT;
        EXCEPTION WHEN integrity_constraint_violation OR data_exception THEN
            GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, state = RETURNED_SQLSTATE;
            RAISE EXCEPTION 'a row of % is not a flow of %: %', staging, for_year, msg
                USING ERRCODE = state, DETAIL = det,
                      HINT = 'Nothing was loaded: the year keeps its previous flows.';
        END;
    END IF;

    -- 2. its key and indexes, each built by one sort (a repeated key fails
    -- here)
    BEGIN
        PERFORM @extschema@.trade_flow_indexes(pg_catalog.format('@extschema@.%I', building)::regclass, building);
    EXCEPTION WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS det = PG_EXCEPTION_DETAIL;
        RAISE EXCEPTION 'two rows of % have the same year, exporter, importer and product', staging_name
            USING ERRCODE = 'unique_violation', DETAIL = det,
                  HINT = 'Nothing was loaded: the year keeps its previous flows.';
    END;

    -- 3. the swap: the year's previous partition goes, the new one is
    -- attached (its foreign keys are checked there) and takes the year's
    -- name
    -- (the early warning's values before: the year as it was, 44_watch.sql)
    before := @extschema@.watch_before('@extschema@.trade_flow',
                                       '{import_dependency.top_share,import_dependency.hhi,import_dependency.dependent}',
                                       NULL, NULL, NULL, ARRAY[for_year]);
    old_part := @extschema@.trade_flow_partition(for_year);
    IF old_part IS NOT NULL THEN
        EXECUTE pg_catalog.format('ALTER TABLE @extschema@.trade_flow DETACH PARTITION %s', old_part);
        EXECUTE pg_catalog.format('DROP TABLE %s', old_part);
    END IF;
    BEGIN
        EXECUTE pg_catalog.format('ALTER TABLE @extschema@.trade_flow ATTACH PARTITION @extschema@.%I FOR VALUES IN (%s)',
                                  building, for_year);
    EXCEPTION WHEN foreign_key_violation THEN
        GET STACKED DIAGNOSTICS det = PG_EXCEPTION_DETAIL;
        EXECUTE pg_catalog.format($q$
            SELECT pg_catalog.format('(%%s, %%s, %%s, %%s, %%s)', b.year, b.exporter, b.importer, b.product, b.value)
            FROM @extschema@.%I b
            WHERE NOT EXISTS (SELECT FROM @extschema@.country c WHERE c.code OPERATOR(pg_catalog.=) b.exporter)
               OR NOT EXISTS (SELECT FROM @extschema@.country c WHERE c.code OPERATOR(pg_catalog.=) b.importer)
               OR NOT EXISTS (SELECT FROM @extschema@.product p WHERE p.code OPERATOR(pg_catalog.=) b.product)
               OR (b.source IS NOT NULL AND NOT EXISTS (SELECT FROM @extschema@.source s WHERE s.id OPERATOR(pg_catalog.=) b.source))
            ORDER BY b.exporter, b.importer, b.product LIMIT 1
        $q$, building) INTO bad;
        RAISE EXCEPTION 'a row of % names a country, product or source that does not exist', staging_name
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = pg_catalog.format('%s The first such row (year, exporter, importer, product, value): %s.', det, bad),
                  HINT = 'Nothing was loaded: the year keeps its previous flows. Add the codes to supplychain.country or supplychain.product first.';
    END;
    EXECUTE pg_catalog.format('ALTER TABLE @extschema@.%I RENAME TO %I', building, part);
    FOREACH suffix IN ARRAY ARRAY['_pkey', '_importer_product_year_idx', '_exporter_product_year_idx', '_product_year_idx'] LOOP
        EXECUTE pg_catalog.format('ALTER INDEX @extschema@.%I RENAME TO %I', building || suffix, part || suffix);
    END LOOP;
    PERFORM @extschema@.trade_partition_ready(pg_catalog.format('@extschema@.%I', part)::regclass);

    -- 4. the year's totals, from the new partition alone: one pass in C
    -- (what trade_country_totals() gives, without its set in between), or
    -- in SQL when they outgrow the hash memory; a table taken over was
    -- loaded with as many flows as the totals count
    -- (and the groups' rows, by the memberships of the year, read once no
    -- change of them is under way)
    DELETE FROM @extschema@.trade_country_total t WHERE t.year OPERATOR(pg_catalog.=) for_year;
    DELETE FROM @extschema@.trade_country_group_total t WHERE t.year OPERATOR(pg_catalog.=) for_year;
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(pg_catalog.hashtext('supplychain.country_group'));
    SELECT pg_catalog.array_agg(m.group_code) AS groups, pg_catalog.array_agg(m.member) AS members,
           pg_catalog.array_agg(pg_catalog.date_part('year', m.since)::integer) AS first_years,
           pg_catalog.array_agg(pg_catalog.date_part('year', m.until)::integer) AS last_years
      INTO ms
      FROM @extschema@.country_group m
     WHERE m.since OPERATOR(pg_catalog.<=) pg_catalog.make_date(for_year, 12, 31)
       AND (m.until IS NULL OR m.until OPERATOR(pg_catalog.>=) pg_catalog.make_date(for_year, 1, 1));
    BEGIN
        EXECUTE pg_catalog.format($q$
            WITH s AS (SELECT * FROM @extschema@.trade_totals_scan(%L, $1, $2, $3, $4)),
            g AS (
                INSERT INTO @extschema@.trade_country_group_total
                SELECT s.country, s.product, s.year, s.import_flows, s.imports, s.squares, s.partners, s.top_value,
                       s.top_partner, s.inside_imports, s.export_flows, s.exports
                FROM s WHERE s.is_group
            )
            INSERT INTO @extschema@.trade_country_total
            SELECT s.country, s.product, s.year, s.import_flows, s.imports, s.squares, s.partners, s.top_value,
                   s.top_partner, s.export_flows, s.exports
            FROM s WHERE NOT s.is_group
        $q$, pg_catalog.format('@extschema@.%I', part))
        USING ms.groups, ms.members, ms.first_years, ms.last_years;
    EXCEPTION WHEN program_limit_exceeded THEN
        EXECUTE pg_catalog.format('INSERT INTO @extschema@.trade_country_total SELECT * FROM @extschema@.trade_country_totals(%L)',
                                  pg_catalog.format('@extschema@.%I', part));
        EXECUTE pg_catalog.format('INSERT INTO @extschema@.trade_country_group_total SELECT * FROM @extschema@.trade_group_totals(%L, %L)',
                                  pg_catalog.format('@extschema@.%I', part), '@extschema@.country_group');
    END;
    -- 5. the early warning: every subject of the year
    IF before.measures IS NOT NULL THEN
        PERFORM @extschema@.watch_after(before, NULL, NULL, NULL, ARRAY[for_year]);
    END IF;
    IF take_over THEN
        SELECT COALESCE(pg_catalog.sum(t.import_flows), 0) INTO loaded
          FROM @extschema@.trade_country_total t WHERE t.year OPERATOR(pg_catalog.=) for_year;
    END IF;
    -- (no ANALYZE: building the indexes counted the rows, and autovacuum
    -- analyzes the new partition soon)
    IF take_over THEN
        RAISE NOTICE 'the table % is now the partition %.% (its rows were not copied)', staging_name, '@extschema@', part
            USING HINT = 'To keep a staging table, give load_trade_flows a view of it, or a table of other columns.';
    END IF;
    RETURN loaded;
END
$fn$;
COMMENT ON FUNCTION @extschema@.load_trade_flows(integer, regclass) IS
    'loads a year of trade flows from a staging table or view with trade_flow''s columns, replacing the year''s flows, as a partition built on its own and attached; all or nothing; returns the flows loaded';

-- trade_shares(import_partner, product_stage, year, importer): the rows a
-- year of flows gives, one per importer (NULL: every one with flows that
-- year), (stage, item) of product_stage and partner with imports above 0:
-- share = the partner's share of the importer's imports of the item's
-- products (outside the importer, for a group), truncated to 10 decimals;
-- a note with the figures and the products.  In one pass over the flows
-- (src/trade_shares.c); sql/trade_shares.sql compares it with the formula
-- in SQL.
CREATE FUNCTION @extschema@.trade_shares(import_partner regclass, product_stage regclass, year integer, importer text)
RETURNS TABLE (stage text, country text, supplier text, item text, share numeric, note text)
AS 'MODULE_PATHNAME', 'sc_trade_shares'
-- (one importer's rows, about: the planner joins them to dependency's rows
-- by hash rather than by nested loops, as it did the grouping's estimate)
LANGUAGE C STABLE ROWS 10000;
COMMENT ON FUNCTION @extschema@.trade_shares(regclass, regclass, integer, text) IS
    'internal: the dependency rows a year of trade flows gives (load_trade_dependencies()), in one pass over the flows';

-- load_trade_dependencies: a year of trade flows as dependency rows.  For
-- each importer (a country or a group; NULL: every one with flows that year),
-- each (stage, item) of product_stage and each partner, one row: kind
-- supply, share = the partner's share of the importer's imports of the
-- item's products (for a group: from non-members), as_of = the year's last
-- day, source 'trade-flow'.  Shares are truncated to 10 decimals, so the
-- shares of one item never sum above 1.  The function owns the rows citing
-- 'trade-flow': it replaces those of the year (and importer), writing only
-- the rows that change, and never touches other rows.  A partner that
-- supplied the item in another loaded year and not in this one gets share 0
-- (step 1).  Returns the number of rows written (inserted or changed).
-- Writes nothing (and needs no privilege) when there are neither flows nor
-- own rows of the year.
CREATE FUNCTION @extschema@.load_trade_dependencies(year integer, importer text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    for_year constant integer := $1;
    for_importer constant text := $2;
    as_of date;
    only_importer text := '';
    own_rows boolean;
    other_years boolean := true;
    wanted text;
    want record;
    n bigint;
    written bigint := 0;
BEGIN
    IF for_year IS NULL OR for_year NOT BETWEEN 1800 AND 2999 THEN
        RAISE EXCEPTION 'year must be between 1800 and 2999, not %', COALESCE(for_year::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF for_importer IS NOT NULL THEN
        IF NOT EXISTS (SELECT FROM @extschema@.country k WHERE k.code OPERATOR(pg_catalog.=) for_importer) THEN
            RAISE EXCEPTION 'unknown importer: %', pg_catalog.quote_literal(for_importer)
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Give a code of supplychain.country (a country or a group such as ''EU''), or NULL for every importer.';
        END IF;
        only_importer := ' AND %1$s OPERATOR(pg_catalog.=) $3';
    END IF;
    as_of := pg_catalog.make_date(for_year, 12, 31);
    -- one load at a time: two loads of the same rows would both delete
    -- them and then both insert
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('supplychain.load_trade_dependencies'));

    -- 1. the rows the year should hold: the partners' shares, and shares 0
    -- (the share rule is checked after each statement): at each own date of
    -- an item, a supplier with an own row at an earlier date and none at
    -- that date gets share 0, so that its earlier share does not count
    -- there (the rule counts each supplier's latest row).  Every own date
    -- then lists every supplier seen before it, whichever year is loaded
    -- first, and replacing one year's rows never brings an older share back.
    -- The year's own rows (of the importer) are being replaced: they count
    -- neither as seen nor as taken.
    EXECUTE pg_catalog.format($q$
        SELECT EXISTS (SELECT FROM @extschema@.dependency d
                       WHERE d.source OPERATOR(pg_catalog.=) 'trade-flow' AND d.as_of OPERATOR(pg_catalog.=) $1 %s)
    $q$, pg_catalog.format(only_importer, 'd.country')) INTO own_rows USING as_of, for_year, for_importer;
    -- and of other years (of all importers: looked for per item below)
    IF for_importer IS NOT NULL THEN
        SELECT EXISTS (SELECT FROM @extschema@.dependency d
                       WHERE d.country OPERATOR(pg_catalog.=) for_importer AND d.source OPERATOR(pg_catalog.=) 'trade-flow'
                         AND d.as_of OPERATOR(pg_catalog.<>) pg_catalog.make_date(for_year, 12, 31)) INTO other_years;
    END IF;
    -- (no flows: no rows)
    wanted := $q$
        WITH new AS (
            -- (codes in the default collation, dependency's: its index
            -- serves the probes below)
            SELECT t.stage, t.country, t.supplier, t.item, t.share, t.note
            FROM @extschema@.trade_shares('@extschema@.import_partner', '@extschema@.product_stage', $2, $3) t
        )
    $q$ || CASE WHEN NOT other_years THEN $q$
        -- (no own rows of other years: no zeros; new is read once, as it comes)
        , w (stage, country, supplier, item, share, as_of, note) AS (
            SELECT n.stage, n.country, n.supplier, n.item, n.share, $1, n.note FROM new n
        )
    $q$ ELSE $q$
        , other AS MATERIALIZED (
            -- each item's own rows of other years, through its index range
            -- (OFFSET 0: a probe per item, never a scan of dependency)
            SELECT d.stage, d.country, d.item, d.supplier, d.as_of
            FROM (SELECT DISTINCT n.stage, n.country, n.item FROM new n) k
            CROSS JOIN LATERAL (
                SELECT d.stage, d.country, d.item, d.supplier, d.as_of FROM @extschema@.dependency d
                WHERE d.country OPERATOR(pg_catalog.=) k.country AND d.stage OPERATOR(pg_catalog.=) k.stage
                  AND d.kind OPERATOR(pg_catalog.=) 'supply' AND d.item OPERATOR(pg_catalog.=) k.item
                  AND d.source OPERATOR(pg_catalog.=) 'trade-flow' AND d.as_of OPERATOR(pg_catalog.<>) $1
                OFFSET 0) d
        ), own AS (
            -- an item's own rows: of other years, and the year's as wanted
            SELECT * FROM other
            UNION ALL
            SELECT n.stage, n.country, n.item, n.supplier, $1 FROM new n
        ), zero AS (
            -- (only an item with rows of other years can get a zero: a
            -- first load of a single year computes none)
            SELECT DISTINCT t.stage, t.country, t.item, o.supplier, t.as_of
            FROM (SELECT DISTINCT o.stage, o.country, o.item, o.as_of
                  FROM (SELECT DISTINCT stage, country, item FROM other) i
                  JOIN own o ON o.stage OPERATOR(pg_catalog.=) i.stage AND o.country OPERATOR(pg_catalog.=) i.country
                            AND o.item OPERATOR(pg_catalog.=) i.item) t
            JOIN own o ON o.stage OPERATOR(pg_catalog.=) t.stage AND o.country OPERATOR(pg_catalog.=) t.country
                      AND o.item OPERATOR(pg_catalog.=) t.item AND o.as_of OPERATOR(pg_catalog.<) t.as_of
            WHERE NOT EXISTS (SELECT FROM own x
                              WHERE x.stage OPERATOR(pg_catalog.=) t.stage AND x.country OPERATOR(pg_catalog.=) t.country
                                AND x.item OPERATOR(pg_catalog.=) t.item AND x.supplier OPERATOR(pg_catalog.=) o.supplier
                                AND x.as_of OPERATOR(pg_catalog.=) t.as_of)
              AND NOT EXISTS (SELECT FROM @extschema@.dependency h
                              WHERE h.stage OPERATOR(pg_catalog.=) t.stage AND h.country OPERATOR(pg_catalog.=) t.country
                                AND h.kind OPERATOR(pg_catalog.=) 'supply' AND h.item OPERATOR(pg_catalog.=) t.item
                                AND h.supplier OPERATOR(pg_catalog.=) o.supplier AND h.as_of OPERATOR(pg_catalog.=) t.as_of
                                AND NOT (h.source OPERATOR(pg_catalog.=) 'trade-flow' AND h.as_of OPERATOR(pg_catalog.=) $1))
        ), w (stage, country, supplier, item, share, as_of, note) AS (
            -- (the zeros first: computed before a row is inserted, their
            -- probes of dependency do not read the statement's new rows)
            SELECT z.stage, z.country, z.supplier, z.item, 0, z.as_of,
                   pg_catalog.format('trade_flow %s: no imports from %s', pg_catalog.date_part('year', z.as_of), z.supplier)
            FROM zero z
            UNION ALL
            SELECT n.stage, n.country, n.supplier, n.item, n.share, $1 AS as_of, n.note FROM new n
        )
    $q$ END;
    IF NOT own_rows AND pg_catalog.has_table_privilege('@extschema@.dependency', 'INSERT')
       AND NOT pg_catalog.current_setting('transaction_read_only')::boolean THEN
        -- a first load of the year (and importer): the rows inserted as
        -- they are computed (by a writer in a transaction that may write:
        -- otherwise the statement below finds whether there is anything to
        -- write, and nothing is written when there is not)
        EXECUTE wanted || $q$
            INSERT INTO @extschema@.dependency (stage, country, supplier, kind, item, share, as_of, note, source)
            SELECT w.stage, w.country, w.supplier, 'supply', w.item, w.share, w.as_of, w.note, 'trade-flow' FROM w
        $q$ USING as_of, for_year, for_importer;
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
    END IF;
    EXECUTE wanted || $q$
        SELECT pg_catalog.array_agg(w.stage) AS stages, pg_catalog.array_agg(w.country) AS countries,
               pg_catalog.array_agg(w.supplier) AS suppliers, pg_catalog.array_agg(w.item) AS items,
               pg_catalog.array_agg(w.share) AS shares, pg_catalog.array_agg(w.as_of) AS as_ofs,
               pg_catalog.array_agg(w.note) AS notes
        FROM w
    $q$ INTO want USING as_of, for_year, for_importer;

    -- 2. the year's own rows that the flows no longer give go, those whose
    -- share or note changed are updated, and the others are inserted, in
    -- that order (after each step every sum the share rule checks is at
    -- most what it is at the end); rows as they should be are not written
    IF own_rows THEN
        EXECUTE pg_catalog.format($q$
            DELETE FROM @extschema@.dependency d
            WHERE d.source OPERATOR(pg_catalog.=) 'trade-flow' AND d.as_of OPERATOR(pg_catalog.=) $1 %s
              -- (NOT IN: one hash of the rows wanted, no NULLs in either)
              AND (d.kind, d.stage, d.country, d.supplier, d.item) NOT IN (
                  SELECT 'supply', w.stage, w.country, w.supplier, w.item
                  FROM ROWS FROM (pg_catalog.unnest($4), pg_catalog.unnest($5), pg_catalog.unnest($6),
                                  pg_catalog.unnest($7), pg_catalog.unnest($8)) w (stage, country, supplier, item, as_of)
                  WHERE w.as_of OPERATOR(pg_catalog.=) $1)
        $q$, pg_catalog.format(only_importer, 'd.country'))
        USING as_of, for_year, for_importer, want.stages, want.countries, want.suppliers, want.items, want.as_ofs;
        IF want.stages IS NOT NULL THEN
            UPDATE @extschema@.dependency d SET share = w.share, note = w.note
            FROM ROWS FROM (pg_catalog.unnest(want.stages), pg_catalog.unnest(want.countries), pg_catalog.unnest(want.suppliers),
                 pg_catalog.unnest(want.items), pg_catalog.unnest(want.shares), pg_catalog.unnest(want.as_ofs),
                 pg_catalog.unnest(want.notes))
                 w (stage, country, supplier, item, share, as_of, note)
            WHERE d.country OPERATOR(pg_catalog.=) w.country AND d.stage OPERATOR(pg_catalog.=) w.stage
              AND d.kind OPERATOR(pg_catalog.=) 'supply' AND d.item OPERATOR(pg_catalog.=) w.item
              AND d.supplier OPERATOR(pg_catalog.=) w.supplier AND d.as_of OPERATOR(pg_catalog.=) w.as_of
              AND d.source OPERATOR(pg_catalog.=) 'trade-flow'
              AND (d.share, d.note) IS DISTINCT FROM (w.share, w.note);
            GET DIAGNOSTICS n = ROW_COUNT;
            written := written + n;
        END IF;
    END IF;
    IF want.stages IS NOT NULL THEN
        INSERT INTO @extschema@.dependency (stage, country, supplier, kind, item, share, as_of, note, source)
        SELECT w.stage, w.country, w.supplier, 'supply', w.item, w.share, w.as_of, w.note, 'trade-flow'
        FROM ROWS FROM (pg_catalog.unnest(want.stages), pg_catalog.unnest(want.countries), pg_catalog.unnest(want.suppliers),
                 pg_catalog.unnest(want.items), pg_catalog.unnest(want.shares), pg_catalog.unnest(want.as_ofs),
                 pg_catalog.unnest(want.notes))
             w (stage, country, supplier, item, share, as_of, note)
        WHERE NOT (own_rows AND EXISTS (
                  SELECT FROM @extschema@.dependency d
                  WHERE d.country OPERATOR(pg_catalog.=) w.country AND d.stage OPERATOR(pg_catalog.=) w.stage
                    AND d.kind OPERATOR(pg_catalog.=) 'supply' AND d.item OPERATOR(pg_catalog.=) w.item
                    AND d.supplier OPERATOR(pg_catalog.=) w.supplier AND d.as_of OPERATOR(pg_catalog.=) w.as_of
                    AND d.source OPERATOR(pg_catalog.=) 'trade-flow'));
        GET DIAGNOSTICS n = ROW_COUNT;
        written := written + n;
    END IF;
    RETURN written;
END
$fn$;
COMMENT ON FUNCTION @extschema@.load_trade_dependencies(integer, text) IS
    'writes the year''s trade flows as dependency rows (kind supply, share = the partner''s share of the importer''s imports of each product_stage item, as_of = the year''s last day, source trade-flow), replacing its own rows of that year and importer (NULL: all); returns the rows written';

-- trade_country_total is dumped whole (registered last, as an update
-- from 0.7.0 registers it): in a restore the partitions' rows arrive before their
-- triggers do (pg_dump puts triggers after the data), so the totals come
-- with the dump rather than from the triggers.  Its name sorts before the
-- partitions' (trade_flow_2021): in a data-only restore into partitions
-- that have their triggers (trade_flow_year() made them), pg_restore loads
-- it first, and the triggers then recompute the keys the flows touch, to
-- the same values, instead of the dump's rows colliding with theirs.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.trade_country_total', '');
