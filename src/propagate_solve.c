/*
 * propagate_solve.c - propagate_exposure's two solvers: one topological pass, or tier by tier.
 */
#include "propagate.h"

#include "miscadmin.h"

/* (node, country) -> exposure and tier, for the tier-by-tier solver */
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
 * Sparse accumulator over countries: one node's exposure being summed.
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

	spa->acc = graph_alloc_array(g, k, sizeof(double), false);
	spa->tier = graph_alloc_array(g, k, sizeof(int32), false);
	spa->stamp = graph_alloc_array(g, k, sizeof(int64), false);
	spa->touched = graph_alloc_array(g, k, sizeof(int32), false);
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
 * What flows into a node, for both solvers.
 * ---------------------------------------------------------------------
 */

/*
 * Exposure a node passes on to its customers in one country, with the
 * length of the shortest walk that brought it.
 */
typedef struct Contribution
{
	int32		country;
	int32		tier;
	double		value;
} Contribution;

/*
 * What nodes pass on to their customers: node v's contributions are
 * vec[off[v]] .. vec[off[v] + cnt[v] - 1].  The topological pass keeps each
 * node's whole exposure; the tier-by-tier solver keeps what arrived over
 * walks of exactly t edges (so every tier there is t), and in nodes the
 * nodes that received any.
 */
typedef struct Outflow
{
	Contribution *vec;
	int64		len;
	int64		cap;
	int64	   *off;
	int32	   *cnt;
	int32	   *nodes;			/* with_nodes only */
	int32		nnodes;
} Outflow;

static void
outflow_init(Graph *g, Outflow *f, bool with_nodes)
{
	int32		n = g->nnodes;

	f->off = graph_alloc_array(g, n, sizeof(int64), false);
	f->cnt = graph_alloc_array(g, n, sizeof(int32), true);
	f->nodes = with_nodes ? graph_alloc_array(g, n, sizeof(int32), false) : NULL;
	f->nnodes = 0;
	f->len = 0;
	f->cap = 0;
	f->vec = graph_grow_array(g, NULL, &f->cap, Max(g->norigins, 1024), sizeof(Contribution));
}

/* Room for need more contributions. */
static inline void
outflow_reserve(Graph *g, Outflow *f, int64 need)
{
	if (f->len + need > f->cap)
		f->vec = graph_grow_array(g, f->vec, &f->cap, f->len + need, sizeof(Contribution));
}

static inline void
outflow_push(Outflow *f, int32 country, int32 tier, double value)
{
	f->vec[f->len].country = country;
	f->vec[f->len].tier = tier;
	f->vec[f->len].value = value;
	f->len++;
}

/* A node's own production: exposure at tier 0. */
static inline void
pull_own(const Graph *g, int32 v, Spa *spa)
{
	int64		o;

	for (o = g->orig_off[v]; o < g->orig_off[v + 1]; o++)
		spa_add(spa, g->orig_country[o], g->orig_share[o], 0);
}

/* What v's suppliers pass on, one edge further: times each edge's share. */
static inline void
pull_suppliers(const Graph *g, int32 v, const Outflow *from, Spa *spa)
{
	int64		e;

	for (e = g->in_off[v]; e < g->in_off[v + 1]; e++)
	{
		int32		s = g->in_src[e];
		double		a = g->in_share[e];
		int32		m = from->cnt[s];
		const Contribution *src;
		int32		j;

		if (m == 0)
			continue;
		src = from->vec + from->off[s];
		for (j = 0; j < m; j++)
			spa_add(spa, src[j].country, a * src[j].value, src[j].tier + 1);
	}
}

/* ---------------------------------------------------------------------
 * The topological pass.
 * ---------------------------------------------------------------------
 */

/*
 * Topological order (Kahn); returns false on a cycle.  Also gives, per node,
 * the longest walk from a node with own production (-1: none reaches it).
 */
