#!/usr/bin/python3
"""alerts_listen.py - early warning through psycopg2: a listener on channel
supplychain_alert while two writers move measures across a rule, a quarter
of their transactions rolled back.  Every alert raised or cleared is heard
exactly once, nothing is heard of a rolled-back transaction, and what was
heard is the alert table.

Usage: alerts_listen.py CONNINFO
Prints "ok - ..." / "not ok - ..." lines; exits 1 when a check fails.
"""
import json
import random
import select
import sys
import threading
import time

import psycopg2

conninfo = sys.argv[1]
failed = False


def check(cond, what):
    global failed
    print(("ok - " if cond else "not ok - ") + what)
    if not cond:
        failed = True


RULE = "py-listen"
ROUNDS = 40
# KR and JP on CN in batteries.cells: the risk is the share x 0.75 (no
# alignment); a share of 0.9 puts it at 0.675, above the rule's 0.5; 0.2 at 0.15
SUBJECTS = [("KR", "py-a"), ("JP", "py-b")]

setup = psycopg2.connect(conninfo)
setup.autocommit = True
cur = setup.cursor()
cur.execute("SET search_path = supplychain")
cur.execute("DELETE FROM dependency WHERE item IN ('py-a', 'py-b')")
cur.execute("DELETE FROM watch WHERE name = %s", (RULE,))
cur.execute("""INSERT INTO watch (name, measure, sector, comparison, threshold, enabled)
               VALUES (%s, 'country_risk.risk', 'batteries', '>', 0.5, true)""", (RULE,))
for country, item in SUBJECTS:
    cur.execute("""INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
                   VALUES ('batteries.cells', %s, 'CN', 'supply', %s, 0.2, '2020-01-01')""", (country, item))

listener = psycopg2.connect(conninfo)
listener.autocommit = True
listener.cursor().execute("LISTEN supplychain_alert")
heard = []
stop = threading.Event()


def listen():
    while not stop.is_set() or select.select([listener], [], [], 0.5) != ([], [], []):
        if select.select([listener], [], [], 0.5) == ([], [], []):
            continue
        listener.poll()
        while listener.notifies:
            n = listener.notifies.pop(0)
            heard.append((n.channel, json.loads(n.payload)))


rolled_back = []


def writer(seed, subjects):
    rnd = random.Random(seed)
    con = psycopg2.connect(conninfo)
    c = con.cursor()
    c.execute("SET search_path = supplychain")
    con.commit()
    for i in range(ROUNDS):
        country, item = rnd.choice(subjects)
        share = 0.9 if rnd.random() < 0.5 else 0.2
        c.execute("UPDATE dependency SET share = %s WHERE country = %s AND item = %s", (share, country, item))
        if rnd.random() < 0.25:
            # what this transaction raised must never be heard
            c.execute("SELECT id FROM alert WHERE watch = %s AND raised_at = now()", (RULE,))
            rolled_back.extend(r[0] for r in c.fetchall())
            con.rollback()
        else:
            con.commit()
    con.close()


t_listen = threading.Thread(target=listen)
t_listen.start()
# the two writers share KR: they serialize on its state rows
writers = [threading.Thread(target=writer, args=(1, SUBJECTS)), threading.Thread(target=writer, args=(2, SUBJECTS[:1]))]
for w in writers:
    w.start()
for w in writers:
    w.join()
time.sleep(1.0)
stop.set()
t_listen.join()

cur.execute("""SELECT id::text, cleared_at IS NOT NULL, subject::text FROM supplychain.alert WHERE watch = %s""", (RULE,))
rows = cur.fetchall()
raised_rows = {r[0] for r in rows}
cleared_rows = {r[0] for r in rows if r[1]}
mine = [p for ch, p in heard if p.get("watch") == RULE]
raised = [p["alert"] for p in mine if p["event"] == "raised"]
cleared = [p["alert"] for p in mine if p["event"] == "cleared"]

check(all(ch == "supplychain_alert" for ch, _ in heard), "every notification is on channel supplychain_alert")
check(len(raised) >= 4 and len(cleared) >= 2,
      "the writers crossed the line both ways (%d raised, %d cleared)" % (len(raised), len(cleared)))
check(len(raised) == len(set(raised)) and len(cleared) == len(set(cleared)), "each alert heard once per event")
check(set(raised) == raised_rows, "the raised alerts heard are the alert table's rows (%d)" % len(raised_rows))
check(set(cleared) == cleared_rows, "the cleared alerts heard are the table's cleared rows (%d)" % len(cleared_rows))
check(not (set(str(x) for x in rolled_back) & (set(raised) | set(cleared))),
      "nothing heard of the %d alerts raised by rolled-back transactions" % len(rolled_back))
check(all(p["measure"] == "country_risk.risk" and p["subject"]["supplier"] == "CN" and
          ((p["event"] == "raised" and p["after"] > 0.5) or (p["event"] == "cleared" and p["after"] <= 0.5))
          for p in mine), "each notification carries the rule, the subject and a value on the right side")
# per subject, the events alternate, starting with a raise
ok_order = True
for country, _ in SUBJECTS:
    seq = [p["event"] for p in mine if p["subject"]["country"] == country]
    ok_order = ok_order and all(e == ("raised" if i % 2 == 0 else "cleared") for i, e in enumerate(seq))
check(ok_order, "per subject, raised and cleared alternate in the order heard")
cur.execute("SELECT count(*) FROM supplychain.watch_verify()")
check(cur.fetchone()[0] == 0, "watch_verify() finds the open alerts right")
cur.execute("SELECT count(*) FROM (SELECT watch, subject FROM supplychain.alert WHERE cleared_at IS NULL "
            "GROUP BY 1, 2 HAVING count(*) > 1) x")
check(cur.fetchone()[0] == 0, "never two open alerts of one rule and subject")

cur.execute("DELETE FROM supplychain.watch WHERE name = %s", (RULE,))
cur.execute("DELETE FROM supplychain.dependency WHERE item IN ('py-a', 'py-b')")
sys.exit(1 if failed else 0)
