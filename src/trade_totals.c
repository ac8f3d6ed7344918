/*
 * trade_totals.c - the aggregate trade_totals(value numeric, partner text):
 * what trade_country_total keeps of a (country, product, year)'s flows, in
 * one pass: the number of flows, the sum of the values, the sum of their
 * squares, the number of positive values, the largest value and the
 * partner of the largest value (of equal values, the partner that sorts
 * first byte by byte, as top_partner() picks it).  The result is a row of
 * the type trade_totals_row.
 *
 * The numbers are exactly what SQL's count(*), sum(value),
 * sum(value * value), count(*) FILTER (WHERE value > 0) and
 * max(value) FILTER (WHERE value > 0) give, with the same display scale:
 * a sum has the largest scale of its terms, a square twice its value's, and
 * the largest value the scale of the last row that holds it (max() keeps the
 * later of equal values).  They are summed in 128-bit integers scaled to the
 * largest scale seen, which is exact while every value has at most 38 digits
 * and no sum overflows; the first value that does not fit (or NaN, or an
 * infinity) moves the group to numeric arithmetic, with what was summed so
 * far.  A value is read off its stored digits (base 10000, with a weight and
 * a display scale: the format PostgreSQL stores numeric in on disk).
 *
 * A row with a NULL value counts as a flow and nothing else; one with a NULL
 * partner is summed but counts neither as a partner nor for the largest
 * value (exports are summed so: trade_totals(value, NULL)).
 */
#include "supplychain.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/objectaddress.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/tuplestore.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(trade_totals_accum);
PG_FUNCTION_INFO_V1(trade_totals_final);

#ifndef HAVE_INT128
#error "trade_totals needs a 128-bit integer type"
#endif

#define TT_MAX_POW 38			/* 10^38 < 2^127 */
static int128 tt_pow10[TT_MAX_POW + 1];
static bool tt_pow10_ready = false;

typedef struct TradeTotals
{
	int64		flows;			/* rows */
	int64		partners;		/* rows with a positive value and a partner */
	bool		exact;			/* the sums are the integers below */
	int			scale;			/* the most decimals of the values */
	int			dscale;			/* the largest display scale of the values */
	int128		sum;			/* the values times 10^scale */
	int128		squares;		/* their squares times 10^(2 scale) */
	Numeric		sum_num;		/* the sums, once not exact */
	Numeric		squares_num;
	Numeric		top;			/* the largest positive value (a copy) */
	bool		top_exact;		/* and as an integer: */
	int128		top_v;			/* top times 10^top_scale */
	int			top_scale;
	int			top_dscale;		/* top's display scale */
	text	   *top_partner;	/* its partner (a copy) */
} TradeTotals;

static void
tt_init_pow10(void)
{
	int			i;

	if (tt_pow10_ready)
		return;
	tt_pow10[0] = 1;
	for (i = 1; i <= TT_MAX_POW; i++)
		tt_pow10[i] = tt_pow10[i - 1] * 10;
	tt_pow10_ready = true;
}

/* x * 10^k into *out; false on overflow */
static inline bool
tt_scale_up(int128 x, int k, int128 *out)
{
	if (k == 0)
	{
		*out = x;
		return true;
	}
	if (k < 0 || k > TT_MAX_POW)
		return false;
	return !__builtin_mul_overflow(x, tt_pow10[k], out);
}

/*
 * The value times 10^scale into *out, scale the fewest decimals that hold it
 * (at most its display scale, which goes into *dscale); false when it is
 * NaN or infinite or does not fit.  The numeric's stored form
 * (src/backend/utils/adt/numeric.c): a 16-bit header, in the short form sign
 * (0x2000), display scale (0x1F80) and weight (0x007F, 7 bits signed), in
 * the long form sign (0xC000) and display scale (0x3FFF) followed by a
 * 16-bit weight; then the base-10000 digits, 16 bits each, the first one
 * weighted 10000^weight, trailing zero digits left out.  A header 0xC000 and
 * above is NaN or an infinity.  Bytes are copied out: a short varlena is not
 * aligned.  Up to four digits (16 decimal digits) are summed in 64 bits.
 */
static bool
tt_decode_digits(Datum num, int128 *out, int *scale, int *dscale)
{
	const char *p = VARDATA_ANY(DatumGetPointer(num));
	int			len = VARSIZE_ANY_EXHDR(DatumGetPointer(num));
	uint16		header;
	bool		negative;
	int			weight;
	int			ndigits;
	int			digits_scale;
	int128		acc;
	int			i;

	if (len < (int) sizeof(uint16))
		return false;
	memcpy(&header, p, sizeof(uint16));
	if ((header & 0xC000) == 0xC000)
		return false;			/* NaN, +/-Infinity */
	if (header & 0x8000)
	{
		/* short form */
		negative = (header & 0x2000) != 0;
		*dscale = (header & 0x1F80) >> 7;
		weight = (header & 0x0040) ? (int) (header | ~0x003F) : (int) (header & 0x003F);
		p += sizeof(uint16);
		len -= sizeof(uint16);
	}
	else
	{
		int16		w;

		if (len < (int) (2 * sizeof(uint16)))
			return false;
		negative = (header & 0xC000) == 0x4000;
		*dscale = header & 0x3FFF;
		memcpy(&w, p + sizeof(uint16), sizeof(int16));
		weight = w;
		p += 2 * sizeof(uint16);
		len -= 2 * sizeof(uint16);
	}
	if (len % sizeof(int16) != 0)
		return false;
	ndigits = len / sizeof(int16);
	if (ndigits == 0)
	{
		*out = 0;
		*scale = 0;
		return true;
	}
	if (ndigits <= 4)
	{
		uint64		acc64 = 0;

		for (i = 0; i < ndigits; i++)
		{
			int16		d;

			memcpy(&d, p + i * sizeof(int16), sizeof(int16));
			if (d < 0 || d > 9999)
				return false;
			acc64 = acc64 * 10000 + (uint64) d;
		}
		acc = (int128) acc64;
	}
	else
	{
		acc = 0;
		for (i = 0; i < ndigits; i++)
		{
			int16		d;

			memcpy(&d, p + i * sizeof(int16), sizeof(int16));
			if (d < 0 || d > 9999
				|| __builtin_mul_overflow(acc, (int128) 10000, &acc)
				|| __builtin_add_overflow(acc, (int128) d, &acc))
				return false;
		}
	}
	/* the value is acc / 10^digits_scale */
	digits_scale = 4 * (ndigits - 1 - weight);
	if (digits_scale <= 0)
	{
		*scale = 0;
		if (!tt_scale_up(acc, -digits_scale, &acc))
			return false;
	}
	else
	{
		/* digits beyond the display scale are zeros */
		*scale = Min(digits_scale, *dscale);
		if (digits_scale - *scale > TT_MAX_POW || acc % tt_pow10[digits_scale - *scale] != 0)
			return false;
		if (digits_scale > *scale)
			acc /= tt_pow10[digits_scale - *scale];
	}
	if (*scale > TT_MAX_POW)
		return false;
	*out = negative ? -acc : acc;
	return true;
}