bool
propagate_topological_order(Graph *g, int32 *order, int32 *longest_out)
{
	int32		n = g->nnodes;
	int32	   *indeg = graph_alloc_array(g, n, sizeof(int32), false);
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
		int32	   *depth = graph_alloc_array(g, n, sizeof(int32), false);
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

/* Acyclic graph, every walk within max_tiers: one pass in topological order. */
void
propagate_solve_topological(Graph *g, const int32 *order, Output *out)
{
	int32		n = g->nnodes;
	Outflow		kept;
	Spa			spa;
	int32		i;

	outflow_init(g, &kept, false);
	spa_init(g, &spa);

	for (i = 0; i < n; i++)
	{
		int32		v = order[i];
		int32		j;
		Datum		node;

		CHECK_FOR_INTERRUPTS();
		spa_start(&spa);
		pull_own(g, v, &spa);
		pull_suppliers(g, v, &kept, &spa);
		if (spa.ntouched == 0)
			continue;

		node = propagate_node_datum(g, out, v);
		for (j = 0; j < spa.ntouched; j++)
		{
			int32		c = spa.touched[j];

			propagate_emit(g, out, node, c, spa.acc[c], spa.tier[c]);
		}

		/* kept for the node's customers; a node without any keeps nothing */
		if (g->out_off[v + 1] == g->out_off[v])
			continue;
		outflow_reserve(g, &kept, spa.ntouched);
		kept.off[v] = kept.len;
		kept.cnt[v] = spa.ntouched;
		for (j = 0; j < spa.ntouched; j++)
		{
			int32		c = spa.touched[j];

			outflow_push(&kept, c, spa.tier[c], spa.acc[c]);
		}
	}
	graph_note_memory(g);
}

/* ---------------------------------------------------------------------
 * Tier by tier.
 * ---------------------------------------------------------------------
 */

/* Any graph: tier by tier, from the nodes that received something. */
void
propagate_solve_by_tier(Graph *g, int32 max_tiers, Output *out)
{
	int32		n = g->nnodes;
	expmap_hash *x;
	Outflow		flows[2];
	Outflow    *cur = &flows[0];
	Outflow    *next = &flows[1];
	int32	   *active = graph_alloc_array(g, n, sizeof(int32), false);
	int32	   *mark = graph_alloc_array(g, n, sizeof(int32), true);
	Spa			spa;
	int64		t;
	int32		v;
	expmap_iterator it;
	ExpEntry   *entry;

	outflow_init(g, cur, true);
	outflow_init(g, next, true);
	spa_init(g, &spa);
	x = expmap_create(g->cxt, (uint32) Min(Max(g->norigins * 2, 1024), PG_INT32_MAX), NULL);

	/* tier 0: own production */
	for (v = 0; v < n; v++)
	{
		int32		j;

		CHECK_FOR_INTERRUPTS();
		if (g->orig_off[v + 1] == g->orig_off[v])
			continue;
		spa_start(&spa);
		pull_own(g, v, &spa);
		outflow_reserve(g, cur, spa.ntouched);
		cur->off[v] = cur->len;
		cur->cnt[v] = spa.ntouched;
		for (j = 0; j < spa.ntouched; j++)
		{
			int32		c = spa.touched[j];
			bool		found;

			outflow_push(cur, c, 0, spa.acc[c]);
			entry = expmap_insert(x, ((uint64) v << 32) | (uint32) c, &found);
			entry->value = spa.acc[c];
			entry->tier = 0;
		}
		cur->nodes[cur->nnodes++] = v;
	}

	for (t = 1; t <= max_tiers && cur->nnodes > 0; t++)
	{
		int32		nactive = 0;
		int32		i;
		Outflow    *swap;

		/* customers of nodes that received something at tier t - 1 */
		for (i = 0; i < cur->nnodes; i++)
		{
			int32		s = cur->nodes[i];
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

		next->len = 0;
		next->nnodes = 0;
		for (i = 0; i < nactive; i++)
		{
			int32		d = active[i];
			int32		j;

			CHECK_FOR_INTERRUPTS();
			spa_start(&spa);
			pull_suppliers(g, d, cur, &spa);
			if (spa.ntouched == 0)
				continue;
			outflow_reserve(g, next, spa.ntouched);
			next->off[d] = next->len;
			for (j = 0; j < spa.ntouched; j++)
			{
				int32		c = spa.touched[j];
				bool		found;

				/* exposure that has shrunk to nothing around a cycle stops moving */
				if (spa.acc[c] == 0.0)
					continue;
				outflow_push(next, c, (int32) t, spa.acc[c]);
				entry = expmap_insert(x, ((uint64) d << 32) | (uint32) c, &found);
				if (found)
					entry->value += spa.acc[c];
				else
				{
					entry->value = spa.acc[c];
					entry->tier = (int32) t;
				}
			}
			next->cnt[d] = (int32) (next->len - next->off[d]);
			if (next->cnt[d] > 0)
				next->nodes[next->nnodes++] = d;
		}

		/* what arrived at tier t is what moves at tier t + 1 */
		for (i = 0; i < cur->nnodes; i++)
			cur->cnt[cur->nodes[i]] = 0;
		swap = cur;
		cur = next;
		next = swap;
		graph_note_memory(g);
	}

	expmap_start_iterate(x, &it);
	while ((entry = expmap_iterate(x, &it)) != NULL)
	{
		int32		node = (int32) (entry->key >> 32);
		int32		c = (int32) (entry->key & 0xFFFFFFFF);

		CHECK_FOR_INTERRUPTS();
		propagate_emit(g, out, propagate_node_datum(g, out, node), c, entry->value, entry->tier);
	}
}
