// ViewsCheck.java - what a BI tool sees of the supplychain views through JDBC.
//
// Usage: java -cp DIR:/usr/share/java/postgresql.jar ViewsCheck JDBC_URL
// Run by test/clients.sh.  Prints "ok - ..." / "not ok - ..." lines and exits
// 1 when any check fails.
//
// 1. DatabaseMetaData.getTables lists the extension's views in schema
//    supplychain; getColumns gives every column a standard JDBC type, and
//    Types.OTHER only to the two custom types.
// 2. The plain columns a chart uses have the JDBC type a BI tool expects.
// 3. Every row of every view reads back: getObject returns the Java class
//    of the column's JDBC type, the result set metadata agrees with
//    getColumns, typed columns read with getString give canonical labels,
//    and each label/level column agrees with its typed column.
// 4. Known facts of the reference dataset (the KIET 2021 brief).

import java.math.BigDecimal;
import java.sql.*;
import java.util.*;

public class ViewsCheck {
    static final String SCHEMA = "supplychain";
    static final List<String> RATINGS = List.of("very weak", "weak", "satisfactory");
    static final List<String> SCORES =
        List.of("very negative", "negative", "neutral", "positive", "very positive");
    static final List<String> EXPECTED_VIEWS = List.of(
        "current_assessment", "current_dependency", "current_policy_impact",
        "stage_risk", "country_risk", "policy_risk", "policy_balance",
        "weakest_stage", "stage_closure");

    static int failures = 0, checks = 0;

    static void ok(boolean cond, String what) {
        checks++;
        if (cond) {
            System.out.println("ok - " + what);
        } else {
            failures++;
            System.out.println("not ok - " + what);
        }
    }

    static void eq(Object got, Object want, String what) {
        boolean same = Objects.equals(got, want);
        if (!same && got instanceof BigDecimal && want instanceof BigDecimal)
            same = ((BigDecimal) got).compareTo((BigDecimal) want) == 0;
        ok(same, what + (same ? "" : " (got " + got + ", want " + want + ")"));
    }

    static String typeName(int t) {
        switch (t) {
            case Types.VARCHAR: return "VARCHAR";
            case Types.INTEGER: return "INTEGER";
            case Types.BIGINT: return "BIGINT";
            case Types.SMALLINT: return "SMALLINT";
            case Types.NUMERIC: return "NUMERIC";
            case Types.DOUBLE: return "DOUBLE";
            case Types.BIT: return "BIT";
            case Types.BOOLEAN: return "BOOLEAN";
            case Types.DATE: return "DATE";
            case Types.TIMESTAMP: return "TIMESTAMP";
            case Types.OTHER: return "OTHER";
            default: return "type " + t;
        }
    }

    // The Java class getObject must return for each standard JDBC type.
    static final Map<Integer, Class<?>> JAVA_CLASS = Map.of(
        Types.VARCHAR, String.class,
        Types.INTEGER, Integer.class,
        Types.BIGINT, Long.class,
        Types.SMALLINT, Integer.class,
        Types.NUMERIC, BigDecimal.class,
        Types.DOUBLE, Double.class,
        Types.BIT, Boolean.class,
        Types.BOOLEAN, Boolean.class,
        Types.DATE, java.sql.Date.class,
        Types.TIMESTAMP, java.sql.Timestamp.class);

    // Custom type of a column (from its TYPE_NAME), or null for a plain column.
    static String customType(String typeName) {
        String t = typeName.replace("\"", "");
        if (t.equals("stage_rating") || t.equals(SCHEMA + ".stage_rating")) return "stage_rating";
        if (t.equals("impact_score") || t.equals(SCHEMA + ".impact_score")) return "impact_score";
        return null;
    }

