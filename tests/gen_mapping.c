/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Print the key <-> field table of doc/mapping.md from the families' doc rows, so the doc is
 * generated from the code. `gen_mapping --check FILE` fails when FILE's table is out of date. */
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "fileio.h"
#include "strbuf.h"
#include "translate.h"

#define BEGIN_MARK "<!-- BEGIN GENERATED TABLE (tests/gen_mapping) -->\n"
#define END_MARK "<!-- END GENERATED TABLE -->\n"

/* Table cells cannot hold '|' or newlines. */
static void cell(struct strbuf *sb, const char *s)
{
	strbuf_puts(sb, " ");
	for (; s && *s; s++) {
		if (*s == '|')
			strbuf_puts(sb, "\\|");
		else if (*s == '\n')
			strbuf_puts(sb, " ");
		else
			strbuf_putc(sb, *s);
	}
	strbuf_puts(sb, " |");
}

static void table(struct strbuf *sb)
{
	strbuf_puts(sb, BEGIN_MARK);
	strbuf_puts(sb, "| family | LXC key | OCI field | how, and what does not come back |\n");
	strbuf_puts(sb, "| --- | --- | --- | --- |\n");
	for (const struct ct_family *const *f = ct_all_families; *f; f++) {
		if (!(*f)->doc) {
			strbuf_printf(sb, "| %s | (not documented yet) | | |\n", (*f)->name);
			continue;
		}
		for (const struct ct_doc_row *r = (*f)->doc; r->lxc; r++) {
			strbuf_puts(sb, "|");
			cell(sb, (*f)->name);
			cell(sb, r->lxc);
			cell(sb, r->oci);
			cell(sb, r->note ? r->note : "exact, both ways");
			strbuf_puts(sb, "\n");
		}
	}
	strbuf_puts(sb, END_MARK);
}

int main(int argc, char **argv)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *doc = NULL;

	table(&sb);
	if (sb.oom)
		return 1;
	if (argc == 1) {
		fputs(sb.s, stdout);
		return 0;
	}
	if (argc != 3 || strcmp(argv[1], "--check") != 0) {
		fprintf(stderr, "usage: gen_mapping [--check doc/mapping.md]\n");
		return 2;
	}
	if (ct_read_file(argv[2], CT_MAX_INPUT_SIZE, &doc, NULL, &err) < 0) {
		fprintf(stderr, "gen_mapping: %s\n", err->msg);
		return 1;
	}
	if (!strstr(doc, sb.s)) {
		printf("not ok 1 - %s holds the table the code generates\n", argv[2]);
		printf("# regenerate: tests/gen_mapping > table, paste it between the markers\n");
		printf("1..1\n");
		return 1;
	}
	printf("ok 1 - %s holds the table the code generates\n1..1\n", argv[2]);
	return 0;
}
