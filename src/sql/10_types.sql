-- The two ordinal types, stage_rating and impact_score: I/O, operators,
-- operator classes, casts, and symbol().

-- stage_rating: very weak < weak < satisfactory (1..3)

CREATE TYPE @extschema@.stage_rating;

CREATE FUNCTION @extschema@.stage_rating_in(cstring) RETURNS @extschema@.stage_rating
    AS 'MODULE_PATHNAME', 'stage_rating_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.stage_rating_out(@extschema@.stage_rating) RETURNS cstring
    AS 'MODULE_PATHNAME', 'stage_rating_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.stage_rating_recv(internal) RETURNS @extschema@.stage_rating
    AS 'MODULE_PATHNAME', 'stage_rating_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.stage_rating_send(@extschema@.stage_rating) RETURNS bytea
    AS 'MODULE_PATHNAME', 'stage_rating_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.stage_rating (
    INPUT = @extschema@.stage_rating_in,
    OUTPUT = @extschema@.stage_rating_out,
    RECEIVE = @extschema@.stage_rating_recv,
    SEND = @extschema@.stage_rating_send,
    INTERNALLENGTH = 1,
    PASSEDBYVALUE,
    ALIGNMENT = char,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.stage_rating IS
    'strength of a supply-chain stage: very weak < weak < satisfactory (1..3)';

CREATE FUNCTION @extschema@.stage_rating_eq(@extschema@.stage_rating, @extschema@.stage_rating) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sc_ord_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.stage_rating_ne(@extschema@.stage_rating, @extschema@.stage_rating) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sc_ord_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.stage_rating_lt(@extschema@.stage_rating, @extschema@.stage_rating) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sc_ord_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.stage_rating_le(@extschema@.stage_rating, @extschema@.stage_rating) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sc_ord_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.stage_rating_gt(@extschema@.stage_rating, @extschema@.stage_rating) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sc_ord_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.stage_rating_ge(@extschema@.stage_rating, @extschema@.stage_rating) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sc_ord_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.stage_rating_cmp(@extschema@.stage_rating, @extschema@.stage_rating) RETURNS integer
    AS 'MODULE_PATHNAME', 'sc_ord_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.stage_rating_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME', 'sc_ord_sortsupport' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.stage_rating_hash(@extschema@.stage_rating) RETURNS integer
    AS 'MODULE_PATHNAME', 'sc_ord_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.stage_rating_hash_extended(@extschema@.stage_rating, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'sc_ord_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.stage_rating_smaller(@extschema@.stage_rating, @extschema@.stage_rating) RETURNS @extschema@.stage_rating
    AS 'MODULE_PATHNAME', 'sc_ord_smaller' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.stage_rating_larger(@extschema@.stage_rating, @extschema@.stage_rating) RETURNS @extschema@.stage_rating
    AS 'MODULE_PATHNAME', 'sc_ord_larger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.stage_rating_eq(@extschema@.stage_rating, @extschema@.stage_rating) IS 'implementation of = for stage_rating';
