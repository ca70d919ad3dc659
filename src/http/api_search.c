/* api_search.c — GET /api/v1/search?q=&kind=&limit=&cursor= (app/search.h). */
#include <string.h>

#include "app/search.h"
#include "http/http_int.h"

int h_search(struct req *r, json_t **out, struct err *e) {
  static const char *const kAllowed[] = {"q", "kind", "limit", "cursor", NULL};
  json_t *q;
  int rc;
  if (req_query_only(r, kAllowed, e)) return -1;
  q = json_object();
  for (int i = 0; kAllowed[i]; i++) {
    const char *v = req_query(r, kAllowed[i]);
    json_t *s;
    if (!v) continue;
    if (!(s = json_string(v))) {
      json_decref(q);
      return err_set(e, ERR_BAD_REQUEST, kAllowed[i], "%s is not valid UTF-8", kAllowed[i]);
    }
    json_object_set_new(q, kAllowed[i], s);
  }
  rc = app_search(r->app, &r->actor, q, out, e);
  json_decref(q);
  return rc;
}
