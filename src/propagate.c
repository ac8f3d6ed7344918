/*
 * propagate.c - multi-tier exposure propagation over a supplier graph:
 * propagate_exposure(edges_sql, origins_sql, max_tiers).
 *
 * exposure(n, c) = own(n, c) + sum over edges s -> n of share(s, n) x exposure(s, c),
 * taken over walks of at most max_tiers edges: the sum, over every walk of
 * length 0 .. max_tiers that starts at a node with own production in c and
 * ends at n, of that production share times the shares along the walk.
 * tier(n, c) is the length of the shortest such walk.  On a graph without
 * cycles whose walks are all shorter than max_tiers this is the exact
 * solution of the linear system; on a cycle it is the series truncated
 * after max_tiers terms, which is what a WITH RECURSIVE query bounded by
 * depth computes, so the two can be compared on any graph.
 *
 * The graph is read through SPI into a memory context of its own (a child
 * of the caller's, so an error frees it with the query), held as CSR
 * arrays, and solved in one of two ways:
 *   - acyclic, and no walk from an origin longer than max_tiers: one pass
 *     in topological order, each node's exposure a sparse vector over
 *     countries built from its suppliers' (the fast path);
 *   - otherwise tier by tier: the exposure arriving over walks of exactly
 *     t edges is pushed one edge further, only from nodes that received
 *     some, until max_tiers or until nothing moves.
 */
#include "supplychain.h"

/* Rows stream from the caller's queries through SPI_execute_plan_extended (14). */
#if PG_VERSION_NUM < 140000
#error "propagate_exposure needs PostgreSQL 14 or later"
#endif

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "tcop/dest.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/plancache.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(propagate_exposure);

/*
 * Shares into one node may sum to 1 plus this, so that fractions computed
 * in floating point (1/3 + 1/3 + 1/3) are not rejected.
 */
#define SHARE_EPSILON 1e-9

/* ---------------------------------------------------------------------
 * Hash tables: node id -> dense index (integer or text ids), country ->
 * dense index, and (node, country) -> exposure for the tier-by-tier solver.
 * ---------------------------------------------------------------------
 */

static inline uint32
mix64(uint64 k)
{
	/* the finaliser of MurmurHash3 */
	k ^= k >> 33;
	k *= UINT64CONST(0xff51afd7ed558ccd);
	k ^= k >> 33;
	k *= UINT64CONST(0xc4ceb9fe1a85ec53);
	k ^= k >> 33;
	return (uint32) k;
}

typedef struct IdEntry
{
	int64		key;
	int32		index;
	char		status;
} IdEntry;

#define SH_PREFIX idmap
#define SH_ELEMENT_TYPE IdEntry
#define SH_KEY_TYPE int64
#define SH_KEY key
#define SH_HASH_KEY(tb, k) mix64((uint64) (k))
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* A text key: bytes and length, pointing into the row or into the arena. */
typedef struct NameKey
{
	const char *data;
	uint32		len;
} NameKey;

typedef struct NameEntry
{
	NameKey		key;
	uint32		hash;
	int32		index;
	char		status;
} NameEntry;

#define SH_PREFIX namemap
#define SH_ELEMENT_TYPE NameEntry
#define SH_KEY_TYPE NameKey
#define SH_KEY key
#define SH_HASH_KEY(tb, k) hash_bytes((const unsigned char *) (k).data, (int) (k).len)
#define SH_EQUAL(tb, a, b) ((a).len == (b).len && memcmp((a).data, (b).data, (a).len) == 0)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) ((a)->hash)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

typedef struct ExpEntry
{
	uint64		key;			/* node << 32 | country */
	double		value;
	int32		tier;
	char		status;
} ExpEntry;

#define SH_PREFIX expmap
#define SH_ELEMENT_TYPE ExpEntry
#define SH_KEY_TYPE uint64
#define SH_KEY key
#define SH_HASH_KEY(tb, k) mix64(k)
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* ---------------------------------------------------------------------
 * The graph as read, then as CSR arrays.
 * ---------------------------------------------------------------------
 */

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