    static final class Col {
        String name, typeName, custom;
        int type;
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        try (Connection c = DriverManager.getConnection(url)) {
            DatabaseMetaData md = c.getMetaData();
            System.out.println("# " + md.getDriverName() + " " + md.getDriverVersion()
                               + " on " + md.getDatabaseProductName() + " " + md.getDatabaseProductVersion());

            // 1. the views and their columns, as DatabaseMetaData reports them
            List<String> views = new ArrayList<>();
            try (ResultSet rs = md.getTables(null, SCHEMA, "%", new String[] {"VIEW"})) {
                while (rs.next()) views.add(rs.getString("TABLE_NAME"));
            }
            Collections.sort(views);
            System.out.println("# views: " + views);
            for (String v : EXPECTED_VIEWS)
                ok(views.contains(v), "getTables lists view " + SCHEMA + "." + v);

            Map<String, Map<String, Col>> columns = new LinkedHashMap<>();
            for (String v : views) {
                Map<String, Col> cols = new LinkedHashMap<>();
                try (ResultSet rs = md.getColumns(null, SCHEMA, v, "%")) {
                    while (rs.next()) {
                        Col col = new Col();
                        col.name = rs.getString("COLUMN_NAME");
                        col.type = rs.getInt("DATA_TYPE");
                        col.typeName = rs.getString("TYPE_NAME");
                        col.custom = customType(col.typeName);
                        cols.put(col.name, col);
                    }
                }
                columns.put(v, cols);
                ok(!cols.isEmpty(), "getColumns lists the columns of " + v + " (" + cols.size() + ")");
                for (Col col : cols.values()) {
                    String where = v + "." + col.name + " (" + col.typeName + ")";
                    if (col.custom != null)
                        eq(typeName(col.type), "OTHER", "custom-typed column " + where + " is Types.OTHER");
                    else
                        ok(JAVA_CLASS.containsKey(col.type),
                           "plain column " + where + " has a standard JDBC type: " + typeName(col.type));
                }
            }

            // 2. the plain columns a BI tool charts, with the JDBC type it expects
            String[][] expectTypes = {
                {"stage_risk", "rating_label", "VARCHAR"}, {"stage_risk", "rating_level", "INTEGER"},
                {"stage_risk", "suppliers", "INTEGER"}, {"stage_risk", "unknown_shares", "INTEGER"},
                {"stage_risk", "hhi", "NUMERIC"}, {"stage_risk", "top_share", "NUMERIC"},
                {"stage_risk", "weakness", "NUMERIC"}, {"stage_risk", "risk", "NUMERIC"},
                {"stage_risk", "position", "INTEGER"}, {"stage_risk", "as_of", "DATE"},
                {"weakest_stage", "rating_label", "VARCHAR"}, {"weakest_stage", "rating_level", "INTEGER"},
                {"country_risk", "risk", "NUMERIC"}, {"country_risk", "known_share", "NUMERIC"},
                {"country_risk", "rank", "INTEGER"}, {"country_risk", "stages", "INTEGER"},
                {"policy_risk", "short_value", "INTEGER"}, {"policy_risk", "long_value", "INTEGER"},
                {"policy_risk", "short_label", "VARCHAR"}, {"policy_risk", "long_label", "VARCHAR"},
                {"policy_risk", "net", "INTEGER"}, {"policy_risk", "trend", "INTEGER"},
                {"policy_risk", "policy_no", "INTEGER"},
                {"policy_balance", "positive", "INTEGER"}, {"policy_balance", "neutral", "INTEGER"},
                {"policy_balance", "negative", "INTEGER"}, {"policy_balance", "net", "BIGINT"},
                {"policy_balance", "mean", "NUMERIC"},
                {"stage_closure", "depth", "INTEGER"},
            };
            for (String[] e : expectTypes) {
                Col col = columns.getOrDefault(e[0], Map.of()).get(e[1]);
                ok(col != null, e[0] + "." + e[1] + " exists");
                if (col != null) eq(typeName(col.type), e[2], e[0] + "." + e[1] + " is " + e[2]);
            }
            String[][] expectCustom = {
                {"stage_risk", "rating", "stage_rating"}, {"weakest_stage", "rating", "stage_rating"},
                {"current_assessment", "rating", "stage_rating"},
                {"policy_risk", "short_term", "impact_score"}, {"policy_risk", "long_term", "impact_score"},
                {"current_policy_impact", "score", "impact_score"},
            };
            for (String[] e : expectCustom) {
                Col col = columns.getOrDefault(e[0], Map.of()).get(e[1]);
                ok(col != null && e[2].equals(col.custom),
                   e[0] + "." + e[1] + " is " + e[2] + (col == null ? " (missing)" : " (TYPE_NAME " + col.typeName + ")"));
            }

            // 3. read every row of every view
            Map<String, List<Map<String, Object>>> data = new HashMap<>();
            for (String v : views) {
                Map<String, Col> cols = columns.get(v);
                List<Map<String, Object>> rows = new ArrayList<>();
                List<String> problems = new ArrayList<>();
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT * FROM " + SCHEMA + "." + v)) {
                    ResultSetMetaData rmd = rs.getMetaData();
                    for (int i = 1; i <= rmd.getColumnCount(); i++) {
                        Col col = cols.get(rmd.getColumnName(i));
                        if (col == null || col.type != rmd.getColumnType(i))
                            problems.add("column " + rmd.getColumnName(i) + ": result set type "
                                         + typeName(rmd.getColumnType(i)) + " differs from getColumns");
                    }
                    while (rs.next()) {
                        Map<String, Object> row = new HashMap<>();
                        for (int i = 1; i <= rmd.getColumnCount(); i++) {
                            Col col = cols.get(rmd.getColumnName(i));
                            if (col == null) continue;
                            Object val;
                            if (col.custom != null) {
                                val = rs.getString(i);
                                List<String> labels = col.custom.equals("stage_rating") ? RATINGS : SCORES;
                                if (val != null && !labels.contains(val))
                                    problems.add(col.name + " = '" + val + "' is not a canonical " + col.custom + " label");
                            } else {
                                val = rs.getObject(i);
                                Class<?> want = JAVA_CLASS.get(col.type);
                                if (val != null && want != null && !want.isInstance(val))
                                    problems.add(col.name + ": getObject gave " + val.getClass().getName()
                                                 + ", want " + want.getName());
                            }
                            row.put(col.name, val);
                        }
                        rows.add(row);
                        // labels and levels agree with the typed columns
                        if (cols.containsKey("rating") && cols.containsKey("rating_label")) {
                            Object r = row.get("rating");
                            if (!Objects.equals(r, row.get("rating_label")))
                                problems.add("rating '" + r + "' but rating_label '" + row.get("rating_label") + "'");
                            Object lvl = row.get("rating_level");
                            Integer want = r == null ? null : RATINGS.indexOf(r) + 1;
                            if (!Objects.equals(lvl, want))
                                problems.add("rating '" + r + "' but rating_level " + lvl);
                        }
                        for (String h : new String[] {"short", "long"}) {
                            if (!cols.containsKey(h + "_term")) continue;
                            Object s = row.get(h + "_term");
                            if (!Objects.equals(s, row.get(h + "_label")))
                                problems.add(h + "_term '" + s + "' but " + h + "_label '" + row.get(h + "_label") + "'");
                            Integer want = s == null ? null : SCORES.indexOf(s) - 2;
                            if (!Objects.equals(row.get(h + "_value"), want))
                                problems.add(h + "_term '" + s + "' but " + h + "_value " + row.get(h + "_value"));
                        }
                        if (cols.containsKey("short_value") && cols.containsKey("net")
                            && row.get("short_value") != null && row.get("long_value") != null
                            && !Objects.equals(row.get("net"),
                                               (Integer) row.get("short_value") + (Integer) row.get("long_value")))
                            problems.add("net " + row.get("net") + " is not short_value + long_value");
                    }
                }
                data.put(v, rows);
                ok(problems.isEmpty(), "read " + rows.size() + " rows of " + v
                   + " (types, labels, levels consistent)" + (problems.isEmpty() ? "" : ": " + problems));
            }

