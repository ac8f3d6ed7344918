#!/usr/bin/python3
"""mutate_sql.py - SQL-level mutation fuzzer for stage_rating and impact_score.

Mutants of every valid literal (random insertions, deletions, byte flips, splices, multibyte
symbols cut in half; fixed seed) go to both types' text input, and one-field binary COPY
payloads of 0..3 bytes go to both types' recv.  Every text input must either parse to the
value the README's grammar gives (and its output must parse back to the same value) or fail
with 22P02 naming the type, or with 22021 when it is not valid UTF-8 (the server rejects it
before the type sees it).  Every payload must load the value its byte encodes or fail with
22P03 naming the type.  The backend must never restart.  It reports one TAP line per check.

Run by test/fuzz/run.sh inside test/harness.sh's cluster (PGHOST, PGPORT, PGUSER; SC_DIR
for the server log).  Environment: MUTATIONS (default 20000), MUTATION_SEED, FUZZ_DB
(default supplychain_fuzz, dropped and re-created).
"""
import collections
import io
import os
import random
import struct
import sys
import time

import psycopg2

MUTATIONS = int(os.environ.get("MUTATIONS", "20000"))
SEED = int(os.environ.get("MUTATION_SEED", "20210608"))
DB = os.environ.get("FUZZ_DB", "supplychain_fuzz")
SERVER_LOG = os.path.join(os.environ["SC_DIR"], "server.log") if os.environ.get("SC_DIR") else None

# --- the README's grammar, written independently of src/labels.c -------------
BLANKS = b" \t\n\r\f\v"
VS16 = "\ufe0f"
TYPES = {
    # name: (words in ascending order, integer value of the first word)
    "stage_rating": (["very weak", "weak", "satisfactory"], 1),
    "impact_score": (["very negative", "negative", "neutral", "positive", "very positive"], -2),
}
INTEGERS = {b"-2": -2, b"-1": -1, b"0": 0, b"-0": 0, b"+0": 0, b"1": 1, b"+1": 1, b"2": 2, b"+2": 2}
LEGENDS = {  # integer value -> symbols, gear legend then sun legend
    -2: ["\u2614\u2614", "\u2639\u2639"], -1: ["\u2614", "\u2639"], 0: ["\u2601", "\u2601"],
    1: ["\u2699", "\u2600"], 2: ["\u2699\u2699", "\u2600\u2600"],
}


def symbol_spellings():
    """Every symbol spelling, each code point with or without U+FE0F: bytes -> value."""
    out = {}
    for value, symbols in LEGENDS.items():
        for sym in symbols:
            variants = [""]
            for cp in sym:
                variants = [v + cp + vs for v in variants for vs in ("", VS16)]
            for v in variants:
                out[v.encode()] = value
    return out


SYMBOLS = symbol_spellings()


def expected(typname, raw):
    """The integer value raw spells for typname, or None if it is no value."""
    words, first = TYPES[typname]
    s = raw.strip(BLANKS)
    for i, w in enumerate(words):
        wb = w.encode()
        if len(s) == len(wb) and all(
            (c in b" _-") if wc == 0x20 else (bytes([c]).lower() == bytes([wc]))
            for c, wc in zip(s, wb)
        ):
            return first + i
    if typname == "impact_score":
        if s in INTEGERS:
            return INTEGERS[s]
        if s in SYMBOLS:
            return SYMBOLS[s]
    return None


def label(typname, value):
    words, first = TYPES[typname]
    return words[value - first]


def valid_literals():
    """Valid spellings of both types: words, separators, case, blanks, integers, symbols."""
    out = []
    for words, _ in TYPES.values():
        for w in words:
            for sep in " _-":
                x = w.replace(" ", sep)
                out += [x, x.upper(), x.title(), " " + x + "\t", "\n\r\f\v" + x.swapcase()]
    out += [i.decode() for i in INTEGERS] + [" +2 ", "\t-1\n"]
    out += [s.decode() for s in SYMBOLS] + [" \u2600\u2600 ", "\t\u2601\ufe0f\n"]
    lits = list(dict.fromkeys(x.encode() for x in out))
    for lit in lits:
        assert expected("stage_rating", lit) is not None or expected("impact_score", lit) is not None, lit
    return lits