typedef struct Graph
{
	MemoryContext cxt;
	bool		int_keys;		/* all node id columns are integers */

	/* nodes: id -> index, and index -> id */
	idmap_hash *idmap;
	int32	   *direct;			/* ids 0 .. ndirect - 1: index + 1, 0 = unseen */
	int64		ndirect;
	namemap_hash *namemap;
	int64	   *ids;			/* int_keys */
	struct varlena **names;		/* !int_keys: text datums in the arena */
	int32		nnodes;
	int32		nodecap;

	/* countries */
	namemap_hash *countrymap;
	struct varlena **countries;
	int32		ncountries;
	int32		countrycap;

	/* bump allocator for the text of ids and countries */
	char	   *arena;
	Size		arena_used;
	Size		arena_size;

	/* edges as read (share > 0 only) */
	int32	   *esrc;
	int32	   *edst;
	double	   *eshare;
	int64		nedges;
	int64		edgecap;
	int64		edge_rows;		/* including zero shares */

	/* origins as read (share > 0 only) */
	int32	   *onode;
	int32	   *ocountry;
	double	   *oshare;
	int64		norigins;
	int64		origincap;
	int64		origin_rows;

	/* CSR: in-edges (supplier, share), out-edges (customer), origins */
	int64	   *in_off;
	int32	   *in_src;
	double	   *in_share;
	int64	   *out_off;
	int32	   *out_dst;
	int64	   *orig_off;
	int32	   *orig_country;
	double	   *orig_share;

	Size		peak_bytes;
} Graph;

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

static void
note_memory(Graph *g)
{
	Size		now = MemoryContextMemAllocated(g->cxt, true);

	if (now > g->peak_bytes)
		g->peak_bytes = now;
}

/* Grow an array of elements of size elem to hold at least need of them. */
static void *
grow_array(Graph *g, void *ptr, int64 *cap, int64 need, Size elem)
{
	int64		newcap;

	if (need <= *cap)
		return ptr;
	newcap = Max(*cap * 2, Max(need, 1024));
	if (ptr == NULL)
		ptr = MemoryContextAllocHuge(g->cxt, (Size) newcap * elem);
	else
		ptr = repalloc_huge(ptr, (Size) newcap * elem);
	*cap = newcap;
	return ptr;
}

/*
 * Grow the three parallel arrays of an edge or origin list (two int32
 * columns and a share) together, so that they keep one capacity.
 */
static void
grow_triple(Graph *g, int32 **a, int32 **b, double **share, int64 *cap, int64 need)
{
	int64		c;

	if (need <= *cap)
		return;
	c = *cap;
	*a = grow_array(g, *a, &c, need, sizeof(int32));
	c = *cap;
	*b = grow_array(g, *b, &c, need, sizeof(int32));
	c = *cap;
	*share = grow_array(g, *share, &c, need, sizeof(double));
	*cap = c;
}

static void *
alloc_array(Graph *g, int64 n, Size elem, bool zero)
{
	Size		size = (Size) Max(n, 1) * elem;
	void	   *p = MemoryContextAllocHuge(g->cxt, size);

	if (zero)
		memset(p, 0, size);
	return p;
}

/* Copy len bytes into the arena as a text datum (4-byte header). */
static struct varlena *
arena_text(Graph *g, const char *data, uint32 len)
{
	Size		need = MAXALIGN(VARHDRSZ + (Size) len);
	struct varlena *v;

	if (need > 8192)
		v = (struct varlena *) MemoryContextAllocHuge(g->cxt, need);
	else
	{
		if (g->arena == NULL || g->arena_used + need > g->arena_size)
		{
			g->arena_size = 256 * 1024;
			g->arena = MemoryContextAlloc(g->cxt, g->arena_size);
			g->arena_used = 0;
		}
		v = (struct varlena *) (g->arena + g->arena_used);
		g->arena_used += need;
	}
	SET_VARSIZE(v, VARHDRSZ + len);
	memcpy(VARDATA(v), data, len);
	return v;
}

