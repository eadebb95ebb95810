# SPDX-License-Identifier: LGPL-2.1-or-later
TESTS += tests/corpus/bad_input.py
TESTS += tests/corpus/roundtrip.py
EXTRA_DIST += tests/corpus/bad_input.py tests/corpus/roundtrip.py tests/lib/ctlib.py tests/corpus tests/fuzz \
	tests/integration/translate
TESTS += tests/integration/translate/runtimes.py
