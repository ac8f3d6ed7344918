/*
 * propagate_input.c - running propagate_exposure's two input queries; checking their columns and rows.
 */
#include "propagate.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "tcop/dest.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/plancache.h"

/* What a result column holds, and so how to read its datums. */
typedef enum ColKind
{
	COL_INVALID = 0,
	COL_INT2,
	COL_INT4,
	COL_INT8,
	COL_TEXT,					/* text, varchar */
	COL_BPCHAR,					/* character(n): trailing blanks dropped */
	COL_FLOAT4,
	COL_FLOAT8,
	COL_NUMERIC
} ColKind;

typedef enum ColRole
{
	ROLE_ID,
	ROLE_COUNTRY,
	ROLE_SHARE
} ColRole;

/* A DestReceiver that appends the rows of one input query to the graph. */
typedef struct Reader
{
	DestReceiver pub;
	Graph	   *g;
	const char *what;			/* "edges_sql" or "origins_sql" */
	bool		edges;
	ColKind		kinds[3];
	MemoryContext rowcxt;
	int64		row;
	/* the last id of each id column: tables are often grouped by one */
	bool		cached[2];
	int64		cached_int[2];
	NameKey		cached_name[2];
	int32		cached_index[2];
} Reader;

/* ---------------------------------------------------------------------
 * Column types.
 * ---------------------------------------------------------------------
 */

static ColKind
classify(Oid typid)
{
	switch (getBaseType(typid))
	{
		case INT2OID:
			return COL_INT2;
		case INT4OID:
			return COL_INT4;
		case INT8OID:
			return COL_INT8;
		case TEXTOID:
		case VARCHAROID:
			return COL_TEXT;
		case BPCHAROID:
			return COL_BPCHAR;
		case FLOAT4OID:
			return COL_FLOAT4;
		case FLOAT8OID:
			return COL_FLOAT8;
		case NUMERICOID:
			return COL_NUMERIC;
		default:
			return COL_INVALID;
	}
}

static inline bool
is_int_kind(ColKind k)
{
	return k == COL_INT2 || k == COL_INT4 || k == COL_INT8;
}

static bool
role_accepts(ColRole role, ColKind k)
{
	switch (role)
	{
		case ROLE_ID:
			return is_int_kind(k) || k == COL_TEXT || k == COL_BPCHAR;
		case ROLE_COUNTRY:
			return k == COL_TEXT || k == COL_BPCHAR;
		case ROLE_SHARE:
			return k == COL_FLOAT4 || k == COL_FLOAT8 || k == COL_NUMERIC || is_int_kind(k);
	}
	return false;
}

/*
 * Check that a query result has the three columns its role needs; fill in
 * how to read each.  Columns are taken by position, whatever their names.
 */
static void
check_columns(TupleDesc desc, bool edges, const char *what, ColKind *kinds)
{
	static const ColRole edge_roles[3] = {ROLE_ID, ROLE_ID, ROLE_SHARE};
	static const ColRole origin_roles[3] = {ROLE_ID, ROLE_COUNTRY, ROLE_SHARE};
	static const char *const edge_names[3] = {"supplier", "customer", "share"};
	static const char *const origin_names[3] = {"node", "country", "share"};
	const ColRole *roles = edges ? edge_roles : origin_roles;
	const char *const *names = edges ? edge_names : origin_names;
	const char *shape = edges ?
		"edges_sql must return (supplier, customer, share): node ids of type text, varchar, character, "
		"bigint, integer or smallint, and a share of type double precision, real, numeric or an integer type."
		:
		"origins_sql must return (node, country, share): a node id of type text, varchar, character, "
		"bigint, integer or smallint, a country of type text, varchar or character, and a share of type "
		"double precision, real, numeric or an integer type.";
	int			i;

	if (desc->natts != 3)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s must return 3 columns, not %d", what, desc->natts),
				 errdetail("%s", shape)));
	for (i = 0; i < 3; i++)
	{
		Oid			typid = TupleDescAttr(desc, i)->atttypid;

		kinds[i] = classify(typid);
		if (!role_accepts(roles[i], kinds[i]))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column %d (%s) of %s has type %s", i + 1, names[i], what,
							format_type_be(typid)),
					 errdetail("%s", shape)));
	}
}

/* ---------------------------------------------------------------------
 * Datums.
 * ---------------------------------------------------------------------
 */