/*
 * tt_decode_digits() into *out, *scale and *dscale, which are written only
 * when it succeeds; a display scale above 1000 is left to numeric (whose
 * results' scales reach 2000 at most through round(), and 16383 through
 * sum() and *)
 */
static bool
tt_decode(Datum num, int128 *out, int *scale, int *dscale)
{
	int128		v;
	int			s;
	int			d;

	if (!tt_decode_digits(num, &v, &s, &d) || d > 1000)
		return false;
	*out = v;
	*scale = s;
	*dscale = d;
	return true;
}

/* x / 10^scale as a numeric of display scale dscale (>= scale) */
static Numeric
tt_numeric(int128 x, int scale, int dscale)
{
	char		buf[2 * TT_MAX_POW + 8];
	char	   *q = buf + sizeof(buf) - 1;
	bool		negative = x < 0;
	uint128		u = negative ? -(uint128) x : (uint128) x;
	int			digits = 0;
	Numeric		result;

	if (x >= PG_INT64_MIN && x <= PG_INT64_MAX)
		result = int64_div_fast_to_numeric((int64) x, scale);
	else
	{
		*q = '\0';
		do
		{
			*--q = '0' + (int) (u % 10);
			u /= 10;
			digits++;
			if (digits == scale)
				*--q = '.';
		} while (u != 0 || digits < scale);
		if (*q == '.')
			*--q = '0';
		if (negative)
			*--q = '-';
		result = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(q),
													 ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	}
	if (dscale > scale)
		result = DatumGetNumeric(DirectFunctionCall2(numeric_round, NumericGetDatum(result),
													 Int32GetDatum(dscale)));
	return result;
}

/* a copy of a varlena in the aggregate's memory */
static Datum
tt_copy(MemoryContext cxt, Datum d)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Datum		copy = datumCopy(d, false, -1);

	MemoryContextSwitchTo(old);
	return copy;
}

/* replace a copy kept in the state */
static void
tt_keep(MemoryContext cxt, void **slot, Datum d)
{
	if (*slot != NULL)
		pfree(*slot);
	*slot = DatumGetPointer(tt_copy(cxt, d));
}

/* leave the integers: the sums so far become numerics */
static void
tt_to_numeric(MemoryContext cxt, TradeTotals *state)
{
	state->sum_num = DatumGetNumeric(tt_copy(cxt, NumericGetDatum(tt_numeric(state->sum, state->scale,
																			  state->dscale))));
	state->squares_num = DatumGetNumeric(tt_copy(cxt, NumericGetDatum(tt_numeric(state->squares, 2 * state->scale,
																				  2 * state->dscale))));
	state->exact = false;
}

/* the sums in numeric arithmetic, as sum() adds */
static void
tt_add_numeric(MemoryContext cxt, TradeTotals *state, Datum value)
{
	Datum		square = DirectFunctionCall2(numeric_mul, value, value);

	tt_keep(cxt, (void **) &state->sum_num,
			DirectFunctionCall2(numeric_add, NumericGetDatum(state->sum_num), value));
	tt_keep(cxt, (void **) &state->squares_num,
			DirectFunctionCall2(numeric_add, NumericGetDatum(state->squares_num), square));
}

/* the sums in integers; false (nothing changed) when they would overflow */
static bool
tt_add_exact(TradeTotals *state, int128 v, int scale)
{
	int128		sum = state->sum;
	int128		squares = state->squares;
	int128		square;
	int			s = state->scale;

	if (scale > s)
	{
		/* a larger scale: what was summed moves to it */
		if (2 * scale > TT_MAX_POW
			|| !tt_scale_up(sum, scale - s, &sum)
			|| !tt_scale_up(squares, 2 * (scale - s), &squares))
			return false;
		s = scale;
	}
	else if (!tt_scale_up(v, s - scale, &v))
		return false;
	if (v >= -INT64CONST(3037000499) && v <= INT64CONST(3037000499))
		square = (int128) ((int64) v * (int64) v);
	else if (__builtin_mul_overflow(v, v, &square))
		return false;
	if (__builtin_add_overflow(sum, v, &sum)
		|| __builtin_add_overflow(squares, square, &squares))
		return false;
	state->sum = sum;
	state->squares = squares;
	state->scale = s;
	return true;
}

/*
 * a against the largest value so far: as integers when both are (aligned
 * to one scale), else as numeric_cmp() compares
 */
static int
tt_cmp_top(TradeTotals *state, Datum value, bool value_exact, int128 v, int scale)
{
	if (value_exact && state->top_exact)
	{
		int128		a;
		int128		b;

		if (tt_scale_up(v, Max(scale, state->top_scale) - scale, &a)
			&& tt_scale_up(state->top_v, Max(scale, state->top_scale) - state->top_scale, &b))
			return (a > b) - (a < b);
	}
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, value, NumericGetDatum(state->top)));
}

/* a group's state, in cxt */
static TradeTotals *
tt_new(MemoryContext cxt)
{
	TradeTotals *state = (TradeTotals *) MemoryContextAllocZero(cxt, sizeof(TradeTotals));

	tt_init_pow10();
	state->exact = true;
	return state;
}

