/*
** search.h — full-text search over the ledger: task titles and
** requirements, progress reports (and, later, requests).
**
** Substring search for Chinese (and any) text of 2 or more characters; see
** store/search_index.h for the indexes. The same data gives the same
** results on SQLite and PostgreSQL.
*/
#ifndef DUBAN_SEARCH_H
#define DUBAN_SEARCH_H

#include "app/app.h"

/* Writes the search document of (kind, id) inside the caller's write
** transaction (opens one when there is none). kind: "task" (title and
** requirement) or "progress" (a progress report). text: the searchable
** text, or NULL to read it from the row (the usual call). */
int app_search_index(struct app *, const char *kind, int64_t id, const char *text, struct err *);

/* GET /api/v1/search: query {q*, kind, limit (1..100, default 25), cursor}.
** q: 2..100 characters after trimming spaces; shorter is ERR_INVALID naming
** "q". Visibility as for task lists: a unit user sees documents of tasks its
** unit takes part in; supervisors, leaders and admins see all.
** *out = {"items":[{kind, id, task_id, code, title, snippet}], "next_cursor": "..."|null},
** newest document first. */
int app_search(struct app *, const struct actor *, json_t *query, json_t **out, struct err *);

#endif
