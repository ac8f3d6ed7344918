/*
 * references.c - reference_check(): a table's declared foreign keys checked
 * once per statement, from the statement's transition table.
 *
 * PostgreSQL checks a foreign key row by row: each inserted row runs one
 * probe of the referenced table per key (four for dependency).  A bulk write
 * to dependency names a handful of distinct codes in thousands of rows, so
 * the extension disables the row triggers that check its foreign keys on the
 * referencing side (RI_FKey_check_ins and RI_FKey_check_upd) and this
 * statement trigger checks them instead: the distinct values of each key
 * column in the statement's new rows, looked up in one query per key that
 * locks the referenced rows FOR KEY SHARE, as the row check does, and runs
 * as the referenced table's owner, as the row check does.  A value that is
 * not there fails the statement with the row check's error (23503, its
 * message and detail).  The constraints stay declared: the referenced side's
 * triggers (a DELETE or key UPDATE of a referenced row) are PostgreSQL's own,
 * pg_dump orders the tables' data by them, and a BI tool sees them.
 *
 * Only keys whose row check is disabled are checked here: where a key's row
 * trigger is enabled (a DBA ran ENABLE TRIGGER ALL, or Citus made the key on
 * a shard) PostgreSQL checks it, and this skips it.  Single-column keys of
 * type text only; another key is an error, never skipped silently.
 */
#include "supplychain.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/tuplestore.h"

/* one key to check: its column here, its table and column there, and the
 * distinct values the statement's rows give it */
typedef struct RefKey
{
	Oid			conoid;
	AttrNumber	fk_att;
	Oid			pk_rel;
	AttrNumber	pk_att;
	int			nvalues;
	int			cap;
	char	  **values;
	char	   *last;			/* the value of the previous row */
} RefKey;

static int
cstring_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* is the row check of this key (its INSERT or UPDATE trigger here) off? */
static bool
row_check_disabled(Relation rel, Oid conoid)
{
	TriggerDesc *td = rel->trigdesc;
	bool		any = false;
	int			i;

	if (td == NULL)
		return false;
	for (i = 0; i < td->numtriggers; i++)
	{
		Trigger    *t = &td->triggers[i];

		if (!t->tgisinternal || t->tgconstraint != conoid)
			continue;
		if (t->tgfoid != F_RI_FKEY_CHECK_INS && t->tgfoid != F_RI_FKEY_CHECK_UPD)
			continue;
		if (t->tgenabled != TRIGGER_DISABLED)
			return false;
		any = true;
	}
	return any;
}

/* the distinct values of each key's column in the transition table */
static void
collect_values(Relation rel, Tuplestorestate *rows, RefKey *keys, int nkeys)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsMinimalTuple);
	int			ptr = tuplestore_alloc_read_pointer(rows, EXEC_FLAG_REWIND);
	MemoryContext tmp = AllocSetContextCreate(CurrentMemoryContext, "reference_check rows",
											  ALLOCSET_DEFAULT_SIZES);
	int			k;

	tuplestore_select_read_pointer(rows, ptr);
	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		for (k = 0; k < nkeys; k++)
		{
			RefKey	   *key = &keys[k];
			bool		isnull;
			Datum		d = slot_getattr(slot, key->fk_att, &isnull);
			MemoryContext old;
			char	   *v;

			if (isnull)
				continue;		/* MATCH SIMPLE: a NULL references nothing */
			old = MemoryContextSwitchTo(tmp);
			v = TextDatumGetCString(d);
			MemoryContextSwitchTo(old);
			/* rows come in runs of one code: compare with the last first */
			if (key->last == NULL || strcmp(key->last, v) != 0)
			{
				if (key->nvalues == key->cap)
				{
					key->cap = key->cap == 0 ? 64 : key->cap * 2;
					key->values = key->values == NULL ? palloc(key->cap * sizeof(char *))
						: repalloc(key->values, key->cap * sizeof(char *));
				}
				key->last = key->values[key->nvalues++] = pstrdup(v);
			}
			/* too many repeats out of order: fold them now */
			if (key->nvalues >= 4096 && key->nvalues == key->cap)
			{
				int			i,
							n = 0;

				qsort(key->values, key->nvalues, sizeof(char *), cstring_cmp);
				for (i = 0; i < key->nvalues; i++)
					if (n == 0 || strcmp(key->values[n - 1], key->values[i]) != 0)
						key->values[n++] = key->values[i];
				key->nvalues = n;
			}
		}
		MemoryContextReset(tmp);
	}
	ExecDropSingleTupleTableSlot(slot);
	MemoryContextDelete(tmp);

	/* sorted and distinct: the lock order, and the first missing value */
	for (k = 0; k < nkeys; k++)
	{
		RefKey	   *key = &keys[k];
		int			i,
					n = 0;

		qsort(key->values, key->nvalues, sizeof(char *), cstring_cmp);
		for (i = 0; i < key->nvalues; i++)
			if (n == 0 || strcmp(key->values[n - 1], key->values[i]) != 0)
				key->values[n++] = key->values[i];
		key->nvalues = n;
	}
}

