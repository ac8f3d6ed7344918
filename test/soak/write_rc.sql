\set st random(1, 5)
\set sup random(0, 19)
\set pct random(5, 45)
SELECT soak_write(:st, :sup, :pct / 100.0);
