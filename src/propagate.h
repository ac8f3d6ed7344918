/*
 * propagate.h - private header of propagate_exposure: the graph, and the calls between its files.
 *
 * The kernel is split by concern, as pgvector splits IVFFlat:
 *   propagate.c        the SQL function, and the result rows it returns
 *   propagate_input.c  running the two input queries and checking their rows
 *   propagate_graph.c  node and country ids, the arrays, the CSR graph
 *   propagate_solve.c  the two solvers
 * The formula and the choice of solver are described in propagate.c.
 */
#ifndef PROPAGATE_H
#define PROPAGATE_H

#include "supplychain.h"

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

/* A text key: bytes and length, pointing into the row or into the arena. */
typedef struct NameKey
{
	const char *data;
	uint32		len;
} NameKey;

/*
 * The id hash tables are simplehash instantiations that only
 * propagate_graph.c uses; elsewhere they are pointers to incomplete types.
 */
struct idmap_hash;
struct namemap_hash;

/* The graph as read, then as CSR arrays. */
typedef struct Graph
{
	MemoryContext cxt;
	bool		int_keys;		/* all node id columns are integers */

	/* nodes: id -> index, and index -> id */
	struct idmap_hash *idmap;
	int32	   *direct;			/* ids 0 .. ndirect - 1: index + 1, 0 = unseen */
	int64		ndirect;
	struct namemap_hash *namemap;
	int64	   *ids;			/* int_keys */
	struct varlena **names;		/* !int_keys: text datums in the arena */
	int32		nnodes;
	int32		nodecap;

	/* countries */
	struct namemap_hash *countrymap;
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

/* The result set being filled, in propagate.c. */
typedef struct Output Output;

/* propagate_graph.c */
extern void graph_note_memory(Graph *g);
extern void *graph_grow_array(Graph *g, void *ptr, int64 *cap, int64 need, Size elem);
extern void *graph_alloc_array(Graph *g, int64 n, Size elem, bool zero);
extern void graph_init_ids(Graph *g, bool int_keys);
extern int32 graph_intern_int(Graph *g, int64 id);
extern int32 graph_intern_name(Graph *g, NameKey key);
extern int32 graph_intern_country(Graph *g, NameKey key);
extern void graph_add_edge(Graph *g, int32 supplier, int32 customer, double share);
extern void graph_add_origin(Graph *g, int32 node, int32 country, double share);
extern void graph_build_csr(Graph *g);

/* propagate_input.c */
extern void propagate_read_inputs(Graph *g, const char *edges_sql, const char *origins_sql);

/* propagate_solve.c */
extern bool propagate_topological_order(Graph *g, int32 *order, int32 *longest_out);
extern void propagate_solve_topological(Graph *g, const int32 *order, Output *out);
extern void propagate_solve_by_tier(Graph *g, int32 max_tiers, Output *out);

/* propagate.c */
extern Datum propagate_node_datum(Graph *g, Output *out, int32 n);
extern void propagate_emit(Graph *g, Output *out, Datum node, int32 country, double value, int32 tier);

#endif							/* PROPAGATE_H */
