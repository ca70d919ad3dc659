/*
** json.c — a result as JSON: the corpus gold format (meeting + tasks with
** source_text, title, unit, deadline) plus suggested_unit, rule, offsets and
** warnings.
*/
#include "ingest/ingest_int.h"

static json_t *str_or_null(const char *s) {
  return s ? json_string(s) : json_null();
}

static json_t *date_or_null(day_t d) {
  char b[11];
  return d == DATE_NONE ? json_null() : json_string(date_format(d, b));
}

static json_t *strv(char *const *v, size_t n) {
  json_t *a = json_array();
  if (!a) return NULL;
  for (size_t i = 0; i < n; i++)
    if (json_array_append_new(a, json_string(v[i]))) {
      json_decref(a);
      return NULL;
    }
  return a;
}

json_t *ingest_result_json(const struct ingest_result *r) {
  json_t *root = json_object(), *meet = json_object(), *tasks = json_array();
  if (!root || !meet || !tasks) goto fail;
  if (json_object_set_new(meet, "title", str_or_null(r->title)) ||
      json_object_set_new(meet, "date", date_or_null(r->meeting_date)) ||
      json_object_set_new(meet, "place", str_or_null(r->place)) ||
      json_object_set_new(meet, "host", str_or_null(r->host)) ||
      json_object_set_new(meet, "attendees", strv(r->attendees, r->n_attendees)) ||
      json_object_set_new(meet, "documents_approved",
                          strv(r->documents, r->n_documents)))
    goto fail;
  for (size_t i = 0; i < r->n_tasks; i++) {
    const struct ingest_task *t = &r->tasks[i];
    json_t *o = json_object();
    if (!o || json_array_append_new(tasks, o)) goto fail;
    if (json_object_set_new(o, "source_text", json_string(t->source_text)) ||
        json_object_set_new(o, "title", json_string(t->title)) ||
        json_object_set_new(o, "unit", str_or_null(t->unit)) ||
        json_object_set_new(o, "deadline", date_or_null(t->deadline)) ||
        json_object_set_new(o, "suggested_unit", str_or_null(t->suggested_unit)) ||
        json_object_set_new(o, "suggested_unit_id",
                            t->suggested_unit ? json_integer(t->suggested_unit_id)
                                              : json_null()) ||
        json_object_set_new(o, "rule", json_string(t->rule)) ||
        json_object_set_new(o, "start", json_integer((json_int_t)t->start)) ||
        json_object_set_new(o, "end", json_integer((json_int_t)t->end)))
      goto fail;
  }
  if (json_object_set_new(root, "meeting", meet)) { meet = NULL; goto fail; }
  meet = NULL;
  if (json_object_set_new(root, "tasks", tasks)) { tasks = NULL; goto fail; }
  tasks = NULL;
  if (json_object_set_new(root, "encoding", str_or_null(r->encoding)) ||
      json_object_set_new(root, "chars", json_integer((json_int_t)r->text_chars)) ||
      json_object_set_new(root, "warnings", strv(r->warnings, r->n_warnings)))
    goto fail;
  return root;
fail:
  json_decref(meet);
  json_decref(tasks);
  json_decref(root);
  return NULL;
}
