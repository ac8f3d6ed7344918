-- plant_shadow_ext.sql - look-alikes in public of the extension's OWN
-- objects (not built-ins): symbol(), the types' = and <, and the
-- weakest_stage view.  A session whose search_path puts public before
-- supplychain (as the README and demo.sql do) resolves to these.  Each
-- reports its call (public.trojan_report, from plant.sql) and then answers
-- as the original would, so that the victim runs on and every capture is
-- listed.  Advisory: security.sh reports what fires and does not fail on it.
-- Run as the non-superuser, after plant.sql in public.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET search_path = pg_catalog;

-- symbol('-2', 'sun'): two unknown literals prefer text, so this beats
-- supplychain.symbol(impact_score, text) wherever public is on the path
CREATE FUNCTION public.symbol(text, text) RETURNS text LANGUAGE sql AS $$
SELECT public.trojan_report('public.symbol(text,text)', 'public.hijack_count');
SELECT supplychain.symbol($1::supplychain.impact_score, $2)
$$;
CREATE FUNCTION public.symbol(supplychain.impact_score, text) RETURNS text LANGUAGE sql AS $$
SELECT public.trojan_report('public.symbol(impact_score,text)', 'public.hijack_count');
SELECT supplychain.symbol($1, $2)
$$;
CREATE FUNCTION public.rating_lt(supplychain.stage_rating, supplychain.stage_rating) RETURNS boolean
LANGUAGE sql AS $$
SELECT public.trojan_report('public.<(stage_rating,stage_rating)', 'public.hijack_count');
SELECT $1 OPERATOR(supplychain.<) $2
$$;
CREATE OPERATOR public.< (LEFTARG = supplychain.stage_rating, RIGHTARG = supplychain.stage_rating,
                          FUNCTION = public.rating_lt);
CREATE FUNCTION public.score_eq(supplychain.impact_score, supplychain.impact_score) RETURNS boolean
LANGUAGE sql AS $$
SELECT public.trojan_report('public.=(impact_score,impact_score)', 'public.hijack_count');
SELECT $1 OPERATOR(supplychain.=) $2
$$;
CREATE OPERATOR public.= (LEFTARG = supplychain.impact_score, RIGHTARG = supplychain.impact_score,
                          FUNCTION = public.score_eq);
CREATE FUNCTION public.look_alike() RETURNS boolean LANGUAGE sql AS $$
SELECT public.trojan_report('public.weakest_stage (a look-alike view)', 'public.hijack_count');
SELECT true
$$;
CREATE VIEW public.weakest_stage AS
SELECT * FROM supplychain.weakest_stage WHERE public.look_alike();
