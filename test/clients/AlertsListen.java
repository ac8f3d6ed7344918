// AlertsListen.java - early warning through pgjdbc: a connection LISTENs on
// supplychain_alert (PGConnection.getNotifications) while two writer
// threads move a measure across a rule, a quarter of their transactions
// rolled back.  Every alert raised or cleared is heard exactly once, nothing
// of a rolled-back transaction, and what was heard is the alert table.
//
// Usage: java -cp .:postgresql.jar AlertsListen JDBC_URL
// Prints "ok - ..." / "not ok - ..." lines; exits 1 when a check fails.

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

public class AlertsListen {
    static final String RULE = "jdbc-listen";
    static final int ROUNDS = 40;
    static boolean failed = false;

    static void check(boolean cond, String what) {
        System.out.println((cond ? "ok - " : "not ok - ") + what);
        if (!cond) failed = true;
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": \"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Connection setup = DriverManager.getConnection(url);
        Statement st = setup.createStatement();
        st.execute("SET search_path = supplychain");
        st.execute("DELETE FROM dependency WHERE item IN ('jdbc-a', 'jdbc-b')");
        st.execute("DELETE FROM watch WHERE name = '" + RULE + "'");
        st.execute("INSERT INTO watch (name, measure, sector, comparison, threshold, enabled) "
                   + "VALUES ('" + RULE + "', 'country_risk.risk', 'batteries', '>', 0.5, true)");
        // KR and TW on CN: the share x 0.75 (no alignment); 0.9 is above the rule, 0.2 below
        st.execute("INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of) VALUES "
                   + "('batteries.cells', 'KR', 'CN', 'supply', 'jdbc-a', 0.2, '2020-01-01'), "
                   + "('batteries.cells', 'TW', 'CN', 'supply', 'jdbc-b', 0.2, '2020-01-01')");

        Connection listener = DriverManager.getConnection(url);
        listener.createStatement().execute("LISTEN supplychain_alert");
        PGConnection pg = listener.unwrap(PGConnection.class);

        List<String> rolledBack = Collections.synchronizedList(new ArrayList<>());
        String[][] both = {{"KR", "jdbc-a"}, {"TW", "jdbc-b"}};
        String[][] kr = {{"KR", "jdbc-a"}};
        Thread[] writers = new Thread[2];
        for (int w = 0; w < 2; w++) {
            final String[][] subjects = w == 0 ? both : kr;
            final long seed = w + 7;
            writers[w] = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url)) {
                    c.setAutoCommit(false);
                    Random rnd = new Random(seed);
                    PreparedStatement up = c.prepareStatement(
                        "UPDATE supplychain.dependency SET share = ? WHERE country = ? AND item = ?");
                    PreparedStatement mine = c.prepareStatement(
                        "SELECT id::text FROM supplychain.alert WHERE watch = '" + RULE + "' AND raised_at = now()");
                    for (int i = 0; i < ROUNDS; i++) {
                        String[] s = subjects[rnd.nextInt(subjects.length)];
                        up.setBigDecimal(1, new java.math.BigDecimal(rnd.nextBoolean() ? "0.9" : "0.2"));
                        up.setString(2, s[0]);
                        up.setString(3, s[1]);
                        up.executeUpdate();
                        if (rnd.nextInt(4) == 0) {
                            try (ResultSet r = mine.executeQuery()) {
                                while (r.next()) rolledBack.add(r.getString(1));
                            }
                            c.rollback();
                        } else {
                            c.commit();
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                    failed = true;
                }
            });
            writers[w].start();
        }

        List<String> heard = new ArrayList<>();
        boolean running = true;
        long quietSince = 0;
        while (true) {
            PGNotification[] ns = pg.getNotifications(200);
            if (ns != null) {
                for (PGNotification n : ns) {
                    if (!n.getName().equals("supplychain_alert")) check(false, "a notification on " + n.getName());
                    heard.add(n.getParameter());
                }
            }
            if (running && !writers[0].isAlive() && !writers[1].isAlive()) {
                running = false;
                quietSince = System.currentTimeMillis();
            }
            if (!running && System.currentTimeMillis() - quietSince > 1000) break;
        }

        List<String> raised = new ArrayList<>();
        List<String> cleared = new ArrayList<>();
        for (String p : heard) {
            if (!RULE.equals(field(p, "watch"))) continue;
            if ("raised".equals(field(p, "event"))) raised.add(field(p, "alert"));
            else cleared.add(field(p, "alert"));
        }
        Set<String> rows = new HashSet<>();
        Set<String> clearedRows = new HashSet<>();
        try (ResultSet r = st.executeQuery("SELECT id::text, cleared_at IS NOT NULL FROM alert WHERE watch = '" + RULE + "'")) {
            while (r.next()) {
                rows.add(r.getString(1));
                if (r.getBoolean(2)) clearedRows.add(r.getString(1));
            }
        }
        check(raised.size() >= 4 && cleared.size() >= 2,
              "the writers crossed the line both ways (" + raised.size() + " raised, " + cleared.size() + " cleared)");
        check(new HashSet<>(raised).size() == raised.size() && new HashSet<>(cleared).size() == cleared.size(),
              "each alert heard once per event");
        check(new HashSet<>(raised).equals(rows), "the raised alerts heard are the alert table's rows (" + rows.size() + ")");
        check(new HashSet<>(cleared).equals(clearedRows), "the cleared alerts heard are the table's cleared rows (" + clearedRows.size() + ")");
        Set<String> gone = new HashSet<>(rolledBack);
        gone.retainAll(new HashSet<>(raised));
        check(gone.isEmpty(), "nothing heard of the " + rolledBack.size() + " alerts raised by rolled-back transactions");
        try (ResultSet r = st.executeQuery("SELECT count(*) FROM watch_verify()")) {
            r.next();
            check(r.getInt(1) == 0, "watch_verify() finds the open alerts right");
        }
        st.execute("DELETE FROM watch WHERE name = '" + RULE + "'");
        st.execute("DELETE FROM dependency WHERE item IN ('jdbc-a', 'jdbc-b')");
        System.exit(failed ? 1 : 0);
    }
}