            // 4. known facts of the reference dataset
            Map<String, Integer> counts = Map.of(
                "stage_risk", 10, "current_assessment", 10, "weakest_stage", 2,
                "policy_risk", 11, "current_policy_impact", 22, "policy_balance", 6);
            for (Map.Entry<String, Integer> e : new TreeMap<>(counts).entrySet())
                eq(data.getOrDefault(e.getKey(), List.of()).size(), e.getValue(), e.getKey() + " row count");

            Set<String> weakest = new TreeSet<>();
            for (Map<String, Object> r : data.getOrDefault("weakest_stage", List.of())) {
                weakest.add(r.get("country") + "/" + r.get("sector") + "/" + r.get("stage"));
                eq(r.get("rating"), "very weak", "weakest_stage " + r.get("stage") + " rating via getString");
                eq(r.get("rating_level"), 1, "weakest_stage " + r.get("stage") + " rating_level");
            }
            eq(weakest, new TreeSet<>(List.of("US/semiconductors/Fabrication",
                                              "US/batteries/Materials Refinement and Processing")),
               "weakest_stage is exactly Fabrication and Materials Refinement and Processing");

            Map<String, Object> bal = find(data.get("policy_balance"), "country", "KR", "sector", "semiconductors", "horizon", "short");
            ok(bal != null, "policy_balance has KR/semiconductors/short");
            if (bal != null) {
                eq(bal.get("net"), 9L, "policy_balance KR semiconductors short net (Long)");
                eq(bal.get("positive"), 5, "policy_balance KR semiconductors short positive");
                eq(bal.get("negative"), 0, "policy_balance KR semiconductors short negative");
                eq(bal.get("mean"), new BigDecimal("1.2857"), "policy_balance KR semiconductors short mean");
            }
            Map<String, Object> all = find(data.get("policy_balance"), "country", "KR", "sector", null, "horizon", "short");
            ok(all != null && Objects.equals(all.get("net"), 11L),
               "policy_balance KR all sectors short net 11 (short-term positives outweigh negatives)");
            Map<String, Object> allLong = find(data.get("policy_balance"), "country", "KR", "sector", null, "horizon", "long");
            ok(allLong != null && Objects.equals(allLong.get("net"), -3L), "policy_balance KR all sectors long net -3");