static int32
intern_name(Graph *g, namemap_hash *map, struct varlena ***vec,
			int32 *count, int32 *cap, NameKey key, const char *what)
{
	bool		found;
	NameEntry  *e = namemap_insert(map, key, &found);

	if (!found)
	{
		struct varlena *v;

		if (*count == PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many distinct %s in propagate_exposure", what)));
		v = arena_text(g, key.data, key.len);
		e->key.data = VARDATA(v);
		e->index = *count;
		if (*count >= *cap)
		{
			int64		c = *cap;

			*vec = grow_array(g, *vec, &c, (int64) *count + 1, sizeof(struct varlena *));
			*cap = (int32) Min(c, (int64) PG_INT32_MAX);
		}
		(*vec)[*count] = v;
		(*count)++;
	}
	return e->index;
}

static int32
new_int_node(Graph *g, int64 id)
{
	if (g->nnodes == PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct nodes in propagate_exposure")));
	if (g->nnodes >= g->nodecap)
	{
		int64		c = g->nodecap;

		g->ids = grow_array(g, g->ids, &c, (int64) g->nnodes + 1, sizeof(int64));
		g->nodecap = (int32) Min(c, (int64) PG_INT32_MAX);
	}
	g->ids[g->nnodes] = id;
	return g->nnodes++;
}

/*
 * Integer ids.  Most graphs number their nodes densely from 0 or 1 (serial
 * and identity columns), so ids below a bound proportional to the number of
 * nodes seen are looked up in a plain array: one memory access instead of a
 * hash probe, for what is the hottest loop of the read.  Other ids (sparse,
 * negative, or far above the others) go to the hash table.
 */
static int32
intern_int(Graph *g, int64 id)
{
	bool		found;
	IdEntry    *e;

	if (id >= 0 && id < g->ndirect)
	{
		int32		slot = g->direct[id];

		if (slot == 0)
		{
			slot = new_int_node(g, id) + 1;
			g->direct[id] = slot;
		}
		return slot - 1;
	}
	if (id >= 0 && id < Max((int64) 1 << 20, (int64) g->nnodes * 8))
	{
		/* grow the array to cover id: at most 64 bytes a node */
		int64		newsize = Max(g->ndirect * 2, (int64) 1 << 16);

		while (newsize <= id)
			newsize *= 2;
		if (g->direct == NULL)
			g->direct = MemoryContextAllocHuge(g->cxt, (Size) newsize * sizeof(int32));
		else
			g->direct = repalloc_huge(g->direct, (Size) newsize * sizeof(int32));
		memset(g->direct + g->ndirect, 0, (Size) (newsize - g->ndirect) * sizeof(int32));
		/* ids already in the hash table move over */
		if (g->idmap->members > 0)
		{
			idmap_iterator it;

			idmap_start_iterate(g->idmap, &it);
			while ((e = idmap_iterate(g->idmap, &it)) != NULL)
				if (e->key >= g->ndirect && e->key < newsize)
				{
					g->direct[e->key] = e->index + 1;
					idmap_delete_item(g->idmap, e);
				}
		}
		g->ndirect = newsize;
		return intern_int(g, id);
	}
	e = idmap_insert(g->idmap, id, &found);
	if (!found)
		e->index = new_int_node(g, id);
	return e->index;
}

/* ---------------------------------------------------------------------
 * Reading the two input queries.
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

static char *
node_label(Graph *g, int32 n)
{
	if (g->int_keys)
		return psprintf(INT64_FORMAT, g->ids[n]);
	return text_to_cstring((text *) g->names[n]);
}

/* Index of a node id, under the graph's one representation of ids. */
static int32
node_index(Graph *g, ColKind k, Datum d)
{
	NameKey		key;
	char		buf[MAXINT8LEN + 1];

	if (g->int_keys)
		return intern_int(g, datum_int(k, d));
	if (is_int_kind(k))
	{
		/* integers become their decimal text, so 42 and '42' meet */
		key.len = pg_lltoa(datum_int(k, d), buf);
		key.data = buf;
	}
	else
		key = datum_name(k, d);
	return intern_name(g, g->namemap, &g->names, &g->nnodes, &g->nodecap, key, "nodes");
}

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

			grow_triple(g, &g->esrc, &g->edst, &g->eshare, &g->edgecap, g->nedges + 1);
			g->esrc[g->nedges] = s;
			g->edst[g->nedges] = c;
			g->eshare[g->nedges] = share;
			g->nedges++;
		}
		else
		{
			int32		n = reader_node_index(r, 0, values[0]);
			int32		c = intern_name(g, g->countrymap, &g->countries, &g->ncountries,
										&g->countrycap, datum_name(r->kinds[1], values[1]),
										"countries");

			grow_triple(g, &g->onode, &g->ocountry, &g->oshare, &g->origincap, g->norigins + 1);
			g->onode[g->norigins] = n;
			g->ocountry[g->norigins] = c;
			g->oshare[g->norigins] = share;
			g->norigins++;
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

static void
read_inputs(Graph *g, const char *edges_sql, const char *origins_sql)
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
	g->int_keys = is_int_kind(ekinds[0]) && is_int_kind(ekinds[1]) && is_int_kind(okinds[0]);
	if (g->int_keys)
		g->idmap = idmap_create(g->cxt, 1024, NULL);
	else
		g->namemap = namemap_create(g->cxt, 1024, NULL);
	g->countrymap = namemap_create(g->cxt, 64, NULL);

	run_input(g, eplan, "edges_sql", true, ekinds);
	run_input(g, oplan, "origins_sql", false, okinds);

	SPI_finish();
}

/* ---------------------------------------------------------------------
 * CSR arrays and the checks on sums.
 * ---------------------------------------------------------------------
 */

/* Offsets off[0..n] of a counting sort of nitems items by their key. */
static int64 *
csr_offsets(Graph *g, const int32 *keys, int64 nitems, int32 n)
{
	int64	   *off = alloc_array(g, (int64) n + 1, sizeof(int64), true);
	int64		i;
	int32		k;

	for (i = 0; i < nitems; i++)
	{
		CHECK_FOR_INTERRUPTS();
		off[keys[i] + 1]++;
	}
	for (k = 0; k < n; k++)
		off[k + 1] += off[k];
	return off;
}

static void
build_csr(Graph *g)
{
	int32		n = g->nnodes;
	int64		e;
	int64	   *pos;
	int32		k;

	/* in-edges, by customer */
	g->in_off = csr_offsets(g, g->edst, g->nedges, n);
	g->in_src = alloc_array(g, g->nedges, sizeof(int32), false);
	g->in_share = alloc_array(g, g->nedges, sizeof(double), false);
	pos = alloc_array(g, n, sizeof(int64), false);
	memcpy(pos, g->in_off, sizeof(int64) * n);
	for (e = 0; e < g->nedges; e++)
	{
		int64		p = pos[g->edst[e]]++;

		CHECK_FOR_INTERRUPTS();
		g->in_src[p] = g->esrc[e];
		g->in_share[p] = g->eshare[e];
	}

	/* out-edges, by supplier */
	g->out_off = csr_offsets(g, g->esrc, g->nedges, n);
	g->out_dst = alloc_array(g, g->nedges, sizeof(int32), false);
	memcpy(pos, g->out_off, sizeof(int64) * n);
	for (e = 0; e < g->nedges; e++)
	{
		CHECK_FOR_INTERRUPTS();
		g->out_dst[pos[g->esrc[e]]++] = g->edst[e];
	}

	/* origins, by node */
	g->orig_off = csr_offsets(g, g->onode, g->norigins, n);
	g->orig_country = alloc_array(g, g->norigins, sizeof(int32), false);
	g->orig_share = alloc_array(g, g->norigins, sizeof(double), false);
	memcpy(pos, g->orig_off, sizeof(int64) * n);
	for (e = 0; e < g->norigins; e++)
	{
		int64		p = pos[g->onode[e]]++;

		CHECK_FOR_INTERRUPTS();
		g->orig_country[p] = g->ocountry[e];
		g->orig_share[p] = g->oshare[e];
	}

	note_memory(g);
	pfree(pos);
	if (g->esrc)
	{
		pfree(g->esrc);
		pfree(g->edst);
		pfree(g->eshare);
		g->esrc = g->edst = NULL;
		g->eshare = NULL;
	}
	if (g->onode)
	{
		pfree(g->onode);
		pfree(g->ocountry);
		pfree(g->oshare);
		g->onode = g->ocountry = NULL;
		g->oshare = NULL;
	}

	/*
	 * A node's own production (in every country) and its incoming shares are
	 * fractions of its supply: at most 1 in all, or exposures could exceed 1.
	 */
	for (k = 0; k < n; k++)
	{
		double		sum = 0.0;

		CHECK_FOR_INTERRUPTS();
		for (e = g->in_off[k]; e < g->in_off[k + 1]; e++)
			sum += g->in_share[e];
		for (e = g->orig_off[k]; e < g->orig_off[k + 1]; e++)
			sum += g->orig_share[e];
		if (sum > 1.0 + SHARE_EPSILON)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("shares into node %s sum to %.10g, above 1", node_label(g, k), sum),
					 errdetail("Edge shares and own production are fractions of the node's supply, "
							   "so together they sum to at most 1.")));
	}
}