/*
 * One row into the state: the value (not NULL; packed, not copied: its
 * digits are read where they lie) and the partner (NULL: summed only).
 */
static void
tt_add(MemoryContext cxt, TradeTotals *state, Datum value, text *partner)
{
	bool		value_exact;
	int128		v = 0;
	int			scale = 0;
	int			dscale = 0;
	int			sign;
	int			cmp;

	value_exact = tt_decode(value, &v, &scale, &dscale);
	if (state->exact && !(value_exact && tt_add_exact(state, v, scale)))
		tt_to_numeric(cxt, state);
	state->dscale = Max(state->dscale, dscale);
	if (!state->exact)
		tt_add_numeric(cxt, state, value);
	if (partner == NULL)
		return;

	/* positive, as value > 0 says (NaN too: it sorts above every number) */
	if (value_exact)
		sign = (v > 0) - (v < 0);
	else
		sign = DatumGetInt32(DirectFunctionCall2(numeric_cmp, value,
												 NumericGetDatum(int64_to_numeric(0))));
	if (sign <= 0)
		return;
	state->partners++;

	/*
	 * The largest value, the later of equal ones as max() keeps it, and its
	 * partner, the first of equal values' partners.
	 */
	cmp = state->top == NULL ? 1 : tt_cmp_top(state, value, value_exact, v, scale);
	if (cmp > 0 || (cmp == 0 && (!value_exact || !state->top_exact || dscale != state->top_dscale)))
	{
		tt_keep(cxt, (void **) &state->top, value);
		state->top_exact = value_exact;
		state->top_v = v;
		state->top_scale = scale;
		state->top_dscale = dscale;
	}
	if (cmp > 0 || (cmp == 0 && sc_partner_before(partner, state->top_partner)))
		tt_keep(cxt, (void **) &state->top_partner, PointerGetDatum(partner));
}

/* the sum and (squares not NULL) the sum of squares, as numerics */
static void
tt_sums(TradeTotals *state, Datum *sum, Datum *squares)
{
	if (state->exact)
	{
		*sum = NumericGetDatum(tt_numeric(state->sum, state->scale, state->dscale));
		if (squares != NULL)
			*squares = NumericGetDatum(tt_numeric(state->squares, 2 * state->scale, 2 * state->dscale));
	}
	else
	{
		*sum = NumericGetDatum(state->sum_num);
		if (squares != NULL)
			*squares = NumericGetDatum(state->squares_num);
	}
}

/* a count as an integer column, as count(*)::integer checks it */
static Datum
tt_int4(int64 n)
{
	if (n > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("integer out of range")));
	return Int32GetDatum((int32) n);
}

Datum
trade_totals_accum(PG_FUNCTION_ARGS)
{
	MemoryContext cxt;
	TradeTotals *state;

	if (!AggCheckCallContext(fcinfo, &cxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("trade_totals called in non-aggregate context")));
	state = PG_ARGISNULL(0) ? tt_new(cxt) : (TradeTotals *) PG_GETARG_POINTER(0);
	state->flows++;
	if (!PG_ARGISNULL(1))
		tt_add(cxt, state, PointerGetDatum(PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(1))),
			   PG_ARGISNULL(2) ? NULL : PG_GETARG_TEXT_PP(2));
	PG_RETURN_POINTER(state);
}

/*
 * Parallel workers' states combined: counts added, sums added (in integers
 * at the larger scale while they fit), the larger top kept (of equal ones
 * the other's value, as a later row's would be, and the first partner).
 */
PG_FUNCTION_INFO_V1(trade_totals_combine);
PG_FUNCTION_INFO_V1(trade_totals_serialize);
PG_FUNCTION_INFO_V1(trade_totals_deserialize);

Datum
trade_totals_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt;
	TradeTotals *state;
	TradeTotals *other;
	int			cmp;

	if (!AggCheckCallContext(fcinfo, &cxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("trade_totals called in non-aggregate context")));
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	other = (TradeTotals *) PG_GETARG_POINTER(1);
	state = PG_ARGISNULL(0) ? tt_new(cxt) : (TradeTotals *) PG_GETARG_POINTER(0);

	state->flows += other->flows;
	state->partners += other->partners;
	if (state->exact && other->exact)
	{
		TradeTotals merged = *state;
		int			s = Max(state->scale, other->scale);
		int128		a_sum, a_sq, b_sum, b_sq;

		if (2 * s <= TT_MAX_POW
			&& tt_scale_up(state->sum, s - state->scale, &a_sum)
			&& tt_scale_up(state->squares, 2 * (s - state->scale), &a_sq)
			&& tt_scale_up(other->sum, s - other->scale, &b_sum)
			&& tt_scale_up(other->squares, 2 * (s - other->scale), &b_sq)
			&& !__builtin_add_overflow(a_sum, b_sum, &merged.sum)
			&& !__builtin_add_overflow(a_sq, b_sq, &merged.squares))
		{
			state->sum = merged.sum;
			state->squares = merged.squares;
			state->scale = s;
		}
		else
			tt_to_numeric(cxt, state);
	}
	else if (state->exact)
		tt_to_numeric(cxt, state);
	if (!state->exact)
	{
		Datum		sum;
		Datum		squares;

		if (other->exact)
		{
			sum = NumericGetDatum(tt_numeric(other->sum, other->scale, other->dscale));
			squares = NumericGetDatum(tt_numeric(other->squares, 2 * other->scale, 2 * other->dscale));
		}
		else
		{
			sum = NumericGetDatum(other->sum_num);
			squares = NumericGetDatum(other->squares_num);
		}
		tt_keep(cxt, (void **) &state->sum_num,
				DirectFunctionCall2(numeric_add, NumericGetDatum(state->sum_num), sum));
		tt_keep(cxt, (void **) &state->squares_num,
				DirectFunctionCall2(numeric_add, NumericGetDatum(state->squares_num), squares));
	}
	state->dscale = Max(state->dscale, other->dscale);

	if (other->top == NULL)
		PG_RETURN_POINTER(state);
	cmp = state->top == NULL ? 1
		: tt_cmp_top(state, NumericGetDatum(other->top), other->top_exact, other->top_v, other->top_scale);
	if (cmp >= 0)
	{
		tt_keep(cxt, (void **) &state->top, NumericGetDatum(other->top));
		state->top_exact = other->top_exact;
		state->top_v = other->top_v;
		state->top_scale = other->top_scale;
		state->top_dscale = other->top_dscale;
	}
	if (cmp > 0 || (cmp == 0 && sc_partner_before(other->top_partner, state->top_partner)))
		tt_keep(cxt, (void **) &state->top_partner, PointerGetDatum(other->top_partner));
	PG_RETURN_POINTER(state);
}