COMMENT ON FUNCTION @extschema@.stage_rating_ne(@extschema@.stage_rating, @extschema@.stage_rating) IS 'implementation of <> for stage_rating';
COMMENT ON FUNCTION @extschema@.stage_rating_lt(@extschema@.stage_rating, @extschema@.stage_rating) IS 'implementation of < for stage_rating';
COMMENT ON FUNCTION @extschema@.stage_rating_le(@extschema@.stage_rating, @extschema@.stage_rating) IS 'implementation of <= for stage_rating';
COMMENT ON FUNCTION @extschema@.stage_rating_gt(@extschema@.stage_rating, @extschema@.stage_rating) IS 'implementation of > for stage_rating';
COMMENT ON FUNCTION @extschema@.stage_rating_ge(@extschema@.stage_rating, @extschema@.stage_rating) IS 'implementation of >= for stage_rating';
COMMENT ON FUNCTION @extschema@.stage_rating_cmp(@extschema@.stage_rating, @extschema@.stage_rating) IS 'btree comparison for stage_rating';
COMMENT ON FUNCTION @extschema@.stage_rating_sortsupport(internal) IS 'btree sort support for stage_rating';
COMMENT ON FUNCTION @extschema@.stage_rating_hash(@extschema@.stage_rating) IS 'hash of a stage_rating';
COMMENT ON FUNCTION @extschema@.stage_rating_hash_extended(@extschema@.stage_rating, bigint) IS 'seeded 64-bit hash of a stage_rating';
COMMENT ON FUNCTION @extschema@.stage_rating_smaller(@extschema@.stage_rating, @extschema@.stage_rating) IS 'the weaker of two ratings (min transition)';
COMMENT ON FUNCTION @extschema@.stage_rating_larger(@extschema@.stage_rating, @extschema@.stage_rating) IS 'the stronger of two ratings (max transition)';
COMMENT ON FUNCTION @extschema@.stage_rating_in(cstring) IS 'text input of stage_rating';
COMMENT ON FUNCTION @extschema@.stage_rating_out(@extschema@.stage_rating) IS 'text output of stage_rating: the canonical label';
COMMENT ON FUNCTION @extschema@.stage_rating_recv(internal) IS 'binary input of stage_rating: one byte, 1..3';
COMMENT ON FUNCTION @extschema@.stage_rating_send(@extschema@.stage_rating) IS 'binary output of stage_rating: one byte, 1..3';

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.stage_rating, RIGHTARG = @extschema@.stage_rating,
    FUNCTION = @extschema@.stage_rating_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.stage_rating, RIGHTARG = @extschema@.stage_rating,
    FUNCTION = @extschema@.stage_rating_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.stage_rating, RIGHTARG = @extschema@.stage_rating,
    FUNCTION = @extschema@.stage_rating_lt,
    COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.stage_rating, RIGHTARG = @extschema@.stage_rating,
    FUNCTION = @extschema@.stage_rating_le,
    COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.stage_rating, RIGHTARG = @extschema@.stage_rating,
    FUNCTION = @extschema@.stage_rating_gt,
    COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.stage_rating, RIGHTARG = @extschema@.stage_rating,
    FUNCTION = @extschema@.stage_rating_ge,
    COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS @extschema@.stage_rating_ops
    DEFAULT FOR TYPE @extschema@.stage_rating USING btree AS
        OPERATOR 1 @extschema@.<,
        OPERATOR 2 @extschema@.<=,
        OPERATOR 3 @extschema@.=,
        OPERATOR 4 @extschema@.>=,
        OPERATOR 5 @extschema@.>,
        FUNCTION 1 @extschema@.stage_rating_cmp(@extschema@.stage_rating, @extschema@.stage_rating),
        FUNCTION 2 @extschema@.stage_rating_sortsupport(internal);

CREATE OPERATOR CLASS @extschema@.stage_rating_hash_ops
    DEFAULT FOR TYPE @extschema@.stage_rating USING hash AS
        OPERATOR 1 @extschema@.=,
        FUNCTION 1 @extschema@.stage_rating_hash(@extschema@.stage_rating),
        FUNCTION 2 @extschema@.stage_rating_hash_extended(@extschema@.stage_rating, bigint);


CREATE FUNCTION @extschema@.stage_rating_to_int4(@extschema@.stage_rating) RETURNS integer
    AS 'MODULE_PATHNAME', 'stage_rating_to_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.int4_to_stage_rating(integer) RETURNS @extschema@.stage_rating
    AS 'MODULE_PATHNAME', 'int4_to_stage_rating' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stage_rating_to_int4(@extschema@.stage_rating) IS 'integer value of a rating, 1..3';
COMMENT ON FUNCTION @extschema@.int4_to_stage_rating(integer) IS 'rating of an integer 1..3';
CREATE CAST (@extschema@.stage_rating AS integer)
    WITH FUNCTION @extschema@.stage_rating_to_int4(@extschema@.stage_rating);
CREATE CAST (integer AS @extschema@.stage_rating)
    WITH FUNCTION @extschema@.int4_to_stage_rating(integer);

-- impact_score: very negative < negative < neutral < positive < very positive (-2..+2)

CREATE TYPE @extschema@.impact_score;