/* ---------------------------------------------------------------------
 * Sparse accumulator over countries.
 * ---------------------------------------------------------------------
 */
typedef struct Spa
{
	double	   *acc;
	int32	   *tier;
	int64	   *stamp;
	int32	   *touched;
	int32		ntouched;
	int64		cur;
} Spa;

static void
spa_init(Graph *g, Spa *spa)
{
	int32		k = Max(g->ncountries, 1);
	int32		i;

	spa->acc = alloc_array(g, k, sizeof(double), false);
	spa->tier = alloc_array(g, k, sizeof(int32), false);
	spa->stamp = alloc_array(g, k, sizeof(int64), false);
	spa->touched = alloc_array(g, k, sizeof(int32), false);
	for (i = 0; i < k; i++)
		spa->stamp[i] = -1;
	spa->ntouched = 0;
	spa->cur = 0;
}

static inline void
spa_start(Spa *spa)
{
	spa->cur++;
	spa->ntouched = 0;
}

static inline void
spa_add(Spa *spa, int32 c, double v, int32 tier)
{
	if (spa->stamp[c] != spa->cur)
	{
		spa->stamp[c] = spa->cur;
		spa->acc[c] = v;
		spa->tier[c] = tier;
		spa->touched[spa->ntouched++] = c;
	}
	else
	{
		spa->acc[c] += v;
		if (tier < spa->tier[c])
			spa->tier[c] = tier;
	}
}