/*
 * The state as bytea: the fixed fields, then the varlenas present (sums once
 * not exact, top and its partner once there is one), each a whole varlena
 * (its length word first).
 */
typedef struct TradeTotalsFixed
{
	int64		flows;
	int64		partners;
	int128		sum;
	int128		squares;
	int128		top_v;
	int32		scale;
	int32		dscale;
	int32		top_scale;
	int32		top_dscale;
	bool		exact;
	bool		top_exact;
	bool		has_top;
} TradeTotalsFixed;

static void
tt_put_varlena(StringInfo buf, const void *v)
{
	appendBinaryStringInfo(buf, (const char *) v, VARSIZE_ANY(v));
}

static void *
tt_get_varlena(MemoryContext cxt, const char **p, const char *end)
{
	uint32		len;
	void	   *v;

	if (end - *p < (long) VARHDRSZ_SHORT)
		goto bad;
	/* a varlena's length from its own header, 1-byte or 4-byte */
	if (VARATT_IS_1B(*p))
		len = VARSIZE_1B(*p);
	else
	{
		uint32		header;

		if (end - *p < (long) VARHDRSZ)
			goto bad;
		/* (the bytea's bytes are not aligned) */
		memcpy(&header, *p, sizeof(uint32));
		len = VARSIZE_4B(&header);
	}
	if (len < VARHDRSZ_SHORT || len > (uint32) (end - *p))
		goto bad;
	v = MemoryContextAlloc(cxt, len);
	memcpy(v, *p, len);
	*p += len;
	return v;
bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid trade_totals state")));
	return NULL;
}

Datum
trade_totals_serialize(PG_FUNCTION_ARGS)
{
	TradeTotals *state = (TradeTotals *) PG_GETARG_POINTER(0);
	TradeTotalsFixed f;
	StringInfoData buf;
	bytea	   *out;

	memset(&f, 0, sizeof(f));
	f.flows = state->flows;
	f.partners = state->partners;
	f.sum = state->sum;
	f.squares = state->squares;
	f.top_v = state->top_v;
	f.scale = state->scale;
	f.dscale = state->dscale;
	f.top_scale = state->top_scale;
	f.top_dscale = state->top_dscale;
	f.exact = state->exact;
	f.top_exact = state->top_exact;
	f.has_top = state->top != NULL;
	initStringInfo(&buf);
	appendStringInfoSpaces(&buf, VARHDRSZ);
	appendBinaryStringInfo(&buf, (const char *) &f, sizeof(f));
	if (!state->exact)
	{
		tt_put_varlena(&buf, state->sum_num);
		tt_put_varlena(&buf, state->squares_num);
	}
	if (f.has_top)
	{
		tt_put_varlena(&buf, state->top);
		tt_put_varlena(&buf, state->top_partner);
	}
	out = (bytea *) buf.data;
	SET_VARSIZE(out, buf.len);
	PG_RETURN_BYTEA_P(out);
}

