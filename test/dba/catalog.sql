-- catalog.sql - the extension's objects as the catalog holds them, one sorted
-- line per fact, with no OIDs: every member (pg_describe_object over pg_depend
-- deptype 'e') and, for each, what an upgrade script could get wrong: columns
-- (order, types, defaults, comments, privileges), constraints, indexes
-- (pg_get_indexdef), triggers (pg_get_triggerdef), view bodies, functions
-- (markings and pg_get_functiondef), aggregates, types, operators, operator
-- classes and families, casts, owners, comments, privileges (tables, columns,
-- functions, types, schema, and the initial privileges pg_dump compares
-- with), dump registration (extconfig/extcondition by table name), and any
-- object left in the schema that is not a member.  test/dba.sh diffs it
-- between a database updated from an older version and a fresh install.
\set ON_ERROR_STOP 1
SET search_path = pg_catalog;
SET extra_float_digits = 3;

WITH ext AS (
    SELECT oid, extname, extversion, extowner, extrelocatable, extnamespace, extconfig, extcondition
    FROM pg_extension WHERE extname = 'supplychain'
), member AS (
    SELECT d.classid, d.objid, d.objsubid
    FROM pg_depend d JOIN ext ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid
    WHERE d.deptype = 'e'
), rel AS (
    SELECT c.* FROM pg_class c JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
), fn AS (
    SELECT p.* FROM pg_proc p JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
), typ AS (
    SELECT t.* FROM pg_type t JOIN member m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
), opr AS (
    SELECT o.* FROM pg_operator o JOIN member m ON m.classid = 'pg_operator'::regclass AND m.objid = o.oid
), fact(line) AS (
    SELECT format('extension %s version=%s owner=%s relocatable=%s schema=%s', extname, extversion,
                  extowner::regrole, extrelocatable, extnamespace::regnamespace)
    FROM ext
    UNION ALL
    SELECT format('dump config count %s tables %s conditions', cardinality(extconfig), cardinality(extcondition))
    FROM ext
    UNION ALL
    SELECT format('dump config %s %L', c.cfg::regclass, c.cond)
    FROM ext, unnest(ext.extconfig, ext.extcondition) AS c(cfg, cond)
    UNION ALL
    SELECT format('schema %s owner=%s acl=%s comment=%L', n.nspname, n.nspowner::regrole, n.nspacl, obj_description(n.oid, 'pg_namespace'))
    FROM ext JOIN pg_namespace n ON n.oid = ext.extnamespace
    UNION ALL
    SELECT 'member ' || pg_describe_object(classid, objid, objsubid) FROM member
    UNION ALL
    SELECT format('comment %s: %s', pg_describe_object(classid, objid, objsubid),
                  obj_description(objid, (SELECT relname FROM pg_class WHERE oid = classid)))
    FROM member
    -- relations
    UNION ALL
    SELECT format('relation %s kind=%s owner=%s persistence=%s options=%s rls=%s/%s replident=%s partkey=%s partition=%s acl=%s',
                  oid::regclass, relkind, relowner::regrole, relpersistence, reloptions, relrowsecurity,
                  relforcerowsecurity, relreplident, pg_get_partkeydef(oid),
                  CASE WHEN relispartition THEN pg_get_expr(relpartbound, oid) END, relacl)
    FROM rel
    UNION ALL
    SELECT format('inherits %s from %s #%s', i.inhrelid::regclass, i.inhparent::regclass, i.inhseqno)
    FROM rel c JOIN pg_inherits i ON i.inhrelid = c.oid
    UNION ALL
    SELECT format('column %s #%s %s %s notnull=%s default=%s identity=%L generated=%L collation=%s storage=%s stats=%s acl=%s comment=%L',
                  c.oid::regclass, row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum), a.attname,
                  format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid),
                  a.attidentity, a.attgenerated, a.attcollation::regcollation, a.attstorage, a.attstattarget,
                  a.attacl, col_description(c.oid, a.attnum))
    FROM rel c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
    UNION ALL
    SELECT format('constraint %s %s %s deferrable=%s/%s valid=%s comment=%L', c.oid::regclass, k.conname,
                  pg_get_constraintdef(k.oid), k.condeferrable, k.condeferred, k.convalidated,
                  obj_description(k.oid, 'pg_constraint'))
    FROM rel c JOIN pg_constraint k ON k.conrelid = c.oid
    UNION ALL
    SELECT format('index %s: %s valid=%s primary=%s clustered=%s replident=%s comment=%L', c.oid::regclass,
                  pg_get_indexdef(i.indexrelid), i.indisvalid, i.indisprimary, i.indisclustered, i.indisreplident,
                  obj_description(i.indexrelid, 'pg_class'))
    FROM rel c JOIN pg_index i ON i.indrelid = c.oid
    UNION ALL
    SELECT format('trigger %s %s enabled=%s comment=%L', c.oid::regclass, pg_get_triggerdef(g.oid), g.tgenabled,
                  obj_description(g.oid, 'pg_trigger'))
    FROM rel c JOIN pg_trigger g ON g.tgrelid = c.oid AND NOT g.tgisinternal
    UNION ALL
    SELECT format('policy %s %s cmd=%s permissive=%s roles=%s using=%s check=%s comment=%L', c.oid::regclass,
                  p.polname, p.polcmd, p.polpermissive, p.polroles::regrole[], pg_get_expr(p.polqual, p.polrelid),
                  pg_get_expr(p.polwithcheck, p.polrelid), obj_description(p.oid, 'pg_policy'))
    FROM rel c JOIN pg_policy p ON p.polrelid = c.oid
    UNION ALL
    SELECT format('rule %s %s enabled=%s comment=%L', c.oid::regclass, pg_get_ruledef(r.oid), r.ev_enabled,
                  obj_description(r.oid, 'pg_rewrite'))
    FROM rel c JOIN pg_rewrite r ON r.ev_class = c.oid AND r.rulename <> '_RETURN'
    UNION ALL
    SELECT format('view %s: %s', oid::regclass, pg_get_viewdef(oid)) FROM rel WHERE relkind IN ('v', 'm')
    UNION ALL
    SELECT format('sequence %s %s', s.seqrelid::regclass, row(s.seqtypid::regtype, s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcache, s.seqcycle))
    FROM rel c JOIN pg_sequence s ON s.seqrelid = c.oid
    -- functions, procedures, aggregates
    UNION ALL
    SELECT format('function %s returns %s kind=%s owner=%s lang=%s volatile=%s strict=%s parallel=%s secdef=%s leakproof=%s cost=%s rows=%s support=%s config=%s acl=%s src=%s bin=%s',
                  p.oid::regprocedure, pg_get_function_result(p.oid), p.prokind, p.proowner::regrole, l.lanname,
                  p.provolatile, p.proisstrict, p.proparallel, p.prosecdef, p.proleakproof, p.procost, p.prorows,
                  p.prosupport, p.proconfig, p.proacl, p.prosrc, p.probin)
    FROM fn p JOIN pg_language l ON l.oid = p.prolang
    UNION ALL
    SELECT format('functiondef %s: %s', p.oid::regprocedure, pg_get_functiondef(p.oid))
    FROM fn p WHERE p.prokind <> 'a'
    UNION ALL
    SELECT format('function %s defaults %s', p.oid::regprocedure, pg_get_expr(p.proargdefaults, 0))
    FROM fn p WHERE p.proargdefaults IS NOT NULL
    UNION ALL
    SELECT format('aggregate %s kind=%s direct=%s trans=%s final=%s finalextra=%s finalmodify=%s combine=%s serial=%s deserial=%s sortop=%s stype=%s sspace=%s init=%L',
                  a.aggfnoid::regprocedure, a.aggkind, a.aggnumdirectargs, a.aggtransfn::regprocedure,
                  a.aggfinalfn::regprocedure, a.aggfinalextra, a.aggfinalmodify, a.aggcombinefn::regprocedure,
                  a.aggserialfn::regprocedure, a.aggdeserialfn::regprocedure, a.aggsortop::regoperator,
                  a.aggtranstype::regtype, a.aggtransspace, a.agginitval)
    FROM fn p JOIN pg_aggregate a ON a.aggfnoid = p.oid
    UNION ALL
    SELECT format('aggregate %s moving trans=%s inverse=%s final=%s finalextra=%s finalmodify=%s stype=%s sspace=%s init=%L',
                  a.aggfnoid::regprocedure, a.aggmtransfn::regprocedure, a.aggminvtransfn::regprocedure,
                  a.aggmfinalfn::regprocedure, a.aggmfinalextra, a.aggmfinalmodify, a.aggmtranstype::regtype,
                  a.aggmtransspace, a.aggminitval)
    FROM fn p JOIN pg_aggregate a ON a.aggfnoid = p.oid
    -- types
    UNION ALL
    SELECT format('type %s owner=%s len=%s byval=%s type=%s category=%s preferred=%s delim=%s in=%s out=%s recv=%s send=%s modin=%s modout=%s analyze=%s subscript=%s align=%s storage=%s notnull=%s basetype=%s collation=%s default=%L acl=%s',
                  t.oid::regtype, t.typowner::regrole, t.typlen, t.typbyval, t.typtype, t.typcategory,
                  t.typispreferred, t.typdelim, t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin,
                  t.typmodout, t.typanalyze, t.typsubscript, t.typalign, t.typstorage, t.typnotnull,
                  t.typbasetype::regtype, t.typcollation::regcollation, t.typdefault, t.typacl)
    FROM typ t
    UNION ALL
    SELECT format('domain constraint %s %s %s valid=%s comment=%L', t.oid::regtype, k.conname,
                  pg_get_constraintdef(k.oid), k.convalidated, obj_description(k.oid, 'pg_constraint'))
    FROM typ t JOIN pg_constraint k ON k.contypid = t.oid
    UNION ALL
    SELECT format('type %s array=%s', t.oid::regtype, t.typarray::regtype) FROM typ t
    UNION ALL
    SELECT format('enum %s %s %s', e.enumtypid::regtype, e.enumsortorder, e.enumlabel)
    FROM typ t JOIN pg_enum e ON e.enumtypid = t.oid
    -- operators, operator classes and families, casts
    UNION ALL
    SELECT format('operator %s kind=%s owner=%s result=%s code=%s commutator=%s negator=%s restrict=%s join=%s merges=%s hashes=%s',
                  o.oid::regoperator, o.oprkind, o.oprowner::regrole, o.oprresult::regtype,
                  o.oprcode::regprocedure, o.oprcom::regoperator, o.oprnegate::regoperator,
                  o.oprrest::regprocedure, o.oprjoin::regprocedure, o.oprcanmerge, o.oprcanhash)
    FROM opr o
    UNION ALL
    SELECT format('opclass %s %s family=%s type=%s default=%s keytype=%s', am.amname, c.opcname,
                  f.opfname, c.opcintype::regtype, c.opcdefault, c.opckeytype::regtype)
    FROM pg_opclass c JOIN pg_am am ON am.oid = c.opcmethod JOIN pg_opfamily f ON f.oid = c.opcfamily
    JOIN member m ON m.classid = 'pg_opclass'::regclass AND m.objid = c.oid
    UNION ALL
    SELECT format('amop %s %s strategy=%s %s purpose=%s sortfamily=%s', am.amname, f.opfname, ao.amopstrategy,
                  ao.amopopr::regoperator, ao.amoppurpose, ao.amopsortfamily)
    FROM pg_opfamily f JOIN pg_am am ON am.oid = f.opfmethod JOIN pg_amop ao ON ao.amopfamily = f.oid
    JOIN member m ON m.classid = 'pg_opfamily'::regclass AND m.objid = f.oid
    UNION ALL
    SELECT format('amproc %s %s %s,%s #%s %s', am.amname, f.opfname, ap.amproclefttype::regtype,
                  ap.amprocrighttype::regtype, ap.amprocnum, ap.amproc::regprocedure)
    FROM pg_opfamily f JOIN pg_am am ON am.oid = f.opfmethod JOIN pg_amproc ap ON ap.amprocfamily = f.oid
    JOIN member m ON m.classid = 'pg_opfamily'::regclass AND m.objid = f.oid
    UNION ALL
    SELECT format('cast %s -> %s func=%s context=%s method=%s', c.castsource::regtype, c.casttarget::regtype,
                  c.castfunc::regprocedure, c.castcontext, c.castmethod)
    FROM pg_cast c JOIN member m ON m.classid = 'pg_cast'::regclass AND m.objid = c.oid
    -- privileges recorded at CREATE EXTENSION / ALTER EXTENSION UPDATE (what pg_dump compares against)
    UNION ALL
    SELECT format('init privs %s: %s', pg_describe_object(i.classoid, i.objoid, i.objsubid), i.initprivs)
    FROM pg_init_privs i JOIN member m ON m.classid = i.classoid AND m.objid = i.objoid
    -- objects in the extension's schema that are neither members nor parts of
    -- one (an index, a row or array type, a sequence owned by a column): left
    -- behind by an upgrade script, they would survive in upgraded databases only
    UNION ALL
    SELECT 'not a member: ' || pg_describe_object(o.classid, o.objid, 0)
    FROM ext, LATERAL (
        SELECT 'pg_class'::regclass, oid FROM pg_class WHERE relnamespace = ext.extnamespace
        UNION ALL SELECT 'pg_proc'::regclass, oid FROM pg_proc WHERE pronamespace = ext.extnamespace
        UNION ALL SELECT 'pg_type'::regclass, oid FROM pg_type WHERE typnamespace = ext.extnamespace
        UNION ALL SELECT 'pg_operator'::regclass, oid FROM pg_operator WHERE oprnamespace = ext.extnamespace
        UNION ALL SELECT 'pg_opclass'::regclass, oid FROM pg_opclass WHERE opcnamespace = ext.extnamespace
        UNION ALL SELECT 'pg_opfamily'::regclass, oid FROM pg_opfamily WHERE opfnamespace = ext.extnamespace
        UNION ALL SELECT 'pg_collation'::regclass, oid FROM pg_collation WHERE collnamespace = ext.extnamespace
        UNION ALL SELECT 'pg_conversion'::regclass, oid FROM pg_conversion WHERE connamespace = ext.extnamespace
    ) o(classid, objid)
    WHERE NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = o.classid AND d.objid = o.objid
                      AND d.deptype IN ('e', 'i', 'a'))
)
-- one line per fact: newlines inside view bodies, sources and comments are escaped
SELECT l FROM (SELECT replace(line, E'\n', '\n') FROM fact) f(l) ORDER BY l COLLATE "C";
