# SPDX-License-Identifier: LGPL-2.1-or-later
# Benchmarks are built on demand (`make bench`), not installed, not run by make check.
EXTRA_PROGRAMS = bench/throughput bench/stopfloor
bench_throughput_SOURCES = bench/throughput.c
bench_throughput_CFLAGS = $(AM_CFLAGS) -O2 $(JANSSON_CFLAGS)
bench_throughput_LDADD = $(CT_TRANSLATE_LIBS)
bench_stopfloor_SOURCES = bench/stopfloor.c
CLEANFILES += bench/throughput bench/stopfloor
EXTRA_DIST += bench/run bench/translate.sh bench/lib.sh bench/launcher.sh bench/prep.sh \
	bench/report.py

bench: all bench/throughput bench/stopfloor
	@TOP_SRCDIR='$(abs_top_srcdir)' TOP_BUILDDIR='$(abs_top_builddir)' $(SHELL) $(top_srcdir)/bench/run
.PHONY: bench
