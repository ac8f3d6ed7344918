/*
 * fuzz_labels.c - libFuzzer harness for the label parsers and formatters in src/labels.c.
 *
 * Built by test/fuzz/run.sh with clang -fsanitize=fuzzer,address,undefined
 * and linked with src/labels.c itself, so it drives exactly the code the
 * server runs.  Crashes are not the only failure: every input is checked
 * against properties, and any violation aborts, which libFuzzer reports as
 * a crash and saves as a reproducer.
 *
 *   - whatever parses is a level in range;
 *   - the level's canonical label, and for impact_score its symbol in both
 *     legends, parse back to the same level;
 *   - the parsers read only [data, data + len): each call gets a malloc'ed
 *     copy of exactly len bytes, not NUL-terminated, so ASan reports any
 *     read past the end, and the result must not change when other bytes
 *     follow the len bytes;
 *   - the README's rules hold: surrounding blanks and ASCII case change
 *     nothing;
 *   - the result equals that of an independent reference parser written
 *     from the README's grammar (set SC_FUZZ_ORACLE=0 to skip only this).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labels.h"

typedef int (*parse_fn) (const char *s, size_t len);

static int	use_oracle = 1;

static void
fail(const char *what, const char *type, const uint8_t *data, size_t len,
	 int got, int expected)
{
	size_t		i;

	fprintf(stderr, "\nproperty violated (%s): %s, got level %d, expected %d, input %zu bytes:",
			type, what, got, expected, len);
	for (i = 0; i < len; i++)
		fprintf(stderr, " %02x", data[i]);
	fputc('\n', stderr);
	abort();
}

/* Parse a malloc'ed copy of exactly len bytes: nothing readable around it. */
static int
parse_exact(parse_fn parse, const void *data, size_t len)
{
	char	   *copy = malloc(len);
	int			level;

	if (copy == NULL && len > 0)
		abort();
	if (len > 0)
		memcpy(copy, data, len);
	level = parse(copy, len);
	free(copy);
	return level;
}

/*
 * Bytes placed after the len bytes that a parser reading too far would
 * most likely be swayed by: a terminator, blanks, letters that lengthen a
 * word, a variation selector, a second symbol.
 */
static const char *const tails[] = {
	"\0", " ", "\t\n", "s", "eak", "_weak", "2", "\xEF\xB8\x8F", "\xB8\x8F",
	"\x8F", "\xE2\x98\x94", "\xE2\x9A\x99\xEF\xB8\x8F", "\xE2\x98\x80", "\xFF"
};

#define TAIL_MAX 8

/* The result must not depend on what follows the len bytes. */
static void
check_tails(parse_fn parse, const char *type, const uint8_t *data, size_t len,
			int level)
{
	char	   *buf = malloc(len + TAIL_MAX);
	size_t		t;

	if (buf == NULL)
		abort();
	if (len > 0)
		memcpy(buf, data, len);
	for (t = 0; t < sizeof(tails) / sizeof(tails[0]); t++)
	{
		size_t		tl = tails[t][0] == '\0' ? 1 : strlen(tails[t]);
		int			got;

		memcpy(buf + len, tails[t], tl);
		got = parse(buf, len);
		if (got != level)
			fail("result depends on bytes after len", type, data, len, got, level);
	}
	free(buf);
}

