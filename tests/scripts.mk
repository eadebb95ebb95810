# SPDX-License-Identifier: LGPL-2.1-or-later
TESTS += tests/corpus/bad_input.py
TESTS += tests/corpus/roundtrip.py
EXTRA_DIST += tests/corpus/bad_input.py tests/corpus/roundtrip.py tests/lib/ctlib.py tests/corpus tests/fuzz \
	tests/integration/translate
TESTS += tests/integration/translate/runtimes.py

# doc/mapping.md is checked against the table the families' doc rows generate.
check_PROGRAMS += tests/gen_mapping
tests_gen_mapping_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
tests_gen_mapping_LDADD = $(CT_TRANSLATE_LIBS)
TESTS += tests/check-mapping-doc
EXTRA_DIST += tests/check-mapping-doc doc/mapping.md
TESTS += tests/readme_examples.py
EXTRA_DIST += tests/readme_examples.py

# Rewrite the generated table of doc/mapping.md from the code.
update-mapping-doc: tests/gen_mapping
	$(AM_V_GEN)tests/gen_mapping >mapping-table.tmp && \
	$(PYTHON3) -c 'import sys; d = open(sys.argv[1]).read(); t = open(sys.argv[2]).read(); \
		b = d.index("<!-- BEGIN GENERATED"); e = d.index("<!-- END GENERATED TABLE -->\n") + 29; \
		open(sys.argv[1], "w").write(d[:b] + t + d[e:])' $(srcdir)/doc/mapping.md mapping-table.tmp && \
	rm -f mapping-table.tmp
.PHONY: update-mapping-doc
