# SPDX-License-Identifier: LGPL-2.1-or-later
TESTS += tests/corpus/roundtrip.py
EXTRA_DIST += tests/corpus/roundtrip.py tests/lib/ctlib.py tests/corpus tests/fuzz
