/*
 * binary_check.c - the binary wire format of stage_rating and impact_score,
 * read and written by a libpq client.
 *
 * Usage: binary_check "CONNINFO"      (run by test/clients.sh)
 * Prints "ok - ..." / "not ok - ..." lines; exits 1 when any check fails.
 *
 * README: "one byte holding the integer value, two's complement for
 * impact_score (very negative is 0xFE). recv rejects any other length or
 * value with SQLSTATE 22P03."
 *
 * 1. PQexecParams with resultFormat = 1: every level of both types comes
 *    back as exactly one byte (weak = 0x02, very negative = 0xFE), with
 *    PQftype the type OID looked up in pg_type.
 * 2. Binary parameters (paramFormats = 1, paramTypes = those OIDs): every
 *    level round-trips, in text (label, integer) and in binary, and binds in
 *    a WHERE clause against a view.
 * 3. Bad bytes (0x07 and the neighbours of the valid range) and bad lengths
 *    (0 and 2 bytes) sent as binary parameters fail with 22P03.
 * 4. A view read in binary: weakest_stage.rating is 0x01 on every row.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>

static int checks, failures;

static void ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
ok(int cond, const char *fmt, ...)
{
	va_list		ap;

	checks++;
	if (!cond)
		failures++;
	printf("%s - ", cond ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static PGconn *conn;

static void
die(const char *what, PGresult *res)
{
	fprintf(stderr, "binary_check: %s: %s", what,
			res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
	exit(2);
}

static Oid
type_oid(const char *name)
{
	const char *params[1] = {name};
	PGresult   *res = PQexecParams(conn, "SELECT oid FROM pg_type WHERE oid = $1::regtype",
									1, NULL, params, NULL, NULL, 0);
	Oid			oid;

	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
		die("looking up the type OID", res);
	oid = (Oid) strtoul(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return oid;
}

typedef struct
{
	const char *type;
	Oid			oid;
	int			level;			/* integer value */
	const char *label;
} level_t;

/* send one value as a binary parameter of the given type */
static PGresult *
send_binary(const char *sql, Oid oid, const char *bytes, int len, int result_format)
{
	const char *values[1] = {bytes};
	int			lengths[1] = {len};
	int			formats[1] = {1};
	Oid			types[1] = {oid};

	return PQexecParams(conn, sql, 1, types, values, lengths, formats, result_format);
}

static const char *
sqlstate(PGresult *res)
{
	const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	return s ? s : "(none)";
}

