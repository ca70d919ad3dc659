/*
** copy.h — moving an institution's data to another database ("moving up"
** from SQLite to PostgreSQL): duban copy --from FILE.db --to URL.
*/
#ifndef DUBAN_COPY_H
#define DUBAN_COPY_H

#include <jansson.h>

#include "util/err.h"

/* Copies every table of `from` (migrated to this binary's schema first) into
** `to`, which must be empty: `to` is migrated, then the rows are copied in
** id order in one transaction on the target, ids and the journal preserved;
** PostgreSQL sequences are moved past the copied ids; the search index is
** rebuilt on the target. Afterwards the row counts are compared per table
** and the journal chain is verified on the target.
** *out = {"tables":[{"table","source","target"}], "journal":{"ok","entries",
** "first_broken"}, "ok": bool}. Returns 0 when the copy was committed (check
** "ok"), -1 with e when nothing was written to the target. */
int app_copy(const char *from, const char *to, json_t **out, struct err *e);

#endif
