/*
 * trade_shares.c - trade_shares(): the dependency rows a year of trade flows
 * gives (load_trade_dependencies(), src/sql/85_trade.sql), in one pass.
 *
 * For each importer, each (stage, item) of product_stage and each partner
 * with imports above 0: the partner's share of the importer's imports of
 * the item's products, and a note with the figures.  SQL computes this with
 * a grouping by (importer, stage, item, partner), an ordered string_agg()
 * of the products per group and a window sum per item; here an importer's
 * flows are read once, in any order, into a hash table of its items (each
 * with its partners and their products), and its rows are emitted when its
 * flows end, items and partners in byte order (dependency's key order, in
 * which its index takes them cheapest).  Only the importers are sorted (one
 * importer: nothing is).
 *
 * The numbers are SQL's: numeric sums through numeric_add (exact, in any
 * order), and share = trim_scale(div(value * 10^10, total) / 10^10) through
 * the same functions (the last division as a product by 10^-10, exact as
 * the quotient is), so that values and display scales are the ones the
 * formula in SQL gives (sql/trade_shares.sql compares the two).
 */
#include "supplychain.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/hsearch.h"
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
	 * The flows, in the default collation, as load_trade_dependencies()
	 * writes them (stage and item are product_stage's, in it already); all
	 * importers: sorted by importer alone (its rows are grouped here), one
	 * importer: not sorted at all.
	 */
	initStringInfo(&q);
	appendStringInfo(&q,
					 "SELECT p.importer COLLATE pg_catalog.\"default\", ps.stage, ps.item,"
					 " p.partner COLLATE pg_catalog.\"default\", p.product::pg_catalog.text, p.value"
					 " FROM %s p JOIN %s ps ON ps.product OPERATOR(pg_catalog.=) p.product"
					 " WHERE p.year OPERATOR(pg_catalog.=) $1 AND NOT p.inside AND p.value OPERATOR(pg_catalog.>) 0%s",
					 sc_qualified_name(partners), sc_qualified_name(stages),
					 one_importer ? " AND p.importer OPERATOR(pg_catalog.=) $2"
					 : " ORDER BY p.importer COLLATE \"C\"");
	/* (read forward once: a sort need not keep its result for a rescan) */
	plan = sc_cached_plan(q.data, one_importer ? 2 : 1, argtypes, CURSOR_OPT_NO_SCROLL, "trade_shares");
	pfree(q.data);
	return plan;
}

/* one partner of an item */
typedef struct Partner
{
	char	   *code;
	int			len;
	Datum		value;			/* numeric, the sum of its flows */
	char	  **products;		/* as read (sorted and made distinct at the end) */
	int			n;
	int			size;
} Partner;

/* an item (the hash key: its stage and item, first) and its partners; a
 * key looked up points into the row, a key kept into the item's copies */
typedef struct ShareKey
{
	const char *stage;
	int			stage_len;
	const char *item;
	int			item_len;
} ShareKey;

typedef struct ShareItem
{
	ShareKey	key;
	Partner    *partners;
	int			n;
	int			size;
} ShareItem;

static uint32
item_hash(const void *key, Size keysize)
{
	const ShareKey *k = key;

	return hash_combine(hash_bytes((const unsigned char *) k->stage, k->stage_len),
						hash_bytes((const unsigned char *) k->item, k->item_len));
}

static int
item_match(const void *a, const void *b, Size keysize)
{
	const ShareKey *x = a;
	const ShareKey *y = b;

	return x->stage_len != y->stage_len || x->item_len != y->item_len ||
		memcmp(x->stage, y->stage, x->stage_len) != 0 || memcmp(x->item, y->item, x->item_len) != 0;
}

/* qsort comparators: items by (stage, item), partners by code, strings
 * (the kept copies end in a NUL: strcmp is byte order) */
static int
item_cmp(const void *a, const void *b)
{
	const ShareItem *x = *(ShareItem *const *) a;
	const ShareItem *y = *(ShareItem *const *) b;
	int			c = strcmp(x->key.stage, y->key.stage);

	return c != 0 ? c : strcmp(x->key.item, y->key.item);
}

static int
partner_cmp(const void *a, const void *b)
{
	return strcmp(((const Partner *) a)->code, ((const Partner *) b)->code);
}

static int
string_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* the importer being read: its items, in a hash table of its own context */
typedef struct Importer
{
	char	   *code;			/* NULL: none yet */
	int			len;
	HTAB	   *items;
	MemoryContext cxt;			/* reset for each importer */
} Importer;

