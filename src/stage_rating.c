/*
 * stage_rating.c - a supply-chain stage's strength: very weak < weak <
 * satisfactory, integer values 1..3.
 */
#include "supplychain.h"

static const sc_ordtype stage_rating = {
	.name = "stage_rating",
	.parse = sc_rating_parse,
	.label = sc_rating_label,
	.min_level = SC_RATING_MIN,
	.max_level = SC_RATING_MAX,
	.offset = 0,
	.hint = "Accepted spellings are \"very weak\", \"weak\" and \"satisfactory\", "
	"in any case, with a space, \"_\" or \"-\" between words."
};

PG_FUNCTION_INFO_V1(stage_rating_in);
PG_FUNCTION_INFO_V1(stage_rating_out);
PG_FUNCTION_INFO_V1(stage_rating_recv);
PG_FUNCTION_INFO_V1(stage_rating_send);
PG_FUNCTION_INFO_V1(stage_rating_to_int4);
PG_FUNCTION_INFO_V1(int4_to_stage_rating);

Datum
stage_rating_in(PG_FUNCTION_ARGS)
{
	return sc_ord_in(fcinfo, &stage_rating);
}

Datum
stage_rating_out(PG_FUNCTION_ARGS)
{
	return sc_ord_out(fcinfo, &stage_rating);
}

Datum
stage_rating_recv(PG_FUNCTION_ARGS)
{
	return sc_ord_recv(fcinfo, &stage_rating);
}

Datum
stage_rating_send(PG_FUNCTION_ARGS)
{
	return sc_ord_send(fcinfo, &stage_rating);
}

Datum
stage_rating_to_int4(PG_FUNCTION_ARGS)
{
	return sc_ord_to_int4(fcinfo, &stage_rating);
}

Datum
int4_to_stage_rating(PG_FUNCTION_ARGS)
{
	return sc_ord_from_int4(fcinfo, &stage_rating);
}
