-- Footer of the install script: privileges, and the end of maintenance mode.

DROP FUNCTION @extschema@.protect_shipped_rows(regclass, text, text);

-- trade_country_group_total (85_trade.sql) is dumped whole, as
-- trade_country_total and for the same reason (its name sorts before the
-- partitions' too); registered last, as the update from 0.10.0 registers it
SELECT pg_catalog.pg_extension_config_dump('@extschema@.trade_country_group_total', '');

-- Anyone may read; writing is granted by the DBA (README, "Privileges").
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA @extschema@ TO PUBLIC;

SET LOCAL supplychain.maintenance = off;