Datum
trade_totals_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(in);
	const char *end = p + VARSIZE_ANY_EXHDR(in);
	TradeTotalsFixed f;
	TradeTotals *state;
	MemoryContext cxt = CurrentMemoryContext;

	if (end - p < (long) sizeof(f))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid trade_totals state")));
	memcpy(&f, p, sizeof(f));
	p += sizeof(f);
	state = tt_new(cxt);
	state->flows = f.flows;
	state->partners = f.partners;
	state->sum = f.sum;
	state->squares = f.squares;
	state->top_v = f.top_v;
	state->scale = f.scale;
	state->dscale = f.dscale;
	state->top_scale = f.top_scale;
	state->top_dscale = f.top_dscale;
	state->exact = f.exact;
	state->top_exact = f.top_exact;
	if (f.scale < 0 || 2 * f.scale > TT_MAX_POW
		|| (f.top_exact && (f.top_scale < 0 || f.top_scale > TT_MAX_POW)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid trade_totals state")));
	if (!f.exact)
	{
		state->sum_num = (Numeric) tt_get_varlena(cxt, &p, end);
		state->squares_num = (Numeric) tt_get_varlena(cxt, &p, end);
	}
	if (f.has_top)
	{
		state->top = (Numeric) tt_get_varlena(cxt, &p, end);
		state->top_partner = (text *) tt_get_varlena(cxt, &p, end);
	}
	if (p != end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid trade_totals state")));
	PG_RETURN_POINTER(state);
}

Datum
trade_totals_final(PG_FUNCTION_ARGS)
{
	TradeTotals *state;
	TupleDesc	desc;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (TradeTotals *) PG_GETARG_POINTER(0);
	/* the row type, looked up once per query */
	desc = (TupleDesc) fcinfo->flinfo->fn_extra;
	if (desc == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE || desc->natts != 6)
			elog(ERROR, "trade_totals must return a row of six columns");
		desc = BlessTupleDesc(CreateTupleDescCopy(desc));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = desc;
	}

	values[0] = Int64GetDatum(state->flows);
	tt_sums(state, &values[1], &values[2]);
	values[3] = Int64GetDatum(state->partners);
	nulls[4] = state->top == NULL;
	values[4] = nulls[4] ? (Datum) 0 : NumericGetDatum(state->top);
	nulls[5] = state->top_partner == NULL;
	values[5] = nulls[5] ? (Datum) 0 : PointerGetDatum(state->top_partner);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/*
 * trade_totals_scan(flows regclass, groups, members, first_years,
 * last_years): trade_country_total's rows of every (country, product, year)
 * in a table of flows, in one pass over it: each flow goes to its importer's
 * row (with its exporter as the partner) and to its exporter's row (summed
 * only), through a hash table of the rows, the sums as trade_totals() makes
 * them.  The table's columns are found by name.
 *
 * With memberships (groups[i] has the member members[i] from the year
 * first_years[i] to last_years[i], NULL: still), the same pass also gives
 * trade_group_total's rows of every (group, product, year): a flow into a
 * member that year is summed per partner (the members' imports from each
 * partner together), or into the inside imports when its exporter is a
 * member too; a flow out of a member to a non-member is summed into the
 * group's exports.  At the end each group's partner sums go through
 * trade_totals() as its flows (so squares is the sum of the squares of the
 * partners' sums, as group_import_partner gives them); import_flows counts
 * the members' flows in, inside ones too.  These rows come with is_group.
 *
 * The rows come out in key order (year, code, product; the countries', then
 * the groups'), as the tables' primary keys sort them.
 *
 * The hash tables are held to the memory a hash aggregate may use
 * (work_mem x hash_mem_multiplier): beyond it the scan stops with
 * program_limit_exceeded (54000), and the caller aggregates in SQL, which
 * spills to disk.  A table under row-level security is refused (0A000): the
 * caller aggregates it in SQL, through its policies.
 */
PG_FUNCTION_INFO_V1(trade_totals_scan);

typedef struct TotalsKey
{
	int32		year;
	int			country_len;
	int			product_len;
	const char *country;
	const char *product;
} TotalsKey;

typedef struct TotalsEntry
{
	TotalsKey	key;
	uint32		hash;
	char		status;			/* simplehash's */
	TradeTotals *imports;
	TradeTotals *exports;
	/* a group's row: its members' flows in, and those from members */
	int64		member_flows;
	TradeTotals *inside;
} TotalsEntry;

/*
 * The codes are short (a country's two letters, a product's six digits):
 * hashed (FNV-1a, then murmurhash32's finalizer to mix the bits the table
 * uses) and compared byte by byte inline, which costs less than a call to
 * hash_bytes() or memcmp() for so few bytes.
 */
static inline uint32
code_hash(uint32 h, const char *code, int len)
{
	int			i;

	for (i = 0; i < len; i++)
	{
		h ^= (unsigned char) code[i];
		h *= 16777619;
	}
	return h ^ (uint32) len;
}

static inline bool
codes_equal(const char *a, const char *b, int len)
{
	int			i;

	for (i = 0; i < len; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static inline uint32
totals_hash_key(const TotalsKey *k)
{
	uint32		h = 2166136261u ^ (uint32) k->year;

	h = code_hash(h, k->country, k->country_len);
	return murmurhash32(code_hash(h, k->product, k->product_len));
}

static inline bool
totals_key_equal(const TotalsKey *x, const TotalsKey *y)
{
	return x->year == y->year && x->country_len == y->country_len && x->product_len == y->product_len
		&& codes_equal(x->country, y->country, x->country_len)
		&& codes_equal(x->product, y->product, x->product_len);
}

/* an open-addressing hash table of the rows (lib/simplehash.h) */
#define SH_PREFIX totals
#define SH_ELEMENT_TYPE TotalsEntry
#define SH_KEY_TYPE TotalsKey
#define SH_KEY key
#define SH_HASH_KEY(tb, k) totals_hash_key(&(k))
#define SH_EQUAL(tb, a, b) totals_key_equal(&(a), &(b))
#define SH_SCOPE static inline
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) a->hash
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* the column's number, checked to exist with the type wanted */
static AttrNumber
totals_column(Relation rel, const char *name, Oid type)
{
	AttrNumber	att = get_attnum(RelationGetRelid(rel), name);

	if (att == InvalidAttrNumber || TupleDescAttr(RelationGetDescr(rel), att - 1)->atttypid != type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("table %s has no column %s of type %s", RelationGetRelationName(rel), name,
						format_type_be(type))));
	return att;
}

/* the row of (year, country, product), made on first sight (its codes copied) */
static TotalsEntry *
totals_entry(totals_hash *groups, MemoryContext cxt, int32 year, Datum country, Datum product)
{
	TotalsKey	key;
	TotalsEntry *entry;
	bool		found;

	key.year = year;
	key.country = VARDATA_ANY(DatumGetPointer(country));
	key.country_len = VARSIZE_ANY_EXHDR(DatumGetPointer(country));
	key.product = VARDATA_ANY(DatumGetPointer(product));
	key.product_len = VARSIZE_ANY_EXHDR(DatumGetPointer(product));
	entry = totals_insert(groups, key, &found);
	if (!found)
	{
		char	   *codes = MemoryContextAlloc(cxt, key.country_len + key.product_len + 1);

		memcpy(codes, key.country, key.country_len);
		memcpy(codes + key.country_len, key.product, key.product_len);
		entry->key.country = codes;
		entry->key.product = codes + key.country_len;
		entry->imports = NULL;
		entry->exports = NULL;
		entry->member_flows = 0;
		entry->inside = NULL;
	}
	return entry;
}

/*
 * A group's imports from one partner of one product and year: the key
 * holds the group's row's codes (copied once, where the row keeps them: a
 * hash table moves its entries as it grows, never the strings).
 */
typedef struct PartnerKey
{
	int32		year;
	int			group;			/* index into the memberships' groups */
	int			product_len;
	int			partner_len;
	const char *product;
	const char *partner;
} PartnerKey;

typedef struct PartnerEntry
{
	PartnerKey	key;
	uint32		hash;
	char		status;			/* simplehash's */
	TradeTotals *sum;
} PartnerEntry;

static inline uint32
partner_hash_key(const PartnerKey *k)
{
	uint32		h = 2166136261u ^ (uint32) k->year ^ ((uint32) k->group << 16);

	h = code_hash(h, k->product, k->product_len);
	return murmurhash32(code_hash(h, k->partner, k->partner_len));
}

static inline bool
partner_key_equal(const PartnerKey *x, const PartnerKey *y)
{
	return x->year == y->year && x->group == y->group
		&& x->product_len == y->product_len && x->partner_len == y->partner_len
		&& codes_equal(x->product, y->product, x->product_len)
		&& codes_equal(x->partner, y->partner, x->partner_len);
}

#define SH_PREFIX partners
#define SH_ELEMENT_TYPE PartnerEntry
#define SH_KEY_TYPE PartnerKey
#define SH_KEY key
#define SH_HASH_KEY(tb, k) partner_hash_key(&(k))
#define SH_EQUAL(tb, a, b) partner_key_equal(&(a), &(b))
#define SH_SCOPE static inline
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) a->hash
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/*
 * The memberships, found by the member's code: an open-addressing table of
 * the codes (a power of two at least twice their number), each slot the
 * first of the code's memberships, chained by next.
 */
typedef struct Membership
{
	const char *member;
	int			member_len;
	int			group;			/* index into groups */
	int32		first;			/* years */
	int32		last;
	int			next;			/* the member's next membership, or -1 */
} Membership;

typedef struct Memberships
{
	int			n;
	Membership *m;
	int			ngroups;
	text	  **groups;			/* the distinct group codes */
	int			size;			/* slots, a power of two */
	int		   *slot;			/* a membership of each code, -1: empty */
} Memberships;

static inline uint32
member_hash(const char *code, int len)
{
	return murmurhash32(code_hash(2166136261u, code, len));
}

/* the first membership of the code, or -1 */
static int
member_find(const Memberships *ms, const char *code, int len)
{
	uint32		h;

	if (ms->n == 0)
		return -1;
	for (h = member_hash(code, len) & (ms->size - 1);; h = (h + 1) & (ms->size - 1))
	{
		int			i = ms->slot[h];

		if (i < 0)
			return -1;
		if (ms->m[i].member_len == len && codes_equal(ms->m[i].member, code, len))
			return i;
	}
}

/* the code's membership of the group in the year (from its first, i) */
static bool
member_of(const Memberships *ms, int i, int group, int32 year)
{
	for (; i >= 0; i = ms->m[i].next)
		if (ms->m[i].group == group && ms->m[i].first <= year && year <= ms->m[i].last)
			return true;
	return false;
}

/* the arrays of memberships, aligned and without NULLs but the last years */
static void
members_load(Memberships *ms, MemoryContext cxt, FunctionCallInfo fcinfo)
{
	Datum	   *g, *m, *f, *l;
	bool	   *gn, *mn, *fn, *ln;
	int			ng, nm, nf, nl;
	int			i;

	memset(ms, 0, sizeof(*ms));
	if (PG_ARGISNULL(1) && PG_ARGISNULL(2) && PG_ARGISNULL(3) && PG_ARGISNULL(4))
		return;
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the memberships need their groups, members, first and last years")));
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(1), TEXTOID, -1, false, TYPALIGN_INT, &g, &gn, &ng);
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(2), TEXTOID, -1, false, TYPALIGN_INT, &m, &mn, &nm);
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(3), INT4OID, 4, true, TYPALIGN_INT, &f, &fn, &nf);
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(4), INT4OID, 4, true, TYPALIGN_INT, &l, &ln, &nl);
	if (nm != ng || nf != ng || nl != ng)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the memberships' arrays differ in length")));
	ms->n = ng;
	ms->m = MemoryContextAlloc(cxt, Max(ng, 1) * sizeof(Membership));
	ms->groups = MemoryContextAlloc(cxt, Max(ng, 1) * sizeof(text *));
	for (ms->size = 4; ms->size < 2 * ng; ms->size *= 2)
		;
	ms->slot = MemoryContextAlloc(cxt, ms->size * sizeof(int));
	for (i = 0; i < ms->size; i++)
		ms->slot[i] = -1;
	for (i = 0; i < ng; i++)
	{
		Membership *x = &ms->m[i];
		text	   *gt;
		text	   *mt;
		int			k;
		uint32		h;

		if (gn[i] || mn[i] || fn[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("a membership has a NULL group, member or first year")));
		gt = (text *) MemoryContextAlloc(cxt, VARSIZE_ANY(DatumGetPointer(g[i])));
		memcpy(gt, DatumGetPointer(g[i]), VARSIZE_ANY(DatumGetPointer(g[i])));
		mt = (text *) MemoryContextAlloc(cxt, VARSIZE_ANY(DatumGetPointer(m[i])));
		memcpy(mt, DatumGetPointer(m[i]), VARSIZE_ANY(DatumGetPointer(m[i])));
		x->member = VARDATA_ANY(mt);
		x->member_len = VARSIZE_ANY_EXHDR(mt);
		x->first = DatumGetInt32(f[i]);
		x->last = ln[i] ? PG_INT32_MAX : DatumGetInt32(l[i]);
		for (k = 0; k < ms->ngroups; k++)
			if (VARSIZE_ANY_EXHDR(ms->groups[k]) == VARSIZE_ANY_EXHDR(gt)
				&& memcmp(VARDATA_ANY(ms->groups[k]), VARDATA_ANY(gt), VARSIZE_ANY_EXHDR(gt)) == 0)
				break;
		if (k == ms->ngroups)
			ms->groups[ms->ngroups++] = gt;
		x->group = k;
		/* the code's chain, or a new slot */
		x->next = member_find(ms, x->member, x->member_len);
		for (h = member_hash(x->member, x->member_len) & (ms->size - 1);; h = (h + 1) & (ms->size - 1))
			if (ms->slot[h] < 0 || ms->slot[h] == x->next)
				break;
		ms->slot[h] = i;
	}
}

