-- catalog_checks.sql - what the catalog says about the installed extension,
-- as lines "problem: ..." (none expected) and "checked: ..." (the scope).
-- Run with psql -At.
--   * no member function is SECURITY DEFINER;
--   * every member function that is not C or internal pins
--     search_path=pg_catalog, pg_temp (it is parsed when it runs, under the
--     caller's search_path otherwise);
--   * every function or operator that a member depends on (views' rules,
--     CHECK constraints, defaults, triggers, aggregates' support functions,
--     operators, casts, operator classes) is in pg_catalog or is itself a
--     member: a view or constraint bound at install time to an object someone
--     else planted would call it forever after;
--   * the extension's schema and every member belong to a superuser.
\set ON_ERROR_STOP 1
\set QUIET 1
SET search_path = pg_catalog;

CREATE TEMP VIEW member AS
SELECT d.classid, d.objid
FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
WHERE d.refclassid = 'pg_extension'::regclass AND e.extname = 'supplychain' AND d.deptype = 'e';

-- members and the parts that belong to them (a view's rule, a table's
-- constraints, defaults and triggers, an operator family's entries)
CREATE TEMP VIEW part AS
SELECT classid, objid FROM member
UNION
SELECT d.classid, d.objid
FROM pg_depend d JOIN member m ON m.classid = d.refclassid AND m.objid = d.refobjid
WHERE d.deptype IN ('i', 'a')
  AND d.classid IN ('pg_rewrite'::regclass, 'pg_constraint'::regclass, 'pg_attrdef'::regclass,
                    'pg_trigger'::regclass, 'pg_amop'::regclass, 'pg_amproc'::regclass);

SELECT format('checked: %s members (%s functions and aggregates, %s of them SQL or PL; %s tables, %s views; %s operators; %s casts), %s dependent parts',
              (SELECT count(*) FROM member),
              (SELECT count(*) FROM member WHERE classid = 'pg_proc'::regclass),
              (SELECT count(*) FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
                 JOIN pg_language l ON l.oid = p.prolang WHERE l.lanname NOT IN ('c', 'internal')),
              (SELECT count(*) FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
                 WHERE c.relkind IN ('r', 'p')),
              (SELECT count(*) FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
                 WHERE c.relkind IN ('v', 'm')),
              (SELECT count(*) FROM member WHERE classid = 'pg_operator'::regclass),
              (SELECT count(*) FROM member WHERE classid = 'pg_cast'::regclass),
              (SELECT count(*) FROM part) - (SELECT count(*) FROM member));

SELECT format('problem: SECURITY DEFINER function %s', p.oid::regprocedure)
FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
WHERE p.prosecdef;

SELECT format('problem: %s function %s does not pin search_path=pg_catalog, pg_temp (proconfig %s)',
              l.lanname, p.oid::regprocedure, coalesce(p.proconfig::text, 'NULL'))
FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
JOIN pg_language l ON l.oid = p.prolang
WHERE l.lanname NOT IN ('c', 'internal')
  AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false);

SELECT format('checked: %s references from the extension''s objects to functions and operators',
              count(*))
FROM pg_depend d JOIN part USING (classid, objid)
WHERE d.refclassid IN ('pg_proc'::regclass, 'pg_operator'::regclass);

SELECT format('problem: %s uses %s, which is neither in pg_catalog nor part of the extension (owner %s)',
              pg_describe_object(d.classid, d.objid, d.objsubid),
              pg_describe_object(d.refclassid, d.refobjid, 0),
              coalesce((SELECT proowner::regrole::text FROM pg_proc WHERE oid = d.refobjid
                        AND d.refclassid = 'pg_proc'::regclass),
                       (SELECT oprowner::regrole::text FROM pg_operator WHERE oid = d.refobjid
                        AND d.refclassid = 'pg_operator'::regclass)))
FROM pg_depend d JOIN part USING (classid, objid)
WHERE d.refclassid IN ('pg_proc'::regclass, 'pg_operator'::regclass)
  AND NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = d.refclassid AND m.objid = d.refobjid)
  AND coalesce((SELECT pronamespace FROM pg_proc WHERE oid = d.refobjid AND d.refclassid = 'pg_proc'::regclass),
               (SELECT oprnamespace FROM pg_operator WHERE oid = d.refobjid
                AND d.refclassid = 'pg_operator'::regclass)) <> 'pg_catalog'::regnamespace
ORDER BY 1;

SELECT format('problem: schema %s belongs to %s, who is not a superuser: the owner of the schema can rename it, '
              'drop objects from it and plant new ones beside the extension''s', n.nspname, r.rolname)
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace JOIN pg_roles r ON r.oid = n.nspowner
WHERE e.extname = 'supplychain' AND NOT r.rolsuper;

SELECT format('problem: %s belongs to %s, who is not a superuser', pg_describe_object(m.classid, m.objid, 0), r.rolname)
FROM member m
JOIN LATERAL (SELECT proowner AS owner FROM pg_proc WHERE m.classid = 'pg_proc'::regclass AND oid = m.objid
              UNION ALL SELECT relowner FROM pg_class WHERE m.classid = 'pg_class'::regclass AND oid = m.objid
              UNION ALL SELECT typowner FROM pg_type WHERE m.classid = 'pg_type'::regclass AND oid = m.objid
              UNION ALL SELECT oprowner FROM pg_operator WHERE m.classid = 'pg_operator'::regclass AND oid = m.objid)
     o ON true
JOIN pg_roles r ON r.oid = o.owner
WHERE NOT r.rolsuper;