CREATE FUNCTION @extschema@.impact_score_in(cstring) RETURNS @extschema@.impact_score
    AS 'MODULE_PATHNAME', 'impact_score_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.impact_score_out(@extschema@.impact_score) RETURNS cstring
    AS 'MODULE_PATHNAME', 'impact_score_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.impact_score_recv(internal) RETURNS @extschema@.impact_score
    AS 'MODULE_PATHNAME', 'impact_score_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.impact_score_send(@extschema@.impact_score) RETURNS bytea
    AS 'MODULE_PATHNAME', 'impact_score_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.impact_score (
    INPUT = @extschema@.impact_score_in,
    OUTPUT = @extschema@.impact_score_out,
    RECEIVE = @extschema@.impact_score_recv,
    SEND = @extschema@.impact_score_send,
    INTERNALLENGTH = 1,
    PASSEDBYVALUE,
    ALIGNMENT = char,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.impact_score IS
    'impact of a policy on an industry: very negative < negative < neutral < positive < very positive (-2..+2)';

CREATE FUNCTION @extschema@.impact_score_eq(@extschema@.impact_score, @extschema@.impact_score) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sc_ord_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.impact_score_ne(@extschema@.impact_score, @extschema@.impact_score) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sc_ord_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.impact_score_lt(@extschema@.impact_score, @extschema@.impact_score) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sc_ord_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.impact_score_le(@extschema@.impact_score, @extschema@.impact_score) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sc_ord_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.impact_score_gt(@extschema@.impact_score, @extschema@.impact_score) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sc_ord_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.impact_score_ge(@extschema@.impact_score, @extschema@.impact_score) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sc_ord_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.impact_score_cmp(@extschema@.impact_score, @extschema@.impact_score) RETURNS integer
    AS 'MODULE_PATHNAME', 'sc_ord_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.impact_score_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME', 'sc_ord_sortsupport' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.impact_score_hash(@extschema@.impact_score) RETURNS integer
    AS 'MODULE_PATHNAME', 'sc_ord_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.impact_score_hash_extended(@extschema@.impact_score, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'sc_ord_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.impact_score_smaller(@extschema@.impact_score, @extschema@.impact_score) RETURNS @extschema@.impact_score
    AS 'MODULE_PATHNAME', 'sc_ord_smaller' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.impact_score_larger(@extschema@.impact_score, @extschema@.impact_score) RETURNS @extschema@.impact_score
    AS 'MODULE_PATHNAME', 'sc_ord_larger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.impact_score_eq(@extschema@.impact_score, @extschema@.impact_score) IS 'implementation of = for impact_score';