/* look the values up in the referenced table, locking them, as its owner */
static void
check_key(Relation rel, RefKey *key)
{
	/* locked as the row check locks it */
	Relation	pk_rel = table_open(key->pk_rel, RowShareLock);
	char	   *pk_col = get_attname(key->pk_rel, key->pk_att, false);
	char	   *pk_name = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(pk_rel)),
													 RelationGetRelationName(pk_rel));
	char	   *query;
	SPIPlanPtr	plan;
	Datum	   *elems = palloc(key->nvalues * sizeof(Datum));
	Datum		arg[4];
	char		nulls[4] = {' ', 'n', 'n', 'n'};
	char	  **found;
	uint64		nfound;
	Oid			save_userid;
	int			save_sec_context;
	int			i,
				j;
	int			rc;

	for (i = 0; i < key->nvalues; i++)
		elems[i] = CStringGetTextDatum(key->values[i]);
	arg[0] = PointerGetDatum(construct_array(elems, key->nvalues, TEXTOID, -1, false, TYPALIGN_INT));
	arg[1] = arg[2] = arg[3] = (Datum) 0;

	/* the row check's query, over the statement's values */
	query = psprintf("SELECT x.%1$s FROM ONLY %2$s x WHERE x.%1$s OPERATOR(pg_catalog.=) ANY ($1)"
					 " ORDER BY x.%1$s FOR KEY SHARE OF x",
					 quote_identifier(pk_col), pk_name);
	plan = sc_exec_cached_plan(query);

	GetUserIdAndSecContext(&save_userid, &save_sec_context);
	SetUserIdAndSecContext(RelationGetForm(pk_rel)->relowner,
						   save_sec_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
	rc = SPI_execute_plan(plan, arg, nulls, false, 0);
	SetUserIdAndSecContext(save_userid, save_sec_context);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reference_check: SPI_execute_plan failed: %s", SPI_result_code_string(rc));

	nfound = SPI_processed;
	found = palloc((nfound + 1) * sizeof(char *));
	for (i = 0; i < (int) nfound; i++)
		found[i] = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
	/* the query's order is the column's collation; compare bytes here */
	qsort(found, nfound, sizeof(char *), cstring_cmp);

	for (i = 0, j = 0; i < key->nvalues; i++)
	{
		while (j < (int) nfound && strcmp(found[j], key->values[i]) < 0)
			j++;
		if (j < (int) nfound && strcmp(found[j], key->values[i]) == 0)
			continue;
		{
			char	   *conname = get_constraint_name(key->conoid);

			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("insert or update on table \"%s\" violates foreign key constraint \"%s\"",
							RelationGetRelationName(rel), conname),
					 errdetail("Key (%s)=(%s) is not present in table \"%s\".",
							   NameStr(TupleDescAttr(RelationGetDescr(rel), key->fk_att - 1)->attname),
							   key->values[i], RelationGetRelationName(pk_rel)),
					 errtableconstraint(rel, conname)));
		}
	}
	table_close(pk_rel, NoLock);
}

PG_FUNCTION_INFO_V1(sc_reference_check);

Datum
sc_reference_check(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	List	   *fkeys;
	ListCell   *lc;
	RefKey	   *keys;
	int			nkeys = 0;
	int			k;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("reference_check() was not called by a trigger")));
	if (!TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event) || !TRIGGER_FIRED_AFTER(trigdata->tg_event) ||
		!(TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) || TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event)) ||
		trigdata->tg_newtable == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("reference_check() must fire AFTER INSERT or UPDATE FOR EACH STATEMENT with a NEW TABLE")));

	rel = trigdata->tg_relation;
	fkeys = RelationGetFKeyList(rel);
	keys = palloc0(Max(list_length(fkeys), 1) * sizeof(RefKey));
	foreach(lc, fkeys)
	{
		ForeignKeyCacheInfo *fk = lfirst_node(ForeignKeyCacheInfo, lc);

		if (fk->conrelid != RelationGetRelid(rel) || !row_check_disabled(rel, fk->conoid))
			continue;
		if (fk->nkeys != 1 ||
			TupleDescAttr(RelationGetDescr(rel), fk->conkey[0] - 1)->atttypid != TEXTOID ||
			get_atttype(fk->confrelid, fk->confkey[0]) != TEXTOID)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("reference_check() checks single-column text keys only, not \"%s\" of table \"%s\"",
							get_constraint_name(fk->conoid), RelationGetRelationName(rel))));
		keys[nkeys].conoid = fk->conoid;
		keys[nkeys].fk_att = fk->conkey[0];
		keys[nkeys].pk_rel = fk->confrelid;
		keys[nkeys].pk_att = fk->confkey[0];
		nkeys++;
	}
	if (nkeys == 0)
		return PointerGetDatum(NULL);

	collect_values(rel, trigdata->tg_newtable, keys, nkeys);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "reference_check: SPI_connect failed");
	for (k = 0; k < nkeys; k++)
		if (keys[k].nvalues > 0)
			check_key(rel, &keys[k]);
	SPI_finish();
	return PointerGetDatum(NULL);
}
