/*
 * state_terms.c - state_terms(): the maintained state's terms of
 * (country, stage) pairs, in one pass over each pair's dependency rows.
 *
 * The risk views' formulas (src/sql/60_views.sql) read, per pair, the
 * current row of each (kind, item, supplier): the latest as_of.  Per
 * supplier they take the largest known share of each kind and count the
 * rows; per item of kind supply the HHI of the known shares; per pair the
 * supplier with the largest supply share.  SQL does this with a sort and
 * three aggregations; here each pair's rows are read in their index's
 * order, newest first within a key, and everything is accumulated as they
 * pass.  One row comes back per (pair, supplier), and one per pair with
 * supplier NULL carrying the pair's own terms (see sc_state_terms below).
 *
 * The numbers are the SQL formulas' own: numeric max (a tie keeps the later
 * value, as max() does), numeric sums and products through the server's
 * numeric functions (exact, so their display scale is the one SQL gives),
 * and the HHI through hhi()'s own transition, in the same order as the raw
 * views' backward index scans (supplier descending).
 */
#include "supplychain.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

/* country codes are two capital letters (country.code's CHECK) */
#define N_CODES (26 * 26)

enum
{
	KIND_SUPPLY, KIND_MARKET, KIND_TALENT, N_KINDS
};
static const char *const kind_names[N_KINDS] = {"supply", "market", "talent"};

/* what one supplier holds in one pair */
typedef struct SupplierTerm
{
	bool		seen;
	int			rows[N_KINDS];
	int			unknown[N_KINDS];
	bool		has_share[N_KINDS];
	Datum		share[N_KINDS]; /* numeric, the largest known */
} SupplierTerm;

/* the weights the terms use, read once per call */
typedef struct Weights
{
	Datum		weakness[4];	/* unassessed, then by level 1..3 */
	bool		weakness_null[4];
	Datum		kind[N_KINDS];
	bool		kind_null[N_KINDS];
} Weights;

/* the per-pair query (its plan kept per text: per dependency and
 * assessment table) */
static SPIPlanPtr
pair_plan(Oid dep, Oid ass, bool one_supplier)
{
	StringInfoData q;
	Oid			argtypes[3] = {TEXTOID, TEXTOID, TEXTOID};
	SPIPlanPtr	plan;

	/*
	 * Each key's rows newest first, keys in the index's order (backward: no
	 * sort), and the pair's current rating beside every row.
	 */
	initStringInfo(&q);
	appendStringInfo(&q,
					 "SELECT d.kind, d.item, d.supplier, d.share,"
					 " (SELECT a.rating::pg_catalog.int4 FROM %s a"
					 "   WHERE a.country OPERATOR(pg_catalog.=) $1 AND a.stage OPERATOR(pg_catalog.=) $2"
					 "   ORDER BY a.as_of DESC LIMIT 1)"
					 " FROM %s d"
					 " WHERE d.country OPERATOR(pg_catalog.=) $1 AND d.stage OPERATOR(pg_catalog.=) $2%s"
					 " ORDER BY d.kind DESC, d.item DESC, d.supplier DESC, d.as_of DESC",
					 sc_qualified_name(ass), sc_qualified_name(dep),
					 one_supplier ? " AND d.supplier OPERATOR(pg_catalog.=) $3" : "");
	/*
	 * One generic plan, chosen for its first rows: the index read backward
	 * (rows in the order wanted), never a bitmap scan and a sort of the pair
	 */
	plan = sc_cached_plan(q.data, one_supplier ? 3 : 2, argtypes, CURSOR_OPT_GENERIC_PLAN | CURSOR_OPT_FAST_PLAN,
						  "state_terms");
	pfree(q.data);
	return plan;
}

