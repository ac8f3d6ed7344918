"""odbc_types.py - the SQL types an ODBC application sees for the supplychain views.

Usage: /usr/bin/python3 odbc_types.py DSN       (run by test/clients.sh, with
ODBCSYSINI/ODBCINI pointing at its temporary configuration)

Calls the unixODBC driver manager (libodbc.so.2) through ctypes, because the
ODBC headers (unixodbc-dev) are not installed: SQLDescribeCol on the plain
columns of stage_risk, policy_risk and policy_balance, and SQLGetData on
every row of policy_risk (the typed columns read as their canonical labels).
Prints "ok - ..." / "not ok - ..." lines; exits 1 when any check fails.
"""

import ctypes
import ctypes.util
import sys

SQL_HANDLE_ENV, SQL_HANDLE_DBC, SQL_HANDLE_STMT = 1, 2, 3
SQL_ATTR_ODBC_VERSION, SQL_OV_ODBC3 = 200, 3
SQL_NTS, SQL_NO_DATA, SQL_C_CHAR, SQL_NULL_DATA = -3, 100, 1, -1
NAMES = {1: "SQL_CHAR", 12: "SQL_VARCHAR", -1: "SQL_LONGVARCHAR", -8: "SQL_WCHAR",
         -9: "SQL_WVARCHAR", -10: "SQL_WLONGVARCHAR", 4: "SQL_INTEGER", -5: "SQL_BIGINT",
         5: "SQL_SMALLINT", 2: "SQL_NUMERIC", 3: "SQL_DECIMAL", 8: "SQL_DOUBLE",
         -7: "SQL_BIT", 91: "SQL_TYPE_DATE", 9: "SQL_DATE"}
CHARACTER = {"SQL_CHAR", "SQL_VARCHAR", "SQL_LONGVARCHAR", "SQL_WCHAR", "SQL_WVARCHAR", "SQL_WLONGVARCHAR"}

checks = failures = 0


def ok(cond, what):
    global checks, failures
    checks += 1
    if not cond:
        failures += 1
    print(("ok - " if cond else "not ok - ") + what)


lib = ctypes.CDLL(ctypes.util.find_library("odbc") or "libodbc.so.2")
H = ctypes.c_void_p
lib.SQLAllocHandle.argtypes = [ctypes.c_short, H, ctypes.POINTER(H)]
lib.SQLSetEnvAttr.argtypes = [H, ctypes.c_int, H, ctypes.c_int]
lib.SQLConnect.argtypes = [H, ctypes.c_char_p, ctypes.c_short, ctypes.c_char_p, ctypes.c_short,
                           ctypes.c_char_p, ctypes.c_short]
lib.SQLExecDirect.argtypes = [H, ctypes.c_char_p, ctypes.c_int]
lib.SQLNumResultCols.argtypes = [H, ctypes.POINTER(ctypes.c_short)]
lib.SQLDescribeCol.argtypes = [H, ctypes.c_ushort, ctypes.c_char_p, ctypes.c_short,
                               ctypes.POINTER(ctypes.c_short), ctypes.POINTER(ctypes.c_short),
                               ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_short),
                               ctypes.POINTER(ctypes.c_short)]
lib.SQLFetch.argtypes = [H]
lib.SQLGetData.argtypes = [H, ctypes.c_ushort, ctypes.c_short, ctypes.c_void_p, ctypes.c_long,
                           ctypes.POINTER(ctypes.c_long)]
lib.SQLGetDiagRec.argtypes = [ctypes.c_short, H, ctypes.c_short, ctypes.c_char_p,
                              ctypes.POINTER(ctypes.c_int), ctypes.c_char_p, ctypes.c_short,
                              ctypes.POINTER(ctypes.c_short)]
lib.SQLFreeHandle.argtypes = [ctypes.c_short, H]
lib.SQLDisconnect.argtypes = [H]


def check(rc, htype, handle, what):
    if rc in (0, 1):            # SQL_SUCCESS, SQL_SUCCESS_WITH_INFO
        return
    state, native, msg, n = ctypes.create_string_buffer(6), ctypes.c_int(), ctypes.create_string_buffer(1024), ctypes.c_short()
    lib.SQLGetDiagRec(htype, handle, 1, state, ctypes.byref(native), msg, 1024, ctypes.byref(n))
    raise RuntimeError("%s failed (rc %d): %s %s" % (what, rc, state.value.decode(), msg.value.decode(errors="replace")))