int
main(int argc, char **argv)
{
	Oid			rating_oid,
				score_oid;
	PGresult   *res;
	level_t		levels[8];
	int			n = 0;

	conn = PQconnectdb(argc > 1 ? argv[1] : "");
	if (PQstatus(conn) != CONNECTION_OK)
		die("connecting", NULL);
	printf("# libpq %d, server %d\n", PQlibVersion(), PQserverVersion(conn));

	rating_oid = type_oid("supplychain.stage_rating");
	score_oid = type_oid("supplychain.impact_score");
	printf("# OIDs: stage_rating %u, impact_score %u\n", rating_oid, score_oid);

	levels[n++] = (level_t) {"stage_rating", rating_oid, 1, "very weak"};
	levels[n++] = (level_t) {"stage_rating", rating_oid, 2, "weak"};
	levels[n++] = (level_t) {"stage_rating", rating_oid, 3, "satisfactory"};
	levels[n++] = (level_t) {"impact_score", score_oid, -2, "very negative"};
	levels[n++] = (level_t) {"impact_score", score_oid, -1, "negative"};
	levels[n++] = (level_t) {"impact_score", score_oid, 0, "neutral"};
	levels[n++] = (level_t) {"impact_score", score_oid, 1, "positive"};
	levels[n++] = (level_t) {"impact_score", score_oid, 2, "very positive"};

	/* 1. the headline case from the README */
	res = PQexecParams(conn, "SELECT 'weak'::supplychain.stage_rating, 'very negative'::supplychain.impact_score",
					   0, NULL, NULL, NULL, NULL, 1);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		die("binary SELECT", res);
	ok(PQfformat(res, 0) == 1 && PQfformat(res, 1) == 1, "both columns come back in binary format");
	ok(PQftype(res, 0) == rating_oid && PQftype(res, 1) == score_oid,
	   "PQftype gives the pg_type OIDs (%u, %u)", PQftype(res, 0), PQftype(res, 1));
	ok(PQgetlength(res, 0, 0) == 1 && (unsigned char) PQgetvalue(res, 0, 0)[0] == 0x02,
	   "'weak'::stage_rating is one byte 0x02 (length %d, first byte 0x%02X)",
	   PQgetlength(res, 0, 0), (unsigned char) PQgetvalue(res, 0, 0)[0]);
	ok(PQgetlength(res, 0, 1) == 1 && (unsigned char) PQgetvalue(res, 0, 1)[0] == 0xFE,
	   "'very negative'::impact_score is one byte 0xFE (length %d, first byte 0x%02X)",
	   PQgetlength(res, 0, 1), (unsigned char) PQgetvalue(res, 0, 1)[0]);
	PQclear(res);

	for (int i = 0; i < n; i++)
	{
		level_t    *l = &levels[i];
		char		sql[256];
		char		byte = (char) (signed char) l->level;
		const char *label[1] = {l->label};

		/* every level, text in, binary out */
		snprintf(sql, sizeof sql, "SELECT $1::supplychain.%s", l->type);
		res = PQexecParams(conn, sql, 1, NULL, label, NULL, NULL, 1);
		ok(PQresultStatus(res) == PGRES_TUPLES_OK && PQgetlength(res, 0, 0) == 1
		   && PQgetvalue(res, 0, 0)[0] == byte,
		   "%s '%s' reads as one byte 0x%02X", l->type, l->label, (unsigned char) byte);
		PQclear(res);

		/* binary in, text out: the label and the integer */
		snprintf(sql, sizeof sql, "SELECT $1::text, $1::integer");
		res = send_binary(sql, l->oid, &byte, 1, 0);
		ok(PQresultStatus(res) == PGRES_TUPLES_OK
		   && strcmp(PQgetvalue(res, 0, 0), l->label) == 0
		   && atoi(PQgetvalue(res, 0, 1)) == l->level,
		   "%s byte 0x%02X sent in binary reads back as '%s' / %d%s%s", l->type, (unsigned char) byte,
		   l->label, l->level, PQresultStatus(res) == PGRES_TUPLES_OK ? "" : ": ",
		   PQresultStatus(res) == PGRES_TUPLES_OK ? "" : PQresultErrorMessage(res));
		PQclear(res);

		/* binary in, binary out */
		res = send_binary("SELECT $1", l->oid, &byte, 1, 1);
		ok(PQresultStatus(res) == PGRES_TUPLES_OK && PQftype(res, 0) == l->oid
		   && PQgetlength(res, 0, 0) == 1 && PQgetvalue(res, 0, 0)[0] == byte,
		   "%s byte 0x%02X round-trips binary -> binary", l->type, (unsigned char) byte);
		PQclear(res);
	}

	/* 2. a binary parameter in a WHERE clause against the views */
	{
		char		b = 2;			/* very positive */

		res = send_binary("SELECT count(*) FROM supplychain.policy_risk WHERE short_term = $1", score_oid, &b, 1, 0);
		ok(PQresultStatus(res) == PGRES_TUPLES_OK && strcmp(PQgetvalue(res, 0, 0), "5") == 0,
		   "policy_risk WHERE short_term = binary 0x02: 5 rows (got %s)",
		   PQresultStatus(res) == PGRES_TUPLES_OK ? PQgetvalue(res, 0, 0) : PQresultErrorMessage(res));
		PQclear(res);
		b = 1;						/* very weak */
		res = send_binary("SELECT count(*) FROM supplychain.stage_risk WHERE rating = $1", rating_oid, &b, 1, 0);
		ok(PQresultStatus(res) == PGRES_TUPLES_OK && strcmp(PQgetvalue(res, 0, 0), "2") == 0,
		   "stage_risk WHERE rating = binary 0x01: 2 rows (got %s)",
		   PQresultStatus(res) == PGRES_TUPLES_OK ? PQgetvalue(res, 0, 0) : PQresultErrorMessage(res));
		PQclear(res);
	}

	/* 3. bad bytes and bad lengths */
	{
		struct
		{
			const char *type;
			Oid			oid;
			const char *bytes;
			int			len;
			const char *what;
		}			bad[] = {
			{"stage_rating", rating_oid, "\x07", 1, "byte 0x07"},
			{"stage_rating", rating_oid, "\x00", 1, "byte 0x00"},
			{"stage_rating", rating_oid, "\x04", 1, "byte 0x04"},
			{"stage_rating", rating_oid, "\xFF", 1, "byte 0xFF"},
			{"stage_rating", rating_oid, "\x02\x02", 2, "2 bytes"},
			{"stage_rating", rating_oid, "", 0, "0 bytes"},
			{"impact_score", score_oid, "\x07", 1, "byte 0x07"},
			{"impact_score", score_oid, "\x03", 1, "byte 0x03"},
			{"impact_score", score_oid, "\xFD", 1, "byte 0xFD"},
			{"impact_score", score_oid, "\x80", 1, "byte 0x80"},
			{"impact_score", score_oid, "\x00\x00", 2, "2 bytes"},
			{"impact_score", score_oid, "", 0, "0 bytes"},
		};

		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		{
			res = send_binary("SELECT $1::text", bad[i].oid, bad[i].bytes, bad[i].len, 0);
			ok(PQresultStatus(res) == PGRES_FATAL_ERROR && strcmp(sqlstate(res), "22P03") == 0,
			   "%s %s as a binary parameter fails with 22P03 (got %s%s%s)", bad[i].type, bad[i].what,
			   PQresultStatus(res) == PGRES_FATAL_ERROR ? sqlstate(res) : PQresStatus(PQresultStatus(res)),
			   PQresultStatus(res) == PGRES_FATAL_ERROR ? ": " : "",
			   PQresultStatus(res) == PGRES_FATAL_ERROR ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : "");
			PQclear(res);
		}
	}

	/* 4. a view in binary */
	res = PQexecParams(conn, "SELECT rating, rating_level FROM supplychain.weakest_stage", 0, NULL, NULL, NULL, NULL, 1);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		die("binary SELECT from weakest_stage", res);
	{
		int			good = PQntuples(res) == 2;

		for (int r = 0; r < PQntuples(res); r++)
			good = good && PQgetlength(res, r, 0) == 1 && PQgetvalue(res, r, 0)[0] == 0x01
				&& PQgetlength(res, r, 1) == 4 && memcmp(PQgetvalue(res, r, 1), "\0\0\0\1", 4) == 0;
		ok(good, "weakest_stage in binary: 2 rows, rating 0x01, rating_level int4 1");
	}
	PQclear(res);

	PQfinish(conn);
	printf("# binary: %d/%d checks passed\n", checks - failures, checks);
	return failures == 0 ? 0 : 1;
}