/* ---------------------------------------------------------------------
 * Output.
 * ---------------------------------------------------------------------
 */
typedef struct Output
{
	Tuplestorestate *store;
	TupleDesc	desc;
	TupleTableSlot *slot;		/* holds each row on its way in */
	char	   *row;			/* MAXALIGNed space for one row */
	union
	{
		int32		align;		/* a varlena header is an aligned int32 */
		char		bytes[VARHDRSZ + MAXINT8LEN + 1];
	}			numbuf;
	int64		rows;
} Output;

/* the longest text that a one-byte varlena header can hold */
#define SHORT_TEXT_MAX (VARATT_SHORT_MAX - VARHDRSZ_SHORT)
#define ROW_SPACE (MAXALIGN(SizeofMinimalTupleHeader) + 2 * VARATT_SHORT_MAX + 2 * sizeof(double))

static void
output_init(Output *out, ReturnSetInfo *rsinfo)
{
	memset(out, 0, sizeof(*out));
	out->store = rsinfo->setResult;
	out->desc = rsinfo->setDesc;
	out->slot = MakeSingleTupleTableSlot(out->desc, &TTSOpsMinimalTuple);
	out->row = palloc0(ROW_SPACE);
}

static void
output_end(Output *out)
{
	ExecDropSingleTupleTableSlot(out->slot);
	pfree(out->row);
}

static inline Datum
node_datum(Graph *g, Output *out, int32 n)
{
	int			len;

	if (!g->int_keys)
		return PointerGetDatum(g->names[n]);
	len = pg_lltoa(g->ids[n], out->numbuf.bytes + VARHDRSZ);
	SET_VARSIZE(out->numbuf.bytes, VARHDRSZ + len);
	return PointerGetDatum(out->numbuf.bytes);
}

/*
 * One result row (node text, country text, exposure float8, tier int4).
 * The row is laid out here as heap_form_minimal_tuple lays it out (short
 * varlena headers, no alignment before them, then the float8 and the int4
 * at their alignment), without that function's loops over the descriptor
 * and its zeroed allocation: the results run to millions of rows, and
 * forming them was a fifth of the run.  Texts too long for a one-byte
 * header take the general path.
 */
static inline void
emit(Graph *g, Output *out, Datum node, int32 country, double value, int32 tier)
{
	const struct varlena *nv = (const struct varlena *) DatumGetPointer(node);
	const struct varlena *cv = g->countries[country];
	uint32		nlen = VARSIZE(nv) - VARHDRSZ;
	uint32		clen = VARSIZE(cv) - VARHDRSZ;

	if (likely(nlen <= SHORT_TEXT_MAX && clen <= SHORT_TEXT_MAX))
	{
		MinimalTuple tup = (MinimalTuple) out->row;
		Size		hoff = MAXALIGN(SizeofMinimalTupleHeader);
		char	   *data = out->row + hoff;
		Size		off = 0;
		Size		aligned;

		memset(out->row, 0, hoff);
		SET_VARSIZE_SHORT(data, VARHDRSZ_SHORT + nlen);
		memcpy(data + VARHDRSZ_SHORT, VARDATA(nv), nlen);
		off = VARHDRSZ_SHORT + nlen;
		SET_VARSIZE_SHORT(data + off, VARHDRSZ_SHORT + clen);
		memcpy(data + off + VARHDRSZ_SHORT, VARDATA(cv), clen);
		off += VARHDRSZ_SHORT + clen;
		aligned = TYPEALIGN(ALIGNOF_DOUBLE, off);
		memset(data + off, 0, aligned - off);
		off = aligned;
		memcpy(data + off, &value, sizeof(double));
		off += sizeof(double);
		aligned = TYPEALIGN(ALIGNOF_INT, off);
		memset(data + off, 0, aligned - off);
		off = aligned;
		memcpy(data + off, &tier, sizeof(int32));
		off += sizeof(int32);

		tup->t_len = hoff + off;
		HeapTupleHeaderSetNatts(tup, 4);
		tup->t_infomask = HEAP_HASVARWIDTH;
		tup->t_hoff = hoff + MINIMAL_TUPLE_OFFSET;

#if defined(USE_ASSERT_CHECKING) || defined(SC_CHECK_ROWS)
		{
			Datum		values[4];
			bool		nulls[4] = {false, false, false, false};
			MinimalTuple check;

			values[0] = node;
			values[1] = PointerGetDatum(cv);
			values[2] = Float8GetDatum(value);
			values[3] = Int32GetDatum(tier);
			check = heap_form_minimal_tuple(out->desc, values, nulls);
			if (check->t_len != tup->t_len || memcmp(check, tup, tup->t_len) != 0)
				elog(ERROR, "propagate_exposure formed a result row unlike heap_form_minimal_tuple");
			pfree(check);
		}
#endif
		ExecStoreMinimalTuple(tup, out->slot, false);
		tuplestore_puttupleslot(out->store, out->slot);
	}
	else
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		values[0] = node;
		values[1] = PointerGetDatum(cv);
		values[2] = Float8GetDatum(value);
		values[3] = Int32GetDatum(tier);
		tuplestore_putvalues(out->store, out->desc, values, nulls);
	}
	out->rows++;
}

