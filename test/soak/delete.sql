\set st random(1, 5)
\set sup random(0, 19)
SELECT soak_delete(:st, :sup);