def query(dbc, sql):
    """Columns [(name, sql type name)] and rows (lists of str or None)."""
    stmt = H()
    check(lib.SQLAllocHandle(SQL_HANDLE_STMT, dbc, ctypes.byref(stmt)), SQL_HANDLE_DBC, dbc, "SQLAllocHandle(STMT)")
    check(lib.SQLExecDirect(stmt, sql.encode(), SQL_NTS), SQL_HANDLE_STMT, stmt, "SQLExecDirect")
    n = ctypes.c_short()
    check(lib.SQLNumResultCols(stmt, ctypes.byref(n)), SQL_HANDLE_STMT, stmt, "SQLNumResultCols")
    cols = []
    for i in range(1, n.value + 1):
        name, nlen, dtype = ctypes.create_string_buffer(256), ctypes.c_short(), ctypes.c_short()
        size, digits, nullable = ctypes.c_ulong(), ctypes.c_short(), ctypes.c_short()
        check(lib.SQLDescribeCol(stmt, i, name, 256, ctypes.byref(nlen), ctypes.byref(dtype), ctypes.byref(size),
                                 ctypes.byref(digits), ctypes.byref(nullable)), SQL_HANDLE_STMT, stmt, "SQLDescribeCol")
        cols.append((name.value.decode(), NAMES.get(dtype.value, "type %d" % dtype.value)))
    rows = []
    while True:
        rc = lib.SQLFetch(stmt)
        if rc == SQL_NO_DATA:
            break
        check(rc, SQL_HANDLE_STMT, stmt, "SQLFetch")
        row = []
        for i in range(1, n.value + 1):
            buf, ind = ctypes.create_string_buffer(4096), ctypes.c_long()
            check(lib.SQLGetData(stmt, i, SQL_C_CHAR, buf, 4096, ctypes.byref(ind)), SQL_HANDLE_STMT, stmt, "SQLGetData")
            row.append(None if ind.value == SQL_NULL_DATA else buf.value.decode())
        rows.append(row)
    lib.SQLFreeHandle(SQL_HANDLE_STMT, stmt)
    return cols, rows


def main(dsn):
    env, dbc = H(), H()
    check(lib.SQLAllocHandle(SQL_HANDLE_ENV, None, ctypes.byref(env)), SQL_HANDLE_ENV, env, "SQLAllocHandle(ENV)")
    check(lib.SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, SQL_OV_ODBC3, 0), SQL_HANDLE_ENV, env, "SQLSetEnvAttr")
    check(lib.SQLAllocHandle(SQL_HANDLE_DBC, env, ctypes.byref(dbc)), SQL_HANDLE_ENV, env, "SQLAllocHandle(DBC)")
    check(lib.SQLConnect(dbc, dsn.encode(), SQL_NTS, None, 0, None, 0), SQL_HANDLE_DBC, dbc, "SQLConnect " + dsn)

    want = {
        "stage_risk": {"rating_label": CHARACTER, "rating_level": {"SQL_INTEGER"}, "hhi": {"SQL_NUMERIC"},
                       "risk": {"SQL_NUMERIC"}, "weakness": {"SQL_NUMERIC"}, "suppliers": {"SQL_INTEGER"},
                       "rating": CHARACTER},
        "policy_risk": {"short_label": CHARACTER, "short_value": {"SQL_INTEGER"}, "long_value": {"SQL_INTEGER"},
                        "net": {"SQL_INTEGER"}, "trend": {"SQL_INTEGER"}, "short_term": CHARACTER,
                        "long_term": CHARACTER},
        "policy_balance": {"net": {"SQL_BIGINT"}, "positive": {"SQL_INTEGER"}, "mean": {"SQL_NUMERIC"}},
    }
    results = {}
    for view, cols in want.items():
        described, rows = query(dbc, "SELECT * FROM supplychain.%s" % view)
        results[view] = (described, rows)
        types = dict(described)
        for col, allowed in cols.items():
            got = types.get(col)
            ok(got in allowed, "ODBC %s.%s is %s" % (view, col, got if got in allowed
                                                      else "%s, want one of %s" % (got, sorted(allowed))))

    described, rows = results["policy_risk"]
    names = [c for c, _ in described]
    recs = [dict(zip(names, r)) for r in rows]
    ok(len(recs) == 11, "SQLFetch reads 11 rows of policy_risk (got %d)" % len(recs))
    bad = [r for r in recs if r["short_term"] != r["short_label"] or r["long_term"] != r["long_label"]]
    ok(not bad, "SQLGetData on the typed columns gives the canonical labels%s" % ("" if not bad else ": %r" % bad[:2]))
    p2 = [r for r in recs if r["policy_id"] == "us-semiconductors-2"]
    ok(len(p2) == 1 and (p2[0]["short_term"], p2[0]["long_term"], p2[0]["net"]) == ("very positive", "negative", "1"),
       "policy_risk us-semiconductors-2 through ODBC: very positive, negative, net 1 (%r)" % p2)

    lib.SQLDisconnect(dbc)
    lib.SQLFreeHandle(SQL_HANDLE_DBC, dbc)
    lib.SQLFreeHandle(SQL_HANDLE_ENV, env)
    print("# ODBC types: %d/%d checks passed" % (checks - failures, checks))
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