# --- mutations ----------------------------------------------------------------
CODE_POINTS = [c.encode() for c in "\u2614\u2601\u2699\u2639\u2600" + VS16]
FRAGMENTS = (
    [cp[:1] for cp in CODE_POINTS] + [cp[:2] for cp in CODE_POINTS] + [cp[1:] for cp in CODE_POINTS]
    + CODE_POINTS + [b" ", b"_", b"-", b"+", b"\t", b"'", b"''", b"\\", b"\\x", b"%", b"0", b"3",
                     b"very", b"weak", b"neutral", b"\xc3\xa9", b"\xc2\xa0", b"\xf0\x9f\x98\x80"]
)


def nonzero(b):
    """PostgreSQL text cannot hold NUL: the C harness covers it, here it becomes 0x01."""
    return b.replace(b"\0", b"\x01")


def cut_multibyte(rng, s):
    """Drop one or two bytes of one multibyte character, if there is one."""
    starts = [i for i, c in enumerate(s) if c >= 0xC0]
    if not starts:
        return s
    i = rng.choice(starts)
    end = i + 1
    while end < len(s) and 0x80 <= s[end] < 0xC0:
        end += 1
    keep = rng.randrange(i + 1, max(i + 2, end))  # a proper prefix of the character
    drop_front = rng.random() < 0.3 and end - i > 1
    return s[:i] + s[i + 1:end] + s[end:] if drop_front else s[:keep] + s[end:]


def mutate(rng, s, pool):
    s = bytearray(s)
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        op = rng.randrange(11)
        pos = rng.randrange(len(s) + 1)
        if op == 0:      # insert a random byte
            s[pos:pos] = bytes([rng.randrange(1, 256)])
        elif op == 1:    # insert a fragment: half a symbol, a separator, a quote...
            s[pos:pos] = rng.choice(FRAGMENTS)
        elif op == 2 and s:   # delete a byte
            del s[rng.randrange(len(s))]
        elif op == 3 and s:   # delete a range
            a = rng.randrange(len(s))
            del s[a:a + rng.randrange(1, 4)]
        elif op == 4 and s:   # flip a bit
            s[rng.randrange(len(s))] ^= 1 << rng.randrange(8)
        elif op == 5 and s:   # replace a byte
            s[rng.randrange(len(s))] = rng.randrange(1, 256)
        elif op == 6 and s:   # truncate, often inside a multibyte character
            del s[rng.randrange(len(s)):]
        elif op == 7:    # cut one multibyte character in half
            s = bytearray(cut_multibyte(rng, bytes(s)))
        elif op == 8 and s:   # swap the case of a byte
            i = rng.randrange(len(s))
            s[i:i + 1] = bytes(s[i:i + 1]).swapcase()
        elif op == 9 and s:   # duplicate a chunk
            a = rng.randrange(len(s))
            s[pos:pos] = s[a:a + rng.randrange(1, 7)]
        else:            # splice with another literal
            other = rng.choice(pool)
            s = s[:pos] + other[rng.randrange(len(other) + 1):]
    return nonzero(bytes(s))


def inputs(rng, literals):
    """The valid literals themselves, every prefix and one-byte deletion of the multibyte ones,
    then MUTATIONS random mutants."""
    out = list(literals)
    for lit in literals:
        if any(c >= 0x80 for c in lit):
            out += [lit[:i] for i in range(1, len(lit))]
            out += [lit[:i] + lit[i + 1:] for i in range(len(lit))]
    out += [mutate(rng, rng.choice(literals), literals) for _ in range(MUTATIONS)]
    return out


