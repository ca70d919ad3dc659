/*
** api_ingest.c — the ingest review step over HTTP: preview a meeting report
** as a draft ledger, then commit the reviewed draft (app/ingest_app.c).
*/
#include "http/http_int.h"

int h_ingest_preview(struct req *r, json_t **out, struct err *e) {
  json_t *in = NULL;
  int rc = -1;
  if (req_json(r, 0, &in, e)) goto done;
  rc = app_ingest_preview(r->app, &r->actor, in, out, e);
done:
  json_decref(in);
  return rc;
}

int h_ingest_commit(struct req *r, json_t **out, struct err *e) {
  json_t *in = NULL;
  int rc = -1;
  if (req_json(r, 0, &in, e)) goto done;
  rc = app_ingest_commit(r->app, &r->actor, in, out, e);
  if (rc == 0) r->status = 201;
done:
  json_decref(in);
  return rc;
}
