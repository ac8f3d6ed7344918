-- The heat map: heatmap_svg() and its XML escaping.

-- Heat map: stages down, supplier countries across, each cell the supplier's
-- dependency risk at that stage (the country_risk term), as a self-contained
-- SVG.  Sequential ColorBrewer YlOrRd bins (readable with colour-vision
-- deficiencies, and in grey); unknown shares grey with "?".

CREATE FUNCTION @extschema@.xml_escape(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
           pg_catalog.replace(pg_catalog.regexp_replace($1, '[\x01-\x08\x0B\x0C\x0E-\x1F]', '', 'g'),
                              '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&apos;')
$$;
COMMENT ON FUNCTION @extschema@.xml_escape(text) IS 'text escaped for XML content and attribute values (control characters XML forbids are dropped)';

CREATE FUNCTION @extschema@.heatmap_svg(country text, sector text DEFAULT NULL) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cell_w   constant integer := 64;
    cell_h   constant integer := 30;
    label_w  constant integer := 340;
    top      constant integer := 96;
    bins     constant numeric[] := '{0.1,0.2,0.4,0.6}';
    fills    constant text[] := '{#ffffb2,#fecc5c,#fd8d3c,#f03b20,#bd0026}';
    inks     constant text[] := '{#000000,#000000,#000000,#ffffff,#ffffff}';
    ranges   constant text[] := '{"below 0.10","0.10 to 0.20","0.20 to 0.40","0.40 to 0.60","0.60 and above"}';
    stages   text[];
    suppliers text[];
    ncols    integer;
    width    integer;
    height   integer;
    title    text;
    svg      text;
    r        record;
    k        integer;
    x        integer;
    y        integer;
BEGIN
    -- rows: the stages of the country's assessed chains, in chain order
    SELECT array_agg(sr.stage_id ORDER BY sr.sector COLLATE "C" DESC, sr.position) INTO stages
      FROM @extschema@.stage_risk sr
     WHERE sr.country = heatmap_svg.country
       AND (heatmap_svg.sector IS NULL OR sr.sector = heatmap_svg.sector);
    IF stages IS NULL THEN
        RAISE EXCEPTION 'no assessed chain of country "%"%', heatmap_svg.country,
              COALESCE(' in sector "' || heatmap_svg.sector || '"', '')
              USING ERRCODE = 'no_data_found',
                    HINT = 'The heat map draws the stages of chains the country has rated in assessment.';
    END IF;
    -- columns: suppliers the country depends on at those stages, most known share first
    SELECT array_agg(t.supplier ORDER BY t.total DESC NULLS LAST, t.supplier COLLATE "C") INTO suppliers
      FROM (SELECT d.supplier, sum(d.share) AS total
              FROM @extschema@.current_dependency d
             WHERE d.country = heatmap_svg.country AND d.stage = ANY (stages)
             GROUP BY d.supplier) t;
    ncols := COALESCE(array_length(suppliers, 1), 0);
    width := GREATEST(label_w + ncols * cell_w + 24, 840);
    height := top + array_length(stages, 1) * cell_h + 80;
    title := 'Dependency risk of ' || heatmap_svg.country || ' '
             || COALESCE('(' || heatmap_svg.sector || ')', '(all sectors)');

    svg := format('<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" '
                  'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">', width, height, width, height)
        || format('<title>%s</title>', @extschema@.xml_escape(title))
        || format('<rect x="0" y="0" width="%s" height="%s" fill="#ffffff"/>', width, height)
        || format('<text x="12" y="26" font-size="16" font-weight="bold">%s</text>', @extschema@.xml_escape(title))
        || '<text x="12" y="46" fill="#444444">cell = known share x stage weakness x alignment weight'
        || ' (summed over kinds); ? = named, share unknown</text>';

    -- column headers: supplier and how the country regards it
    FOR k IN 1 .. ncols LOOP
        x := label_w + (k - 1) * cell_w + cell_w / 2;
        svg := svg || format('<text x="%s" y="%s" text-anchor="middle" font-weight="bold">%s</text>',
                             x, top - 20, @extschema@.xml_escape(suppliers[k]))
                   || format('<text x="%s" y="%s" text-anchor="middle" font-size="10" fill="#444444">%s</text>',
                             x, top - 7, @extschema@.xml_escape(COALESCE(
                                 (SELECT a.relation FROM @extschema@.alignment a
                                   WHERE a.country = heatmap_svg.country AND a.partner = suppliers[k]),
                                 'no alignment')));
    END LOOP;

    -- row labels: stage name and rating
    FOR r IN
        SELECT sr.stage_id, sr.sector, sr.stage, sr.rating_label
          FROM @extschema@.stage_risk sr
         WHERE sr.country = heatmap_svg.country AND sr.stage_id = ANY (stages)
         ORDER BY array_position(stages, sr.stage_id)
    LOOP
        y := top + (array_position(stages, r.stage_id) - 1) * cell_h;
        svg := svg || format('<text x="12" y="%s">%s <tspan fill="#444444">(%s)</tspan></text>', y + 19,
                             @extschema@.xml_escape(CASE WHEN heatmap_svg.sector IS NULL
                                                         THEN r.sector || ': ' ELSE '' END || r.stage),
                             @extschema@.xml_escape(COALESCE(r.rating_label, 'not rated')));
    END LOOP;

    -- cells: each (stage, supplier) with a dependency, its stage_supplier_risk
    FOR r IN
        SELECT c.stage_id AS stage, c.supplier, c.risk
          FROM @extschema@.stage_supplier_risk c
         WHERE c.country = heatmap_svg.country AND c.stage_id = ANY (stages)
         ORDER BY c.stage_id COLLATE "C", c.supplier COLLATE "C"
    LOOP
        x := label_w + (array_position(suppliers, r.supplier) - 1) * cell_w;
        y := top + (array_position(stages, r.stage) - 1) * cell_h;
        IF r.risk IS NULL THEN
            svg := svg || format('<rect class="cell" x="%s" y="%s" width="%s" height="%s" fill="#d9d9d9" stroke="#ffffff"/>',
                                 x, y, cell_w, cell_h)
                       || format('<text x="%s" y="%s" text-anchor="middle">?</text>', x + cell_w / 2, y + 19);
        ELSE
            k := 1 + (SELECT count(*) FROM unnest(bins) lim WHERE r.risk >= lim)::integer;
            svg := svg || format('<rect class="cell" x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#ffffff"/>',
                                 x, y, cell_w, cell_h, fills[k])
                       || format('<text x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>',
                                 x + cell_w / 2, y + 19, inks[k], to_char(r.risk, 'FM990.00'));
        END IF;
    END LOOP;

    -- legend
    y := top + array_length(stages, 1) * cell_h + 28;
    svg := svg || format('<text x="12" y="%s" font-weight="bold">risk</text>', y + 14);
    FOR k IN 1 .. 5 LOOP
        x := 60 + (k - 1) * 125;
        svg := svg || format('<rect x="%s" y="%s" width="18" height="18" fill="%s" stroke="#888888"/>', x, y, fills[k])
                   || format('<text x="%s" y="%s">%s</text>', x + 24, y + 14, @extschema@.xml_escape(ranges[k]));
    END LOOP;
    svg := svg || format('<rect x="%s" y="%s" width="18" height="18" fill="#d9d9d9" stroke="#888888"/>', 700, y)
               || format('<text x="%s" y="%s">share unknown</text>', 724, y + 14);
    RETURN svg || '</svg>';
END
$$;
COMMENT ON FUNCTION @extschema@.heatmap_svg(text, text) IS
    'SVG heat map of a country''s dependency risk: stages down, suppliers across, colour-blind-safe bins, legend and title';
