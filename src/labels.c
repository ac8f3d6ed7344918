/*
 * labels.c - label parsers and formatters for stage_rating and impact_score.
 *
 * Input is treated as untrusted bytes: every read is bounded by len, and
 * nothing is assumed about encoding.  Words are matched after ASCII case
 * folding with ' ', '_' and '-' interchangeable between words; symbols are
 * matched as exact UTF-8 byte sequences, each optionally followed by the
 * emoji variation selector U+FE0F.
 */
#include "labels.h"

#include <string.h>

static const char *const rating_labels[] = {
	NULL, "very weak", "weak", "satisfactory"
};

static const char *const impact_labels[] = {
	NULL, "very negative", "negative", "neutral", "positive", "very positive"
};

/* Symbols per legend, exactly as the brief's legends print them. */
static const char *const impact_symbols[2][6] = {
	{NULL, "\u2614\u2614", "\u2614", "\u2601\uFE0F", "\u2699\uFE0F", "\u2699\uFE0F\u2699\uFE0F"},
	{NULL, "\u2639\u2639", "\u2639", "\u2601", "\u2600", "\u2600\u2600"}
};

/* Longest canonical word ("very positive") plus slack for the length test. */
#define SC_MAX_WORD 16

static int
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Narrow [*s, *s + *len) to drop surrounding blanks. */
static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && is_blank((unsigned char) (*s)[0]))
	{
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_blank((unsigned char) (*s)[*len - 1]))
		(*len)--;
}

/*
 * Match a trimmed word against a label table.  Folds ASCII case and maps '_'
 * and '-' to ' ' into a bounded buffer; any other byte outside the labels'
 * alphabet simply fails the comparison.
 */
static int
match_word(const char *s, size_t len, const char *const *labels, int max)
{
	char		buf[SC_MAX_WORD + 1];
	size_t		i;
	int			level;

	if (len == 0 || len > SC_MAX_WORD)
		return 0;
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '\0')
			return 0;			/* the labels hold no NUL: never let one end the word */
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char) (c - 'A' + 'a');
		else if (c == '_' || c == '-')
			c = ' ';
		buf[i] = (char) c;
	}
	buf[len] = '\0';
	for (level = 1; level <= max; level++)
		if (strcmp(buf, labels[level]) == 0)
			return level;
	return 0;
}

/* Signed integer -2..+2 as an impact level: optional sign, one digit. */
static int
match_integer(const char *s, size_t len)
{
	int			sign = 1;

	if (len == 2 && (s[0] == '+' || s[0] == '-'))
	{
		sign = s[0] == '-' ? -1 : 1;
		s++;
		len--;
	}
	if (len != 1 || s[0] < '0' || s[0] > '2')
		return 0;
	return sign * (s[0] - '0') + SC_IMPACT_OFFSET;
}

/* The five symbol code points, all three bytes in UTF-8. */
enum symbol
{
	SYM_NONE = 0, SYM_UMBRELLA, SYM_CLOUD, SYM_GEAR, SYM_FROWN, SYM_SUN
};

/*
 * Read one symbol at *s, with its optional variation selector, advancing
 * *s and *len past it; SYM_NONE (nothing consumed) if the bytes are anything
 * else.
 */
static enum symbol
next_symbol(const unsigned char **s, size_t *len)
{
	const unsigned char *p = *s;
	enum symbol sym;

	if (*len < 3 || p[0] != 0xE2)
		return SYM_NONE;
	if (p[1] == 0x98 && p[2] == 0x94)
		sym = SYM_UMBRELLA;
	else if (p[1] == 0x98 && p[2] == 0x81)
		sym = SYM_CLOUD;
	else if (p[1] == 0x9A && p[2] == 0x99)
		sym = SYM_GEAR;
	else if (p[1] == 0x98 && p[2] == 0xB9)
		sym = SYM_FROWN;
	else if (p[1] == 0x98 && p[2] == 0x80)
		sym = SYM_SUN;
	else
		return SYM_NONE;
	p += 3;
	*len -= 3;
	/* U+FE0F VARIATION SELECTOR-16 is EF B8 8F */
	if (*len >= 3 && p[0] == 0xEF && p[1] == 0xB8 && p[2] == 0x8F)
	{
		p += 3;
		*len -= 3;
	}
	*s = p;
	return sym;
}

/* One or two symbols of one legend: ☔☔ ☔ ☁ ⚙ ⚙⚙ or ☹☹ ☹ ☁ ☀ ☀☀. */
static int
match_symbols(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *) s;
	enum symbol first;
	enum symbol second;

	first = next_symbol(&p, &len);
	if (first == SYM_NONE)
		return 0;
	if (len == 0)
	{
		switch (first)
		{
			case SYM_UMBRELLA:
			case SYM_FROWN:
				return 2;
			case SYM_CLOUD:
				return 3;
			case SYM_GEAR:
			case SYM_SUN:
				return 4;
			default:
				return 0;
		}
	}
	second = next_symbol(&p, &len);
	if (second != first || len != 0)
		return 0;
	switch (first)
	{
		case SYM_UMBRELLA:
		case SYM_FROWN:
			return 1;
		case SYM_GEAR:
		case SYM_SUN:
			return 5;
		default:
			return 0;			/* a doubled cloud means nothing */
	}
}

int
sc_rating_parse(const char *s, size_t len)
{
	if (s == NULL)
		return 0;
	trim(&s, &len);
	return match_word(s, len, rating_labels, SC_RATING_MAX);
}

int
sc_impact_parse(const char *s, size_t len)
{
	int			level;

	if (s == NULL)
		return 0;
	trim(&s, &len);
	if (len == 0)
		return 0;
	level = match_word(s, len, impact_labels, SC_IMPACT_MAX);
	if (level == 0)
		level = match_integer(s, len);
	if (level == 0)
		level = match_symbols(s, len);
	return level;
}

const char *
sc_rating_label(int level)
{
	if (level < SC_RATING_MIN || level > SC_RATING_MAX)
		return NULL;
	return rating_labels[level];
}

const char *
sc_impact_label(int level)
{
	if (level < SC_IMPACT_MIN || level > SC_IMPACT_MAX)
		return NULL;
	return impact_labels[level];
}

const char *
sc_impact_symbol(int level, sc_legend legend)
{
	if (level < SC_IMPACT_MIN || level > SC_IMPACT_MAX)
		return NULL;
	if (legend != SC_LEGEND_GEAR && legend != SC_LEGEND_SUN)
		return NULL;
	return impact_symbols[legend][level];
}
