/*
 * propagate_graph.c - propagate_exposure's graph: node and country ids, growing arrays, the CSR form.
 */
#include "propagate.h"

#include "common/hashfn.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

/*
 * Shares into one node may sum to 1 plus this, so that fractions computed
 * in floating point (1/3 + 1/3 + 1/3) are not rejected.
 */
#define SHARE_EPSILON 1e-9

/* ---------------------------------------------------------------------
 * Hash tables: node id -> dense index (integer or text ids), and
 * country -> dense index.
 * ---------------------------------------------------------------------
 */

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

/* ---------------------------------------------------------------------
 * Memory.
 * ---------------------------------------------------------------------
 */

void
graph_note_memory(Graph *g)
{
	Size		now = MemoryContextMemAllocated(g->cxt, true);

	if (now > g->peak_bytes)
		g->peak_bytes = now;
}

/* Grow an array of elements of size elem to hold at least need of them. */
void *
graph_grow_array(Graph *g, void *ptr, int64 *cap, int64 need, Size elem)
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

void *
graph_alloc_array(Graph *g, int64 n, Size elem, bool zero)
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

/* ---------------------------------------------------------------------
 * Ids: node ids and countries -> dense indexes.
 * ---------------------------------------------------------------------
 */

/* The graph has one representation of node ids: integers, or text. */
void
graph_init_ids(Graph *g, bool int_keys)
{
	g->int_keys = int_keys;
	if (int_keys)
		g->idmap = idmap_create(g->cxt, 1024, NULL);
	else
		g->namemap = namemap_create(g->cxt, 1024, NULL);
	g->countrymap = namemap_create(g->cxt, 64, NULL);
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

			*vec = graph_grow_array(g, *vec, &c, (int64) *count + 1, sizeof(struct varlena *));
			*cap = (int32) Min(c, (int64) PG_INT32_MAX);
		}
		(*vec)[*count] = v;
		(*count)++;
	}
	return e->index;
}

/* A text node id (the key's bytes are copied). */
int32
graph_intern_name(Graph *g, NameKey key)
{
	return intern_name(g, g->namemap, &g->names, &g->nnodes, &g->nodecap, key, "nodes");
}

int32
graph_intern_country(Graph *g, NameKey key)
{
	return intern_name(g, g->countrymap, &g->countries, &g->ncountries, &g->countrycap, key,
					   "countries");
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

		g->ids = graph_grow_array(g, g->ids, &c, (int64) g->nnodes + 1, sizeof(int64));
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
int32
graph_intern_int(Graph *g, int64 id)
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
		return graph_intern_int(g, id);
	}
	e = idmap_insert(g->idmap, id, &found);
	if (!found)
		e->index = new_int_node(g, id);
	return e->index;
}

static char *
node_label(Graph *g, int32 n)
{
	if (g->int_keys)
		return psprintf(INT64_FORMAT, g->ids[n]);
	return text_to_cstring((text *) g->names[n]);
}

/* ---------------------------------------------------------------------
 * Edges and origins as read, then CSR arrays and the checks on sums.
 * ---------------------------------------------------------------------
 */

/*
 * Append to an edge or origin list: three parallel arrays (two int32
 * columns and a share) that grow together, so that they keep one capacity.
 */
static void
push_triple(Graph *g, int32 **a, int32 **b, double **share, int64 *len, int64 *cap,
			int32 x, int32 y, double s)
{
	if (*len + 1 > *cap)
	{
		int64		c;

		c = *cap;
		*a = graph_grow_array(g, *a, &c, *len + 1, sizeof(int32));
		c = *cap;
		*b = graph_grow_array(g, *b, &c, *len + 1, sizeof(int32));
		c = *cap;
		*share = graph_grow_array(g, *share, &c, *len + 1, sizeof(double));
		*cap = c;
	}
	(*a)[*len] = x;
	(*b)[*len] = y;
	(*share)[*len] = s;
	(*len)++;
}

static void
free_triple(int32 **a, int32 **b, double **share)
{
	if (*a == NULL)
		return;
	pfree(*a);
	pfree(*b);
	pfree(*share);
	*a = *b = NULL;
	*share = NULL;
}

void
graph_add_edge(Graph *g, int32 supplier, int32 customer, double share)
{
	push_triple(g, &g->esrc, &g->edst, &g->eshare, &g->nedges, &g->edgecap,
				supplier, customer, share);
}

void
graph_add_origin(Graph *g, int32 node, int32 country, double share)
{
	push_triple(g, &g->onode, &g->ocountry, &g->oshare, &g->norigins, &g->origincap,
				node, country, share);
}

/* Offsets off[0..n] of a counting sort of nitems items by their key. */
static int64 *
csr_offsets(Graph *g, const int32 *keys, int64 nitems, int32 n)
{
	int64	   *off = graph_alloc_array(g, (int64) n + 1, sizeof(int64), true);
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

/*
 * A list of (key, value, share) sorted by key into CSR arrays: offsets by
 * key, values and shares.  pos is scratch space for one int64 a node.
 */
static void
csr_sort(Graph *g, const int32 *keys, const int32 *values, const double *shares, int64 nitems,
		 int64 *pos, int64 **off_out, int32 **values_out, double **shares_out)
{
	int32		n = g->nnodes;
	int64	   *off = csr_offsets(g, keys, nitems, n);
	int32	   *v = graph_alloc_array(g, nitems, sizeof(int32), false);
	double	   *s = graph_alloc_array(g, nitems, sizeof(double), false);
	int64		i;

	memcpy(pos, off, sizeof(int64) * n);
	for (i = 0; i < nitems; i++)
	{
		int64		p = pos[keys[i]]++;

		CHECK_FOR_INTERRUPTS();
		v[p] = values[i];
		s[p] = shares[i];
	}
	*off_out = off;
	*values_out = v;
	*shares_out = s;
}

void
graph_build_csr(Graph *g)
{
	int32		n = g->nnodes;
	int64	   *pos = graph_alloc_array(g, n, sizeof(int64), false);
	int64		e;
	int32		k;

	/* in-edges, by customer */
	csr_sort(g, g->edst, g->esrc, g->eshare, g->nedges, pos, &g->in_off, &g->in_src, &g->in_share);

	/* out-edges, by supplier */
	g->out_off = csr_offsets(g, g->esrc, g->nedges, n);
	g->out_dst = graph_alloc_array(g, g->nedges, sizeof(int32), false);
	memcpy(pos, g->out_off, sizeof(int64) * n);
	for (e = 0; e < g->nedges; e++)
	{
		CHECK_FOR_INTERRUPTS();
		g->out_dst[pos[g->esrc[e]]++] = g->edst[e];
	}

	/* origins, by node */
	csr_sort(g, g->onode, g->ocountry, g->oshare, g->norigins, pos,
			 &g->orig_off, &g->orig_country, &g->orig_share);

	/* the lists as read are not needed once sorted */
	graph_note_memory(g);
	pfree(pos);
	free_triple(&g->esrc, &g->edst, &g->eshare);
	free_triple(&g->onode, &g->ocountry, &g->oshare);

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