# --- driving the server ---------------------------------------------------------
class Fuzz:
    def __init__(self):
        self.counts = collections.Counter()
        self.failures = []
        self.phase = "setup"           # the check a failure counts against
        self.by_phase = collections.Counter()
        self.done = set()              # the phases that ran to their end

    def fail(self, what, typname, raw, detail=""):
        self.counts["FAILURES"] += 1
        self.by_phase[self.phase] += 1
        if len(self.failures) < 25:
            self.failures.append("%s: %s %r %s" % (typname, what, raw, detail))

    def text_input(self, cur, typname, raw):
        self.counts["text inputs"] += 1
        lit = b"'" + raw.replace(b"'", b"''") + b"'"
        want = expected(typname, raw)
        try:
            cur.execute(b"SELECT v::text, v::int FROM (SELECT " + lit
                        + b"::supplychain." + typname.encode() + b" AS v) s")
            out, value = cur.fetchone()
        except psycopg2.Error as e:
            if e.pgcode is None:  # no SQLSTATE: the connection is gone
                raise
            code, msg = e.pgcode, (e.diag.message_primary or "")
            self.counts["text rejected " + str(code)] += 1
            if code == "22P02":
                if "for type %s:" % typname not in msg:
                    self.fail("22P02 not naming the type", typname, raw, msg)
                if want is not None:
                    self.fail("valid input rejected", typname, raw, msg)
            elif code == "22021":
                try:
                    raw.decode("utf-8")
                    self.fail("22021 on valid UTF-8", typname, raw, msg)
                except UnicodeDecodeError:
                    pass
            else:
                self.fail("unexpected SQLSTATE %s" % code, typname, raw, msg)
            return
        self.counts["text parsed"] += 1
        if want is None or value != want or out != label(typname, value):
            self.fail("parsed to %r (%r)" % (out, value), typname, raw, "expected %r" % (want,))
        try:
            cur.execute("SELECT %s::supplychain." + typname + "::int", (out,))
            if cur.fetchone()[0] != value:
                self.fail("output does not parse back to the same value", typname, raw, out)
        except psycopg2.Error as e:
            self.fail("output does not parse back", typname, raw, "%s %s" % (e.pgcode, e.diag.message_primary))

    def binary_input(self, cur, typname, field):
        self.counts["binary payloads"] += 1
        payload = (b"PGCOPY\n\xff\r\n\0" + struct.pack("!ii", 0, 0)
                   + struct.pack("!hi", 1, len(field)) + field + struct.pack("!h", -1))
        words, first = TYPES[typname]
        value = struct.unpack("b", field)[0] if len(field) == 1 else None
        valid = value is not None and first <= value < first + len(words)
        table = "fuzz_" + typname
        try:
            cur.copy_expert("COPY " + table + " FROM STDIN WITH (FORMAT binary)", io.BytesIO(payload))
        except psycopg2.Error as e:
            if e.pgcode is None:
                raise
            code, msg = e.pgcode, (e.diag.message_primary or "")
            self.counts["binary rejected " + str(code)] += 1
            if code != "22P03" or "for type %s" % typname not in msg:
                self.fail("binary: unexpected error %s" % code, typname, field, msg)
            elif valid:
                self.fail("binary: valid value rejected", typname, field, msg)
            return
        self.counts["binary loaded"] += 1
        cur.execute("DELETE FROM " + table + " RETURNING v::int")
        rows = cur.fetchall()
        if not valid or rows != [(value,)]:
            self.fail("binary: loaded %r" % (rows,), typname, field, "expected %r" % (value if valid else "an error",))

    def send_format(self, cur):
        """send writes the documented single byte: the value, two's complement."""
        for typname, (words, first) in TYPES.items():
            for value in range(first, first + len(words)):
                buf = io.BytesIO()
                cur.copy_expert("COPY (SELECT (%d)::supplychain.%s) TO STDOUT WITH (FORMAT binary)"
                                % (value, typname), buf)
                data = buf.getvalue()
                field = data[19 + 2 + 4:-2]  # header, field count, field length, trailer
                if struct.unpack("!i", data[21:25])[0] != 1 or field != struct.pack("b", value):
                    self.fail("send wrote %r" % field, typname, value)


def server_log_size():
    try:
        return os.path.getsize(SERVER_LOG) if SERVER_LOG else None
    except OSError:
        return None


