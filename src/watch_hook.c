/*
 * watch_hook.c - the early warning of the writes a Citus coordinator routes
 * to the workers.
 *
 * On a distributed installation the triggers that raise alerts run beside
 * the shards, on the workers, where neither the alert table nor the
 * coordinator's listeners are (44_watch.sql, watch_before()).  The
 * coordinator runs no trigger of a distributed table: Citus executes the
 * statement as a custom scan.  So, after each statement that writes one of
 * the tables whose rows feed a watched measure (dependency, assessment,
 * policy_impact, trade_flow) in the extension's schema, this hook calls
 * watch_distributed_write(table) (where the extension's version has it; not
 * while an extension script runs), which on a Citus coordinator, when an
 * enabled rule watches the measures the table feeds, evaluates them again
 * whole in the writing transaction (and does nothing anywhere else).
 *
 * The table written is found in the statement's range table: an entry
 * locked RowExclusiveLock is the target of an INSERT, UPDATE, DELETE or
 * MERGE (a table only read is locked AccessShareLock, or RowShareLock for
 * FOR UPDATE); Citus keeps the statement's own entries there, beside its
 * scan's.  A COPY FROM is seen in ProcessUtility.  Nothing happens unless
 * Citus is loaded in the backend (its settings exist), so a single server
 * pays one settings lookup per writing statement.
 *
 * The hooks are installed when the library is loaded: for every statement
 * of every session, add supplychain to shared_preload_libraries (after
 * citus) on the coordinator (docs/citus.md, "Early warning").
 */
#include "supplychain.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "parser/parse_func.h"
#include "executor/executor.h"
#include "nodes/parsenodes.h"
#include "storage/lockdefs.h"
#include "tcop/utility.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

void		_PG_init(void);

static ExecutorFinish_hook_type prev_executor_finish = NULL;
static ProcessUtility_hook_type prev_process_utility = NULL;

/* set while the hook's own call runs: its writes are not the user's */
static bool in_watch = false;

/* the tables whose rows feed a watched measure */
static const char *const fed_tables[] = {"dependency", "assessment", "policy_impact", "trade_flow"};

/* Citus is loaded in this backend */
static bool
citus_loaded(void)
{
	return GetConfigOption("citus.shard_count", true, false) != NULL;
}

/* relid is one of fed_tables in the schema */
static bool
fed_table(Oid relid, Oid schema)
{
	char	   *name;
	int			i;

	if (get_rel_namespace(relid) != schema)
		return false;
	name = get_rel_name(relid);
	if (name == NULL)
		return false;
	for (i = 0; i < lengthof(fed_tables); i++)
		if (strcmp(name, fed_tables[i]) == 0)
			return true;
	return false;
}

/*
 * The schema's watch_distributed_write(regclass), or InvalidOid where the
 * extension's version has none (an older version's script, or a database
 * not yet updated to the library's version)
 */
static Oid
watch_function(Oid schema)
{
	char	   *nsp = get_namespace_name(schema);
	Oid			argtype = REGCLASSOID;

	if (nsp == NULL)
		return InvalidOid;
	return LookupFuncName(list_make2(makeString(nsp), makeString("watch_distributed_write")),
						  1, &argtype, true);
}

/* watch_distributed_write(relid) */
static void
watch_written(Oid fn, Oid relid)
{
	in_watch = true;
	PG_TRY();
	{
		(void) OidFunctionCall1(fn, ObjectIdGetDatum(relid));
	}
	PG_FINALLY();
	{
		in_watch = false;
	}
	PG_END_TRY();
}

/* the extension's schema, or InvalidOid where it is not installed */
static Oid
extension_schema(void)
{
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tuple;
	Oid			schema = InvalidOid;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ,
				CStringGetDatum("supplychain"));
	scan = systable_beginscan(rel, ExtensionNameIndexId, true, NULL, 1, &key);
	tuple = systable_getnext(scan);
	if (HeapTupleIsValid(tuple))
		schema = ((Form_pg_extension) GETSTRUCT(tuple))->extnamespace;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return schema;
}

static void
sc_executor_finish(QueryDesc *queryDesc)
{
	List	   *written = NIL;
	ListCell   *lc;
	Oid			schema;
	Oid			fn;

	if (prev_executor_finish)
		prev_executor_finish(queryDesc);
	else
		standard_ExecutorFinish(queryDesc);

	if (in_watch || creating_extension || queryDesc->operation == CMD_SELECT
		|| queryDesc->operation == CMD_UTILITY || !citus_loaded())
		return;
	schema = extension_schema();
	if (!OidIsValid(schema))
		return;
	foreach(lc, queryDesc->plannedstmt->rtable)
	{
		RangeTblEntry *rte = lfirst_node(RangeTblEntry, lc);

		if (rte->rtekind == RTE_RELATION && rte->rellockmode == RowExclusiveLock
			&& fed_table(rte->relid, schema))
			written = list_append_unique_oid(written, rte->relid);
	}
	if (written != NIL && OidIsValid(fn = watch_function(schema)))
		foreach(lc, written)
			watch_written(fn, lfirst_oid(lc));
	list_free(written);
}

static void
sc_process_utility(PlannedStmt *pstmt, const char *queryString, bool readOnlyTree,
				   ProcessUtilityContext context, ParamListInfo params,
				   QueryEnvironment *queryEnv, DestReceiver *dest, QueryCompletion *qc)
{
	Node	   *parsetree = pstmt->utilityStmt;
	Oid			relid = InvalidOid;
	Oid			schema;
	Oid			fn;

	if (prev_process_utility)
		prev_process_utility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);

	if (in_watch || creating_extension || !IsA(parsetree, CopyStmt) || !((CopyStmt *) parsetree)->is_from
		|| ((CopyStmt *) parsetree)->relation == NULL || !citus_loaded())
		return;
	schema = extension_schema();
	if (!OidIsValid(schema))
		return;
	relid = RangeVarGetRelid(((CopyStmt *) parsetree)->relation, NoLock, true);
	if (OidIsValid(relid) && fed_table(relid, schema) && OidIsValid(fn = watch_function(schema)))
		watch_written(fn, relid);
}

void
_PG_init(void)
{
	prev_executor_finish = ExecutorFinish_hook;
	ExecutorFinish_hook = sc_executor_finish;
	prev_process_utility = ProcessUtility_hook;
	ProcessUtility_hook = sc_process_utility;
}
