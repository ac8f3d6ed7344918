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

/*
 * A group's state.  The largest value is kept as an integer where it is
 * one (top_exact), else as a copy (top); its partner is a copy, or (the
 * scan's, whose codes outlive the states) the caller's text itself.
 */
typedef struct TradeTotals
{
	int128		sum;			/* the values times 10^scale */
	int128		squares;		/* their squares times 10^(2 scale) */
	int128		top_v;			/* the largest value times 10^top_scale */
	int64		flows;			/* rows */
	int64		partners;		/* rows with a positive value and a partner */
	int32		scale;			/* the most decimals of the values */
	int32		dscale;			/* the largest display scale of the values */
	int32		top_scale;
	int32		top_dscale;		/* the largest value's display scale */
	bool		exact;			/* the sums are the integers above */
	bool		has_top;		/* a positive value with a partner was seen */
	bool		top_exact;		/* the largest value is top_v */
	Numeric		sum_num;		/* the sums, once not exact */
	Numeric		squares_num;
	Numeric		top;			/* the largest value, when not top_exact */
	text	   *top_partner;	/* its partner */
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

/* the largest value as a numeric of its display scale */
static Datum
tt_top(TradeTotals *state)
{
	if (state->top_exact)
		return NumericGetDatum(tt_numeric(state->top_v, state->top_scale, state->top_dscale));
	return NumericGetDatum(state->top);
}

/*
 * a against the largest value so far: as integers when both are (aligned
 * to one scale), else as numeric_cmp() compares
 */
static int
tt_cmp_top(TradeTotals *state, Datum value, bool value_exact, int128 v, int scale, int dscale)
{
	if (value_exact && state->top_exact)
	{
		int128		a;
		int128		b;

		if (tt_scale_up(v, Max(scale, state->top_scale) - scale, &a)
			&& tt_scale_up(state->top_v, Max(scale, state->top_scale) - state->top_scale, &b))
			return (a > b) - (a < b);
	}
	if (value == (Datum) 0)
		value = NumericGetDatum(tt_numeric(v, scale, dscale));
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, value, tt_top(state)));
}

/* a new state: nothing summed yet */
static void
tt_init(TradeTotals *state)
{
	memset(state, 0, sizeof(*state));
	state->exact = true;
}

/* a group's state, in cxt */
static TradeTotals *
tt_new(MemoryContext cxt)
{
	TradeTotals *state = (TradeTotals *) MemoryContextAlloc(cxt, sizeof(TradeTotals));

	tt_init_pow10();
	tt_init(state);
	return state;
}

/*
 * One value into the state, decoded (value_exact: v, scale and dscale hold
 * it; else they hold 0 and the display scale is read off value), with its
 * partner (NULL: summed only).  value may be 0 where value_exact: it is
 * made from v when a numeric is needed.  copy_partner: the partner is
 * copied into cxt; else the state points at it.
 */
static void
tt_add_decoded(MemoryContext cxt, TradeTotals *state, Datum value, bool value_exact,
			   int128 v, int scale, int dscale, text *partner, bool copy_partner)
{
	int			sign;
	int			cmp;

	if (state->exact && !(value_exact && tt_add_exact(state, v, scale)))
		tt_to_numeric(cxt, state);
	state->dscale = Max(state->dscale, dscale);
	if (!state->exact)
	{
		if (value == (Datum) 0)
			value = NumericGetDatum(tt_numeric(v, scale, dscale));
		tt_add_numeric(cxt, state, value);
	}
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
	if (!state->has_top)
		cmp = 1;
	else
		cmp = tt_cmp_top(state, value, value_exact, v, scale, dscale);
	if (cmp > 0 || (cmp == 0 && (!value_exact || !state->top_exact || dscale != state->top_dscale)))
	{
		if (value_exact)
		{
			if (state->top != NULL)
				pfree(state->top);
			state->top = NULL;
		}
		else
			tt_keep(cxt, (void **) &state->top, value);
		state->has_top = true;
		state->top_exact = value_exact;
		state->top_v = v;
		state->top_scale = scale;
		state->top_dscale = dscale;
	}
	if (cmp > 0 || (cmp == 0 && sc_partner_before(partner, state->top_partner)))
	{
		if (copy_partner)
			tt_keep(cxt, (void **) &state->top_partner, PointerGetDatum(partner));
		else
			state->top_partner = partner;
	}
}