/*
 * One flow into its importer's groups (per partner, or inside) and its
 * exporter's (exports to non-members).  The value is NULL for a flow
 * without one: it counts, and sums nothing.
 */
static void
groups_add(const Memberships *ms, totals_hash *grows, partners_hash *pby, MemoryContext cxt,
		   int32 year, Datum exporter, Datum importer, Datum product, Datum value, bool value_null)
{
	const char *ex = VARDATA_ANY(DatumGetPointer(exporter));
	int			ex_len = VARSIZE_ANY_EXHDR(DatumGetPointer(exporter));
	const char *im = VARDATA_ANY(DatumGetPointer(importer));
	int			im_len = VARSIZE_ANY_EXHDR(DatumGetPointer(importer));
	int			mi = member_find(ms, im, im_len);
	int			me = member_find(ms, ex, ex_len);
	int			i;

	for (i = mi; i >= 0; i = ms->m[i].next)
	{
		const Membership *x = &ms->m[i];
		TotalsEntry *row;

		if (year < x->first || year > x->last)
			continue;
		row = totals_entry(grows, cxt, year, PointerGetDatum(ms->groups[x->group]), product);
		row->member_flows++;
		if (member_of(ms, me, x->group, year))
		{
			if (row->inside == NULL)
				row->inside = tt_new(cxt);
			row->inside->flows++;
			if (!value_null)
				tt_add(cxt, row->inside, value, NULL);
		}
		else if (!value_null)
		{
			PartnerKey	key;
			PartnerEntry *p;
			bool		found;

			key.year = year;
			key.group = x->group;
			key.product = row->key.product;
			key.product_len = row->key.product_len;
			key.partner = ex;
			key.partner_len = ex_len;
			p = partners_insert(pby, key, &found);
			if (!found)
			{
				char	   *code = MemoryContextAlloc(cxt, ex_len + 1);

				memcpy(code, ex, ex_len);
				p->key.partner = code;
				p->sum = tt_new(cxt);
			}
			p->sum->flows++;
			tt_add(cxt, p->sum, value, NULL);
		}
	}
	for (i = me; i >= 0; i = ms->m[i].next)
	{
		const Membership *x = &ms->m[i];
		TotalsEntry *row;

		if (year < x->first || year > x->last || member_of(ms, mi, x->group, year))
			continue;
		row = totals_entry(grows, cxt, year, PointerGetDatum(ms->groups[x->group]), product);
		if (row->exports == NULL)
			row->exports = tt_new(cxt);
		row->exports->flows++;
		if (!value_null)
			tt_add(cxt, row->exports, value, NULL);
	}
}