static int
is_blank(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Surrounding blanks and ASCII case are ignored (README, "Text input"). */
static void
check_metamorphic(parse_fn parse, const char *type, const uint8_t *data, size_t len,
				  int level)
{
	static const char pre[] = " \t\v";
	static const char post[] = "\r\n\f ";
	char	   *buf = malloc(len + sizeof(pre) + sizeof(post));
	size_t		i;
	int			got;

	if (buf == NULL)
		abort();

	memcpy(buf, pre, sizeof(pre) - 1);
	if (len > 0)
		memcpy(buf + sizeof(pre) - 1, data, len);
	memcpy(buf + sizeof(pre) - 1 + len, post, sizeof(post) - 1);
	got = parse_exact(parse, buf, len + sizeof(pre) - 1 + sizeof(post) - 1);
	if (got != level)
		fail("surrounding blanks change the result", type, data, len, got, level);

	for (i = 0; i < len; i++)
		buf[i] = (data[i] >= 'a' && data[i] <= 'z') ? (char) (data[i] - 'a' + 'A') : (char) data[i];
	got = parse_exact(parse, buf, len);
	if (got != level)
		fail("upper-casing ASCII changes the result", type, data, len, got, level);

	for (i = 0; i < len; i++)
		buf[i] = (data[i] >= 'A' && data[i] <= 'Z') ? (char) (data[i] - 'A' + 'a') : (char) data[i];
	got = parse_exact(parse, buf, len);
	if (got != level)
		fail("lower-casing ASCII changes the result", type, data, len, got, level);

	free(buf);
}

/* A formatted string must parse back to the level it was made from. */
static void
check_round_trip(parse_fn parse, const char *type, const char *what,
				 const char *text, const uint8_t *data, size_t len, int level)
{
	int			got;

	if (text == NULL)
		fail(what, type, data, len, -1, level);
	got = parse_exact(parse, text, strlen(text));
	if (got != level)
		fail(what, type, data, len, got, level);
}

/* ---------------------------------------------------------------------------
 * Reference parser, written from the README rather than from labels.c: trim
 * the six blanks; then a word label, ASCII case-insensitive, with exactly one
 * of ' ', '_', '-' wherever the label has a space; for impact_score also the
 * nine signed integers and one or two symbols of one legend, each symbol
 * optionally followed by U+FE0F (a doubled cloud is no value).
 */
static const char *const ref_rating_words[] = {"very weak", "weak", "satisfactory"};
static const char *const ref_impact_words[] = {
	"very negative", "negative", "neutral", "positive", "very positive"
};
static const struct
{
	const char *text;
	int			level;
}			ref_integers[] = {
	{"-2", 1}, {"-1", 2}, {"0", 3}, {"-0", 3}, {"+0", 3},
	{"1", 4}, {"+1", 4}, {"2", 5}, {"+2", 5}
};

#define U_UMBRELLA "\xE2\x98\x94"	/* U+2614 */
#define U_CLOUD "\xE2\x98\x81"		/* U+2601 */
#define U_GEAR "\xE2\x9A\x99"		/* U+2699 */
#define U_FROWN "\xE2\x98\xB9"		/* U+2639 */
#define U_SUN "\xE2\x98\x80"		/* U+2600 */
#define U_VS16 "\xEF\xB8\x8F"		/* U+FE0F */

/* Code points, one or two of them, per legend and level 1..5. */
static const char *const ref_symbols[2][5][2] = {
	{{U_UMBRELLA, U_UMBRELLA}, {U_UMBRELLA, NULL}, {U_CLOUD, NULL}, {U_GEAR, NULL}, {U_GEAR, U_GEAR}},
	{{U_FROWN, U_FROWN}, {U_FROWN, NULL}, {U_CLOUD, NULL}, {U_SUN, NULL}, {U_SUN, U_SUN}}
};

static int
ref_word(const uint8_t *s, size_t len, const char *const *words, int n)
{
	int			w;

	for (w = 0; w < n; w++)
	{
		size_t		wl = strlen(words[w]);
		size_t		i;

		if (wl != len)
			continue;
		for (i = 0; i < len; i++)
		{
			uint8_t		c = s[i];

			if (words[w][i] == ' ')
			{
				if (c != ' ' && c != '_' && c != '-')
					break;
			}
			else if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != (uint8_t) words[w][i])
				break;
		}
		if (i == len)
			return w + 1;
	}
	return 0;
}

/* Match one code point, then an optional U+FE0F; bytes used, or 0. */
static size_t
ref_symbol(const uint8_t *s, size_t len, const char *cp)
{
	if (len < 3 || memcmp(s, cp, 3) != 0)
		return 0;
	if (len >= 6 && memcmp(s + 3, U_VS16, 3) == 0)
		return 6;
	return 3;
}

