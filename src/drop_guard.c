/*
 * drop_guard.c - the event trigger that refuses DROP EXTENSION supplychain
 * (and DROP SCHEMA supplychain) while Citus distributes the extension's
 * tables.
 *
 * The shards' triggers depend on the extension's functions but are not its
 * members: a plain DROP fails with a list of shard triggers, and DROP ...
 * CASCADE drops the extension but leaves every shard, with its rows, on the
 * nodes.  supplychain.undistribute() is the way out, and this says so.  Only
 * the parse tree tells which extension a DROP EXTENSION drops, so this is C.
 */
#include "postgres.h"

#include "commands/event_trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "nodes/parsenodes.h"
#include "catalog/pg_namespace.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(sc_drop_guard);

/* the extension's tables that Citus knows, or NULL; every name qualified */
static const char *const distributed_tables_sql =
	"SELECT pg_catalog.string_agg(p.logicalrelid::pg_catalog.text, ', ' ORDER BY p.logicalrelid::pg_catalog.text)"
	" FROM pg_catalog.pg_dist_partition p"
	" JOIN pg_catalog.pg_depend d ON d.objid OPERATOR(pg_catalog.=) p.logicalrelid::pg_catalog.oid"
	"  AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass"
	"  AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass"
	"  AND d.deptype OPERATOR(pg_catalog.=) 'e'"
	" JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid"
	"  AND e.extname OPERATOR(pg_catalog.=) 'supplychain'";

Datum
sc_drop_guard(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigdata;
	DropStmt   *stmt;
	ListCell   *lc;
	bool		drops = false;
	char	   *tables = NULL;
	MemoryContext caller = CurrentMemoryContext;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("supplychain.drop_guard() runs as an event trigger only")));
	trigdata = (EventTriggerData *) fcinfo->context;
	if (!IsA(trigdata->parsetree, DropStmt))
		PG_RETURN_VOID();
	stmt = (DropStmt *) trigdata->parsetree;
	if (stmt->removeType != OBJECT_EXTENSION && stmt->removeType != OBJECT_SCHEMA)
		PG_RETURN_VOID();
	foreach(lc, stmt->objects)
	{
		if (strcmp(strVal(lfirst(lc)), "supplychain") == 0)
			drops = true;
	}
	if (!drops)
		PG_RETURN_VOID();

	/* without Citus there is nothing to guard */
	if (!OidIsValid(get_relname_relid("pg_dist_partition", PG_CATALOG_NAMESPACE)))
		PG_RETURN_VOID();

	SPI_connect();
	if (SPI_execute(distributed_tables_sql, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute failed: %s", distributed_tables_sql);
	if (SPI_processed == 1)
	{
		char	   *value = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

		if (value != NULL)
			tables = MemoryContextStrdup(caller, value);
	}
	SPI_finish();

	if (tables != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot drop supplychain while Citus distributes its tables"),
				 errdetail("Citus tables: %s. Their shards would be left behind on the nodes.", tables),
				 errhint("SELECT supplychain.undistribute() first: it brings the rows back into the coordinator's tables.")));
	PG_RETURN_VOID();
}
