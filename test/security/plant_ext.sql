-- plant_ext.sql - trojans on the extension's own types that shadow built-in
-- names (casts spelled as functions, count, comparisons with text and
-- integer), planted by a non-superuser in :'schema' once the types exist.
-- None has the exact signature of an extension object: the extension's
-- exact match must always win over these.  Same reporting as plant.sql,
-- which must have run first in :'schema'.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET search_path = pg_catalog;
SELECT set_config('sc_sec.schema', :'schema', false) AS schema \gset

DO $plant$
DECLARE
    s text := current_setting('sc_sec.schema');
    typ text;
    other text;
    op text;
    n integer := 0;
    f text;
    PROCEDURE_BODY CONSTANT text :=
        'BEGIN RAISE WARNING ''hijacked: %% called by %%'', %L, current_user; '
        'PERFORM pg_catalog.nextval(%L); '
        'RAISE EXCEPTION ''hijacked: %% called by %%'', %L, current_user; END';
BEGIN
    FOREACH typ IN ARRAY ARRAY['supplychain.stage_rating', 'supplychain.impact_score'] LOOP
        FOREACH other IN ARRAY ARRAY['text', 'integer'] LOOP
            FOREACH op IN ARRAY ARRAY['=', '<>', '<', '>', '<=', '>='] LOOP
                n := n + 1;
                f := format('%s.%s(%s,%s)', s, op, typ, other);
                EXECUTE format('CREATE FUNCTION %I.%I(%s, %s) RETURNS boolean LANGUAGE plpgsql AS %L',
                               s, 'trojan_ext_op_' || n, typ, other,
                               format(PROCEDURE_BODY, f, s || '.hijack_count', f));
                EXECUTE format('CREATE OPERATOR %I.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = %I.%I)',
                               s, op, typ, other, s, 'trojan_ext_op_' || n);
                n := n + 1;
                f := format('%s.%s(%s,%s)', s, op, other, typ);
                EXECUTE format('CREATE FUNCTION %I.%I(%s, %s) RETURNS boolean LANGUAGE plpgsql AS %L',
                               s, 'trojan_ext_op_' || n, other, typ,
                               format(PROCEDURE_BODY, f, s || '.hijack_count', f));
                EXECUTE format('CREATE OPERATOR %I.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = %I.%I)',
                               s, op, other, typ, s, 'trojan_ext_op_' || n);
            END LOOP;
        END LOOP;
        FOREACH other IN ARRAY ARRAY['text', 'integer'] LOOP
            n := n + 1;
            f := format('%s.||(%s,%s)', s, typ, other);
            EXECUTE format('CREATE FUNCTION %I.%I(%s, %s) RETURNS text LANGUAGE plpgsql AS %L',
                           s, 'trojan_ext_op_' || n, typ, other,
                           format(PROCEDURE_BODY, f, s || '.hijack_count', f));
            EXECUTE format('CREATE OPERATOR %I.|| (LEFTARG = %s, RIGHTARG = %s, FUNCTION = %I.%I)',
                           s, typ, other, s, 'trojan_ext_op_' || n);
        END LOOP;
        -- function-style casts and string helpers on the type
        FOREACH f IN ARRAY ARRAY['text', 'int4', 'numeric', 'lower', 'upper', 'length', 'btrim'] LOOP
            EXECUTE format('CREATE FUNCTION %I.%I(%s) RETURNS text LANGUAGE plpgsql AS %L',
                           s, f, typ, format(PROCEDURE_BODY, format('%s.%s(%s)', s, f, typ),
                                             s || '.hijack_count', format('%s.%s(%s)', s, f, typ)));
        END LOOP;
        -- count(x) over the type: beats count("any")
        n := n + 1;
        f := format('%s.count(%s)', s, typ);
        EXECUTE format('CREATE FUNCTION %I.%I(bigint, %s) RETURNS bigint LANGUAGE plpgsql AS %L',
                       s, 'trojan_ext_sfunc_' || n, typ,
                       format(PROCEDURE_BODY, f, s || '.hijack_count', f));
        EXECUTE format('CREATE AGGREGATE %I.count(%s) (SFUNC = %I.%I, STYPE = bigint)',
                       s, typ, s, 'trojan_ext_sfunc_' || n);
    END LOOP;
END
$plant$;

SELECT (SELECT count(*) FROM pg_proc WHERE pronamespace = :'schema'::regnamespace
          AND pg_get_function_identity_arguments(oid) LIKE '%supplychain.%') AS objects
\gset planted_
\echo planted in :schema: :planted_objects functions and aggregates on the extension types
