/*
 * trade_shares.c - trade_shares(): the dependency rows a year of trade flows
 * gives (load_trade_dependencies(), src/sql/85_trade.sql), in one pass.
 *
 * For each importer, each (stage, item) of product_stage and each partner
 * with imports above 0: the partner's share of the importer's imports of
 * the item's products, and a note with the figures.  SQL computes this with
 * a grouping by (importer, stage, item, partner), an ordered string_agg()
 * of the products per group and a window sum per item; here the flows are
 * read once in that order and each item's partners are kept until the item
 * ends, when its total is known.
 *
 * The numbers are SQL's: numeric sums through numeric_add, and
 * share = trim_scale(div(value * 10^10, total) / 10^10) through the same
 * functions, so that values and display scales are the ones the formula in
 * SQL gives (sql/trade_shares.sql compares the two).
 */
#include "supplychain.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

/* rows fetched from the cursor at a time */
#define FETCH_ROWS 1000

/* the query over (import_partner, product_stage), its plan kept per text:
 * per pair of relations and per form (one importer or all) */
static SPIPlanPtr
shares_plan(Oid partners, Oid stages, bool one_importer)
{
	StringInfoData q;
	Oid			argtypes[2] = {INT4OID, TEXTOID};
	SPIPlanPtr	plan;

	/*
	 * The flows in the order of the groups: importer, stage, item, partner,
	 * and the products in the order the note lists them.  The codes in the
	 * default collation, as load_trade_dependencies() writes them (stage and
	 * item are product_stage's, in it already); stage and item sorted byte
	 * by byte (any order that keeps a group's rows together will do, and
	 * that one costs a memcmp), the products in the order of the note.
	 */
	initStringInfo(&q);
	appendStringInfo(&q,
					 "SELECT p.importer COLLATE pg_catalog.\"default\", ps.stage, ps.item,"
					 " p.partner COLLATE pg_catalog.\"default\", p.product::pg_catalog.text, p.value"
					 " FROM %s p JOIN %s ps ON ps.product OPERATOR(pg_catalog.=) p.product"
					 " WHERE p.year OPERATOR(pg_catalog.=) $1 AND NOT p.inside AND p.value OPERATOR(pg_catalog.>) 0%s"
					 " ORDER BY p.importer, ps.stage COLLATE \"C\", ps.item COLLATE \"C\", p.partner, p.product",
					 sc_qualified_name(partners), sc_qualified_name(stages),
					 one_importer ? " AND p.importer OPERATOR(pg_catalog.=) $2" : "");
	/* (read forward once: the sort need not keep its result for a rescan) */
	plan = sc_cached_plan(q.data, one_importer ? 2 : 1, argtypes, CURSOR_OPT_NO_SCROLL, "trade_shares");
	pfree(q.data);
	return plan;
}

/* one partner of the item being read */
typedef struct Partner
{
	char	   *code;
	Datum		value;			/* numeric, the sum of its flows */
	StringInfoData products;	/* the products, space-separated */
	int			last_product;	/* where the last one starts in products */
} Partner;

/* the item being read: its key and its partners so far */
typedef struct ShareItem
{
	char	   *importer;
	char	   *stage;
	char	   *item;
	Partner    *partners;
	int			n;
	int			size;
} ShareItem;