static int64
datum_int(ColKind k, Datum d)
{
	switch (k)
	{
		case COL_INT2:
			return DatumGetInt16(d);
		case COL_INT4:
			return DatumGetInt32(d);
		default:
			return DatumGetInt64(d);
	}
}

/* The bytes of a text-like datum (detoasted into the current context). */
static NameKey
datum_name(ColKind k, Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	NameKey		key;

	if (VARATT_IS_EXTENDED(v))
		v = pg_detoast_datum_packed(v);
	key.data = VARDATA_ANY(v);
	key.len = VARSIZE_ANY_EXHDR(v);
	if (k == COL_BPCHAR)
		while (key.len > 0 && key.data[key.len - 1] == ' ')
			key.len--;
	return key;
}

static double
datum_share(ColKind k, Datum d)
{
	switch (k)
	{
		case COL_FLOAT4:
			return (double) DatumGetFloat4(d);
		case COL_FLOAT8:
			return DatumGetFloat8(d);
		case COL_NUMERIC:
			return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, d));
		default:
			return (double) datum_int(k, d);
	}
}

/* A node id as the user wrote it, for messages. */
static char *
datum_label(ColKind k, Datum d)
{
	NameKey		key;

	if (is_int_kind(k))
		return psprintf(INT64_FORMAT, datum_int(k, d));
	key = datum_name(k, d);
	return pnstrdup(key.data, key.len);
}

/* Index of a node id, under the graph's one representation of ids. */
static int32
node_index(Graph *g, ColKind k, Datum d)
{
	NameKey		key;
	char		buf[MAXINT8LEN + 1];

	if (g->int_keys)
		return graph_intern_int(g, datum_int(k, d));
	if (is_int_kind(k))
	{
		/* integers become their decimal text, so 42 and '42' meet */
		key.len = pg_lltoa(datum_int(k, d), buf);
		key.data = buf;
	}
	else
		key = datum_name(k, d);
	return graph_intern_name(g, key);
}

/* ---------------------------------------------------------------------
 * The receiver of each query's rows.
 * ---------------------------------------------------------------------
 */

/* node_index, remembering the column's last id */
static int32
reader_node_index(Reader *r, int col, Datum d)
{
	Graph	   *g = r->g;
	ColKind		k = r->kinds[col];
	int32		index;

	if (is_int_kind(k))
	{
		int64		id = datum_int(k, d);

		if (r->cached[col] && r->cached_int[col] == id)
			return r->cached_index[col];
		index = node_index(g, k, d);
		r->cached_int[col] = id;
	}
	else
	{
		NameKey		key = datum_name(k, d);
		NameKey	   *last = &r->cached_name[col];

		if (r->cached[col] && last->len == key.len && memcmp(last->data, key.data, key.len) == 0)
			return r->cached_index[col];
		index = node_index(g, k, d);
		/* the arena's copy outlives the row */
		last->data = VARDATA(g->names[index]);
		last->len = key.len;
	}
	r->cached[col] = true;
	r->cached_index[col] = index;
	return index;
}

static double
checked_share(Reader *r, Datum *values)
{
	double		share = datum_share(r->kinds[2], values[2]);

	if (isnan(share) || share < 0.0 || share > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("share %g is out of range", share),
				 r->edges ?
				 errdetail("Edge %s -> %s (row " INT64_FORMAT " of edges_sql); shares are fractions between 0 and 1.",
						   datum_label(r->kinds[0], values[0]),
						   datum_label(r->kinds[1], values[1]), r->row) :
				 errdetail("Node %s, country %s (row " INT64_FORMAT " of origins_sql); shares are fractions between 0 and 1.",
						   datum_label(r->kinds[0], values[0]),
						   datum_label(r->kinds[1], values[1]), r->row)));
	return share;
}

static bool
reader_receive(TupleTableSlot *slot, DestReceiver *self)
{
	Reader	   *r = (Reader *) self;
	Graph	   *g = r->g;
	Datum	   *values;
	bool	   *isnull;
	MemoryContext old;
	double		share;

	CHECK_FOR_INTERRUPTS();
	r->row++;
	slot_getsomeattrs(slot, 3);
	values = slot->tts_values;
	isnull = slot->tts_isnull;

	if (isnull[0] || isnull[1])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s returned a null %s", r->what,
						isnull[0] ? (r->edges ? "supplier" : "node") :
						(r->edges ? "customer" : "country")),
				 errdetail("Row " INT64_FORMAT ".", r->row)));
	if (isnull[2])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s returned a null share", r->what),
				 errdetail("Row " INT64_FORMAT ".", r->row),
				 errhint("Leave out rows whose share is unknown, e.g. with WHERE share IS NOT NULL.")));

	old = MemoryContextSwitchTo(r->rowcxt);
	share = checked_share(r, values);
	if (share > 0.0)
	{
		if (r->edges)
		{
			int32		s = reader_node_index(r, 0, values[0]);
			int32		c = reader_node_index(r, 1, values[1]);

			graph_add_edge(g, s, c, share);
		}
		else
		{
			int32		n = reader_node_index(r, 0, values[0]);
			int32		c = graph_intern_country(g, datum_name(r->kinds[1], values[1]));

			graph_add_origin(g, n, c, share);
		}
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(r->rowcxt);
	return true;
}

