/*
 * exec_cached.c - exec_cached(): run a statement of the triggers through a
 * plan kept for the session.
 *
 * The triggers that keep the share rule and the risk state name the tables
 * they write at run time (on a Citus worker, the shards beside the one they
 * fire on), so PL/pgSQL can only EXECUTE them, and EXECUTE plans every
 * statement anew: for a one-row write the planning of its few large
 * statements costs more than running them.  Here each distinct statement
 * text is prepared once per backend, as a generic plan, and kept; the plan
 * cache replans it when a table it reads changes.  The statement takes up to
 * four text[] parameters, and the first row's first three columns, text[]
 * each, come back (NULL where there is none).  Transition tables are not
 * visible here: the trigger passes what it read from them as arrays.
 *
 * A generic plan does not know its arrays' lengths.  The statements read
 * them through key_rows(), whose support function below estimates a
 * parameter array at a few rows (so the generic plan probes indexes per
 * key, right for the one-row writes it serves) and a constant array at its
 * length.  Above EXEC_CACHED_ONE_SHOT keys (the first array's length) the
 * statement is planned for its values instead, once, as EXECUTE would: a
 * bulk write gets hash joins and sorts where per-key loops would compare
 * every key with every other.
 */
#include "supplychain.h"

#include "access/htup_details.h"
#include "common/hashfn.h"
#include "catalog/pg_type.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "utils/array.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#define EXEC_CACHED_ARGS 4		/* text[] parameters */
#define EXEC_CACHED_COLS 3		/* text[] columns of the first row */
#define EXEC_CACHED_ONE_SHOT 100	/* more keys: a plan for these values */
#define KEY_ROWS_GENERIC 1.0	/* key_rows() rows of a parameter array */

#define CACHED_MAX_ARGS 4		/* parameters of a kept plan, at most */

/*
 * A kept plan is found by its text and by how it was prepared: its
 * parameters' types and the cursor options.  exec_cached() is anyone's to
 * call, with any text: a text that another caller prepares with other
 * parameters gets a plan of its own, never one whose parameters differ from
 * the values it passes.
 */
typedef struct ExecCachedEntry
{
	uint32		hash;			/* of the text: the hash table's key */
	char	   *query;			/* the text, in TopMemoryContext */
	int			nargs;
	Oid			argtypes[CACHED_MAX_ARGS];
	int			options;
	SPIPlanPtr	plan;			/* kept (SPI_keepplan) */
	struct ExecCachedEntry *next;	/* texts of the same hash */
} ExecCachedEntry;

static HTAB *exec_cached_plans = NULL;

static ExecCachedEntry *
exec_cached_lookup(const char *query, int nargs, const Oid *argtypes, int options)
{
	uint32		hash = DatumGetUInt32(hash_any((const unsigned char *) query, strlen(query)));
	ExecCachedEntry *head;
	ExecCachedEntry *e;
	bool		found;

	if (exec_cached_plans == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(uint32);
		ctl.entrysize = sizeof(ExecCachedEntry);
		exec_cached_plans = hash_create("supplychain exec_cached plans", 64, &ctl,
										HASH_ELEM | HASH_BLOBS);
	}
	head = hash_search(exec_cached_plans, &hash, HASH_ENTER, &found);
	if (!found)
	{
		head->hash = hash;
		head->query = NULL;
		head->plan = NULL;
		head->next = NULL;
	}
	for (e = head; e != NULL; e = e->next)
		if (e->query != NULL && strcmp(e->query, query) == 0 && e->nargs == nargs && e->options == options &&
			(nargs == 0 || memcmp(e->argtypes, argtypes, sizeof(Oid) * nargs) == 0))
			return e;
	/* a new text: the head if free, else a link of its chain */
	if (head->query == NULL)
		e = head;
	else
	{
		e = MemoryContextAllocZero(TopMemoryContext, sizeof(ExecCachedEntry));
		e->hash = hash;
		e->next = head->next;
		head->next = e;
	}
	return e;
}

