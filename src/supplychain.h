/*
 * supplychain.h - shared definitions for the extension's backend code.
 */
#ifndef SUPPLYCHAIN_H
#define SUPPLYCHAIN_H

#include "postgres.h"
#include "fmgr.h"

/* propagate_exposure streams rows through SPI_execute_plan_extended (14) into
 * a set that InitMaterializedSRF (15) sets up. */
#if PG_VERSION_NUM < 150000
#error "supplychain needs PostgreSQL 15 or later"
#endif

/* Since PostgreSQL 16 the varlena macros (VARDATA, SET_VARSIZE, ...) live in
 * varatt.h, which postgres.h no longer includes. */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

#include "labels.h"

/*
 * Both ordinal types are one byte passed by value holding a level 1..N
 * (see labels.h).  The byte is read as unsigned so that the datum does not
 * depend on the platform's char signedness.
 */
#define SC_GETARG_LEVEL(n)	((int) (uint8) DatumGetChar(PG_GETARG_DATUM(n)))
#define SC_LEVEL_GET_DATUM(l)	CharGetDatum((char) (l))
#define SC_RETURN_LEVEL(l)	PG_RETURN_DATUM(SC_LEVEL_GET_DATUM(l))

/*
 * Input errors: soft (reported to the caller's ErrorSaveContext) where the
 * server supports it, thrown otherwise.
 */
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#define sc_input_error(fcinfo, ...) \
	ereturn((fcinfo)->context, (Datum) 0, __VA_ARGS__)
#else
#define sc_input_error(fcinfo, ...) \
	do { ereport(ERROR, __VA_ARGS__); pg_unreachable(); } while (0)
#endif

/*
 * What distinguishes one ordinal type from the other.  The integer value of
 * a level is level - offset; the binary format is that value as one signed
 * byte.
 */
typedef struct sc_ordtype
{
	const char *name;			/* SQL type name, for messages */
	int			(*parse) (const char *s, size_t len);
	const char *(*label) (int level);
	int			min_level;
	int			max_level;
	int			offset;
	const char *hint;			/* the accepted spellings, a full sentence (UTF-8) */
	const char *hint_ascii;		/* the same in ASCII, for a database whose
								 * encoding is not UTF8; NULL if hint is ASCII */
} sc_ordtype;

/* Encodings: the labels' symbols are UTF-8; see ordinal.c. */
extern bool sc_database_is_utf8(void);
extern char *sc_utf8_to_server(const char *utf8);

/* Generic I/O and casts, in ordinal.c; the types' files wrap them. */
extern Datum sc_ord_in(FunctionCallInfo fcinfo, const sc_ordtype *t);
extern Datum sc_ord_out(FunctionCallInfo fcinfo, const sc_ordtype *t);
extern Datum sc_ord_recv(FunctionCallInfo fcinfo, const sc_ordtype *t);
extern Datum sc_ord_send(FunctionCallInfo fcinfo, const sc_ordtype *t);
extern Datum sc_ord_to_int4(FunctionCallInfo fcinfo, const sc_ordtype *t);
extern Datum sc_ord_from_int4(FunctionCallInfo fcinfo, const sc_ordtype *t);

/* one step of hhi() (sum + share^2; share^2 when empty), in hhi.c: what
 * the aggregate and the C code that sums an HHI the same way call */
extern double sc_hhi_step(double sum, bool empty, double share);
extern double sc_hhi_step_numeric(double sum, bool empty, Datum share);

/* top_partner.c: is the partner a before the partner b, byte by byte? */
extern bool sc_partner_before(text *a, text *b);

/* exec_cached.c: the kept generic plan of a statement with four text[]
 * parameters (an SPIPlanPtr; the caller is connected to SPI) */
struct _SPI_plan;
extern struct _SPI_plan *sc_exec_cached_plan(const char *query);
/* a relation's quoted, qualified name; a statement's plan, prepared on the
 * first use of its text and kept for the session (SPI) */
extern char *sc_qualified_name(Oid relid);
extern struct _SPI_plan *sc_cached_plan(const char *query, int nargs, Oid *argtypes, int options, const char *who);

#endif							/* SUPPLYCHAIN_H */
