/*
 * propagate.c - the SQL function propagate_exposure and the result rows it returns.
 *
 * propagate_exposure(edges_sql, origins_sql, max_tiers): multi-tier exposure
 * propagation over a supplier graph.
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
 * propagate.h lists the files that hold each part.
 */
#include "propagate.h"

#include "access/htup_details.h"
#include "executor/executor.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "portability/instr_time.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(propagate_exposure);

/* ---------------------------------------------------------------------
 * Result rows.
 * ---------------------------------------------------------------------
 */
struct Output
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
};

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

/*
 * A node's id as a text datum.  Integer ids are written into the one buffer
 * in out, so the datum holds until the next call.
 */
Datum
propagate_node_datum(Graph *g, Output *out, int32 n)
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
void
propagate_emit(Graph *g, Output *out, Datum node, int32 country, double value, int32 tier)
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
#if PG_VERSION_NUM >= 180000
			/* 18 added room for the caller's data before the tuple */
			check = heap_form_minimal_tuple(out->desc, values, nulls, 0);
#else
			check = heap_form_minimal_tuple(out->desc, values, nulls);
#endif
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
	propagate_read_inputs(g, edges_sql, origins_sql);
	graph_note_memory(g);
	INSTR_TIME_SET_CURRENT(t1);
	graph_build_csr(g);

	output_init(&out, rsinfo);

	order = graph_alloc_array(g, g->nnodes, sizeof(int32), false);
	fast = propagate_topological_order(g, order, &longest) && longest <= max_tiers;
	INSTR_TIME_SET_CURRENT(t2);
	if (fast)
		propagate_solve_topological(g, order, &out);
	else
		propagate_solve_by_tier(g, max_tiers, &out);
	graph_note_memory(g);
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