/*
 * sc_qualified_name: a relation's schema-qualified, quoted name, for the
 * text of a statement (undefined_table when there is none).
 */
char *
sc_qualified_name(Oid relid)
{
	char	   *nsp = get_namespace_name(get_rel_namespace(relid));
	char	   *rel = get_rel_name(relid);

	if (nsp == NULL || rel == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	return quote_qualified_identifier(nsp, rel);
}

/*
 * sc_cached_plan: the plan of a statement, prepared (SPI_prepare_cursor's
 * options) on the first use of its text with these parameter types and
 * options, and kept for the session; who names the caller in errors.  The
 * caller is connected to SPI.
 */
SPIPlanPtr
sc_cached_plan(const char *query, int nargs, Oid *argtypes, int options, const char *who)
{
	ExecCachedEntry *entry;

	if (nargs < 0 || nargs > CACHED_MAX_ARGS)
		elog(ERROR, "%s: %d parameters, more than a kept plan takes", who, nargs);
	entry = exec_cached_lookup(query, nargs, argtypes, options);
	if (entry->plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare_cursor(query, nargs, argtypes, options);

		if (plan == NULL)
			elog(ERROR, "%s: SPI_prepare failed: %s", who, SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "%s: SPI_keepplan failed", who);
		entry->nargs = nargs;
		if (nargs > 0)
			memcpy(entry->argtypes, argtypes, sizeof(Oid) * nargs);
		entry->options = options;
		/* the text last: an error above leaves the entry free */
		entry->query = MemoryContextStrdup(TopMemoryContext, query);
		entry->plan = plan;
	}
	return entry->plan;
}

/*
 * sc_exec_cached_plan: the kept generic plan of a statement with four text[]
 * parameters ($1..$4, any of them unused).  The caller is connected to SPI.
 */
SPIPlanPtr
sc_exec_cached_plan(const char *query)
{
	Oid			argtypes[EXEC_CACHED_ARGS] = {TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID};

	return sc_cached_plan(query, EXEC_CACHED_ARGS, argtypes, CURSOR_OPT_GENERIC_PLAN, "exec_cached");
}

PG_FUNCTION_INFO_V1(sc_exec_cached);

Datum
sc_exec_cached(PG_FUNCTION_ARGS)
{
	char	   *query;
	Datum		values[EXEC_CACHED_ARGS];
	char		nulls[EXEC_CACHED_ARGS];
	Datum		result[EXEC_CACHED_COLS];
	bool		result_null[EXEC_CACHED_COLS];
	TupleDesc	tupdesc;
	int			rc;
	int			i;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("exec_cached needs a statement")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "exec_cached must return a row");
	tupdesc = BlessTupleDesc(tupdesc);

	query = text_to_cstring(PG_GETARG_TEXT_PP(0));
	for (i = 0; i < EXEC_CACHED_ARGS; i++)
	{
		bool		isnull = PG_NARGS() <= i + 1 || PG_ARGISNULL(i + 1);

		values[i] = isnull ? (Datum) 0 : PG_GETARG_DATUM(i + 1);
		nulls[i] = isnull ? 'n' : ' ';
	}
	for (i = 0; i < EXEC_CACHED_COLS; i++)
	{
		result[i] = (Datum) 0;
		result_null[i] = true;
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "exec_cached: SPI_connect failed");

	if (nulls[0] == ' ' &&
		ArrayGetNItems(ARR_NDIM(DatumGetArrayTypeP(values[0])),
					   ARR_DIMS(DatumGetArrayTypeP(values[0]))) > EXEC_CACHED_ONE_SHOT)
	{
		Oid			argtypes[EXEC_CACHED_ARGS] = {TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID};

		rc = SPI_execute_with_args(query, EXEC_CACHED_ARGS, argtypes, values, nulls, false, 1);
		goto done;
	}

	rc = SPI_execute_plan(sc_exec_cached_plan(query), values, nulls, false, 1);
done:
	if (rc < 0)
		elog(ERROR, "exec_cached: SPI_execute_plan failed: %s", SPI_result_code_string(rc));

	if (SPI_tuptable != NULL && SPI_processed > 0)
	{
		TupleDesc	got = SPI_tuptable->tupdesc;

		for (i = 0; i < EXEC_CACHED_COLS && i < got->natts; i++)
		{
			bool		isnull;
			Datum		d;

			if (SPI_gettypeid(got, i + 1) != TEXTARRAYOID)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("exec_cached: column %d of the statement's result is not text[]", i + 1)));
			d = SPI_getbinval(SPI_tuptable->vals[0], got, i + 1, &isnull);
			if (!isnull)
			{
				/* out of SPI's memory, which SPI_finish frees */
				result[i] = SPI_datumTransfer(d, false, -1);
				result_null[i] = false;
			}
		}
	}
	SPI_finish();

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, result, result_null)));
}

