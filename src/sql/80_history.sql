-- History: every view at a date.  The current_* views (60_views.sql) read
-- the latest row of each key up to supplychain.as_of; the *_at(date)
-- functions set it for the duration of one call.

-- set_as_of: the setting for the rest of the calling function, whose own
-- "SET supplychain.as_of" clause puts the caller's value back on exit.
CREATE FUNCTION @extschema@.set_as_of(at date) RETURNS void
LANGUAGE sql VOLATILE STRICT SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_catalog.set_config('supplychain.as_of',
        CASE WHEN pg_catalog.isfinite(at) THEN pg_catalog.to_char(at, 'YYYY-MM-DD') ELSE at::text END, true)
$$;
COMMENT ON FUNCTION @extschema@.set_as_of(date) IS
    'sets supplychain.as_of (ISO date) until the end of the calling *_at function';

CREATE FUNCTION @extschema@.stage_risk_at(at date) RETURNS SETOF @extschema@.stage_risk
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp SET supplychain.as_of = '' AS $$
BEGIN
    PERFORM @extschema@.set_as_of(at);
    RETURN QUERY SELECT * FROM @extschema@.stage_risk;
END
$$;
CREATE FUNCTION @extschema@.country_risk_at(at date) RETURNS SETOF @extschema@.country_risk
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp SET supplychain.as_of = '' AS $$
BEGIN
    PERFORM @extschema@.set_as_of(at);
    RETURN QUERY SELECT * FROM @extschema@.country_risk;
END
$$;
CREATE FUNCTION @extschema@.stage_supplier_risk_at(at date) RETURNS SETOF @extschema@.stage_supplier_risk
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp SET supplychain.as_of = '' AS $$
BEGIN
    PERFORM @extschema@.set_as_of(at);
    RETURN QUERY SELECT * FROM @extschema@.stage_supplier_risk;
END
$$;
CREATE FUNCTION @extschema@.policy_risk_at(at date) RETURNS SETOF @extschema@.policy_risk
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp SET supplychain.as_of = '' AS $$
BEGIN
    PERFORM @extschema@.set_as_of(at);
    RETURN QUERY SELECT * FROM @extschema@.policy_risk;
END
$$;
CREATE FUNCTION @extschema@.policy_balance_at(at date) RETURNS SETOF @extschema@.policy_balance
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp SET supplychain.as_of = '' AS $$
BEGIN
    PERFORM @extschema@.set_as_of(at);
    RETURN QUERY SELECT * FROM @extschema@.policy_balance;
END
$$;
COMMENT ON FUNCTION @extschema@.stage_risk_at(date) IS 'stage_risk as it was known at a date (rows with as_of <= at)';
COMMENT ON FUNCTION @extschema@.country_risk_at(date) IS 'country_risk as it was known at a date (rows with as_of <= at)';
COMMENT ON FUNCTION @extschema@.stage_supplier_risk_at(date) IS 'stage_supplier_risk as it was known at a date (rows with as_of <= at)';
COMMENT ON FUNCTION @extschema@.policy_risk_at(date) IS 'policy_risk as it was known at a date (rows with as_of <= at)';
COMMENT ON FUNCTION @extschema@.policy_balance_at(date) IS 'policy_balance as it was known at a date (rows with as_of <= at)';