static void
importer_start(Importer *im, const char *code, int len)
{
	HASHCTL		ctl;

	MemoryContextReset(im->cxt);
	im->code = MemoryContextAlloc(im->cxt, len + 1);
	memcpy(im->code, code, len);
	im->code[len] = '\0';
	im->len = len;
	ctl.keysize = sizeof(ShareKey);
	ctl.entrysize = sizeof(ShareItem);
	ctl.hash = item_hash;
	ctl.match = item_match;
	ctl.hcxt = im->cxt;
	im->items = hash_create("trade_shares items", 1024, &ctl,
							HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
}

/* a text value's bytes, without a copy where it is inline */
static const char *
text_bytes(Datum d, int *len)
{
	text	   *t = (text *) PG_DETOAST_DATUM_PACKED(d);

	*len = VARSIZE_ANY_EXHDR(t);
	return VARDATA_ANY(t);
}

/* a flow of the importer: its item's partner gets its value and product */
static void
importer_add(Importer *im, Datum stage, Datum item, Datum partner, Datum product, Datum value)
{
	ShareKey	key;
	ShareItem  *it;
	Partner    *pt = NULL;
	bool		found;
	const char *code;
	const char *p;
	int			len;
	int			product_len;
	int			i;
	MemoryContext outer;

	/* (the row's values, read in the row's context) */
	key.stage = text_bytes(stage, &key.stage_len);
	key.item = text_bytes(item, &key.item_len);
	code = text_bytes(partner, &len);
	p = text_bytes(product, &product_len);
	outer = MemoryContextSwitchTo(im->cxt);
	it = hash_search(im->items, &key, HASH_ENTER, &found);
	if (!found)
	{
		/* (the key pointed into the row: the entry keeps copies) */
		it->key.stage = pnstrdup(key.stage, key.stage_len);
		it->key.item = pnstrdup(key.item, key.item_len);
		it->size = 8;
		it->n = 0;
		it->partners = palloc(sizeof(Partner) * it->size);
	}
	/* (an item has a few partners) */
	for (i = it->n - 1; i >= 0; i--)
	{
		if (it->partners[i].len == len && memcmp(it->partners[i].code, code, len) == 0)
		{
			pt = &it->partners[i];
			break;
		}
	}
	if (pt == NULL)
	{
		if (it->n == it->size)
		{
			it->size *= 2;
			it->partners = repalloc(it->partners, sizeof(Partner) * it->size);
		}
		pt = &it->partners[it->n++];
		pt->code = pnstrdup(code, len);
		pt->len = len;
		pt->value = datumCopy(value, false, -1);
		pt->size = 4;
		pt->n = 0;
		pt->products = palloc(sizeof(char *) * pt->size);
	}
	else
		pt->value = DirectFunctionCall2(numeric_add, pt->value, value);
	if (pt->n == pt->size)
	{
		pt->size *= 2;
		pt->products = repalloc(pt->products, sizeof(char *) * pt->size);
	}
	pt->products[pt->n++] = pnstrdup(p, product_len);
	MemoryContextSwitchTo(outer);
}

/* what every row of a call shares: the note's start, and the numerics that
 * scale a share to 10 decimals and back */
typedef struct ShareCall
{
	char	   *prefix;			/* "trade_flow YEAR: " */
	Datum		scale;			/* 10^10 */
	Datum		unscale;		/* 10^-10 (exact: a product, not a quotient) */
	Tuplestorestate *ts;
	TupleDesc	desc;
} ShareCall;

/* the importer's rows, once all its flows are read: items and partners in
 * byte order, each partner's products sorted and listed once (as
 * string_agg(DISTINCT ...) lists them) */
static void
importer_emit(Importer *im, const ShareCall *call)
{
	ShareItem **items;
	ShareItem  *it;
	HASH_SEQ_STATUS seq;
	long		n_items = hash_get_num_entries(im->items);
	long		k = 0;
	MemoryContext row_cxt;
	MemoryContext outer;
	Datum		importer;
	char	   *by;				/* " imported by IMPORTER (products " */
	StringInfoData note;

	if (n_items == 0)
		return;
	outer = MemoryContextSwitchTo(im->cxt);
	items = palloc(sizeof(ShareItem *) * n_items);
	hash_seq_init(&seq, im->items);
	while ((it = hash_seq_search(&seq)) != NULL)
		items[k++] = it;
	qsort(items, n_items, sizeof(ShareItem *), item_cmp);
	importer = CStringGetTextDatum(im->code);
	by = psprintf(" imported by %s (products ", im->code);
	initStringInfo(&note);
	row_cxt = AllocSetContextCreate(im->cxt, "trade_shares item", ALLOCSET_DEFAULT_SIZES);

	for (k = 0; k < n_items; k++)
	{
		Datum		values[6];
		bool		nulls[6] = {false, false, false, false, false, false};
		Datum		total;
		char	   *total_text;
		int			i;

		it = items[k];
		MemoryContextSwitchTo(row_cxt);
		qsort(it->partners, it->n, sizeof(Partner), partner_cmp);
		total = it->partners[0].value;
		for (i = 1; i < it->n; i++)
			total = DirectFunctionCall2(numeric_add, total, it->partners[i].value);
		total_text = DatumGetCString(DirectFunctionCall1(numeric_out, total));
		values[0] = CStringGetTextDatum(it->key.stage);
		values[1] = importer;
		values[3] = CStringGetTextDatum(it->key.item);

		for (i = 0; i < it->n; i++)
		{
			Partner    *pt = &it->partners[i];
			Datum		share;
			int			j;

			CHECK_FOR_INTERRUPTS();
			/* share = trim_scale(div(value * 10^10, total) / 10^10) */
			share = DirectFunctionCall2(numeric_mul, pt->value, call->scale);
			share = DirectFunctionCall2(numeric_div_trunc, share, total);
			share = DirectFunctionCall2(numeric_mul, share, call->unscale);
			share = DirectFunctionCall1(numeric_trim_scale, share);

			/* "trade_flow YEAR: VALUE of TOTAL imported by IMPORTER (products P1 P2)" */
			resetStringInfo(&note);
			appendStringInfoString(&note, call->prefix);
			appendStringInfoString(&note, DatumGetCString(DirectFunctionCall1(numeric_out, pt->value)));
			appendStringInfoString(&note, " of ");
			appendStringInfoString(&note, total_text);
			appendStringInfoString(&note, by);
			qsort(pt->products, pt->n, sizeof(char *), string_cmp);
			for (j = 0; j < pt->n; j++)
			{
				if (j > 0 && strcmp(pt->products[j], pt->products[j - 1]) == 0)
					continue;
				if (j > 0)
					appendStringInfoChar(&note, ' ');
				appendStringInfoString(&note, pt->products[j]);
			}
			appendStringInfoChar(&note, ')');

			values[2] = PointerGetDatum(cstring_to_text_with_len(pt->code, pt->len));
			values[4] = share;
			values[5] = PointerGetDatum(cstring_to_text_with_len(note.data, note.len));
			tuplestore_putvalues(call->ts, call->desc, values, nulls);
		}
		MemoryContextReset(row_cxt);
	}
	MemoryContextSwitchTo(outer);
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
	MemoryContext row_cxt;
	MemoryContext outer;
	ShareCall	call;
	Importer	im = {NULL, 0, NULL, NULL};
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
	im.cxt = AllocSetContextCreate(CurrentMemoryContext, "trade_shares importer", ALLOCSET_DEFAULT_SIZES);
	row_cxt = AllocSetContextCreate(CurrentMemoryContext, "trade_shares row", ALLOCSET_SMALL_SIZES);
	call.prefix = psprintf("trade_flow %d: ", year);
	call.scale = DirectFunctionCall3(numeric_in, CStringGetDatum("10000000000"),
									 ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	call.unscale = DirectFunctionCall3(numeric_in, CStringGetDatum("0.0000000001"),
									   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	call.ts = rsinfo->setResult;
	call.desc = rsinfo->setDesc;

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
			Datum		d[6];
			bool		isnull[6];
			const char *importer;
			int			len;
			int			k;

			/* (the row's six columns at once: the query has no others) */
			heap_deform_tuple(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, d, isnull);
			for (k = 0; k < 6; k++)
			{
				/* (the view's columns are keys, and value > 0: never NULL) */
				if (isnull[k])
					elog(ERROR, "trade_shares: a flow with a NULL key or value");
			}
			/* (what detoasting allocates lives until the next row) */
			MemoryContextReset(row_cxt);
			outer = MemoryContextSwitchTo(row_cxt);
			importer = text_bytes(d[0], &len);
			if (im.code == NULL || len != im.len || memcmp(importer, im.code, len) != 0)
			{
				/* a new importer: the last one's rows, then a fresh one */
				if (im.code != NULL)
					importer_emit(&im, &call);
				importer_start(&im, importer, len);
			}
			importer_add(&im, d[1], d[2], d[3], d[4], d[5]);
			MemoryContextSwitchTo(outer);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	if (im.code != NULL)
		importer_emit(&im, &call);
	SPI_cursor_close(portal);
	MemoryContextDelete(im.cxt);
	MemoryContextDelete(row_cxt);
	SPI_finish();
	return (Datum) 0;
}