/* ---------------------------------------------------------------------
 * The two solvers.
 * ---------------------------------------------------------------------
 */

/*
 * Topological order (Kahn); returns false on a cycle.  Also gives, per node,
 * the longest walk from a node with own production (-1: none reaches it).
 */
static bool
topological_order(Graph *g, int32 *order, int32 *longest_out)
{
	int32		n = g->nnodes;
	int32	   *indeg = alloc_array(g, n, sizeof(int32), false);
	int32		head = 0;
	int32		tail = 0;
	int32		k;
	int32		longest = -1;

	for (k = 0; k < n; k++)
	{
		indeg[k] = (int32) (g->in_off[k + 1] - g->in_off[k]);
		if (indeg[k] == 0)
			order[tail++] = k;
	}
	while (head < tail)
	{
		int32		s = order[head++];
		int64		e;

		CHECK_FOR_INTERRUPTS();
		for (e = g->out_off[s]; e < g->out_off[s + 1]; e++)
			if (--indeg[g->out_dst[e]] == 0)
				order[tail++] = g->out_dst[e];
	}
	pfree(indeg);
	if (tail < n)
		return false;

	/* the longest walk from own production into each node */
	{
		int32	   *depth = alloc_array(g, n, sizeof(int32), false);
		int32		i;

		for (i = 0; i < n; i++)
		{
			int32		v = order[i];
			int32		d = (g->orig_off[v + 1] > g->orig_off[v]) ? 0 : -1;
			int64		e;

			CHECK_FOR_INTERRUPTS();
			for (e = g->in_off[v]; e < g->in_off[v + 1]; e++)
			{
				int32		ds = depth[g->in_src[e]];

				if (ds >= 0 && ds + 1 > d)
					d = ds + 1;
			}
			depth[v] = d;
			if (d > longest)
				longest = d;
		}
		pfree(depth);
	}
	*longest_out = longest;
	return true;
}

typedef struct Contribution
{
	int32		country;
	int32		tier;
	double		value;
} Contribution;

/* Acyclic graph, every walk within max_tiers: one pass in topological order. */
static void
solve_topological(Graph *g, const int32 *order, Output *out)
{
	int32		n = g->nnodes;
	int64	   *voff = alloc_array(g, n, sizeof(int64), false);
	int32	   *vcnt = alloc_array(g, n, sizeof(int32), true);
	Contribution *vec = NULL;
	int64		veclen = 0;
	int64		veccap = 0;
	Spa			spa;
	int32		i;

	spa_init(g, &spa);
	vec = grow_array(g, vec, &veccap, Max(g->norigins, 1024), sizeof(Contribution));

	for (i = 0; i < n; i++)
	{
		int32		v = order[i];
		int64		o;
		int64		e;
		int32		j;
		Datum		node;

		CHECK_FOR_INTERRUPTS();
		spa_start(&spa);
		for (o = g->orig_off[v]; o < g->orig_off[v + 1]; o++)
			spa_add(&spa, g->orig_country[o], g->orig_share[o], 0);
		for (e = g->in_off[v]; e < g->in_off[v + 1]; e++)
		{
			int32		s = g->in_src[e];
			double		a = g->in_share[e];
			int32		m = vcnt[s];
			const Contribution *src;

			if (m == 0)
				continue;
			src = vec + voff[s];
			for (j = 0; j < m; j++)
				spa_add(&spa, src[j].country, a * src[j].value, src[j].tier + 1);
		}
		if (spa.ntouched == 0)
			continue;

		node = node_datum(g, out, v);
		for (j = 0; j < spa.ntouched; j++)
		{
			int32		c = spa.touched[j];

			emit(g, out, node, c, spa.acc[c], spa.tier[c]);
		}

		/* kept for the node's customers; a node without any keeps nothing */
		if (g->out_off[v + 1] == g->out_off[v])
			continue;
		if (veclen + spa.ntouched > veccap)
			vec = grow_array(g, vec, &veccap, veclen + spa.ntouched, sizeof(Contribution));
		voff[v] = veclen;
		vcnt[v] = spa.ntouched;
		for (j = 0; j < spa.ntouched; j++)
		{
			int32		c = spa.touched[j];

			vec[veclen].country = c;
			vec[veclen].tier = spa.tier[c];
			vec[veclen].value = spa.acc[c];
			veclen++;
		}
	}
	note_memory(g);
}