/*
 * Each partner's sum into its group's row as one flow of trade_totals()
 * (value the sum, the partner's code): imports, squares, partners and the
 * top partner as group_import_partner's rows give them.
 */
static void
groups_fold(const Memberships *ms, totals_hash *grows, partners_hash *pby, MemoryContext cxt)
{
	partners_iterator iter;
	PartnerEntry *p;
	MemoryContext tmp = AllocSetContextCreate(cxt, "trade_totals_scan partners", ALLOCSET_DEFAULT_SIZES);
	uint64		n = 0;

	partners_start_iterate(pby, &iter);
	while ((p = partners_iterate(pby, &iter)) != NULL)
	{
		TotalsKey	key;
		TotalsEntry *row;
		Datum		sum;
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		if (++n % 1024 == 0)
			MemoryContextReset(tmp);
		key.year = p->key.year;
		key.country = VARDATA_ANY(ms->groups[p->key.group]);
		key.country_len = VARSIZE_ANY_EXHDR(ms->groups[p->key.group]);
		key.product = p->key.product;
		key.product_len = p->key.product_len;
		row = totals_lookup(grows, key);
		if (row == NULL)
			elog(ERROR, "trade_totals_scan lost a group's row");
		if (row->imports == NULL)
			row->imports = tt_new(cxt);
		old = MemoryContextSwitchTo(tmp);
		tt_sums(p->sum, &sum, NULL);
		tt_add(cxt, row->imports, sum,
			   cstring_to_text_with_len(p->key.partner, p->key.partner_len));
		MemoryContextSwitchTo(old);
		row->imports->flows++;
	}
	MemoryContextDelete(tmp);
}

/*
 * The rows of a hash table in key order, (year, country, product), the codes
 * byte by byte as trade_country_total's primary key sorts them (COLLATE
 * "C"): inserted so, the key's index entries go to its rightmost page, which
 * costs less than inserts scattered over the index.
 */
static int
totals_key_cmp(const void *a, const void *b)
{
	const TotalsKey *x = &(*(TotalsEntry *const *) a)->key;
	const TotalsKey *y = &(*(TotalsEntry *const *) b)->key;
	int			c;

	if (x->year != y->year)
		return x->year < y->year ? -1 : 1;
	c = memcmp(x->country, y->country, Min(x->country_len, y->country_len));
	if (c != 0 || x->country_len != y->country_len)
		return c != 0 ? c : (x->country_len < y->country_len ? -1 : 1);
	c = memcmp(x->product, y->product, Min(x->product_len, y->product_len));
	if (c != 0 || x->product_len != y->product_len)
		return c != 0 ? c : (x->product_len < y->product_len ? -1 : 1);
	return 0;
}

static TotalsEntry **
totals_sorted(totals_hash *table, MemoryContext cxt, uint64 *n)
{
	TotalsEntry **rows = MemoryContextAllocHuge(cxt, Max(table->members, 1) * sizeof(TotalsEntry *));
	totals_iterator iter;
	TotalsEntry *entry;
	uint64		k = 0;

	totals_start_iterate(table, &iter);
	while ((entry = totals_iterate(table, &iter)) != NULL)
		rows[k++] = entry;
	qsort(rows, k, sizeof(TotalsEntry *), totals_key_cmp);
	*n = k;
	return rows;
}