static int
ref_impact_symbols(const uint8_t *s, size_t len)
{
	int			legend;
	int			level;

	for (legend = 0; legend < 2; legend++)
		for (level = 1; level <= 5; level++)
		{
			const char *const *cps = ref_symbols[legend][level - 1];
			size_t		n1 = ref_symbol(s, len, cps[0]);

			if (n1 == 0)
				continue;
			if (cps[1] == NULL)
			{
				if (n1 == len)
					return level;
			}
			else if (ref_symbol(s + n1, len - n1, cps[1]) == len - n1 && len > n1)
				return level;
		}
	return 0;
}

static void
ref_trim(const uint8_t **s, size_t *len)
{
	while (*len > 0 && is_blank((*s)[0]))
	{
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_blank((*s)[*len - 1]))
		(*len)--;
}

static int
ref_rating(const uint8_t *s, size_t len)
{
	ref_trim(&s, &len);
	return ref_word(s, len, ref_rating_words, 3);
}

static int
ref_impact(const uint8_t *s, size_t len)
{
	size_t		i;
	int			level;

	ref_trim(&s, &len);
	level = ref_word(s, len, ref_impact_words, 5);
	if (level != 0)
		return level;
	for (i = 0; i < sizeof(ref_integers) / sizeof(ref_integers[0]); i++)
		if (strlen(ref_integers[i].text) == len && memcmp(s, ref_integers[i].text, len) == 0)
			return ref_integers[i].level;
	return ref_impact_symbols(s, len);
}

/* ------------------------------------------------------------------------- */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *env = getenv("SC_FUZZ_ORACLE");

	(void) argc;
	(void) argv;
	if (env != NULL && strcmp(env, "0") == 0)
		use_oracle = 0;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	int			level;
	int			ref;

	/* stage_rating */
	level = parse_exact(sc_rating_parse, data, len);
	if (level != 0 && (level < SC_RATING_MIN || level > SC_RATING_MAX))
		fail("level out of range", "stage_rating", data, len, level, 0);
	if (level != 0)
		check_round_trip(sc_rating_parse, "stage_rating", "canonical label does not parse back",
						 sc_rating_label(level), data, len, level);
	check_tails(sc_rating_parse, "stage_rating", data, len, level);
	check_metamorphic(sc_rating_parse, "stage_rating", data, len, level);
	if (use_oracle && (ref = ref_rating(data, len)) != level)
		fail("disagrees with the reference parser", "stage_rating", data, len, level, ref);

	/* impact_score */
	level = parse_exact(sc_impact_parse, data, len);
	if (level != 0 && (level < SC_IMPACT_MIN || level > SC_IMPACT_MAX))
		fail("level out of range", "impact_score", data, len, level, 0);
	if (level != 0)
	{
		check_round_trip(sc_impact_parse, "impact_score", "canonical label does not parse back",
						 sc_impact_label(level), data, len, level);
		check_round_trip(sc_impact_parse, "impact_score", "gear symbol does not parse back",
						 sc_impact_symbol(level, SC_LEGEND_GEAR), data, len, level);
		check_round_trip(sc_impact_parse, "impact_score", "sun symbol does not parse back",
						 sc_impact_symbol(level, SC_LEGEND_SUN), data, len, level);
	}
	check_tails(sc_impact_parse, "impact_score", data, len, level);
	check_metamorphic(sc_impact_parse, "impact_score", data, len, level);
	if (use_oracle && (ref = ref_impact(data, len)) != level)
		fail("disagrees with the reference parser", "impact_score", data, len, level, ref);

	/* the formatters reject every level outside the range */
	if (len >= 1)
	{
		int			any = (int8_t) data[0];

		if ((sc_rating_label(any) != NULL) != (any >= SC_RATING_MIN && any <= SC_RATING_MAX) ||
			(sc_impact_label(any) != NULL) != (any >= SC_IMPACT_MIN && any <= SC_IMPACT_MAX) ||
			(sc_impact_symbol(any, SC_LEGEND_SUN) != NULL) != (any >= SC_IMPACT_MIN && any <= SC_IMPACT_MAX))
			fail("formatter accepts a level out of range", "both", data, len, any, 0);
	}
	return 0;
}
