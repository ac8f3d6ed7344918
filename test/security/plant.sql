-- plant.sql - trojan objects that shadow built-ins, planted by a non-superuser
-- in the schema :'schema' (run as that user: psql -v schema=NAME).
--
-- Two kinds.  Same-signature shadows (text = text, sum(numeric),
-- lower(text)...) lose to pg_catalog only because pg_catalog is searched
-- first; they win wherever a search_path lists pg_catalog late.  Better-match
-- shadows (integer < numeric, numeric >= integer, numeric / integer,
-- count(text), format(text, text, text, text, text, date), regclass =
-- regclass, array_agg(text), unnest(text[]), cardinality(text[])...) have
-- exact argument types where pg_catalog needs a coercion or an "any" or
-- polymorphic argument, so they win over pg_catalog from any schema on the
-- search_path.
--
-- Every call reports itself twice, so that no caller can hide it: a WARNING
-- "hijacked: NAME called by ROLE" (to the client and the server log), and
-- nextval() of :'schema'.hijack_count (not undone by a rollback).  Then:
--   -v mode=raise (default)  the trojan raises an exception;
--   -v mode=warn             it returns what the pg_catalog object would, so
--                            that the victim goes on and every trojan it
--                            reaches is reported, not only the first;
--   -v extension_names=off   leaves out the trojans named like the
--                            extension's objects (hhi), for a schema the
--                            extension is about to be installed into.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
-- our own statements must not trip over the trojans we are planting
SET search_path = pg_catalog;
\if :{?mode}
\else
\set mode raise
\endif
\if :{?extension_names}
\else
\set extension_names on
\endif
SELECT set_config('sc_sec.schema', :'schema', false) AS schema,
       set_config('sc_sec.mode', :'mode', false) AS mode,
       set_config('sc_sec.extension_names', :'extension_names', false) AS extension_names \gset

