-- Aggregates: min/max of both types, sum/avg of impact_score, hhi.

CREATE AGGREGATE @extschema@.min(@extschema@.stage_rating) (
    SFUNC = @extschema@.stage_rating_smaller, STYPE = @extschema@.stage_rating,
    COMBINEFUNC = @extschema@.stage_rating_smaller,
    SORTOP = OPERATOR(@extschema@.<), PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.max(@extschema@.stage_rating) (
    SFUNC = @extschema@.stage_rating_larger, STYPE = @extschema@.stage_rating,
    COMBINEFUNC = @extschema@.stage_rating_larger,
    SORTOP = OPERATOR(@extschema@.>), PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.min(@extschema@.stage_rating) IS 'the weakest rating';
COMMENT ON AGGREGATE @extschema@.max(@extschema@.stage_rating) IS 'the strongest rating';
CREATE AGGREGATE @extschema@.min(@extschema@.impact_score) (
    SFUNC = @extschema@.impact_score_smaller, STYPE = @extschema@.impact_score,
    COMBINEFUNC = @extschema@.impact_score_smaller,
    SORTOP = OPERATOR(@extschema@.<), PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.max(@extschema@.impact_score) (
    SFUNC = @extschema@.impact_score_larger, STYPE = @extschema@.impact_score,
    COMBINEFUNC = @extschema@.impact_score_larger,
    SORTOP = OPERATOR(@extschema@.>), PARALLEL = SAFE
);

CREATE FUNCTION @extschema@.impact_score_sum_accum(bigint, @extschema@.impact_score) RETURNS bigint
    AS 'MODULE_PATHNAME', 'impact_score_sum_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.impact_score_sum_accum(bigint, @extschema@.impact_score) IS 'sum(impact_score) transition';
CREATE AGGREGATE @extschema@.sum(@extschema@.impact_score) (
    SFUNC = @extschema@.impact_score_sum_accum, STYPE = bigint,
    COMBINEFUNC = pg_catalog.int8pl, PARALLEL = SAFE
);

CREATE FUNCTION @extschema@.impact_score_avg_accum(bigint[], @extschema@.impact_score) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'impact_score_avg_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.impact_score_avg_accum(bigint[], @extschema@.impact_score) IS 'avg(impact_score) transition';
CREATE AGGREGATE @extschema@.avg(@extschema@.impact_score) (
    SFUNC = @extschema@.impact_score_avg_accum, STYPE = bigint[],
    FINALFUNC = pg_catalog.int8_avg, COMBINEFUNC = pg_catalog.int4_avg_combine,
    INITCOND = '{0,0}', PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.min(@extschema@.impact_score) IS 'the most negative score';
COMMENT ON AGGREGATE @extschema@.max(@extschema@.impact_score) IS 'the most positive score';
COMMENT ON AGGREGATE @extschema@.sum(@extschema@.impact_score) IS 'sum of the integer values, as bigint';
COMMENT ON AGGREGATE @extschema@.avg(@extschema@.impact_score) IS 'mean of the integer values, as numeric';

-- hhi: Herfindahl-Hirschman index of shares 0..1

CREATE FUNCTION @extschema@.hhi_float8_accum(double precision, double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'hhi_float8_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.hhi_numeric_accum(double precision, numeric) RETURNS double precision
    AS 'MODULE_PATHNAME', 'hhi_numeric_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hhi_float8_accum(double precision, double precision) IS 'hhi(double precision) transition';
COMMENT ON FUNCTION @extschema@.hhi_numeric_accum(double precision, numeric) IS 'hhi(numeric) transition';
CREATE AGGREGATE @extschema@.hhi(double precision) (
    SFUNC = @extschema@.hhi_float8_accum, STYPE = double precision,
    COMBINEFUNC = pg_catalog.float8pl, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.hhi(numeric) (
    SFUNC = @extschema@.hhi_numeric_accum, STYPE = double precision,
    COMBINEFUNC = pg_catalog.float8pl, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.hhi(double precision) IS
    'Herfindahl-Hirschman index: sum of squared shares (0..1); NULLs ignored';
COMMENT ON AGGREGATE @extschema@.hhi(numeric) IS
    'Herfindahl-Hirschman index: sum of squared shares (0..1); NULLs ignored';

-- top_partner: the partner of the largest value (of equal values, the first
-- code), in one pass; import_dependency and the trade totals use it
CREATE FUNCTION @extschema@.top_partner_accum(internal, numeric, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'top_partner_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.top_partner_final(internal) RETURNS text
    AS 'MODULE_PATHNAME', 'top_partner_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.top_partner_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'top_partner_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.top_partner_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'top_partner_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.top_partner_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'top_partner_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.top_partner_accum(internal, numeric, text) IS 'top_partner(numeric, text) transition';
COMMENT ON FUNCTION @extschema@.top_partner_final(internal) IS 'top_partner(numeric, text) result';
COMMENT ON FUNCTION @extschema@.top_partner_combine(internal, internal) IS 'top_partner(numeric, text) combine';
COMMENT ON FUNCTION @extschema@.top_partner_serialize(internal) IS 'top_partner(numeric, text) state as bytea';
COMMENT ON FUNCTION @extschema@.top_partner_deserialize(bytea, internal) IS 'top_partner(numeric, text) state from bytea';
CREATE AGGREGATE @extschema@.top_partner(numeric, text) (
    SFUNC = @extschema@.top_partner_accum, STYPE = internal,
    FINALFUNC = @extschema@.top_partner_final, COMBINEFUNC = @extschema@.top_partner_combine,
    SERIALFUNC = @extschema@.top_partner_serialize, DESERIALFUNC = @extschema@.top_partner_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.top_partner(numeric, text) IS
    'the partner (second argument) of the largest value; of equal values the partner that sorts first byte by byte; rows with a NULL skipped';

-- trade_totals: what trade_country_total keeps of one country's flows of a
-- product in a year (the flows, their sum and sum of squares, the positive
-- ones and the largest with its partner), in one pass and exactly, summing
-- in 128-bit integers while the values fit (src/trade_totals.c)
CREATE TYPE @extschema@.trade_totals_row AS (
    flows bigint, total numeric, squares numeric, partners bigint, top_value numeric, top_partner text
);
COMMENT ON TYPE @extschema@.trade_totals_row IS 'the result of trade_totals(numeric, text)';
CREATE FUNCTION @extschema@.trade_totals_accum(internal, numeric, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'trade_totals_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trade_totals_final(internal) RETURNS @extschema@.trade_totals_row
    AS 'MODULE_PATHNAME', 'trade_totals_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trade_totals_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'trade_totals_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trade_totals_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'trade_totals_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.trade_totals_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'trade_totals_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trade_totals_accum(internal, numeric, text) IS 'trade_totals(numeric, text) transition';
COMMENT ON FUNCTION @extschema@.trade_totals_final(internal) IS 'trade_totals(numeric, text) result';
COMMENT ON FUNCTION @extschema@.trade_totals_combine(internal, internal) IS 'trade_totals(numeric, text) combine';
COMMENT ON FUNCTION @extschema@.trade_totals_serialize(internal) IS 'trade_totals(numeric, text) state as bytea';
COMMENT ON FUNCTION @extschema@.trade_totals_deserialize(bytea, internal) IS 'trade_totals(numeric, text) state from bytea';
CREATE AGGREGATE @extschema@.trade_totals(numeric, text) (
    SFUNC = @extschema@.trade_totals_accum, STYPE = internal, FINALFUNC = @extschema@.trade_totals_final,
    COMBINEFUNC = @extschema@.trade_totals_combine,
    SERIALFUNC = @extschema@.trade_totals_serialize, DESERIALFUNC = @extschema@.trade_totals_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trade_totals(numeric, text) IS
    'count(*), sum(value), sum(value * value), and over positive values with a partner: their count, the largest and its partner (of equal values, the first partner), as a trade_totals_row; exact';