/*
 * One row into the state: the value (not NULL; packed, not copied: its
 * digits are read where they lie) and the partner (NULL: summed only;
 * copied).
 */
static void
tt_add(MemoryContext cxt, TradeTotals *state, Datum value, text *partner)
{
	int128		v = 0;
	int			scale = 0;
	int			dscale;
	bool		value_exact = tt_decode(value, &v, &scale, &dscale);

	if (!value_exact)
		dscale = 0;
	tt_add_decoded(cxt, state, value, value_exact, v, scale, dscale, partner, true);
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

	if (!other->has_top)
		PG_RETURN_POINTER(state);
	cmp = !state->has_top ? 1
		: tt_cmp_top(state, other->top_exact ? (Datum) 0 : NumericGetDatum(other->top), other->top_exact,
					 other->top_v, other->top_scale, other->top_dscale);
	if (cmp >= 0)
	{
		if (other->top_exact)
		{
			if (state->top != NULL)
				pfree(state->top);
			state->top = NULL;
		}
		else
			tt_keep(cxt, (void **) &state->top, NumericGetDatum(other->top));
		state->has_top = true;
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
	f.has_top = state->has_top;
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
		if (!f.top_exact)
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
		|| (f.has_top && f.top_exact
			&& (f.top_scale < 0 || f.top_scale > TT_MAX_POW || f.top_dscale < f.top_scale || f.top_dscale > 1000)))
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
		state->has_top = true;
		if (!f.top_exact)
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
	nulls[4] = !state->has_top;
	values[4] = nulls[4] ? (Datum) 0 : tt_top(state);
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
 * Slots of an open-addressing table of numbers 0 .. n - 1 (a power of two
 * of them, -1: empty), made anew from each number's hash as the table grows
 */
typedef uint32 (*number_hash) (const void *table, int i);

static void
slots_make(MemoryContext cxt, int **slots, int *nslots, int size, int n, number_hash hash, const void *table)
{
	int		   *slot = MemoryContextAllocHuge(cxt, (Size) size * sizeof(int));
	int			i;

	if (*slots != NULL)
		pfree(*slots);
	*slots = slot;
	*nslots = size;
	memset(slot, 0xFF, (Size) size * sizeof(int));
	for (i = 0; i < n; i++)
	{
		uint32		h = hash(table, i) & (size - 1);

		while (slot[h] >= 0)
			h = (h + 1) & (size - 1);
		slot[h] = i;
	}
}

/*
 * Every code the scan meets (exporters, importers, products, groups) once,
 * as a text, numbered in order of first sight; an open-addressing table of
 * the numbers finds a code (a power of two of slots, at least twice the
 * codes).  A country's code also knows its first membership.  The texts
 * stay put (a state's top partner points at one).
 */
typedef struct Codes
{
	int			n;
	int			cap;
	text	  **text;			/* by number */
	int		   *membership;		/* a code's first membership, or -1 */
	int			size;
	int		   *slot;			/* a number, or -1: empty */
	MemoryContext cxt;
} Codes;

static inline uint32
code_key_hash(const char *code, int len)
{
	return murmurhash32(code_hash(2166136261u, code, len));
}

static uint32
code_number_hash(const void *table, int i)
{
	const text *t = ((const Codes *) table)->text[i];

	return code_key_hash(VARDATA(t), VARSIZE(t) - VARHDRSZ);
}

static void
codes_init(Codes *c, MemoryContext cxt)
{
	memset(c, 0, sizeof(*c));
	c->cxt = cxt;
	c->cap = 256;
	c->text = MemoryContextAlloc(cxt, c->cap * sizeof(text *));
	c->membership = MemoryContextAlloc(cxt, c->cap * sizeof(int));
	slots_make(cxt, &c->slot, &c->size, 1024, 0, code_number_hash, c);
}

/* the code's number, given on first sight (with its first membership in ms) */
static int
code_number(Codes *c, const char *code, int len, const Memberships *ms)
{
	uint32		h;
	text	   *t;

	for (h = code_key_hash(code, len) & (c->size - 1);; h = (h + 1) & (c->size - 1))
	{
		int			i = c->slot[h];

		if (i < 0)
			break;
		if (VARSIZE(c->text[i]) - VARHDRSZ == len && codes_equal(VARDATA(c->text[i]), code, len))
			return i;
	}
	if (c->n == c->cap)
	{
		c->cap *= 2;
		c->text = repalloc_huge(c->text, (Size) c->cap * sizeof(text *));
		c->membership = repalloc_huge(c->membership, (Size) c->cap * sizeof(int));
	}
	t = (text *) MemoryContextAlloc(c->cxt, VARHDRSZ + len);
	SET_VARSIZE(t, VARHDRSZ + len);
	memcpy(VARDATA(t), code, len);
	c->text[c->n] = t;
	c->membership[c->n] = member_find(ms, code, len);
	c->slot[h] = c->n++;
	if (2 * c->n > c->size)
		slots_make(c->cxt, &c->slot, &c->size, 2 * c->size, c->n, code_number_hash, c);
	return c->n - 1;
}

/* the code of a text datum, the last one's again without a lookup */
static inline int
code_of(Codes *c, Datum d, int *last, const Memberships *ms)
{
	const char *code = VARDATA_ANY(DatumGetPointer(d));
	int			len = VARSIZE_ANY_EXHDR(DatumGetPointer(d));

	if (*last < 0 || VARSIZE(c->text[*last]) - VARHDRSZ != len || !codes_equal(VARDATA(c->text[*last]), code, len))
		*last = code_number(c, code, len, ms);
	return *last;
}

/*
 * A row of the result, a (year, country) or a (year, group), keeps its
 * states in columns indexed by the product's number, in chunks of CELLS
 * made on first use: the states of one country's products lie together, so
 * a run of flows of one exporter (BACI's order) stays in the cache, and
 * each flow reaches its state without a hash lookup.
 */
#define CELLS 256

typedef struct Column
{
	int			nchunks;
	char	  **chunk;			/* CELLS cells each, or NULL */
} Column;

typedef struct TotalsRow
{
	int32		year;
	int			code;			/* the country's or group's number */
	int			index;			/* in its Rows */
	Column		imports;		/* TradeTotals */
	Column		exports;		/* TradeTotals */
	Column		inside;			/* a group's GroupCell */
} TotalsRow;

/* a group's flows in from members (the first member: a TradeTotals) */
typedef struct GroupCell
{
	TradeTotals inside;			/* the members' imports from each other */
	int64		member_flows;	/* the members' flows in, inside ones too */
} GroupCell;

/* the cell of product number pid, a new state on first sight */
static inline void *
column_cell(Column *col, int pid, Size size, MemoryContext cxt)
{
	int			k = pid / CELLS;
	char	   *chunk;

	if (k >= col->nchunks)
	{
		int			n = Max(Max(2 * col->nchunks, k + 1), 4);

		if (col->chunk == NULL)
			col->chunk = MemoryContextAlloc(cxt, n * sizeof(char *));
		else
			col->chunk = repalloc(col->chunk, n * sizeof(char *));
		memset(col->chunk + col->nchunks, 0, (n - col->nchunks) * sizeof(char *));
		col->nchunks = n;
	}
	chunk = col->chunk[k];
	if (chunk == NULL)
	{
		int			i;

		chunk = col->chunk[k] = MemoryContextAllocZero(cxt, CELLS * size);
		for (i = 0; i < CELLS; i++)
			tt_init((TradeTotals *) (chunk + i * size));
	}
	return chunk + (pid % CELLS) * size;
}

/* the cell if it was made, else NULL */
static inline void *
column_peek(const Column *col, int pid, Size size)
{
	int			k = pid / CELLS;

	if (k >= col->nchunks || col->chunk[k] == NULL)
		return NULL;
	return col->chunk[k] + (pid % CELLS) * size;
}

/* the rows, found by (year, code) in an open-addressing table */
typedef struct Rows
{
	int			n;
	int			cap;
	TotalsRow **row;
	int			size;
	int		   *slot;
	MemoryContext cxt;
} Rows;

static inline uint32
row_hash(int32 year, int code)
{
	return murmurhash32((uint32) year * 2654435761u ^ (uint32) code);
}

static uint32
row_number_hash(const void *table, int i)
{
	const TotalsRow *row = ((const Rows *) table)->row[i];

	return row_hash(row->year, row->code);
}

static void
rows_init(Rows *r, MemoryContext cxt)
{
	memset(r, 0, sizeof(*r));
	r->cxt = cxt;
	r->cap = 64;
	r->row = MemoryContextAlloc(cxt, r->cap * sizeof(TotalsRow *));
	slots_make(cxt, &r->slot, &r->size, 128, 0, row_number_hash, r);
}

/* the row of (year, code), made on first sight */
static TotalsRow *
row_of(Rows *r, int32 year, int code)
{
	uint32		h;
	TotalsRow  *row;

	for (h = row_hash(year, code) & (r->size - 1);; h = (h + 1) & (r->size - 1))
	{
		int			i = r->slot[h];

		if (i < 0)
			break;
		if (r->row[i]->year == year && r->row[i]->code == code)
			return r->row[i];
	}
	if (r->n == r->cap)
	{
		r->cap *= 2;
		r->row = repalloc_huge(r->row, (Size) r->cap * sizeof(TotalsRow *));
	}
	row = MemoryContextAllocZero(r->cxt, sizeof(TotalsRow));
	row->year = year;
	row->code = code;
	row->index = r->n;
	r->row[r->n] = row;
	r->slot[h] = r->n++;
	if (2 * r->n > r->size)
		slots_make(r->cxt, &r->slot, &r->size, 2 * r->size, r->n, row_number_hash, r);
	return row;
}

/*
 * A group's imports of one product from one partner: (the group's row,
 * the product's number, the partner's number) in a hash table of sums.
 */
typedef struct PartnerKey
{
	int32		row;
	int32		product;
	int32		partner;
} PartnerKey;

typedef struct PartnerEntry
{
	PartnerKey	key;
	char		status;			/* simplehash's */
	TradeTotals sum;
} PartnerEntry;

#define SH_PREFIX partners
#define SH_ELEMENT_TYPE PartnerEntry
#define SH_KEY_TYPE PartnerKey
#define SH_KEY key
#define SH_HASH_KEY(tb, k) murmurhash32((uint32) (k).row * 2654435761u ^ (uint32) (k).product * 2246822519u ^ (uint32) (k).partner * 3266489917u)
#define SH_EQUAL(tb, a, b) ((a).row == (b).row && (a).product == (b).product && (a).partner == (b).partner)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* what the scan builds */
typedef struct TotalsScan
{
	MemoryContext cxt;			/* what the rows keep */
	Codes		codes;
	Rows		countries;
	Rows		groups;
	Memberships ms;
	int		   *group_code;		/* each of ms's groups' code number */
	partners_hash *partners;
} TotalsScan;

/* a flow's value, decoded once for every state it goes to */
typedef struct FlowValue
{
	Datum		value;			/* the numeric */
	bool		null;
	bool		exact;			/* v, scale and dscale hold it */
	int128		v;
	int			scale;
	int			dscale;
} FlowValue;

static inline void
flow_add(MemoryContext cxt, TradeTotals *state, const FlowValue *fv, text *partner)
{
	state->flows++;
	if (!fv->null)
		tt_add_decoded(cxt, state, fv->value, fv->exact, fv->v, fv->scale, fv->dscale, partner, false);
}

/*
 * One flow into its importer's groups (per partner, or inside) and its
 * exporter's (exports to non-members).  A flow without a value counts,
 * and sums nothing.
 */
static void
groups_add(TotalsScan *s, int32 year, int ex, int im, int pid, const FlowValue *fv)
{
	const Memberships *ms = &s->ms;
	int			mi = s->codes.membership[im];
	int			me = s->codes.membership[ex];
	int			i;

	for (i = mi; i >= 0; i = ms->m[i].next)
	{
		const Membership *x = &ms->m[i];
		TotalsRow  *row;
		GroupCell  *cell;

		if (year < x->first || year > x->last)
			continue;
		row = row_of(&s->groups, year, s->group_code[x->group]);
		cell = column_cell(&row->inside, pid, sizeof(GroupCell), s->cxt);
		cell->member_flows++;
		if (member_of(ms, me, x->group, year))
			flow_add(s->cxt, &cell->inside, fv, NULL);
		else if (!fv->null)
		{
			PartnerKey	key;
			PartnerEntry *p;
			bool		found;

			key.row = row->index;
			key.product = pid;
			key.partner = ex;
			p = partners_insert(s->partners, key, &found);
			if (!found)
			{
				tt_init(&p->sum);
			}
			flow_add(s->cxt, &p->sum, fv, NULL);
		}
	}
	for (i = me; i >= 0; i = ms->m[i].next)
	{
		const Membership *x = &ms->m[i];
		TotalsRow  *row;

		if (year < x->first || year > x->last || member_of(ms, mi, x->group, year))
			continue;
		row = row_of(&s->groups, year, s->group_code[x->group]);
		flow_add(s->cxt, column_cell(&row->exports, pid, sizeof(TradeTotals), s->cxt), fv, NULL);
	}
}

/*
 * Each partner's sum into its group's row as one flow of trade_totals()
 * (value the sum, the partner's code): imports, squares, partners and the
 * top partner as group_import_partner's rows give them.
 */
static void
groups_fold(TotalsScan *s)
{
	partners_iterator iter;
	PartnerEntry *p;
	MemoryContext tmp = AllocSetContextCreate(s->cxt, "trade_totals_scan partners", ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(tmp);
	uint64		n = 0;

	partners_start_iterate(s->partners, &iter);
	while ((p = partners_iterate(s->partners, &iter)) != NULL)
	{
		TotalsRow  *row = s->groups.row[p->key.row];
		TradeTotals *imports = column_cell(&row->imports, p->key.product, sizeof(TradeTotals), s->cxt);
		FlowValue	fv;

		CHECK_FOR_INTERRUPTS();
		if (++n % 1024 == 0)
			MemoryContextReset(tmp);
		memset(&fv, 0, sizeof(fv));
		if (p->sum.exact)
		{
			/* the sum as it is, its numeric made only if needed */
			fv.exact = true;
			fv.v = p->sum.sum;
			fv.scale = p->sum.scale;
			fv.dscale = p->sum.dscale;
		}
		else
		{
			fv.value = NumericGetDatum(p->sum.sum_num);
			fv.exact = tt_decode(fv.value, &fv.v, &fv.scale, &fv.dscale);
			if (!fv.exact)
				fv.v = fv.scale = fv.dscale = 0;
		}
		flow_add(s->cxt, imports, &fv, s->codes.text[p->key.partner]);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(tmp);
}

/* rows in key order: year, then the code byte by byte (COLLATE "C") */
static int
codes_cmp(const text *a, const text *b)
{
	int			la = VARSIZE(a) - VARHDRSZ;
	int			lb = VARSIZE(b) - VARHDRSZ;
	int			c = memcmp(VARDATA(a), VARDATA(b), Min(la, lb));

	return c != 0 ? c : (la > lb) - (la < lb);
}

static int
rows_cmp(const void *a, const void *b, void *arg)
{
	const TotalsRow *x = *(TotalsRow *const *) a;
	const TotalsRow *y = *(TotalsRow *const *) b;
	Codes	   *c = (Codes *) arg;

	if (x->year != y->year)
		return x->year < y->year ? -1 : 1;
	return codes_cmp(c->text[x->code], c->text[y->code]);
}

static int
numbers_by_code_cmp(const void *a, const void *b, void *arg)
{
	Codes	   *c = (Codes *) arg;

	return codes_cmp(c->text[*(const int *) a], c->text[*(const int *) b]);
}

static int
numbers_by_rank_cmp(const void *a, const void *b, void *arg)
{
	const int  *rank = (const int *) arg;
	int			x = rank[*(const int *) a];
	int			y = rank[*(const int *) b];

	return (x > y) - (x < y);
}

/* a column's number of chunks, 0 when it has none */
#define COLUMN_CELLS(col) ((col).nchunks * CELLS)

/*
 * The rows of rows out into the result, each row's products in code order
 * (rank: each code number's place in that order; pids: room for a row's
 * products)
 */
static void
totals_put(TotalsScan *s, Rows *rows, bool is_group, const int *rank, int *pids, ReturnSetInfo *rsinfo,
		   MemoryContext tmp)
{
	TradeTotals none;
	int			r;

	tt_init(&none);
	qsort_arg(rows->row, rows->n, sizeof(TotalsRow *), rows_cmp, &s->codes);
	for (r = 0; r < rows->n; r++)
	{
		TotalsRow  *row = rows->row[r];
		int			last = Max(Max(COLUMN_CELLS(row->imports), COLUMN_CELLS(row->exports)), COLUMN_CELLS(row->inside));
		int			n = 0;
		int			pid;
		int			k;

		for (pid = 0; pid < last && pid < s->codes.n; pid++)
		{
			TradeTotals *i = column_peek(&row->imports, pid, sizeof(TradeTotals));
			TradeTotals *e = column_peek(&row->exports, pid, sizeof(TradeTotals));
			GroupCell  *g = column_peek(&row->inside, pid, sizeof(GroupCell));

			if ((i != NULL && i->flows > 0) || (e != NULL && e->flows > 0) || (g != NULL && g->member_flows > 0))
				pids[n++] = pid;
		}
		qsort_arg(pids, n, sizeof(int), numbers_by_rank_cmp, (void *) rank);
		for (k = 0; k < n; k++)
		{
			Datum		values[13];
			bool		nulls[13] = {false};
			TradeTotals *i = column_peek(&row->imports, pids[k], sizeof(TradeTotals));
			TradeTotals *e = column_peek(&row->exports, pids[k], sizeof(TradeTotals));
			GroupCell  *g = column_peek(&row->inside, pids[k], sizeof(GroupCell));
			MemoryContext old;

			CHECK_FOR_INTERRUPTS();
			if (k % 1024 == 0)
				MemoryContextReset(tmp);
			old = MemoryContextSwitchTo(tmp);
			if (i == NULL)
				i = &none;
			if (e == NULL)
				e = &none;
			values[0] = PointerGetDatum(s->codes.text[row->code]);
			values[1] = PointerGetDatum(s->codes.text[pids[k]]);
			values[2] = Int32GetDatum(row->year);
			values[3] = tt_int4(is_group ? (g != NULL ? g->member_flows : 0) : i->flows);
			tt_sums(i, &values[4], &values[5]);
			values[6] = tt_int4(i->partners);
			nulls[7] = !i->has_top;
			values[7] = nulls[7] ? (Datum) 0 : tt_top(i);
			nulls[8] = !i->has_top;
			values[8] = nulls[8] ? (Datum) 0 : PointerGetDatum(i->top_partner);
			values[9] = tt_int4(e->flows);
			tt_sums(e, &values[10], NULL);
			/* a group's imports from its members; NULL for a country */
			nulls[11] = !is_group;
			if (is_group)
				tt_sums(g != NULL ? &g->inside : &none, &values[11], NULL);
			values[12] = BoolGetDatum(is_group);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			MemoryContextSwitchTo(old);
		}
	}
}

Datum
trade_totals_scan(PG_FUNCTION_ARGS)
{
	Oid			relid;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TotalsScan	s;
	Relation	rel;
	AttrNumber	a_year, a_exporter, a_importer, a_product, a_value, last;
	MemoryContext rowcxt;
	MemoryContext old;
	TableScanDesc scan;
	TupleTableSlot *slot;
	Size		limit = get_hash_memory_limit();
	uint64		rows = 0;
	int			last_ex = -1, last_im = -1, last_product = -1;
	TotalsRow  *rex = NULL;
	TotalsRow  *rim = NULL;
	int		   *order;
	int		   *rank;
	int			k;
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

	tt_init_pow10();
	memset(&s, 0, sizeof(s));
	s.cxt = AllocSetContextCreate(CurrentMemoryContext, "trade_totals_scan", ALLOCSET_DEFAULT_SIZES);
	members_load(&s.ms, s.cxt, fcinfo);
	codes_init(&s.codes, s.cxt);
	rows_init(&s.countries, s.cxt);
	rows_init(&s.groups, s.cxt);
	s.group_code = MemoryContextAlloc(s.cxt, Max(s.ms.ngroups, 1) * sizeof(int));
	for (k = 0; k < s.ms.ngroups; k++)
		s.group_code[k] = code_number(&s.codes, VARDATA_ANY(s.ms.groups[k]), VARSIZE_ANY_EXHDR(s.ms.groups[k]), &s.ms);
	if (s.ms.n > 0)
		s.partners = partners_create(s.cxt, 1024, NULL);

	/*
	 * the flows' passing allocations (detoasted codes, numeric arithmetic),
	 * freed every 1,024 flows; what the rows keep goes to s.cxt
	 */
	rowcxt = AllocSetContextCreate(s.cxt, "trade_totals_scan flows", ALLOCSET_DEFAULT_SIZES);
	scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
	slot = table_slot_create(rel, NULL);
	old = MemoryContextSwitchTo(rowcxt);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		Datum		year, exporter, importer, product;
		FlowValue	fv;
		int			ex, im, pid;
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
		fv.value = slot_getattr(slot, a_value, &fv.null);
		fv.exact = false;
		fv.v = 0;
		fv.scale = fv.dscale = 0;
		if (!fv.null)
		{
			fv.value = PointerGetDatum(PG_DETOAST_DATUM_PACKED(fv.value));
			fv.exact = tt_decode(fv.value, &fv.v, &fv.scale, &fv.dscale);
			if (!fv.exact)
				fv.v = fv.scale = fv.dscale = 0;
		}
		ex = code_of(&s.codes, PointerGetDatum(PG_DETOAST_DATUM_PACKED(exporter)), &last_ex, &s.ms);
		im = code_of(&s.codes, PointerGetDatum(PG_DETOAST_DATUM_PACKED(importer)), &last_im, &s.ms);
		pid = code_of(&s.codes, PointerGetDatum(PG_DETOAST_DATUM_PACKED(product)), &last_product, &s.ms);
		if (rim == NULL || rim->code != im || rim->year != DatumGetInt32(year))
			rim = row_of(&s.countries, DatumGetInt32(year), im);
		if (rex == NULL || rex->code != ex || rex->year != DatumGetInt32(year))
			rex = row_of(&s.countries, DatumGetInt32(year), ex);

		flow_add(s.cxt, column_cell(&rim->imports, pid, sizeof(TradeTotals), s.cxt), &fv, s.codes.text[ex]);
		flow_add(s.cxt, column_cell(&rex->exports, pid, sizeof(TradeTotals), s.cxt), &fv, NULL);
		if (s.ms.n > 0)
			groups_add(&s, DatumGetInt32(year), ex, im, pid, &fv);

		if (++rows % 4096 == 0 && MemoryContextMemAllocated(s.cxt, true) > limit)
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

	/* the groups' imports, as trade_group_totals() gives them */
	if (s.partners != NULL)
		groups_fold(&s);

	/* every code's place in byte order; the countries' rows, then the groups' */
	order = MemoryContextAllocHuge(s.cxt, (Size) Max(s.codes.n, 1) * sizeof(int));
	rank = MemoryContextAllocHuge(s.cxt, (Size) Max(s.codes.n, 1) * sizeof(int));
	for (k = 0; k < s.codes.n; k++)
		order[k] = k;
	qsort_arg(order, s.codes.n, sizeof(int), numbers_by_code_cmp, &s.codes);
	for (k = 0; k < s.codes.n; k++)
		rank[order[k]] = k;
	totals_put(&s, &s.countries, false, rank, order, rsinfo, rowcxt);
	totals_put(&s, &s.groups, true, rank, order, rsinfo, rowcxt);
	MemoryContextDelete(s.cxt);
	return (Datum) 0;
}
