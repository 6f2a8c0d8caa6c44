// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * fmt.c - the tiny formatter behind finding messages.
 *
 * The core has no stdio, so messages are built here.  Conversions: %s %c
 * %d %u %x %zu %llu %llx %lld and %%.  Output is always NUL-terminated
 * and silently truncated: a message is information, never a reason to fail.
 */
#include "luoc_int.h"

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char ch)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = ch;
	o->len++;
}

static void put_str(struct out *o, const char *s)
{
	if (!s)
		s = "(null)";
	while (*s)
		put(o, *s++);
}

static void put_u64(struct out *o, uint64_t v, unsigned int base)
{
	char tmp[24];
	int n = 0;

	do {
		unsigned int d = (unsigned int)(v % base);

		tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	while (n)
		put(o, tmp[--n]);
}

static void put_s64(struct out *o, int64_t v)
{
	if (v < 0) {
		put(o, '-');
		put_u64(o, (uint64_t)0 - (uint64_t)v, 10);
	} else {
		put_u64(o, (uint64_t)v, 10);
	}
}

/* One conversion after '%'; returns the characters of fmt it used. */
static size_t convert(struct out *o, const char *f, va_list *ap)
{
	if (f[0] == 'l' && f[1] == 'l') {
		if (f[2] == 'u')
			put_u64(o, va_arg(*ap, unsigned long long), 10);
		else if (f[2] == 'x')
			put_u64(o, va_arg(*ap, unsigned long long), 16);
		else if (f[2] == 'd')
			put_s64(o, va_arg(*ap, long long));
		else
			return 0;
		return 3;
	}
	if (f[0] == 'z' && f[1] == 'u') {
		put_u64(o, va_arg(*ap, size_t), 10);
		return 2;
	}
	switch (f[0]) {
	case 's':
		put_str(o, va_arg(*ap, const char *));
		return 1;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		return 1;
	case 'd':
		put_s64(o, va_arg(*ap, int));
		return 1;
	case 'u':
		put_u64(o, va_arg(*ap, unsigned int), 10);
		return 1;
	case 'x':
		put_u64(o, va_arg(*ap, unsigned int), 16);
		return 1;
	case '%':
		put(o, '%');
		return 1;
	}
	return 0;
}

size_t luoc_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		size_t used;

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		used = convert(&o, fmt + 1, &aq);
		if (!used) {		/* unknown: print it literally */
			put(&o, *fmt++);
			continue;
		}
		fmt += 1 + used;
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

size_t luoc_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = luoc_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