            Map<String, Object> p2 = find(data.get("policy_risk"), "policy_id", "us-semiconductors-2", "country", "KR");
            ok(p2 != null, "policy_risk has us-semiconductors-2 for KR");
            if (p2 != null) {
                eq(p2.get("short_term"), "very positive", "policy_risk us-semiconductors-2 short_term via getString");
                eq(p2.get("long_term"), "negative", "policy_risk us-semiconductors-2 long_term via getString");
                eq(p2.get("net"), 1, "policy_risk us-semiconductors-2 net");
                eq(p2.get("trend"), -3, "policy_risk us-semiconductors-2 trend");
                eq(p2.get("long_term_risk"), Boolean.TRUE, "policy_risk us-semiconductors-2 long_term_risk");
            }

            Map<String, Object> fab = find(data.get("stage_risk"), "country", "US", "stage_id", "semiconductors.fabrication");
            ok(fab != null, "stage_risk has US semiconductors.fabrication");
            if (fab != null) {
                eq(fab.get("rating"), "very weak", "stage_risk fabrication rating via getString");
                eq(fab.get("hhi"), new BigDecimal("0.8528"), "stage_risk fabrication hhi (0.92^2 + 0.08^2)");
                eq(fab.get("top_supplier"), "TW", "stage_risk fabrication top_supplier");
                eq(fab.get("top_share"), new BigDecimal("0.92"), "stage_risk fabrication top_share");
            }

            Map<String, Object> cn = find(data.get("country_risk"), "country", "US", "sector", "batteries", "rank", 1);
            ok(cn != null && "CN".equals(cn.get("supplier")) && "concern".equals(cn.get("relation")),
               "country_risk: the US battery chain is most exposed to CN (a country of concern)");

            // a typed value read through getObject is a PGobject carrying the type name
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(
                     "SELECT short_term FROM " + SCHEMA + ".policy_risk WHERE policy_id = 'us-batteries-1'")) {
                ok(rs.next(), "policy_risk us-batteries-1 exists");
                Object o = rs.getObject(1);
                String desc = o == null ? "null" : o.getClass().getName() + " '" + o + "'";
                if (o instanceof org.postgresql.util.PGobject)
                    desc += " of type " + ((org.postgresql.util.PGobject) o).getType();
                ok(o instanceof org.postgresql.util.PGobject
                   && "very positive".equals(((org.postgresql.util.PGobject) o).getValue())
                   && customType(((org.postgresql.util.PGobject) o).getType()) != null,
                   "getObject on impact_score gives a PGobject 'very positive' of the custom type (" + desc + ")");
            }

            // a typed parameter bound with setString and a cast in the query
            try (PreparedStatement ps = c.prepareStatement(
                     "SELECT count(*) FROM " + SCHEMA + ".policy_risk WHERE long_term = ?::" + SCHEMA + ".impact_score")) {
                ps.setString(1, "☹");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    eq(rs.getInt(1), 6, "setString('☹') as impact_score: 6 policies hurt Korea in the long term");
                }
            }

            // what BI tools do: an untyped parameter (setObject with Types.OTHER)
            // that the server types from the column it is compared with
            try (PreparedStatement ps = c.prepareStatement(
                     "SELECT stage FROM " + SCHEMA + ".stage_risk WHERE rating = ? ORDER BY stage")) {
                ps.setObject(1, "Very_Weak", Types.OTHER);
                List<String> got = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) got.add(rs.getString(1));
                }
                eq(got, List.of("Fabrication", "Materials Refinement and Processing"),
                   "setObject('Very_Weak', Types.OTHER) compared with stage_risk.rating");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::" + SCHEMA + ".impact_score")) {
                ps.setString(1, "☔⚙️");
                ps.executeQuery();
                ok(false, "'☔⚙️' as impact_score fails");
            } catch (SQLException e) {
                eq(e.getSQLState(), "22P02", "'☔⚙️' as impact_score fails with SQLSTATE 22P02");
            }
        }
        System.out.println("# JDBC: " + (checks - failures) + "/" + checks + " checks passed");
        System.exit(failures == 0 ? 0 : 1);
    }

    static Map<String, Object> find(List<Map<String, Object>> rows, Object... kv) {
        if (rows == null) return null;
        for (Map<String, Object> r : rows) {
            boolean match = true;
            for (int i = 0; i < kv.length; i += 2)
                if (!Objects.equals(r.get((String) kv[i]), kv[i + 1])) match = false;
            if (match) return r;
        }
        return null;
    }
}