static void
reader_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
	Reader	   *r = (Reader *) self;
	ColKind		kinds[3];

	/* the plan may have been rebuilt since we looked at it */
	check_columns(typeinfo, r->edges, r->what, kinds);
	if (memcmp(kinds, r->kinds, sizeof(kinds)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("result types of %s changed while it was being run", r->what)));
}

static void
reader_noop(DestReceiver *self)
{
}

/* ---------------------------------------------------------------------
 * The two queries.
 * ---------------------------------------------------------------------
 */

static SPIPlanPtr
prepare_input(const char *sql, const char *what, bool edges, ColKind *kinds)
{
	SPIPlanPtr	plan;
	List	   *sources;
	CachedPlanSource *source;

	plan = SPI_prepare_cursor(sql, 0, NULL, CURSOR_OPT_PARALLEL_OK);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare_cursor failed for %s: %s", what,
			 SPI_result_code_string(SPI_result));
	sources = SPI_plan_get_plan_sources(plan);
	if (list_length(sources) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be exactly one query, not %d", what, list_length(sources))));
	source = (CachedPlanSource *) linitial(sources);
	if (source->resultDesc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s must be a query that returns rows", what)));
	{
		Query	   *q = linitial_node(Query, source->query_list);

		if (q->commandType != CMD_SELECT || q->hasModifyingCTE || q->rowMarks != NIL)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("%s must be a read-only query", what),
					 errdetail("It may not write, lock rows, or be a utility statement such as FETCH.")));
	}
	check_columns(source->resultDesc, edges, what, kinds);
	return plan;
}

static void
run_input(Graph *g, SPIPlanPtr plan, const char *what, bool edges, const ColKind *kinds)
{
	Reader		r;
	SPIExecuteOptions options;
	int			rc;

	memset(&r, 0, sizeof(r));
	r.pub.receiveSlot = reader_receive;
	r.pub.rStartup = reader_startup;
	r.pub.rShutdown = reader_noop;
	r.pub.rDestroy = reader_noop;
	r.pub.mydest = DestNone;
	r.g = g;
	r.what = what;
	r.edges = edges;
	memcpy(r.kinds, kinds, sizeof(r.kinds));
	r.rowcxt = AllocSetContextCreate(g->cxt, "propagate_exposure row", ALLOCSET_SMALL_SIZES);

	/*
	 * Rows stream into the receiver as the executor produces them: nothing
	 * is copied into an SPI tuple table, so memory holds the graph only.
	 * read_only: the queries run in the caller's snapshot and may not write.
	 */
	memset(&options, 0, sizeof(options));
	options.read_only = true;
	options.must_return_tuples = true;
	options.dest = &r.pub;
	rc = SPI_execute_plan_extended(plan, &options);
	if (rc < 0)
		elog(ERROR, "running %s failed: %s", what, SPI_result_code_string(rc));

	if (edges)
		g->edge_rows = r.row;
	else
		g->origin_rows = r.row;
	MemoryContextDelete(r.rowcxt);
}

void
propagate_read_inputs(Graph *g, const char *edges_sql, const char *origins_sql)
{
	SPIPlanPtr	eplan;
	SPIPlanPtr	oplan;
	ColKind		ekinds[3];
	ColKind		okinds[3];

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	/* both shapes are checked before either query runs */
	eplan = prepare_input(edges_sql, "edges_sql", true, ekinds);
	oplan = prepare_input(origins_sql, "origins_sql", false, okinds);

	/* one representation of ids: integers if every id column is one */
	graph_init_ids(g, is_int_kind(ekinds[0]) && is_int_kind(ekinds[1]) && is_int_kind(okinds[0]));

	run_input(g, eplan, "edges_sql", true, ekinds);
	run_input(g, oplan, "origins_sql", false, okinds);

	SPI_finish();
}
