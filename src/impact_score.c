/*
 * impact_score.c - a policy's impact on an industry: very negative <
 * negative < neutral < positive < very positive, integer values -2..+2,
 * written as words, signed integers or the brief's symbols.
 */
#include "supplychain.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

static const sc_ordtype impact_score = {
	.name = "impact_score",
	.parse = sc_impact_parse,
	.label = sc_impact_label,
	.min_level = SC_IMPACT_MIN,
	.max_level = SC_IMPACT_MAX,
	.offset = SC_IMPACT_OFFSET,
	.hint = "Accepted spellings are the words \"very negative\", \"negative\", "
	"\"neutral\", \"positive\" and \"very positive\" (any case, a space, \"_\" or "
	"\"-\" between words), the integers -2 to +2, and the symbols "
	"\u2614\u2614 \u2614 \u2601 \u2699 \u2699\u2699 or "
	"\u2639\u2639 \u2639 \u2601 \u2600 \u2600\u2600.",
	.hint_ascii = "Accepted spellings are the words \"very negative\", \"negative\", "
	"\"neutral\", \"positive\" and \"very positive\" (any case, a space, \"_\" or "
	"\"-\" between words), the integers -2 to +2, and, in a UTF8 database, "
	"the brief's gear and sun symbols."
};

PG_FUNCTION_INFO_V1(impact_score_in);
PG_FUNCTION_INFO_V1(impact_score_out);
PG_FUNCTION_INFO_V1(impact_score_recv);
PG_FUNCTION_INFO_V1(impact_score_send);
PG_FUNCTION_INFO_V1(impact_score_to_int4);
PG_FUNCTION_INFO_V1(int4_to_impact_score);
PG_FUNCTION_INFO_V1(impact_score_negate);
PG_FUNCTION_INFO_V1(impact_score_symbol);
PG_FUNCTION_INFO_V1(impact_score_sum_accum);
PG_FUNCTION_INFO_V1(impact_score_avg_accum);

Datum
impact_score_in(PG_FUNCTION_ARGS)
{
	return sc_ord_in(fcinfo, &impact_score);
}

Datum
impact_score_out(PG_FUNCTION_ARGS)
{
	return sc_ord_out(fcinfo, &impact_score);
}

Datum
impact_score_recv(PG_FUNCTION_ARGS)
{
	return sc_ord_recv(fcinfo, &impact_score);
}

Datum
impact_score_send(PG_FUNCTION_ARGS)
{
	return sc_ord_send(fcinfo, &impact_score);
}

Datum
impact_score_to_int4(PG_FUNCTION_ARGS)
{
	return sc_ord_to_int4(fcinfo, &impact_score);
}

Datum
int4_to_impact_score(PG_FUNCTION_ARGS)
{
	return sc_ord_from_int4(fcinfo, &impact_score);
}

/* -x mirrors the scale around neutral: levels 1..5 map to 5..1. */
Datum
impact_score_negate(PG_FUNCTION_ARGS)
{
	SC_RETURN_LEVEL(SC_IMPACT_MIN + SC_IMPACT_MAX - SC_GETARG_LEVEL(0));
}

Datum
impact_score_symbol(PG_FUNCTION_ARGS)
{
	int			level = SC_GETARG_LEVEL(0);
	char	   *legend = text_to_cstring(PG_GETARG_TEXT_PP(1));
	const char *symbol;

	if (pg_strcasecmp(legend, "gear") == 0)
		symbol = sc_impact_symbol(level, SC_LEGEND_GEAR);
	else if (pg_strcasecmp(legend, "sun") == 0)
		symbol = sc_impact_symbol(level, SC_LEGEND_SUN);
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown impact_score legend: \"%s\"", legend),
				 sc_database_is_utf8()
				 ? errhint("The legends are \"gear\" (\u2614 \u2601\uFE0F \u2699\uFE0F) "
						   "and \"sun\" (\u2639 \u2601 \u2600).")
				 : errhint("The legends are \"gear\" and \"sun\".")));
	if (symbol == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid internal value for type impact_score: %d", level)));
	PG_RETURN_TEXT_P(cstring_to_text(sc_utf8_to_server(symbol)));
}

/*
 * sum(impact_score) transition: bigint state, NULL until the first
 * non-NULL input, so that the sum of no values is NULL like sum(int).
 */
Datum
impact_score_sum_accum(PG_FUNCTION_ARGS)
{
	int64		value;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	value = SC_GETARG_LEVEL(1) - SC_IMPACT_OFFSET;
	if (PG_ARGISNULL(0))
		PG_RETURN_INT64(value);
	/* at most 2 per row: cannot overflow before 2^62 rows */
	PG_RETURN_INT64(PG_GETARG_INT64(0) + value);
}

/*
 * avg(impact_score) transition: the state is the server's int8[2]
 * {count, sum} used by avg(int2), so that its combine function
 * (int4_avg_combine) and final function (int8_avg) apply unchanged.
 */
typedef struct AvgState
{
	int64		count;
	int64		sum;
} AvgState;

Datum
impact_score_avg_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	AvgState   *avg;

	/* inside an aggregate the state may be updated in place */
	if (AggCheckCallContext(fcinfo, NULL))
		state = PG_GETARG_ARRAYTYPE_P(0);
	else
		state = PG_GETARG_ARRAYTYPE_P_COPY(0);

	if (ARR_NDIM(state) != 1 || ARR_DIMS(state)[0] != 2 ||
		ARR_HASNULL(state) || ARR_ELEMTYPE(state) != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("expected a 2-element bigint array as avg state")));

	avg = (AvgState *) ARR_DATA_PTR(state);
	avg->count++;
	avg->sum += SC_GETARG_LEVEL(1) - SC_IMPACT_OFFSET;
	PG_RETURN_ARRAYTYPE_P(state);
}
