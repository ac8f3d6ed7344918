-- The extension's objects as the catalog sees them: where they live, how
-- functions are marked, that everything is documented, and that no SQL or
-- PL function depends on the caller's search_path.
SET client_min_messages = warning;
SET search_path = public, pg_temp;
CREATE EXTENSION IF NOT EXISTS supplychain;
RESET client_min_messages;

-- the scripts' own settings do not outlive CREATE EXTENSION
SHOW search_path;
SELECT current_setting('supplychain.maintenance', true) AS maintenance;
RESET search_path;

-- every member of the extension lives in its schema
SELECT count(*) AS members_outside_schema
FROM pg_depend d
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'supplychain'
LEFT JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
LEFT JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
LEFT JOIN pg_type t ON d.classid = 'pg_type'::regclass AND t.oid = d.objid
LEFT JOIN pg_operator o ON d.classid = 'pg_operator'::regclass AND o.oid = d.objid
WHERE d.deptype = 'e'
  AND COALESCE(p.pronamespace, c.relnamespace, t.typnamespace, o.oprnamespace)
      <> 'supplychain'::regnamespace;

-- functions that are not IMMUTABLE PARALLEL SAFE, and why (reviewed list)
SELECT p.oid::regprocedure AS function, p.provolatile, p.proparallel, l.lanname
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = 'supplychain'::regnamespace AND p.prokind = 'f'
  AND (p.provolatile <> 'i' OR p.proparallel <> 's')
ORDER BY p.oid::regprocedure::text;

-- undocumented functions, aggregates, tables and views: none
SELECT p.oid::regprocedure::text AS undocumented
FROM pg_proc p WHERE p.pronamespace = 'supplychain'::regnamespace
  AND obj_description(p.oid, 'pg_proc') IS NULL
UNION ALL
SELECT c.oid::regclass::text FROM pg_class c
WHERE c.relnamespace = 'supplychain'::regnamespace AND c.relkind IN ('r', 'v', 'p')
  AND obj_description(c.oid, 'pg_class') IS NULL
UNION ALL
SELECT t.oid::regtype::text FROM pg_type t
WHERE t.typnamespace = 'supplychain'::regnamespace AND t.typtype = 'b' AND t.typcategory <> 'A'
  AND obj_description(t.oid, 'pg_type') IS NULL;

-- aggregates: parallel safe, with a combine function
SELECT p.oid::regprocedure AS aggregate, p.proparallel, a.aggcombinefn <> 0 AS has_combine
FROM pg_proc p JOIN pg_aggregate a ON a.aggfnoid = p.oid
WHERE p.pronamespace = 'supplychain'::regnamespace
ORDER BY p.oid::regprocedure::text;

-- no SECURITY DEFINER; every SQL or PL function pins its search_path
SELECT p.oid::regprocedure AS function, p.prosecdef, p.proconfig
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = 'supplychain'::regnamespace
  AND (p.prosecdef OR (l.lanname NOT IN ('c', 'internal')
       AND NOT COALESCE('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)));
