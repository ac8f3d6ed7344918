/*
 * eu_risk.c - the EU Critical Raw Materials supply-risk indicator (JRC 2017
 * method, used for the 2020 and 2023 lists):
 *
 *   SR = [HHI_WGI,GS x IR/2 + HHI_WGI,EU x (1 - IR/2)] x (1 - EOL_RIR) x SI_SR
 *   HHI_WGI = sum over supplying countries c of S_c^2 x WGI_c x t_c
 *
 * with shares S_c as fractions, WGI_c the World Governance Indicator scaled
 * to 0..10 (10 = worst), t_c the trade parameter.  Where the EU sourcing mix
 * is unknown the method uses the global mix alone ("GS only"):
 *   SR = HHI_WGI,GS x (1 - EOL_RIR) x SI_SR.
 */
#include "supplychain.h"

#include <float.h>
#include <math.h>

PG_FUNCTION_INFO_V1(wgi_scaled);
PG_FUNCTION_INFO_V1(hhi_wgi_accum);
PG_FUNCTION_INFO_V1(hhi_wgi_final);
PG_FUNCTION_INFO_V1(eu_supply_risk);

/* Raise 22003 unless lo <= x <= hi (NaN fails too). */
static void
check_range(double x, double lo, double hi, const char *what)
{
	if (!(x >= lo && x <= hi))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %g is out of range", what, x),
				 errdetail("It must be between %g and %g.", lo, hi)));
}

/* Raise 22003 unless x is a finite number >= 0. */
static void
check_nonnegative(double x, const char *what)
{
	if (!(x >= 0.0 && x <= DBL_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %g is out of range", what, x),
				 errdetail("It must be a finite number, not negative.")));
}

/* The WGI estimate (-2.5..2.5, higher = better governed) on 0..10, 10 = worst. */
Datum
wgi_scaled(PG_FUNCTION_ARGS)
{
	double		wgi = PG_GETARG_FLOAT8(0);

	check_range(wgi, -2.5, 2.5, "world governance indicator");
	PG_RETURN_FLOAT8(2.0 * (2.5 - wgi));
}

/*
 * hhi_wgi(share, wgi_scaled, trade_parameter) transition.  A row with no
 * known share is skipped (as hhi() skips it); a trade parameter left NULL
 * is the method's default 1.0; a known share whose country has no
 * governance score makes the index unknown: the state becomes NaN, which the
 * combine function (float8pl) propagates and the final function turns into
 * NULL.  The state is NULL until the first known share.
 */
Datum
hhi_wgi_accum(PG_FUNCTION_ARGS)
{
	double		state = PG_ARGISNULL(0) ? 0.0 : PG_GETARG_FLOAT8(0);
	double		share;
	double		wgi;
	double		trade = 1.0;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_FLOAT8(state);
	}
	share = PG_GETARG_FLOAT8(1);
	check_range(share, 0.0, 1.0, "share");
	if (PG_ARGISNULL(2))
		PG_RETURN_FLOAT8(NAN);
	wgi = PG_GETARG_FLOAT8(2);
	check_range(wgi, 0.0, 10.0, "scaled governance indicator");
	if (!PG_ARGISNULL(3))
	{
		trade = PG_GETARG_FLOAT8(3);
		check_range(trade, 0.0, 10.0, "trade parameter");
	}
	PG_RETURN_FLOAT8(state + share * share * wgi * trade);
}

Datum
hhi_wgi_final(PG_FUNCTION_ARGS)
{
	double		state;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = PG_GETARG_FLOAT8(0);
	if (isnan(state))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(state);
}

/*
 * eu_supply_risk(hhi_wgi_gs, hhi_wgi_eu, import_reliance, eol_rir,
 * substitution).  NULL hhi_wgi_eu selects the GS-only formula, where import
 * reliance is not used; any other missing input leaves the risk unknown.
 */
Datum
eu_supply_risk(PG_FUNCTION_ARGS)
{
	double		gs;
	double		eol;
	double		si;
	double		sourcing;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		PG_RETURN_NULL();
	gs = PG_GETARG_FLOAT8(0);
	eol = PG_GETARG_FLOAT8(3);
	si = PG_GETARG_FLOAT8(4);
	check_nonnegative(gs, "global-supply HHI_WGI");
	check_range(eol, 0.0, 1.0, "end-of-life recycling input rate");
	check_range(si, 0.0, 1.0, "substitution index");

	if (PG_ARGISNULL(1))
		sourcing = gs;			/* GS only */
	else
	{
		double		eu = PG_GETARG_FLOAT8(1);
		double		ir;

		if (PG_ARGISNULL(2))
			PG_RETURN_NULL();
		ir = PG_GETARG_FLOAT8(2);
		check_nonnegative(eu, "EU-sourcing HHI_WGI");
		check_range(ir, 0.0, 1.0, "import reliance");
		sourcing = gs * ir / 2.0 + eu * (1.0 - ir / 2.0);
	}
	PG_RETURN_FLOAT8(sourcing * (1.0 - eol) * si);
}