typedef struct Delta
{
	int32		country;
	double		value;
} Delta;

/* Any graph: tier by tier, from the nodes that received something. */
static void
solve_by_tier(Graph *g, int32 max_tiers, Output *out)
{
	int32		n = g->nnodes;
	expmap_hash *x;
	Delta	   *cur = NULL;
	Delta	   *next = NULL;
	int64		curcap = 0;
	int64		nextcap = 0;
	int64		curlen = 0;
	int64		nextlen;
	int64	   *cur_off = alloc_array(g, n, sizeof(int64), false);
	int64	   *next_off = alloc_array(g, n, sizeof(int64), false);
	int32	   *cur_cnt = alloc_array(g, n, sizeof(int32), true);
	int32	   *next_cnt = alloc_array(g, n, sizeof(int32), true);
	int32	   *frontier = alloc_array(g, n, sizeof(int32), false);
	int32	   *next_frontier = alloc_array(g, n, sizeof(int32), false);
	int32	   *active = alloc_array(g, n, sizeof(int32), false);
	int32	   *mark = alloc_array(g, n, sizeof(int32), true);
	int32		nfrontier = 0;
	Spa			spa;
	int64		t;
	int32		v;
	expmap_iterator it;
	ExpEntry   *entry;

	spa_init(g, &spa);
	x = expmap_create(g->cxt, (uint32) Min(Max(g->norigins * 2, 1024), PG_INT32_MAX), NULL);
	cur = grow_array(g, cur, &curcap, Max(g->norigins, 1024), sizeof(Delta));
	next = grow_array(g, next, &nextcap, Max(g->norigins, 1024), sizeof(Delta));

	/* tier 0: own production */
	for (v = 0; v < n; v++)
	{
		int64		o;
		int32		j;

		CHECK_FOR_INTERRUPTS();
		if (g->orig_off[v + 1] == g->orig_off[v])
			continue;
		spa_start(&spa);
		for (o = g->orig_off[v]; o < g->orig_off[v + 1]; o++)
			spa_add(&spa, g->orig_country[o], g->orig_share[o], 0);
		cur_off[v] = curlen;
		cur_cnt[v] = spa.ntouched;
		for (j = 0; j < spa.ntouched; j++)
		{
			int32		c = spa.touched[j];
			bool		found;

			cur[curlen].country = c;
			cur[curlen].value = spa.acc[c];
			curlen++;
			entry = expmap_insert(x, ((uint64) v << 32) | (uint32) c, &found);
			entry->value = spa.acc[c];
			entry->tier = 0;
		}
		frontier[nfrontier++] = v;
	}

	for (t = 1; t <= max_tiers && nfrontier > 0; t++)
	{
		int32		nactive = 0;
		int32		nnext = 0;
		int32		i;
		void	   *swap;

		/* customers of nodes that received something at tier t - 1 */
		for (i = 0; i < nfrontier; i++)
		{
			int32		s = frontier[i];
			int64		e;

			CHECK_FOR_INTERRUPTS();
			for (e = g->out_off[s]; e < g->out_off[s + 1]; e++)
			{
				int32		d = g->out_dst[e];

				if (mark[d] != (int32) t)
				{
					mark[d] = (int32) t;
					active[nactive++] = d;
				}
			}
		}

		nextlen = 0;
		for (i = 0; i < nactive; i++)
		{
			int32		d = active[i];
			int64		e;
			int32		j;

			CHECK_FOR_INTERRUPTS();
			spa_start(&spa);
			for (e = g->in_off[d]; e < g->in_off[d + 1]; e++)
			{
				int32		s = g->in_src[e];
				double		a = g->in_share[e];
				int32		m = cur_cnt[s];
				const Delta *src;

				if (m == 0)
					continue;
				src = cur + cur_off[s];
				for (j = 0; j < m; j++)
					spa_add(&spa, src[j].country, a * src[j].value, 0);
			}
			if (spa.ntouched == 0)
				continue;
			if (nextlen + spa.ntouched > nextcap)
				next = grow_array(g, next, &nextcap, nextlen + spa.ntouched, sizeof(Delta));
			next_off[d] = nextlen;
			for (j = 0; j < spa.ntouched; j++)
			{
				int32		c = spa.touched[j];
				bool		found;

				/* exposure that has shrunk to nothing around a cycle stops moving */
				if (spa.acc[c] == 0.0)
					continue;
				next[nextlen].country = c;
				next[nextlen].value = spa.acc[c];
				nextlen++;
				entry = expmap_insert(x, ((uint64) d << 32) | (uint32) c, &found);
				if (found)
					entry->value += spa.acc[c];
				else
				{
					entry->value = spa.acc[c];
					entry->tier = (int32) t;
				}
			}
			next_cnt[d] = (int32) (nextlen - next_off[d]);
			if (next_cnt[d] > 0)
				next_frontier[nnext++] = d;
		}

		/* what arrived at tier t is what moves at tier t + 1 */
		for (i = 0; i < nfrontier; i++)
			cur_cnt[frontier[i]] = 0;
		swap = cur;
		cur = next;
		next = swap;
		{
			int64		c = curcap;

			curcap = nextcap;
			nextcap = c;
		}
		swap = cur_off;
		cur_off = next_off;
		next_off = swap;
		swap = cur_cnt;
		cur_cnt = next_cnt;
		next_cnt = swap;
		swap = frontier;
		frontier = next_frontier;
		next_frontier = swap;
		nfrontier = nnext;
		curlen = nextlen;
		note_memory(g);
	}

	expmap_start_iterate(x, &it);
	while ((entry = expmap_iterate(x, &it)) != NULL)
	{
		int32		node = (int32) (entry->key >> 32);
		int32		c = (int32) (entry->key & 0xFFFFFFFF);

		CHECK_FOR_INTERRUPTS();
		emit(g, out, node_datum(g, out, node), c, entry->value, entry->tier);
	}
}