static bool
same(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* the item's rows, once all its partners are read */
static void
emit_item(ShareItem *it, int32 year, Datum scale, Tuplestorestate *ts, TupleDesc desc)
{
	Datum		total;
	char	   *total_text;
	StringInfoData note;
	int			i;

	if (it->n == 0)
		return;
	total = it->partners[0].value;
	for (i = 1; i < it->n; i++)
		total = DirectFunctionCall2(numeric_add, total, it->partners[i].value);
	total_text = DatumGetCString(DirectFunctionCall1(numeric_out, total));
	initStringInfo(&note);

	for (i = 0; i < it->n; i++)
	{
		Partner    *pt = &it->partners[i];
		Datum		values[6];
		bool		nulls[6] = {false, false, false, false, false, false};
		Datum		share;

		share = DirectFunctionCall2(numeric_mul, pt->value, scale);
		share = DirectFunctionCall2(numeric_div_trunc, share, total);
		share = DirectFunctionCall2(numeric_div, share, scale);
		share = DirectFunctionCall1(numeric_trim_scale, share);

		resetStringInfo(&note);
		appendStringInfo(&note, "trade_flow %d: %s of %s imported by %s (products %s)",
						 year, DatumGetCString(DirectFunctionCall1(numeric_out, pt->value)),
						 total_text, it->importer, pt->products.data);

		values[0] = CStringGetTextDatum(it->stage);
		values[1] = CStringGetTextDatum(it->importer);
		values[2] = CStringGetTextDatum(pt->code);
		values[3] = CStringGetTextDatum(it->item);
		values[4] = share;
		values[5] = CStringGetTextDatum(note.data);
		tuplestore_putvalues(ts, desc, values, nulls);
	}
}

/*
 * trade_shares(import_partner regclass, product_stage regclass, year integer,
 *              importer text)
 *   RETURNS TABLE (stage text, country text, supplier text, item text,
 *                  share numeric, note text)
 *
 * importer NULL: every importer with flows that year.  The relations are
 * import_partner (importer, partner, product, year, value, inside) and
 * product_stage (product, stage, item).
 */
PG_FUNCTION_INFO_V1(sc_trade_shares);

Datum
sc_trade_shares(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			partners;
	Oid			stages;
	int32		year;
	bool		one_importer;
	Datum		args[2];
	Portal		portal;
	MemoryContext item_cxt;
	MemoryContext row_cxt;
	MemoryContext outer;
	Datum		scale;			/* 10^10, numeric */
	ShareItem		it = {NULL, NULL, NULL, NULL, 0, 0};
	bool		checked = false;

	InitMaterializedSRF(fcinfo, 0);
	if (rsinfo->setDesc->natts != 6)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("trade_shares: the result must have 6 columns, not %d", rsinfo->setDesc->natts)));
	/* as a strict function, but for the importer: no rows */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return (Datum) 0;
	partners = PG_GETARG_OID(0);
	stages = PG_GETARG_OID(1);
	year = PG_GETARG_INT32(2);
	one_importer = !PG_ARGISNULL(3);
	args[0] = Int32GetDatum(year);
	args[1] = one_importer ? PG_GETARG_DATUM(3) : (Datum) 0;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "trade_shares: SPI_connect failed");
	portal = SPI_cursor_open(NULL, shares_plan(partners, stages, one_importer), args, NULL, true);
	item_cxt = AllocSetContextCreate(CurrentMemoryContext, "trade_shares item", ALLOCSET_DEFAULT_SIZES);
	row_cxt = AllocSetContextCreate(CurrentMemoryContext, "trade_shares row", ALLOCSET_SMALL_SIZES);
	scale = DirectFunctionCall3(numeric_in, CStringGetDatum("10000000000"),
								ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));

	for (;;)
	{
		uint64		r;

		CHECK_FOR_INTERRUPTS();
		SPI_cursor_fetch(portal, true, FETCH_ROWS);
		if (SPI_processed == 0)
			break;
		if (!checked)
		{
			TupleDesc	d = SPI_tuptable->tupdesc;

			/* the relations given may be anyone's: trust no column's type */
			if (d->natts != 6 || SPI_gettypeid(d, 1) != TEXTOID || SPI_gettypeid(d, 2) != TEXTOID ||
				SPI_gettypeid(d, 3) != TEXTOID || SPI_gettypeid(d, 4) != TEXTOID ||
				SPI_gettypeid(d, 5) != TEXTOID || SPI_gettypeid(d, 6) != NUMERICOID)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("trade_shares: %s and %s are not import_partner and product_stage",
								sc_qualified_name(partners), sc_qualified_name(stages))));
			checked = true;
		}
		for (r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tup = SPI_tuptable->vals[r];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			Datum		d[6];
			bool		isnull[6];
			char	   *importer;
			char	   *stage;
			char	   *item;
			char	   *partner;
			char	   *product;
			Partner    *pt;
			int			k;

			/* (the row's six columns at once: the query has no others) */
			heap_deform_tuple(tup, desc, d, isnull);
			for (k = 0; k < 6; k++)
			{
				/* (the view's columns are keys, and value > 0: never NULL) */
				if (isnull[k])
					elog(ERROR, "trade_shares: a flow with a NULL key or value");
			}
			/* this row's strings live until the next row */
			MemoryContextReset(row_cxt);
			outer = MemoryContextSwitchTo(row_cxt);
			importer = TextDatumGetCString(d[0]);
			stage = TextDatumGetCString(d[1]);
			item = TextDatumGetCString(d[2]);
			partner = TextDatumGetCString(d[3]);
			product = TextDatumGetCString(d[4]);

			if (it.importer == NULL || !same(importer, it.importer) || !same(stage, it.stage) || !same(item, it.item))
			{
				/* a new item: the last one's rows, then a fresh one */
				MemoryContextSwitchTo(item_cxt);
				if (it.importer != NULL)
					emit_item(&it, year, scale, rsinfo->setResult, rsinfo->setDesc);
				MemoryContextReset(item_cxt);
				it.importer = pstrdup(importer);
				it.stage = pstrdup(stage);
				it.item = pstrdup(item);
				it.size = 16;
				it.n = 0;
				it.partners = palloc(sizeof(Partner) * it.size);
			}

			MemoryContextSwitchTo(item_cxt);
			pt = it.n > 0 ? &it.partners[it.n - 1] : NULL;
			if (pt == NULL || !same(partner, pt->code))
			{
				if (it.n == it.size)
				{
					it.size *= 2;
					it.partners = repalloc(it.partners, sizeof(Partner) * it.size);
				}
				pt = &it.partners[it.n++];
				pt->code = pstrdup(partner);
				pt->value = datumCopy(d[5], false, -1);
				/* (most partners list a few products: a small buffer, that
				 * appendStringInfo enlarges as needed) */
				pt->products.maxlen = 64;
				pt->products.data = palloc(pt->products.maxlen);
				resetStringInfo(&pt->products);
				appendStringInfoString(&pt->products, product);
				pt->last_product = pt->products.len - strlen(product);
			}
			else
			{
				pt->value = DirectFunctionCall2(numeric_add, pt->value, d[5]);
				/* each product once, as string_agg(DISTINCT ...) lists them */
				if (!same(pt->products.data + pt->last_product, product))
				{
					appendStringInfoChar(&pt->products, ' ');
					pt->last_product = pt->products.len;
					appendStringInfoString(&pt->products, product);
				}
			}
			MemoryContextSwitchTo(outer);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	if (it.importer != NULL)
	{
		outer = MemoryContextSwitchTo(item_cxt);
		emit_item(&it, year, scale, rsinfo->setResult, rsinfo->setDesc);
		MemoryContextSwitchTo(outer);
	}
	SPI_cursor_close(portal);
	MemoryContextDelete(item_cxt);
	MemoryContextDelete(row_cxt);
	SPI_finish();
	return (Datum) 0;
}