/* the weights the terms use (the query's plan kept per weight table) */
static void
read_weights(Oid wt, Weights *w)
{
	StringInfoData q;
	SPIPlanPtr	plan;
	uint64		i;
	int			k;

	for (k = 0; k < 4; k++)
		w->weakness_null[k] = true;
	for (k = 0; k < N_KINDS; k++)
		w->kind_null[k] = true;
	initStringInfo(&q);
	appendStringInfo(&q,
					 "SELECT name, value FROM %s"
					 " WHERE name OPERATOR(pg_catalog.=) ANY ('{weakness.unassessed,weakness.very weak,"
					 "weakness.weak,weakness.satisfactory,kind.supply,kind.market,kind.talent}')",
					 sc_qualified_name(wt));
	plan = sc_cached_plan(q.data, 0, NULL, 0, "state_terms");
	pfree(q.data);
	if (SPI_execute_plan(plan, NULL, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "state_terms: reading the weights failed");
	/* the table given may be anyone's: trust no column's type */
	if (SPI_gettypeid(SPI_tuptable->tupdesc, 1) != TEXTOID ||
		SPI_gettypeid(SPI_tuptable->tupdesc, 2) != NUMERICOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("state_terms: %s is not a weight table (name text, value numeric)", sc_qualified_name(wt))));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		char	   *name = SPI_getvalue(tup, SPI_tuptable->tupdesc, 1);
		bool		isnull;
		Datum		value = SPI_getbinval(tup, SPI_tuptable->tupdesc, 2, &isnull);
		Datum	   *slot = NULL;
		bool	   *slot_null = NULL;

		if (strcmp(name, "weakness.unassessed") == 0)
			slot = &w->weakness[0], slot_null = &w->weakness_null[0];
		else if (strcmp(name, "weakness.very weak") == 0)
			slot = &w->weakness[1], slot_null = &w->weakness_null[1];
		else if (strcmp(name, "weakness.weak") == 0)
			slot = &w->weakness[2], slot_null = &w->weakness_null[2];
		else if (strcmp(name, "weakness.satisfactory") == 0)
			slot = &w->weakness[3], slot_null = &w->weakness_null[3];
		else
			for (k = 0; k < N_KINDS; k++)
				if (strcmp(name + 5, kind_names[k]) == 0)
					slot = &w->kind[k], slot_null = &w->kind_null[k];
		if (slot != NULL && !isnull)
		{
			/* out of SPI's memory */
			*slot = SPI_datumTransfer(value, false, -1);
			*slot_null = false;
		}
	}
}

static int
code_index(const char *code, int len)
{
	if (len != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z')
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("state_terms: supplier code \"%.*s\" is not two capital letters", len, code)));
	return (code[0] - 'A') * 26 + (code[1] - 'A');
}

static int
kind_index(const char *kind, int len)
{
	int			k;

	for (k = 0; k < N_KINDS; k++)
		if (len == strlen(kind_names[k]) && memcmp(kind, kind_names[k], len) == 0)
			return k;
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("state_terms: unknown dependency kind \"%.*s\"", len, kind)));
	return -1;					/* keep the compiler quiet */
}

/* a text column of a row, in place (no copy): false when NULL */
typedef struct TextSlice
{
	const char *p;
	int			len;
} TextSlice;

static bool
text_column(HeapTuple tup, TupleDesc desc, int col, TextSlice *out)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);
	text	   *t;

	if (isnull)
		return false;
	t = DatumGetTextPP(d);
	out->p = VARDATA_ANY(t);
	out->len = VARSIZE_ANY_EXHDR(t);
	return true;
}

