/*
 * ordinal.c - what the two one-byte ordinal types share: text and binary
 * I/O, integer casts, comparison, hashing, sorting and min/max.  Both types
 * order by their level byte, so one set of C functions serves the operators
 * and operator classes of both.
 */
#include "supplychain.h"

#include "common/hashfn.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/sortsupport.h"

/* Longest prefix of a bad input echoed in an error message, in bytes. */
#define SC_ECHO_MAX 64

/* The input as it appears in error messages: clipped to a readable length. */
static const char *
clip_input(const char *str)
{
	size_t		len = strlen(str);
	int			clip;

	if (len <= SC_ECHO_MAX)
		return str;
	/* cut on a character boundary of the database encoding */
	clip = pg_mbcliplen(str, (int) len, SC_ECHO_MAX);
	return psprintf("%.*s...", clip, str);
}

bool
sc_database_is_utf8(void)
{
	return GetDatabaseEncoding() == PG_UTF8;
}

/*
 * Text in UTF-8 (a symbol) in the database's encoding, or an error
 * (22P05, untranslatable character) where that encoding has no equivalent.
 */
char *
sc_utf8_to_server(const char *utf8)
{
	return pg_any_to_server(utf8, strlen(utf8), PG_UTF8);
}

/*
 * The parsers match the symbols' UTF-8 bytes: input in another database
 * encoding is read in UTF-8, so that bytes that merely look like a symbol's
 * (in LATIN1, say) never match one.  ASCII input needs no conversion.
 */
static const char *
input_as_utf8(const char *str, size_t *len)
{
	size_t		i;
	char	   *utf8;

	if (sc_database_is_utf8())
		return str;
	for (i = 0; i < *len; i++)
		if (IS_HIGHBIT_SET(str[i]))
		{
			utf8 = pg_server_to_any(str, *len, PG_UTF8);
			*len = strlen(utf8);
			return utf8;
		}
	return str;
}

Datum
sc_ord_in(FunctionCallInfo fcinfo, const sc_ordtype *t)
{
	const char *str = PG_GETARG_CSTRING(0);
	size_t		len = strlen(str);
	const char *utf8 = input_as_utf8(str, &len);
	int			level = t->parse(utf8, len);

	if (level == 0)
		sc_input_error(fcinfo,
					   (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						errmsg("invalid input syntax for type %s: \"%s\"",
							   t->name, clip_input(str)),
						errhint("%s", (t->hint_ascii && !sc_database_is_utf8())
								? t->hint_ascii : t->hint)));
	SC_RETURN_LEVEL(level);
}

Datum
sc_ord_out(FunctionCallInfo fcinfo, const sc_ordtype *t)
{
	int			level = SC_GETARG_LEVEL(0);
	const char *label = t->label(level);

	if (label == NULL)			/* only a corrupted datum gets here */
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid internal value for type %s: %d", t->name, level)));
	PG_RETURN_CSTRING(pstrdup(label));
}

/* recv checks exactly what text input checks: the value must be a level. */
Datum
sc_ord_recv(FunctionCallInfo fcinfo, const sc_ordtype *t)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			byte;
	int			value;

	if (buf->len - buf->cursor != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary length for type %s", t->name),
				 errdetail("Expected 1 byte, got %d.", buf->len - buf->cursor)));
	byte = pq_getmsgbyte(buf);
	value = (int8) byte;
	if (value + t->offset < t->min_level || value + t->offset > t->max_level)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value for type %s: byte 0x%02x", t->name, byte),
				 errdetail("The byte must hold an integer from %d to %d.",
						   t->min_level - t->offset, t->max_level - t->offset)));
	SC_RETURN_LEVEL(value + t->offset);
}

Datum
sc_ord_send(FunctionCallInfo fcinfo, const sc_ordtype *t)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, (uint8) (int8) (SC_GETARG_LEVEL(0) - t->offset));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
sc_ord_to_int4(FunctionCallInfo fcinfo, const sc_ordtype *t)
{
	PG_RETURN_INT32(SC_GETARG_LEVEL(0) - t->offset);
}

Datum
sc_ord_from_int4(FunctionCallInfo fcinfo, const sc_ordtype *t)
{
	int32		value = PG_GETARG_INT32(0);

	/* compare before adding the offset, which could overflow */
	if (value < t->min_level - t->offset || value > t->max_level - t->offset)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("integer %d is out of range for type %s", value, t->name),
				 errhint("Values of type %s are the integers %d to %d.",
						 t->name, t->min_level - t->offset, t->max_level - t->offset)));
	SC_RETURN_LEVEL(value + t->offset);
}

PG_FUNCTION_INFO_V1(sc_ord_eq);
PG_FUNCTION_INFO_V1(sc_ord_ne);
PG_FUNCTION_INFO_V1(sc_ord_lt);
PG_FUNCTION_INFO_V1(sc_ord_le);
PG_FUNCTION_INFO_V1(sc_ord_gt);
PG_FUNCTION_INFO_V1(sc_ord_ge);
PG_FUNCTION_INFO_V1(sc_ord_cmp);
PG_FUNCTION_INFO_V1(sc_ord_sortsupport);
PG_FUNCTION_INFO_V1(sc_ord_hash);
PG_FUNCTION_INFO_V1(sc_ord_hash_extended);
PG_FUNCTION_INFO_V1(sc_ord_smaller);
PG_FUNCTION_INFO_V1(sc_ord_larger);

Datum
sc_ord_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(SC_GETARG_LEVEL(0) == SC_GETARG_LEVEL(1));
}

Datum
sc_ord_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(SC_GETARG_LEVEL(0) != SC_GETARG_LEVEL(1));
}

Datum
sc_ord_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(SC_GETARG_LEVEL(0) < SC_GETARG_LEVEL(1));
}

Datum
sc_ord_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(SC_GETARG_LEVEL(0) <= SC_GETARG_LEVEL(1));
}

Datum
sc_ord_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(SC_GETARG_LEVEL(0) > SC_GETARG_LEVEL(1));
}

Datum
sc_ord_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(SC_GETARG_LEVEL(0) >= SC_GETARG_LEVEL(1));
}

Datum
sc_ord_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(SC_GETARG_LEVEL(0) - SC_GETARG_LEVEL(1));
}

#if PG_VERSION_NUM < 150000
static int
ord_fastcmp(Datum a, Datum b, SortSupport ssup)
{
	int			la = (uint8) DatumGetChar(a);
	int			lb = (uint8) DatumGetChar(b);

	return la - lb;
}
#endif

/*
 * Levels are small and non-negative, so the server's int32 datum comparator
 * orders them correctly and lets sorts run as fast as they do on int2.
 */
Datum
sc_ord_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

#if PG_VERSION_NUM >= 150000
	ssup->comparator = ssup_datum_int32_cmp;
#else
	ssup->comparator = ord_fastcmp;
#endif
	PG_RETURN_VOID();
}

Datum
sc_ord_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) SC_GETARG_LEVEL(0));
}

Datum
sc_ord_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) SC_GETARG_LEVEL(0), PG_GETARG_INT64(1));
}

Datum
sc_ord_smaller(PG_FUNCTION_ARGS)
{
	int			a = SC_GETARG_LEVEL(0);
	int			b = SC_GETARG_LEVEL(1);

	SC_RETURN_LEVEL(a < b ? a : b);
}

Datum
sc_ord_larger(PG_FUNCTION_ARGS)
{
	int			a = SC_GETARG_LEVEL(0);
	int			b = SC_GETARG_LEVEL(1);

	SC_RETURN_LEVEL(a > b ? a : b);
}