-- anyone may reach the trojans, and every caller may count its call
CREATE SEQUENCE :"schema".hijack_count;
GRANT ALL ON SEQUENCE :"schema".hijack_count TO PUBLIC;
CREATE FUNCTION :"schema".trojan_report(label text, counter regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    RAISE WARNING 'hijacked: % called by %', label, current_user;
    PERFORM nextval(counter);
END
$$;

-- trojan(name, argument types, label, expression, fallback result type)
-- creates schema.name(args).  Raise mode: plpgsql, reports and raises.  Warn
-- mode: SQL, reports and returns the expression (over $1, $2...), which
-- computes what pg_catalog would.  The result type is the expression's,
-- or the fallback where pg_catalog has no such operation.
CREATE FUNCTION pg_temp.trojan(fname text, argtypes text[], label text, expr text, fallback text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s text := current_setting('sc_sec.schema');
    probe text := expr;
    ret text;
BEGIN
    FOR i IN REVERSE coalesce(array_length(argtypes, 1), 0) .. 1 LOOP
        probe := replace(probe, '$' || i, format('(NULL::%s)', argtypes[i]));
    END LOOP;
    BEGIN
        EXECUTE format('SELECT pg_catalog.pg_typeof(%s)::text', probe) INTO ret;
    EXCEPTION WHEN OTHERS THEN
        ret := NULL;
    END;
    IF ret IS NULL OR ret = 'unknown' THEN
        ret := fallback;
        expr := format('NULL::%s', fallback);
    END IF;
    IF current_setting('sc_sec.mode') = 'warn' THEN
        EXECUTE format('CREATE FUNCTION %I.%I(%s) RETURNS %s LANGUAGE sql AS %L',
                       s, fname, array_to_string(argtypes, ', '), ret,
                       format('SELECT %I.trojan_report(%L, %L); SELECT %s',
                              s, label, s || '.hijack_count', expr));
    ELSE
        EXECUTE format('CREATE FUNCTION %I.%I(%s) RETURNS %s LANGUAGE plpgsql AS %L',
                       s, fname, array_to_string(argtypes, ', '), ret,
                       format('BEGIN PERFORM %I.trojan_report(%L, %L); '
                              'RAISE EXCEPTION ''hijacked: %% called by %%'', %L, current_user; END',
                              s, label, s || '.hijack_count', label));
    END IF;
END
$$;

-- an operator on a trojan function
CREATE FUNCTION pg_temp.trojan_operator(op text, l text, r text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s text := current_setting('sc_sec.schema');
    n integer := nextval('pg_temp.n');
    fname text := 'trojan_op_' || n;
BEGIN
    IF l IS NULL THEN
        PERFORM pg_temp.trojan(fname, ARRAY[r], format('%s.%s(%s)', s, op, r),
                               format('OPERATOR(pg_catalog.%s) $1', op), r);
        EXECUTE format('CREATE OPERATOR %I.%s (RIGHTARG = %s, FUNCTION = %I.%I)', s, op, r, s, fname);
    ELSE
        PERFORM pg_temp.trojan(fname, ARRAY[l, r], format('%s.%s(%s,%s)', s, op, l, r),
                               format('$1 OPERATOR(pg_catalog.%s) $2', op),
                               CASE WHEN op IN ('=', '<>', '<', '>', '<=', '>=', '~', '~~', '!~') THEN 'boolean'
                                    ELSE l END);
        EXECUTE format('CREATE OPERATOR %I.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = %I.%I)',
                       s, op, l, r, s, fname);
    END IF;
END
$$;

-- an aggregate: the state collects the values, the final function reports
-- and (warn mode) hands them to the pg_catalog aggregate; the transition
-- function reports too, so an aggregate is caught whether or not it sees rows
CREATE FUNCTION pg_temp.trojan_aggregate(agg text, t text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s text := current_setting('sc_sec.schema');
    n integer := nextval('pg_temp.n');
    label text := format('%s.%s(%s)', s, agg, t);
BEGIN
    PERFORM pg_temp.trojan('trojan_sfunc_' || n, ARRAY[t || '[]', t], label || ' transition',
                           'pg_catalog.array_append($1, $2)', t || '[]');
    PERFORM pg_temp.trojan('trojan_final_' || n, ARRAY[t || '[]'], label || ' final',
                           format('(SELECT pg_catalog.%s(x) FROM pg_catalog.unnest($1) AS x)', agg), t);
    EXECUTE format('CREATE AGGREGATE %I.%I(%s) (SFUNC = %I.%I, STYPE = %s[], INITCOND = ''{}'', FINALFUNC = %I.%I)',
                   s, agg, t, s, 'trojan_sfunc_' || n, t, s, 'trojan_final_' || n);
END
$$;

CREATE TEMP SEQUENCE n;

DO $plant$
DECLARE
    s text := current_setting('sc_sec.schema');
    pair text[];
    op text;
    t text;
BEGIN
    IF s <> 'public' THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO PUBLIC', s);
    END IF;

    -- comparisons: same type on both sides, and mixed pairs that pg_catalog
    -- only serves through a coercion
    -- (regclass and text[] have no comparison of their own in pg_catalog:
    -- theirs are oid's and anyarray's, so an exact one wins from anywhere;
    -- the maintained state's code compares tables and key arrays)
    FOREACH t IN ARRAY ARRAY['text', 'numeric', 'integer', 'bigint', 'smallint', 'date',
                             'boolean', 'double precision', 'timestamp with time zone',
                             'oid', 'regclass', 'text[]'] LOOP
        FOREACH op IN ARRAY ARRAY['=', '<>', '<', '>', '<=', '>='] LOOP
            PERFORM pg_temp.trojan_operator(op, t, t);
        END LOOP;
    END LOOP;
    FOREACH pair SLICE 1 IN ARRAY ARRAY[
            ['integer', 'numeric'], ['numeric', 'integer'], ['bigint', 'numeric'], ['numeric', 'bigint'],
            ['numeric', 'double precision'], ['double precision', 'numeric'],
            ['integer', 'double precision'], ['double precision', 'integer'],
            ['bigint', 'double precision'], ['double precision', 'bigint'],
            ['text', 'character varying'], ['character varying', 'text'],
            ['date', 'text'], ['text', 'date']] LOOP
        FOREACH op IN ARRAY ARRAY['=', '<>', '<', '>', '<=', '>='] LOOP
            PERFORM pg_temp.trojan_operator(op, pair[1], pair[2]);
        END LOOP;
    END LOOP;

    -- arithmetic, same-type and mixed (1.0 / 3 is numeric / integer)
    FOREACH pair SLICE 1 IN ARRAY ARRAY[
            ['numeric', 'numeric'], ['integer', 'integer'], ['bigint', 'bigint'],
            ['double precision', 'double precision'],
            ['numeric', 'integer'], ['integer', 'numeric'], ['numeric', 'bigint'], ['bigint', 'numeric'],
            ['numeric', 'double precision'], ['double precision', 'numeric'],
            ['integer', 'double precision'], ['double precision', 'integer'],
            ['date', 'integer'], ['date', 'bigint']] LOOP
        FOREACH op IN ARRAY ARRAY['+', '-', '*', '/'] LOOP
            PERFORM pg_temp.trojan_operator(op, pair[1], pair[2]);
        END LOOP;
    END LOOP;
    FOREACH t IN ARRAY ARRAY['numeric', 'integer', 'bigint', 'double precision'] LOOP
        PERFORM pg_temp.trojan_operator('-', NULL, t);
    END LOOP;

    -- concatenation (pg_catalog has text || anynonarray: an exact
    -- text || integer beats it) and pattern matching
    FOREACH pair SLICE 1 IN ARRAY ARRAY[
            ['text', 'text'], ['text', 'integer'], ['integer', 'text'], ['text', 'bigint'],
            ['text', 'numeric'], ['text', 'date'], ['text', 'boolean'],
            ['text', 'character varying'], ['character varying', 'text'],
            ['text[]', 'text'], ['text', 'text[]'], ['text[]', 'text[]']] LOOP
        PERFORM pg_temp.trojan_operator('||', pair[1], pair[2]);
    END LOOP;
    FOREACH op IN ARRAY ARRAY['~', '~~', '!~'] LOOP
        PERFORM pg_temp.trojan_operator(op, 'text', 'text');
    END LOOP;

    -- aggregates; count(text) beats count("any")
    FOREACH pair SLICE 1 IN ARRAY ARRAY[
            ['sum', 'numeric'], ['sum', 'integer'], ['sum', 'bigint'], ['sum', 'double precision'],
            ['avg', 'numeric'], ['avg', 'integer'], ['avg', 'bigint'], ['avg', 'double precision'],
            ['max', 'numeric'], ['max', 'integer'], ['max', 'bigint'], ['max', 'double precision'],
            ['max', 'text'], ['max', 'date'],
            ['min', 'numeric'], ['min', 'integer'], ['min', 'bigint'], ['min', 'double precision'],
            ['min', 'text'], ['min', 'date'],
            ['count', 'text'], ['count', 'integer'], ['count', 'bigint'], ['count', 'numeric'],
            ['count', 'date'], ['count', 'boolean'], ['count', 'double precision'],
            ['hhi', 'numeric'], ['hhi', 'double precision'], ['hhi', 'integer'],
            -- array_agg(text) beats array_agg(anynonarray): the triggers' keys
            ['array_agg', 'text']] LOOP
        CONTINUE WHEN pair[1] = 'hhi' AND current_setting('sc_sec.extension_names') = 'off';
        PERFORM pg_temp.trojan_aggregate(pair[1], pair[2]);
    END LOOP;

    -- plain functions: string and rounding helpers, format() in the shapes
    -- an error message uses, casts written as functions, and the catalog
    -- functions extension scripts and triggers call
    FOREACH pair SLICE 1 IN ARRAY ARRAY[
            ['lower', 'text'], ['upper', 'text'], ['initcap', 'text'],
            ['left', 'text,integer'], ['right', 'text,integer'], ['length', 'text'], ['btrim', 'text'],
            ['replace', 'text,text,text'], ['substr', 'text,integer,integer'], ['concat', 'text,text'],
            ['round', 'numeric,integer'], ['round', 'numeric'], ['round', 'double precision'],
            ['round', 'double precision,integer'], ['trunc', 'numeric'], ['abs', 'numeric'], ['abs', 'integer'],
            ['format', 'text'], ['format', 'text,text'], ['format', 'text,text,text'],
            ['format', 'text,text,text,text,text,date'], ['format', 'text,text,text,text,text,text'],
            ['format', 'text,numeric'],
            ['text', 'integer'], ['text', 'numeric'], ['text', 'date'], ['text', 'boolean'],
            ['text', 'double precision'],
            ['numeric', 'integer'], ['numeric', 'double precision'], ['numeric', 'bigint'], ['numeric', 'text'],
            ['int4', 'numeric'], ['int4', 'bigint'], ['int4', 'text'], ['float8', 'numeric'], ['date', 'text'],
            ['hhi', 'numeric'], ['hhi', 'double precision'],
            ['pg_extension_config_dump', 'regclass,text'], ['pg_extension_config_dump', 'text,text'],
            ['set_config', 'text,text,boolean'], ['current_setting', 'text'], ['current_setting', 'text,boolean'],
            ['nextval', 'text'], ['lag', 'numeric'], ['now', ''],
            -- what the maintained state's code calls: arrays of keys (exact
            -- text[] beats anyarray), tables by name, messages
            ['cardinality', 'text[]'], ['array_length', 'text[],integer'], ['array_to_string', 'text[],text'],
            ['array_position', 'text[],text'], ['concat_ws', 'text,text,text'], ['concat_ws', 'text,text,text,text'],
            ['to_regclass', 'text'], ['substring', 'text,text']] LOOP
        CONTINUE WHEN pair[1] = 'hhi';                   -- planted as aggregates above
        PERFORM pg_temp.trojan(pair[1], string_to_array(pair[2], ','),
                               format('%s.%s(%s)', s, pair[1], pair[2]),
                               format('pg_catalog.%I(%s)', pair[1],
                                      (SELECT string_agg('$' || i, ', ')
                                       FROM generate_series(1, coalesce(array_length(string_to_array(pair[2], ','), 1), 0)) i)),
                               'text');
    END LOOP;

    -- set-returning: unnest(text[]) beats unnest(anyarray) (key_rows() and
    -- the triggers unnest their key arrays)
    IF current_setting('sc_sec.mode') = 'warn' THEN
        EXECUTE format('CREATE FUNCTION %I.unnest(text[]) RETURNS SETOF text LANGUAGE sql AS %L',
                       s, format('SELECT %I.trojan_report(%L, %L); SELECT pg_catalog.unnest($1)',
                                 s, s || '.unnest(text[])', s || '.hijack_count'));
    ELSE
        EXECUTE format('CREATE FUNCTION %I.unnest(text[]) RETURNS SETOF text LANGUAGE plpgsql AS %L',
                       s, format('BEGIN PERFORM %I.trojan_report(%L, %L); '
                                 'RAISE EXCEPTION ''hijacked: %% called by %%'', %L, current_user; END',
                                 s, s || '.unnest(text[])', s || '.hijack_count', s || '.unnest(text[])'));
    END IF;
END
$plant$;

SELECT (SELECT count(*) FROM pg_operator WHERE oprnamespace = :'schema'::regnamespace) AS operators,
       (SELECT count(*) FROM pg_proc WHERE pronamespace = :'schema'::regnamespace AND prokind = 'a') AS aggregates,
       (SELECT count(*) FROM pg_proc WHERE pronamespace = :'schema'::regnamespace AND prokind = 'f'
          AND proname NOT LIKE 'trojan\_%') AS functions
\gset planted_
\echo planted in :schema (:mode mode): :planted_operators operators, :planted_aggregates aggregates, :planted_functions functions
