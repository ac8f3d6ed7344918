/*
 * hhi.c - the Herfindahl-Hirschman index aggregate: the sum of squared
 * shares, shares as fractions 0..1, so the result is 0..1 (x 10,000 for the
 * antitrust convention).
 */
#include "supplychain.h"

#include <math.h>

#include "utils/fmgrprotos.h"

PG_FUNCTION_INFO_V1(hhi_float8_accum);
PG_FUNCTION_INFO_V1(hhi_numeric_accum);

/*
 * One step of hhi(): sum + share^2, or share^2 when nothing was summed yet
 * (empty).  The aggregate's transitions and the C code that sums an HHI the
 * same way (state_terms.c, share_rule.c) all go through here, so that the
 * float comes out the same.
 */
double
sc_hhi_step(double sum, bool empty, double share)
{
	if (isnan(share) || share < 0.0 || share > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("share %g is out of range for hhi", share),
				 errdetail("Shares are fractions between 0 and 1.")));
	return empty ? share * share : sum + share * share;
}

/* the same over a numeric share */
double
sc_hhi_step_numeric(double sum, bool empty, Datum share)
{
	return sc_hhi_step(sum, empty, DatumGetFloat8(DirectFunctionCall1(numeric_float8, share)));
}

/*
 * Add share^2 to the state.  The state is NULL until the first non-NULL
 * share, so an index over no known shares is NULL rather than 0.
 */
static Datum
hhi_add(FunctionCallInfo fcinfo, double share)
{
	PG_RETURN_FLOAT8(sc_hhi_step(PG_ARGISNULL(0) ? 0.0 : PG_GETARG_FLOAT8(0), PG_ARGISNULL(0), share));
}

Datum
hhi_float8_accum(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	return hhi_add(fcinfo, PG_GETARG_FLOAT8(1));
}

Datum
hhi_numeric_accum(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	return hhi_add(fcinfo,
				   DatumGetFloat8(DirectFunctionCall1(numeric_float8,
													  PG_GETARG_DATUM(1))));
}