def main():
    rng = random.Random(SEED)
    literals = valid_literals()
    texts = inputs(rng, literals)
    fields = [b""] + [bytes([b]) for b in range(256)]
    fields += [bytes(rng.randrange(256) for _ in range(rng.randrange(4))) for _ in range(MUTATIONS // 10)]

    admin = psycopg2.connect(dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT pg_postmaster_start_time()")
        started = cur.fetchone()[0]
        cur.execute('DROP DATABASE IF EXISTS "%s"' % DB)
        cur.execute('CREATE DATABASE "%s"' % DB)
    log_from = server_log_size()
    # pg_postmaster_start_time() survives a crash-and-reinitialize cycle, so an idle
    # session held open throughout is the surer witness: the reset ends it
    sentinel = admin

    fz = Fuzz()
    conn = psycopg2.connect(dbname=DB)
    conn.autocommit = True
    conn.set_client_encoding("UTF8")
    current = None
    try:
        with conn.cursor() as cur:
            cur.execute("CREATE EXTENSION supplychain")
            # tens of thousands of expected errors would otherwise fill the server log
            cur.execute("SET log_min_messages = fatal")
            cur.execute("SET log_min_error_statement = panic")
            for typname in TYPES:
                cur.execute("CREATE UNLOGGED TABLE fuzz_%s (v supplychain.%s)" % (typname, typname))
            fz.done.add("setup")
            fz.phase = "text"
            for raw in texts:
                for typname in TYPES:
                    current = (typname, raw)
                    fz.text_input(cur, typname, raw)
            fz.done.add(fz.phase)
            fz.phase = "binary"
            for field in fields:
                for typname in TYPES:
                    current = (typname, field)
                    fz.binary_input(cur, typname, field)
            fz.done.add(fz.phase)
            fz.phase = "send"
            current = ("send", b"")
            fz.send_format(cur)
            fz.done.add(fz.phase)
    except psycopg2.Error as e:
        fz.fail("stopped by %s (%s)" % (e.pgcode or "a lost connection", str(e).strip()), *(current or ("setup", b"")))
    finally:
        conn.close()

    # a fresh connection: a crash would have ended every session, and the server
    # refuses connections while it recovers
    server = []
    fz.phase = "session"
    try:
        with sentinel.cursor() as cur:
            cur.execute("SELECT 1")
        server.append("the idle session survived")
    except psycopg2.Error:
        fz.fail("the idle session was ended: the server reset", "server", b"")
    fz.done.add(fz.phase)
    sentinel.close()
    for attempt in range(60):
        try:
            admin = psycopg2.connect(dbname="postgres")
            break
        except psycopg2.OperationalError:
            if attempt == 59:
                raise
            time.sleep(1)
    admin.autocommit = True
    fz.phase = "restart"
    with admin.cursor() as cur:
        cur.execute("SELECT pg_postmaster_start_time()")
        if cur.fetchone()[0] != started:
            fz.fail("the server restarted", "server", b"")
        else:
            server.append("pg_postmaster_start_time() unchanged")
        cur.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % DB)
    admin.close()
    fz.done.add(fz.phase)
    fz.phase = "log"
    if log_from is not None:
        with open(SERVER_LOG, "rb") as f:
            f.seek(log_from)
            log = f.read()
        found = [n.decode() for n in (b"terminated by signal", b"was terminated by", b"reinitializing")
                 if n in log]
        if found:
            fz.fail("server log: %s" % ", ".join(found), "server", b"")
        else:
            server.append("no crash in the server log")
        fz.done.add(fz.phase)
    else:
        server.append("server log not checked ($SC_DIR unset)")

    c = fz.counts
    print("# text input: %d inputs (%d literals, %d mutants, rest prefixes/deletions) x 2 types = %d tried, "
          "%d parsed" % (len(texts), len(literals), MUTATIONS, c["text inputs"], c["text parsed"]))
    for k in sorted(k for k in c if k.startswith("text rejected")):
        print("#   %s: %d" % (k, c[k]))
    print("# binary COPY: %d payloads tried, %d loaded" % (c["binary payloads"], c["binary loaded"]))
    for k in sorted(k for k in c if k.startswith("binary rejected")):
        print("#   %s: %d" % (k, c[k]))
    print("# server: " + ", ".join(server))
    checks = [
        ("setup", "SQL fuzzer: database %s with the extension and a table per type" % DB),
        ("text", "text input: %d inputs x 2 types, each parsed to the grammar's value and back, or rejected "
                 "with 22P02 naming the type (22021: not UTF-8)" % len(texts)),
        ("binary", "binary COPY: %d payloads x 2 types, each loaded as its byte's value or rejected with "
                   "22P03 naming the type" % len(fields)),
        ("send", "send writes every value as one two's-complement byte"),
        ("session", "the idle session survived (no server reset)"),
        ("restart", "pg_postmaster_start_time() unchanged"),
    ]
    if log_from is not None:
        checks.append(("log", "no crash in the server log"))
    for phase, what in checks:
        bad = fz.by_phase[phase]
        if bad == 0 and phase in fz.done:
            print("ok - " + what)
        else:
            print("not ok - %s: %s" % (what, "%d failures" % bad if bad else "not run to its end"))
    if fz.failures:
        print("# FAILED: %d failures; first ones:" % c["FAILURES"])
        for f in fz.failures:
            print("#   " + f)
        return 1
    print("# SQL fuzzer: 0 failures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