static bool
slice_eq(const TextSlice *a, const TextSlice *b)
{
	return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* a + b, numeric; NULL (absent) + x = x */
static void
sum_add(Datum *sum, bool *sum_null, Datum x)
{
	if (*sum_null)
		*sum = x;
	else
		*sum = DirectFunctionCall2(numeric_add, *sum, x);
	*sum_null = false;
}

#define N_COLS 15

/*
 * state_terms(dep, ass, wt, countries, stages [, suppliers]): for each pair,
 * in the arrays' order, one row per supplier with current rows:
 *   country, stage, supplier, dependencies, unknown_shares, supply_rows,
 *   supply_unknown, share_supply, share_market, share_talent, known_share,
 *   weighted (hhi, top_supplier, top_share NULL)
 * then one row of the pair's own terms, supplier NULL:
 *   dependencies = its current rows, supply_rows = suppliers with supply
 *   rows, supply_unknown = supply rows without a share, hhi, top_supplier,
 *   top_share (the rest NULL).
 * With suppliers, element i names one supplier of pair i: only that
 * supplier's rows are read (an index range of the pair, filtered) and only
 * its row comes back (none when it has no current rows).
 */
PG_FUNCTION_INFO_V1(sc_state_terms);

Datum
sc_state_terms(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			dep = PG_GETARG_OID(0);
	Oid			ass = PG_GETARG_OID(1);
	Oid			wt = PG_GETARG_OID(2);
	ArrayType  *countries_a;
	ArrayType  *stages_a;
	Datum	   *countries;
	Datum	   *stages;
	Datum	   *suppliers = NULL;
	bool	   *c_nulls;
	bool	   *s_nulls;
	bool	   *p_nulls = NULL;
	bool		one_supplier = PG_NARGS() > 5 && !PG_ARGISNULL(5);
	int			n_pairs;
	int			n_stages;
	Weights		w;
	SPIPlanPtr	plan;
	SupplierTerm *terms;
	MemoryContext pair_cxt;
	int			p;

	InitMaterializedSRF(fcinfo, 0);
	/* as a strict function: no rows when a table or a key array is NULL */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		return (Datum) 0;
	countries_a = PG_GETARG_ARRAYTYPE_P(3);
	stages_a = PG_GETARG_ARRAYTYPE_P(4);
	deconstruct_array(countries_a, TEXTOID, -1, false, TYPALIGN_INT, &countries, &c_nulls, &n_pairs);
	deconstruct_array(stages_a, TEXTOID, -1, false, TYPALIGN_INT, &stages, &s_nulls, &n_stages);
	if (n_pairs != n_stages)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("state_terms: %d countries and %d stages", n_pairs, n_stages)));
	if (one_supplier)
	{
		int			n_suppliers;

		deconstruct_array(PG_GETARG_ARRAYTYPE_P(5), TEXTOID, -1, false, TYPALIGN_INT,
						  &suppliers, &p_nulls, &n_suppliers);
		if (n_suppliers != n_pairs)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("state_terms: %d countries and %d suppliers", n_pairs, n_suppliers)));
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "state_terms: SPI_connect failed");
	read_weights(wt, &w);
	plan = pair_plan(dep, ass, one_supplier);
	terms = palloc(sizeof(SupplierTerm) * N_CODES);
	pair_cxt = AllocSetContextCreate(CurrentMemoryContext, "state_terms pair", ALLOCSET_DEFAULT_SIZES);

	for (p = 0; p < n_pairs; p++)
	{
		Datum		args[3];
		uint64		r;
		int			rating = 0;
		int			pair_rows = 0;
		int			pair_suppliers = 0;
		int			pair_unknown = 0;
		bool		hhi_null = true;
		double		hhi = 0.0;
		bool		item_hhi_null = true;
		double		item_hhi = 0.0;
		TextSlice	item = {NULL, 0};	/* the supply item whose HHI is being summed */
		int			last_kind = -1; /* the key of the last row */
		TextSlice	last_item = {NULL, 0};
		int			last_supplier = -1;
		int			top = -1;
		int			c;
		MemoryContext outer;
		Datum		values[N_COLS];
		bool		nulls[N_COLS];

		if (c_nulls[p] || s_nulls[p] || (one_supplier && p_nulls[p]))
			continue;
		CHECK_FOR_INTERRUPTS();
		memset(terms, 0, sizeof(SupplierTerm) * N_CODES);
		args[0] = countries[p];
		args[1] = stages[p];
		if (one_supplier)
			args[2] = suppliers[p];
		if (SPI_execute_plan(plan, args, NULL, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "state_terms: reading a pair's rows failed");
		/* the tables given may be anyone's: trust no column's type */
		if (SPI_gettypeid(SPI_tuptable->tupdesc, 1) != TEXTOID ||
			SPI_gettypeid(SPI_tuptable->tupdesc, 2) != TEXTOID ||
			SPI_gettypeid(SPI_tuptable->tupdesc, 3) != TEXTOID ||
			SPI_gettypeid(SPI_tuptable->tupdesc, 4) != NUMERICOID ||
			SPI_gettypeid(SPI_tuptable->tupdesc, 5) != INT4OID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("state_terms: %s is not a dependency table (kind, item and supplier text, share numeric)",
							sc_qualified_name(dep))));
		outer = MemoryContextSwitchTo(pair_cxt);

		for (r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tup = SPI_tuptable->vals[r];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			TextSlice	kind;
			TextSlice	this_item;
			TextSlice	supplier;
			bool		share_null;
			Datum		share = SPI_getbinval(tup, desc, 4, &share_null);
			bool		rating_null;
			Datum		rating_d = SPI_getbinval(tup, desc, 5, &rating_null);
			int			k;
			int			code;
			SupplierTerm *t;

			/* the key's text in place: compared by bytes, as text equality is */
			if (!text_column(tup, desc, 1, &kind) || !text_column(tup, desc, 2, &this_item) ||
				!text_column(tup, desc, 3, &supplier))
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("state_terms: a row of %s has no kind, item or supplier", sc_qualified_name(dep))));
			k = kind_index(kind.p, kind.len);
			code = code_index(supplier.p, supplier.len);

			if (r == 0 && !rating_null)
				rating = DatumGetInt32(rating_d);
			/* an older row of the key just seen: not current */
			if (k == last_kind && code == last_supplier && slice_eq(&this_item, &last_item))
				continue;
			last_kind = k;
			last_item = this_item;
			last_supplier = code;
			t = &terms[code];

			/* the HHI of each supply item's known shares; the pair's largest */
			if (k == KIND_SUPPLY && (item.p == NULL || !slice_eq(&item, &this_item)))
			{
				if (!item_hhi_null && (hhi_null || item_hhi > hhi))
					hhi = item_hhi, hhi_null = false;
				item = this_item;
				item_hhi_null = true;
				item_hhi = 0.0;
			}
			if (k == KIND_SUPPLY && !share_null)
			{
				item_hhi = sc_hhi_step_numeric(item_hhi, item_hhi_null, share);
				item_hhi_null = false;
			}

			pair_rows++;
			t->seen = true;
			t->rows[k]++;
			if (share_null)
			{
				t->unknown[k]++;
				if (k == KIND_SUPPLY)
					pair_unknown++;
			}
			else if (!t->has_share[k] ||
					 DatumGetInt32(DirectFunctionCall2(numeric_cmp, share, t->share[k])) >= 0)
			{
				/* max(): a tie keeps the later value */
				t->share[k] = share;
				t->has_share[k] = true;
			}
		}
		if (!item_hhi_null && (hhi_null || item_hhi > hhi))
			hhi = item_hhi, hhi_null = false;

		/* the rows (the tuplestore copies them) */
		for (c = 0; c < N_CODES; c++)
		{
			SupplierTerm *t = &terms[c];
			char		code[3] = {'A' + c / 26, 'A' + c % 26, '\0'};
			Datum		known = (Datum) 0;
			bool		known_null = true;
			Datum		weighted = (Datum) 0;
			bool		weighted_null = true;
			int			rows = 0;
			int			unknown = 0;
			int			k;
			int			wi = rating >= 1 && rating <= 3 ? rating : 0;

			if (!t->seen)
				continue;
			for (k = 0; k < N_KINDS; k++)
			{
				rows += t->rows[k];
				unknown += t->unknown[k];
				if (!t->has_share[k])
					continue;
				sum_add(&known, &known_null, t->share[k]);
				/* share x weakness x kind weight, as SQL multiplies them */
				if (!w.weakness_null[wi] && !w.kind_null[k])
					sum_add(&weighted, &weighted_null,
								  DirectFunctionCall2(numeric_mul,
													  DirectFunctionCall2(numeric_mul, t->share[k], w.weakness[wi]),
													  w.kind[k]));
			}
			if (t->rows[KIND_SUPPLY] > 0)
				pair_suppliers++;
			/* the top supplier: the largest supply share, the first code on a tie */
			if (t->has_share[KIND_SUPPLY] &&
				(top < 0 || DatumGetInt32(DirectFunctionCall2(numeric_cmp, t->share[KIND_SUPPLY],
															  terms[top].share[KIND_SUPPLY])) > 0))
				top = c;

			memset(nulls, true, sizeof(nulls));
			values[0] = countries[p], nulls[0] = false;
			values[1] = stages[p], nulls[1] = false;
			values[2] = CStringGetTextDatum(code), nulls[2] = false;
			values[3] = Int32GetDatum(rows), nulls[3] = false;
			values[4] = Int32GetDatum(unknown), nulls[4] = false;
			values[5] = Int32GetDatum(t->rows[KIND_SUPPLY]), nulls[5] = false;
			values[6] = Int32GetDatum(t->unknown[KIND_SUPPLY]), nulls[6] = false;
			for (k = 0; k < N_KINDS; k++)
				if (t->has_share[k])
					values[7 + k] = t->share[k], nulls[7 + k] = false;
			values[10] = known, nulls[10] = known_null;
			values[11] = weighted, nulls[11] = weighted_null;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}

		/* the pair's own terms (not of one supplier's rows) */
		if (!one_supplier)
		{
			memset(nulls, true, sizeof(nulls));
			values[0] = countries[p], nulls[0] = false;
			values[1] = stages[p], nulls[1] = false;
			values[3] = Int32GetDatum(pair_rows), nulls[3] = false;
			values[5] = Int32GetDatum(pair_suppliers), nulls[5] = false;
			values[6] = Int32GetDatum(pair_unknown), nulls[6] = false;
			if (!hhi_null)
				values[12] = Float8GetDatum(hhi), nulls[12] = false;
			if (top >= 0)
			{
				char		code[3] = {'A' + top / 26, 'A' + top % 26, '\0'};

				values[13] = CStringGetTextDatum(code), nulls[13] = false;
				values[14] = terms[top].share[KIND_SUPPLY], nulls[14] = false;
			}
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
		SPI_freetuptable(SPI_tuptable);
		MemoryContextSwitchTo(outer);
		MemoryContextReset(pair_cxt);
	}
	SPI_finish();
	return (Datum) 0;
}
