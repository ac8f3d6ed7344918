/*
 * top_partner.c - the aggregate top_partner(value numeric, partner text):
 * the partner of the largest value; of equal values, the partner that sorts
 * first byte by byte (codes are ASCII, so that is also their order in any
 * collation PostgreSQL ships).  Rows with a NULL value or partner are
 * skipped; the result is NULL when every row was.  One pass, no sort: the
 * state keeps the best value and its partner, copied into the aggregate's
 * memory context.  Parallel workers combine their states: the state
 * travels as bytea (the value's bytes, then the partner's).
 */
#include "supplychain.h"

#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(top_partner_accum);
PG_FUNCTION_INFO_V1(top_partner_final);
PG_FUNCTION_INFO_V1(top_partner_combine);
PG_FUNCTION_INFO_V1(top_partner_serialize);
PG_FUNCTION_INFO_V1(top_partner_deserialize);

typedef struct TopPartner
{
	Numeric		value;			/* the largest value so far */
	text	   *partner;		/* its partner */
} TopPartner;

/* is the partner a before the partner b, byte by byte (a prefix first)? */
bool
sc_partner_before(text *a, text *b)
{
	int			la = VARSIZE_ANY_EXHDR(a);
	int			lb = VARSIZE_ANY_EXHDR(b);
	int			c = memcmp(VARDATA_ANY(a), VARDATA_ANY(b), Min(la, lb));

	return c < 0 || (c == 0 && la < lb);
}

/*
 * Offer (value, partner) to the state (NULL: none yet), in aggcontext;
 * returns the state, replaced when the offer is better.
 */
static TopPartner *
top_partner_offer(MemoryContext aggcontext, TopPartner *state, Numeric value, text *partner)
{
	MemoryContext old;

	if (state != NULL)
	{
		int			cmp = DatumGetInt32(DirectFunctionCall2(numeric_cmp,
															NumericGetDatum(value),
															NumericGetDatum(state->value)));

		if (cmp < 0 || (cmp == 0 && !sc_partner_before(partner, state->partner)))
			return state;
	}

	old = MemoryContextSwitchTo(aggcontext);
	if (state == NULL)
		state = (TopPartner *) palloc0(sizeof(TopPartner));
	else
	{
		pfree(state->value);
		pfree(state->partner);
	}
	state->value = DatumGetNumeric(datumCopy(NumericGetDatum(value), false, -1));
	state->partner = (text *) DatumGetPointer(datumCopy(PointerGetDatum(partner), false, -1));
	MemoryContextSwitchTo(old);
	return state;
}

static MemoryContext
top_partner_context(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("top_partner called in non-aggregate context")));
	return aggcontext;
}

Datum
top_partner_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = top_partner_context(fcinfo);
	TopPartner *state = PG_ARGISNULL(0) ? NULL : (TopPartner *) PG_GETARG_POINTER(0);

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (state == NULL)
			PG_RETURN_NULL();	/* nothing yet */
		PG_RETURN_POINTER(state);
	}
	PG_RETURN_POINTER(top_partner_offer(aggcontext, state, PG_GETARG_NUMERIC(1), PG_GETARG_TEXT_PP(2)));
}

Datum
top_partner_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = top_partner_context(fcinfo);
	TopPartner *state = PG_ARGISNULL(0) ? NULL : (TopPartner *) PG_GETARG_POINTER(0);
	TopPartner *other = PG_ARGISNULL(1) ? NULL : (TopPartner *) PG_GETARG_POINTER(1);

	if (other == NULL)
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	PG_RETURN_POINTER(top_partner_offer(aggcontext, state, other->value, other->partner));
}

/* bytea: int32 the value's size, the value (a whole varlena), the partner's bytes */
Datum
top_partner_serialize(PG_FUNCTION_ARGS)
{
	TopPartner *state = (TopPartner *) PG_GETARG_POINTER(0);
	int32		vsize = VARSIZE_ANY(state->value);
	int32		psize = VARSIZE_ANY_EXHDR(state->partner);
	bytea	   *out = (bytea *) palloc(VARHDRSZ + sizeof(int32) + vsize + psize);
	char	   *p = VARDATA(out);

	SET_VARSIZE(out, VARHDRSZ + sizeof(int32) + vsize + psize);
	memcpy(p, &vsize, sizeof(int32));
	memcpy(p + sizeof(int32), state->value, vsize);
	memcpy(p + sizeof(int32) + vsize, VARDATA_ANY(state->partner), psize);
	PG_RETURN_BYTEA_P(out);
}

Datum
top_partner_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(in);
	int32		size = VARSIZE_ANY_EXHDR(in);
	int32		vsize;
	TopPartner *state;

	if (size < (int32) sizeof(int32))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid top_partner state")));
	memcpy(&vsize, p, sizeof(int32));
	if (vsize < VARHDRSZ || vsize > size - (int32) sizeof(int32))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid top_partner state")));
	state = (TopPartner *) palloc0(sizeof(TopPartner));
	state->value = (Numeric) palloc(vsize);
	memcpy(state->value, p + sizeof(int32), vsize);
	if (VARSIZE_ANY(state->value) != vsize)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid top_partner state")));
	state->partner = cstring_to_text_with_len(p + sizeof(int32) + vsize, size - sizeof(int32) - vsize);
	PG_RETURN_POINTER(state);
}

Datum
top_partner_final(PG_FUNCTION_ARGS)
{
	TopPartner *state;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (TopPartner *) PG_GETARG_POINTER(0);
	PG_RETURN_TEXT_P(DatumGetTextPCopy(PointerGetDatum(state->partner)));
}