/*
 * key_rows_support: the planner's row estimate of a function over the
 * triggers' keys (key_rows(), state_terms()): the length of its first text[]
 * argument when that is a constant (a plan made for its values), a few rows
 * when it is a parameter (a generic plan).
 */
PG_FUNCTION_INFO_V1(sc_key_rows_support);

Datum
sc_key_rows_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	SupportRequestRows *req;
	ListCell   *lc;

	if (!IsA(rawreq, SupportRequestRows))
		PG_RETURN_POINTER(NULL);
	req = (SupportRequestRows *) rawreq;
	if (!is_funcclause(req->node))
		PG_RETURN_POINTER(NULL);
	foreach(lc, ((FuncExpr *) req->node)->args)
	{
		Node	   *arg = (Node *) lfirst(lc);

		if (exprType(arg) != TEXTARRAYOID)
			continue;
		if (IsA(arg, Const) && !((Const *) arg)->constisnull)
		{
			ArrayType  *a = DatumGetArrayTypeP(((Const *) arg)->constvalue);

			req->rows = Max(1, ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a)));
		}
		else
			req->rows = KEY_ROWS_GENERIC;
		PG_RETURN_POINTER(req);
	}
	PG_RETURN_POINTER(NULL);
}

/*
 * key_rows(x1, x2, x3, x4): the rows of up to four parallel text arrays, as
 * ROWS FROM (unnest(x1), ..., unnest(x4)) gives them (a shorter or NULL array
 * pads its column with NULLs).  In C rather than SQL: a SQL function with a
 * support function cannot be inlined, and its own executor cost more than
 * the one-row statements that read it.
 */
#define KEY_ROWS_COLS 4

PG_FUNCTION_INFO_V1(sc_key_rows);

Datum
sc_key_rows(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum	   *elems[KEY_ROWS_COLS];
	bool	   *elem_nulls[KEY_ROWS_COLS];
	int			n[KEY_ROWS_COLS];
	int			rows = 0;
	int			c;
	int			r;

	InitMaterializedSRF(fcinfo, 0);
	if (rsinfo->setDesc->natts != KEY_ROWS_COLS)
		elog(ERROR, "key_rows must return %d columns", KEY_ROWS_COLS);
	for (c = 0; c < KEY_ROWS_COLS; c++)
	{
		n[c] = 0;
		if (PG_NARGS() <= c || PG_ARGISNULL(c))
			continue;
		deconstruct_array(PG_GETARG_ARRAYTYPE_P(c), TEXTOID, -1, false, TYPALIGN_INT,
						  &elems[c], &elem_nulls[c], &n[c]);
		rows = Max(rows, n[c]);
	}
	for (r = 0; r < rows; r++)
	{
		Datum		values[KEY_ROWS_COLS];
		bool		nulls[KEY_ROWS_COLS];

		for (c = 0; c < KEY_ROWS_COLS; c++)
		{
			nulls[c] = r >= n[c] || elem_nulls[c][r];
			values[c] = nulls[c] ? (Datum) 0 : elems[c][r];
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
