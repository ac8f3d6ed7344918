-- Footer of the install script: privileges, and the end of maintenance mode.

DROP FUNCTION @extschema@.protect_shipped_rows(regclass, text, text);

-- Anyone may read; writing is granted by the DBA (README, "Privileges").
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA @extschema@ TO PUBLIC;

SET LOCAL supplychain.maintenance = off;