Datum
trade_totals_scan(PG_FUNCTION_ARGS)
{
	Oid			relid;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext cxt;
	Relation	rel;
	AttrNumber	a_year, a_exporter, a_importer, a_product, a_value, last;
	totals_hash *groups;
	Memberships ms;
	totals_hash *grows = NULL;
	partners_hash *pby = NULL;
	MemoryContext rowcxt;
	MemoryContext old;
	TableScanDesc scan;
	TupleTableSlot *slot;
	Size		limit = get_hash_memory_limit();
	uint64		rows = 0;
	TotalsEntry *entry;
	TotalsEntry **out[2];
	uint64		nout[2];
	uint64		r;
	AclResult	acl;

	InitMaterializedSRF(fcinfo, 0);
	if (rsinfo->setDesc->natts != 13)
		elog(ERROR, "trade_totals_scan must return thirteen columns");
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	relid = PG_GETARG_OID(0);
	acl = pg_class_aclcheck(relid, GetUserId(), ACL_SELECT);
	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, get_relkind_objtype(get_rel_relkind(relid)), get_rel_name(relid));
	rel = table_open(relid, AccessShareLock);
	if (check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("trade_totals_scan does not read tables under row-level security")));
	if (rel->rd_rel->relkind != RELKIND_RELATION)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("%s is not a table", RelationGetRelationName(rel))));
	a_year = totals_column(rel, "year", INT4OID);
	a_exporter = totals_column(rel, "exporter", TEXTOID);
	a_importer = totals_column(rel, "importer", TEXTOID);
	a_product = totals_column(rel, "product", TEXTOID);
	a_value = totals_column(rel, "value", NUMERICOID);
	last = Max(Max(Max(a_year, a_exporter), Max(a_importer, a_product)), a_value);

	cxt = AllocSetContextCreate(CurrentMemoryContext, "trade_totals_scan", ALLOCSET_DEFAULT_SIZES);
	groups = totals_create(cxt, 1024, NULL);
	members_load(&ms, cxt, fcinfo);
	if (ms.n > 0)
	{
		grows = totals_create(cxt, 1024, NULL);
		pby = partners_create(cxt, 1024, NULL);
	}

	/*
	 * the flows' passing allocations (detoasted codes, numeric arithmetic),
	 * freed every 1,024 flows; what the rows keep goes to cxt
	 */
	rowcxt = AllocSetContextCreate(cxt, "trade_totals_scan flows", ALLOCSET_DEFAULT_SIZES);
	scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
	slot = table_slot_create(rel, NULL);
	old = MemoryContextSwitchTo(rowcxt);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		Datum		year, exporter, importer, product, value;
		bool		value_null;
		bool		isnull;

		CHECK_FOR_INTERRUPTS();
		if (rows % 1024 == 0)
			MemoryContextReset(rowcxt);
		slot_getsomeattrs(slot, last);
		year = slot_getattr(slot, a_year, &isnull);
		if (isnull)
			goto null_key;
		exporter = slot_getattr(slot, a_exporter, &isnull);
		if (isnull)
			goto null_key;
		importer = slot_getattr(slot, a_importer, &isnull);
		if (isnull)
			goto null_key;
		product = slot_getattr(slot, a_product, &isnull);
		if (isnull)
			goto null_key;
		value = slot_getattr(slot, a_value, &value_null);
		exporter = PointerGetDatum(PG_DETOAST_DATUM_PACKED(exporter));
		importer = PointerGetDatum(PG_DETOAST_DATUM_PACKED(importer));
		product = PointerGetDatum(PG_DETOAST_DATUM_PACKED(product));
		if (!value_null)
			value = PointerGetDatum(PG_DETOAST_DATUM_PACKED(value));

		entry = totals_entry(groups, cxt, DatumGetInt32(year), importer, product);
		if (entry->imports == NULL)
			entry->imports = tt_new(cxt);
		entry->imports->flows++;
		if (!value_null)
			tt_add(cxt, entry->imports, value, (text *) DatumGetPointer(exporter));

		entry = totals_entry(groups, cxt, DatumGetInt32(year), exporter, product);
		if (entry->exports == NULL)
			entry->exports = tt_new(cxt);
		entry->exports->flows++;
		if (!value_null)
			tt_add(cxt, entry->exports, value, NULL);

		if (grows != NULL)
			groups_add(&ms, grows, pby, cxt, DatumGetInt32(year), exporter, importer, product, value, value_null);

		if (++rows % 4096 == 0 && MemoryContextMemAllocated(cxt, true) > limit)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("the totals of %s need more than the hash memory limit", RelationGetRelationName(rel)),
					 errhint("Raise work_mem or hash_mem_multiplier.")));
		continue;
null_key:
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a flow of %s has a NULL year, exporter, importer or product", RelationGetRelationName(rel))));
	}
	MemoryContextSwitchTo(old);
	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
	table_close(rel, AccessShareLock);

	/* the rows, as trade_country_totals() and trade_group_totals() give them */
	if (grows != NULL)
		groups_fold(&ms, grows, pby, cxt);
	/* the countries' rows, then the groups', each in key order */
	out[0] = totals_sorted(groups, cxt, &nout[0]);
	out[1] = grows != NULL ? totals_sorted(grows, cxt, &nout[1]) : NULL;
	if (grows == NULL)
		nout[1] = 0;
	for (r = 0; r < nout[0] + nout[1]; r++)
	{
		Datum		values[13];
		bool		nulls[13] = {false};
		bool		is_group = (r >= nout[0]);
		TradeTotals *i;
		TradeTotals *e;

		CHECK_FOR_INTERRUPTS();
		entry = is_group ? out[1][r - nout[0]] : out[0][r];
		i = entry->imports;
		e = entry->exports;
		old = MemoryContextSwitchTo(cxt);

		values[0] = PointerGetDatum(cstring_to_text_with_len(entry->key.country, entry->key.country_len));
		values[1] = PointerGetDatum(cstring_to_text_with_len(entry->key.product, entry->key.product_len));
		values[2] = Int32GetDatum(entry->key.year);
		if (i == NULL)
			i = tt_new(cxt);
		if (e == NULL)
			e = tt_new(cxt);
		values[3] = tt_int4(is_group ? entry->member_flows : i->flows);
		tt_sums(i, &values[4], &values[5]);
		values[6] = tt_int4(i->partners);
		nulls[7] = i->top == NULL;
		values[7] = nulls[7] ? (Datum) 0 : NumericGetDatum(i->top);
		nulls[8] = i->top_partner == NULL;
		values[8] = nulls[8] ? (Datum) 0 : PointerGetDatum(i->top_partner);
		values[9] = tt_int4(e->flows);
		tt_sums(e, &values[10], NULL);
		/* a group's imports from its members; NULL for a country */
		nulls[11] = !is_group;
		if (is_group)
		{
			if (entry->inside == NULL)
				entry->inside = tt_new(cxt);
			tt_sums(entry->inside, &values[11], NULL);
		}
		values[12] = BoolGetDatum(is_group);
		MemoryContextSwitchTo(old);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	MemoryContextDelete(cxt);
	return (Datum) 0;
}
