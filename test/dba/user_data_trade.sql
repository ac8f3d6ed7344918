-- user_data_trade.sql - user rows in the trade tables: a country of the
-- user's own (a user-assigned code), products, their stages, a group, flows
-- and the dependency rows load_trade_dependencies() writes from them.
-- Needs user_data.sql's countries, stages and source.
\set ON_ERROR_STOP 1
SET search_path = public, supplychain;

INSERT INTO country (code, name) VALUES ('XW', 'Widget Union');
INSERT INTO product (code, name, classification, note, source) VALUES
    ('dba-widget', E'Widget, "large"\tkind', 'test', E'line 1\nline 2 \\ ☀', 'dba-survey-2024'),
    ('010121', 'Horses: live, pure-bred breeding animals', 'HS2017', NULL, NULL);
INSERT INTO product_stage (product, stage) VALUES ('dba-widget', 'widgets.parts');
INSERT INTO product_stage (product, stage, item, note) VALUES ('010121', 'widgets.assembly', 'horsepower', 'a joke');
INSERT INTO country_group (group_code, member, since, until, note) VALUES
    ('XW', 'MX', '2020-01-01', NULL, NULL), ('XW', 'VN', '2020-01-01', '2022-06-30', 'left');
-- (since 0.8.0 a year needs its partition)
SELECT pg_catalog.to_regprocedure('supplychain.trade_flow_year(integer)') IS NOT NULL AS trade_years \gset
\if :trade_years
SELECT supplychain.trade_flow_year(2023);
\endif
INSERT INTO trade_flow (year, exporter, importer, product, value, quantity, source) VALUES
    (2023, 'CN', 'MX', 'dba-widget', 100, 2.5, 'dba-survey-2024'),
    (2023, 'DE', 'MX', 'dba-widget', 50, NULL, NULL),
    (2023, 'MX', 'US', '010121', 12.345, 1, NULL),
    (2023, 'VN', 'MX', 'dba-widget', 10, 0.25, NULL);
-- MX: CN .625, DE .3125, VN .0625; the group XW: the same (VN left it in 2022)
DO $$
BEGIN
    PERFORM load_trade_dependencies(2023, 'MX');
    PERFORM load_trade_dependencies(2023, 'XW');
END
$$;
