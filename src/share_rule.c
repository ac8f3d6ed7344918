/*
 * share_rule.c - the aggregate share_rule(supplier, as_of, share) over the
 * rows of one dependency key (stage, country, kind, item): what the share
 * rule (40_rules.sql) checks and keeps in share_total, in one pass over the
 * key's rows instead of window functions and sorts over all of them.
 *
 * Each row adds its share minus the same supplier's previous share (a NULL
 * share counts 0) from its date on; the running sum by date is the key's
 * known total at each date.  The result (share_sums) holds the total at the
 * latest date; the HHI of each supplier's latest known share, summed in
 * float8 with the suppliers in descending order, as hhi() over them ordered
 * by supplier DESC sums (the maintained state's order, so that the float
 * sum is the same to the last digit); and the first date whose total is
 * above 1 with that total (NULL: none).  The numbers are exact numeric sums
 * of the same terms as the SQL, so their values and display scales are the
 * same.  Suppliers are ordered in the aggregate's input collation.
 */
#include "supplychain.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"
#include "utils/varlena.h"

PG_FUNCTION_INFO_V1(share_rule_accum);
PG_FUNCTION_INFO_V1(share_rule_final);

typedef struct ShareRow
{
	text	   *supplier;
	DateADT		as_of;
	Numeric		share;			/* NULL: named without a figure */
} ShareRow;

typedef struct ShareState
{
	Oid			collation;
	int			n;
	int			cap;
	ShareRow   *rows;
} ShareState;

/* the collation qsort's comparators use (set for each sort) */
static Oid	share_sort_collation;

static int
supplier_cmp(text *a, text *b)
{
	return varstr_cmp(VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a),
					  VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), share_sort_collation);
}

/* by supplier, then date */
static int
row_cmp(const void *pa, const void *pb)
{
	const ShareRow *a = pa;
	const ShareRow *b = pb;
	int			c = supplier_cmp(a->supplier, b->supplier);

	if (c != 0)
		return c;
	return a->as_of < b->as_of ? -1 : a->as_of > b->as_of ? 1 : 0;
}

/* a change of the total from a date on */
typedef struct ShareDelta
{
	DateADT		as_of;
	Numeric		delta;
} ShareDelta;

static int
delta_cmp(const void *pa, const void *pb)
{
	const ShareDelta *a = pa;
	const ShareDelta *b = pb;

	return a->as_of < b->as_of ? -1 : a->as_of > b->as_of ? 1 : 0;
}

static Numeric
num_add(Numeric a, Numeric b)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_add, NumericGetDatum(a), NumericGetDatum(b)));
}

static Numeric
num_sub(Numeric a, Numeric b)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_sub, NumericGetDatum(a), NumericGetDatum(b)));
}

Datum
share_rule_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	MemoryContext old;
	ShareState *state;
	ShareRow   *row;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "share_rule_accum called in a non-aggregate context");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("share_rule needs a supplier and a date in every row")));

	old = MemoryContextSwitchTo(aggcontext);
	if (PG_ARGISNULL(0))
	{
		state = palloc(sizeof(ShareState));
		state->collation = PG_GET_COLLATION();
		state->n = 0;
		state->cap = 16;
		state->rows = palloc(state->cap * sizeof(ShareRow));
	}
	else
		state = (ShareState *) PG_GETARG_POINTER(0);
	if (state->n == state->cap)
	{
		state->cap *= 2;
		state->rows = repalloc(state->rows, state->cap * sizeof(ShareRow));
	}
	row = &state->rows[state->n++];
	row->supplier = PG_GETARG_TEXT_P_COPY(1);
	row->as_of = PG_GETARG_DATEADT(2);
	row->share = PG_ARGISNULL(3) ? NULL : PG_GETARG_NUMERIC_COPY(3);
	MemoryContextSwitchTo(old);

	PG_RETURN_POINTER(state);
}

Datum
share_rule_final(PG_FUNCTION_ARGS)
{
	ShareState *state;
	TupleDesc	tupdesc;
	ShareDelta *deltas;
	Numeric		zero = int64_to_numeric(0);
	Numeric		one = int64_to_numeric(1);
	Numeric		total = NULL;
	Numeric		bad_total = NULL;
	DateADT		bad_as_of = 0;
	bool		bad = false;
	double		hhi = 0.0;
	bool		any_share = false;
	Datum		values[4];
	bool		nulls[4];
	int			i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "share_rule_final called in a non-aggregate context");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (ShareState *) PG_GETARG_POINTER(0);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE || tupdesc->natts != 4)
		elog(ERROR, "share_rule must return share_sums");
	tupdesc = BlessTupleDesc(tupdesc);

	share_sort_collation = state->collation;
	qsort(state->rows, state->n, sizeof(ShareRow), row_cmp);

	/* each row's change of the total; each supplier's latest row, from the
	 * last supplier back, into the HHI */
	deltas = palloc(state->n * sizeof(ShareDelta));
	for (i = 0; i < state->n; i++)
	{
		ShareRow   *r = &state->rows[i];
		bool		first = i == 0 || supplier_cmp(state->rows[i - 1].supplier, r->supplier) != 0;
		Numeric		prev = first || state->rows[i - 1].share == NULL ? zero : state->rows[i - 1].share;

		deltas[i].as_of = r->as_of;
		deltas[i].delta = num_sub(r->share == NULL ? zero : r->share, prev);
	}
	for (i = state->n - 1; i >= 0; i--)
	{
		ShareRow   *r = &state->rows[i];
		bool		latest = i == state->n - 1 || supplier_cmp(state->rows[i + 1].supplier, r->supplier) != 0;

		if (!latest || r->share == NULL)
			continue;
		hhi = sc_hhi_step_numeric(hhi, !any_share, NumericGetDatum(r->share));
		any_share = true;
	}

	/* the running total, date by date: a date's changes summed, then added */
	qsort(deltas, state->n, sizeof(ShareDelta), delta_cmp);
	for (i = 0; i < state->n;)
	{
		DateADT		as_of = deltas[i].as_of;
		Numeric		day = deltas[i].delta;

		for (i++; i < state->n && deltas[i].as_of == as_of; i++)
			day = num_add(day, deltas[i].delta);
		total = total == NULL ? day : num_add(total, day);
		if (!bad && DatumGetBool(DirectFunctionCall2(numeric_gt, NumericGetDatum(total), NumericGetDatum(one))))
		{
			bad = true;
			bad_as_of = as_of;
			bad_total = total;
		}
	}

	values[0] = NumericGetDatum(total);
	nulls[0] = false;
	values[1] = Float8GetDatum(hhi);
	nulls[1] = !any_share;
	values[2] = DateADTGetDatum(bad_as_of);
	nulls[2] = !bad;
	values[3] = bad ? NumericGetDatum(bad_total) : (Datum) 0;
	nulls[3] = !bad;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
