/*
 * labels.h - parsing and formatting of the two ordinal types' labels.
 *
 * Plain C with no backend dependencies, so that the fuzz harness in
 * test/fuzz can drive exactly the code the server runs.
 *
 * Levels are small positive integers: stage_rating 1..3 (its integer value),
 * impact_score 1..5 (its integer value + 3).  Level 0 never denotes a value,
 * so the parsers return 0 for invalid input.
 */
#ifndef SUPPLYCHAIN_LABELS_H
#define SUPPLYCHAIN_LABELS_H

#include <stddef.h>

#define SC_RATING_MIN 1
#define SC_RATING_MAX 3
#define SC_IMPACT_MIN 1
#define SC_IMPACT_MAX 5
#define SC_IMPACT_OFFSET 3		/* integer value = level - offset */

typedef enum sc_legend
{
	SC_LEGEND_GEAR = 0,			/* ☔☔ ☔ ☁️ ⚙️ ⚙️⚙️ */
	SC_LEGEND_SUN = 1			/* ☹☹ ☹ ☁ ☀ ☀☀ */
} sc_legend;

/* Parse len bytes at s (need not be NUL-terminated); 0 if invalid. */
extern int	sc_rating_parse(const char *s, size_t len);
extern int	sc_impact_parse(const char *s, size_t len);

/* Canonical label of a level, or NULL if the level is out of range. */
extern const char *sc_rating_label(int level);
extern const char *sc_impact_label(int level);

/* The symbol as the brief prints it, or NULL if out of range. */
extern const char *sc_impact_symbol(int level, sc_legend legend);

#endif							/* SUPPLYCHAIN_LABELS_H */