COMMENT ON FUNCTION @extschema@.impact_score_ne(@extschema@.impact_score, @extschema@.impact_score) IS 'implementation of <> for impact_score';
COMMENT ON FUNCTION @extschema@.impact_score_lt(@extschema@.impact_score, @extschema@.impact_score) IS 'implementation of < for impact_score';
COMMENT ON FUNCTION @extschema@.impact_score_le(@extschema@.impact_score, @extschema@.impact_score) IS 'implementation of <= for impact_score';
COMMENT ON FUNCTION @extschema@.impact_score_gt(@extschema@.impact_score, @extschema@.impact_score) IS 'implementation of > for impact_score';
COMMENT ON FUNCTION @extschema@.impact_score_ge(@extschema@.impact_score, @extschema@.impact_score) IS 'implementation of >= for impact_score';
COMMENT ON FUNCTION @extschema@.impact_score_cmp(@extschema@.impact_score, @extschema@.impact_score) IS 'btree comparison for impact_score';
COMMENT ON FUNCTION @extschema@.impact_score_sortsupport(internal) IS 'btree sort support for impact_score';
COMMENT ON FUNCTION @extschema@.impact_score_hash(@extschema@.impact_score) IS 'hash of an impact_score';
COMMENT ON FUNCTION @extschema@.impact_score_hash_extended(@extschema@.impact_score, bigint) IS 'seeded 64-bit hash of an impact_score';
COMMENT ON FUNCTION @extschema@.impact_score_smaller(@extschema@.impact_score, @extschema@.impact_score) IS 'the more negative of two scores (min transition)';
COMMENT ON FUNCTION @extschema@.impact_score_larger(@extschema@.impact_score, @extschema@.impact_score) IS 'the more positive of two scores (max transition)';
COMMENT ON FUNCTION @extschema@.impact_score_in(cstring) IS 'text input of impact_score: words, -2..+2, or symbols';
COMMENT ON FUNCTION @extschema@.impact_score_out(@extschema@.impact_score) IS 'text output of impact_score: the canonical word';
COMMENT ON FUNCTION @extschema@.impact_score_recv(internal) IS 'binary input of impact_score: one signed byte, -2..+2';
COMMENT ON FUNCTION @extschema@.impact_score_send(@extschema@.impact_score) IS 'binary output of impact_score: one signed byte, -2..+2';

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.impact_score, RIGHTARG = @extschema@.impact_score,
    FUNCTION = @extschema@.impact_score_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.impact_score, RIGHTARG = @extschema@.impact_score,
    FUNCTION = @extschema@.impact_score_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.impact_score, RIGHTARG = @extschema@.impact_score,
    FUNCTION = @extschema@.impact_score_lt,
    COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.impact_score, RIGHTARG = @extschema@.impact_score,
    FUNCTION = @extschema@.impact_score_le,
    COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.impact_score, RIGHTARG = @extschema@.impact_score,
    FUNCTION = @extschema@.impact_score_gt,
    COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.impact_score, RIGHTARG = @extschema@.impact_score,
    FUNCTION = @extschema@.impact_score_ge,
    COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS @extschema@.impact_score_ops
    DEFAULT FOR TYPE @extschema@.impact_score USING btree AS
        OPERATOR 1 @extschema@.<,
        OPERATOR 2 @extschema@.<=,
        OPERATOR 3 @extschema@.=,
        OPERATOR 4 @extschema@.>=,
        OPERATOR 5 @extschema@.>,
        FUNCTION 1 @extschema@.impact_score_cmp(@extschema@.impact_score, @extschema@.impact_score),
        FUNCTION 2 @extschema@.impact_score_sortsupport(internal);

CREATE OPERATOR CLASS @extschema@.impact_score_hash_ops
    DEFAULT FOR TYPE @extschema@.impact_score USING hash AS
        OPERATOR 1 @extschema@.=,
        FUNCTION 1 @extschema@.impact_score_hash(@extschema@.impact_score),
        FUNCTION 2 @extschema@.impact_score_hash_extended(@extschema@.impact_score, bigint);

CREATE FUNCTION @extschema@.impact_score_negate(@extschema@.impact_score) RETURNS @extschema@.impact_score
    AS 'MODULE_PATHNAME', 'impact_score_negate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.impact_score_negate(@extschema@.impact_score) IS 'implementation of unary - for impact_score';
CREATE OPERATOR @extschema@.- (
    RIGHTARG = @extschema@.impact_score,
    FUNCTION = @extschema@.impact_score_negate
);

CREATE FUNCTION @extschema@.impact_score_to_int4(@extschema@.impact_score) RETURNS integer
    AS 'MODULE_PATHNAME', 'impact_score_to_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.int4_to_impact_score(integer) RETURNS @extschema@.impact_score
    AS 'MODULE_PATHNAME', 'int4_to_impact_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.impact_score_to_int4(@extschema@.impact_score) IS 'integer value of a score, -2..+2';
COMMENT ON FUNCTION @extschema@.int4_to_impact_score(integer) IS 'score of an integer -2..+2';
CREATE CAST (@extschema@.impact_score AS integer)
    WITH FUNCTION @extschema@.impact_score_to_int4(@extschema@.impact_score);
CREATE CAST (integer AS @extschema@.impact_score)
    WITH FUNCTION @extschema@.int4_to_impact_score(integer);

CREATE FUNCTION @extschema@.symbol(@extschema@.impact_score, legend text DEFAULT 'gear') RETURNS text
    AS 'MODULE_PATHNAME', 'impact_score_symbol' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.symbol(@extschema@.impact_score, text) IS
    'the score as the brief draws it: legend ''gear'' (umbrellas, cloud, gears) or ''sun'' (frowning faces, cloud, suns); UTF-8 symbols, converted to the database encoding (an error where it has none)';

