/*
 * watch.c - the early warning's comparison: whether a measure's value meets
 * a rule (44_watch.sql).  It runs once per rule and subject a write moves,
 * so it is a C function rather than a CASE in SQL.
 */
#include "supplychain.h"

#include "utils/fmgrprotos.h"

PG_FUNCTION_INFO_V1(sc_watch_meets);

/*
 * watch_meets(value numeric, comparison text, threshold numeric): value
 * compared with threshold as numeric's own operators compare (NaN above
 * every number); a NULL value (or rule) meets nothing.
 */
Datum
sc_watch_meets(PG_FUNCTION_ARGS)
{
	text	   *comparison;
	const char *op;
	int			len;
	int			cmp;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_BOOL(false);
	comparison = PG_GETARG_TEXT_PP(1);
	op = VARDATA_ANY(comparison);
	len = VARSIZE_ANY_EXHDR(comparison);
	cmp = DatumGetInt32(DirectFunctionCall2(numeric_cmp, PG_GETARG_DATUM(0), PG_GETARG_DATUM(2)));
	if (len == 1)
	{
		switch (op[0])
		{
			case '>':
				PG_RETURN_BOOL(cmp > 0);
			case '<':
				PG_RETURN_BOOL(cmp < 0);
			case '=':
				PG_RETURN_BOOL(cmp == 0);
		}
	}
	else if (len == 2 && op[1] == '=' && (op[0] == '>' || op[0] == '<'))
		PG_RETURN_BOOL(op[0] == '>' ? cmp >= 0 : cmp <= 0);
	else if (len == 2 && op[0] == '<' && op[1] == '>')
		PG_RETURN_BOOL(cmp != 0);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown comparison \"%.*s\"", len > 16 ? 16 : len, op),
			 errhint("A rule compares with >, >=, <, <=, = or <>.")));
	PG_RETURN_NULL();			/* not reached */
}