/* ---------------------------------------------------------------------
 * The SQL function.
 * ---------------------------------------------------------------------
 */
Datum
propagate_exposure(PG_FUNCTION_ARGS)
{
	char	   *edges_sql = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *origins_sql = text_to_cstring(PG_GETARG_TEXT_PP(1));
	int32		max_tiers = PG_GETARG_INT32(2);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext cxt;
	Graph	   *g;
	Output		out;
	Spa			spa;
	int32	   *order;
	int32		longest = -1;
	bool		fast;
	instr_time	t0,
				t1,
				t2,
				t3;

	if (max_tiers < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_tiers must be at least 1, not %d", max_tiers)));

	InitMaterializedSRF(fcinfo, 0);

	/*
	 * Everything the graph needs lives here; on error it goes with the
	 * caller's context, otherwise it is deleted below.
	 */
	cxt = AllocSetContextCreate(CurrentMemoryContext, "propagate_exposure graph",
								ALLOCSET_DEFAULT_SIZES);
	g = MemoryContextAllocZero(cxt, sizeof(Graph));
	g->cxt = cxt;

	INSTR_TIME_SET_CURRENT(t0);
	read_inputs(g, edges_sql, origins_sql);
	note_memory(g);
	INSTR_TIME_SET_CURRENT(t1);
	build_csr(g);
	spa_init(g, &spa);

	output_init(&out, rsinfo);

	order = alloc_array(g, g->nnodes, sizeof(int32), false);
	fast = topological_order(g, order, &longest) && longest <= max_tiers;
	INSTR_TIME_SET_CURRENT(t2);
	if (fast)
		solve_topological(g, order, &out);
	else
		solve_by_tier(g, max_tiers, &out);
	note_memory(g);
	INSTR_TIME_SET_CURRENT(t3);
	INSTR_TIME_SUBTRACT(t3, t2);
	INSTR_TIME_SUBTRACT(t2, t1);
	INSTR_TIME_SUBTRACT(t1, t0);

	elog(DEBUG1, "propagate_exposure: " INT64_FORMAT " edge rows, " INT64_FORMAT " origin rows, "
		 "%d nodes, %d countries, %s, " INT64_FORMAT " result rows, peak graph memory %zu kB; "
		 "read %.1f ms, build %.1f ms, solve %.1f ms",
		 g->edge_rows, g->origin_rows, g->nnodes, g->ncountries,
		 fast ? "topological pass" : "tier by tier", out.rows, g->peak_bytes / 1024,
		 INSTR_TIME_GET_MILLISEC(t1), INSTR_TIME_GET_MILLISEC(t2), INSTR_TIME_GET_MILLISEC(t3));

	output_end(&out);
	MemoryContextDelete(cxt);
	return (Datum) 0;
}
