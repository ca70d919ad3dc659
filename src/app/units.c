/* units.c — units (责任单位) and users: SPEC §4 unit/user, admin-only writes. */
#include "app/app_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/password.h"
#include "store/task_units.h"

static const char *const kUnitKinds[] = {"职能部门", "学院", "直属单位", "外部", NULL};

#define UNIT_COLS "id, name, short_name, kind, parent_id, aliases, keywords, active, version"

static const struct col_spec kUnitCols[] = {
    COL("id", C_INT),
    COL("name", C_STR),
    COL("short_name", C_STR),
    COL("kind", C_STR),
    COL("parent_id", C_INT),
    COL("aliases", C_JSON),
    COL("keywords", C_JSON),
    COL("active", C_BOOL),
    COL("version", C_INT),
    COL_END};
static json_t *unit_render(struct db_stmt *st) { return render_row(st, kUnitCols); }

json_t *app_unit_row(struct app *app, int64_t id, struct err *e) {
  struct db_stmt *st = db_prepare(app->db, "SELECT " UNIT_COLS " FROM unit WHERE id = ?", e);
  json_t *o = NULL;
  int rc;
  if (!st) return NULL;
  db_bind_int(st, 1, id);
  rc = db_step(st, e);
  if (rc == DB_ROW) o = unit_render(st);
  db_done(st);
  if (rc == DB_DONE) err_set(e, ERR_NOT_FOUND, "unit_id", "no unit with id %lld", (long long)id);
  return o;
}

static int unit_exists(struct app *app, int64_t id, struct err *e, const char *field) {
  json_t *u = app_unit_row(app, id, e);
  if (!u) {
    if (e->code == ERR_NOT_FOUND) e->code = ERR_INVALID, snprintf(e->field, sizeof e->field, "%s", field);
    return -1;
  }
  json_decref(u);
  return 0;
}

struct unit_in {
  const char *name, *short_name, *kind;
  int64_t parent_id;
  int has_parent;
  char *aliases, *keywords;
  int active;
  int has_active;
};

static int unit_read(struct app *app, json_t *in, int creating, struct unit_in *u, struct err *e) {
  int rc;
  memset(u, 0, sizeof *u);
  u->active = 1;
  if (json_in_allow(in, creating ? "name,short_name,kind,parent_id,aliases,keywords,active"
                                 : "name,short_name,kind,parent_id,aliases,keywords,active,version",
                    e))
    return -1;
  if (json_in_str(in, "name", creating, 60, 0, &u->name, e) < 0) return -1;
  if (json_in_str(in, "short_name", 0, 20, 0, &u->short_name, e) < 0) return -1;
  if (json_in_str(in, "kind", 0, 20, 0, &u->kind, e) < 0) return -1;
  if (u->kind) {
    int ok = 0;
    for (int i = 0; kUnitKinds[i]; i++) ok |= !strcmp(u->kind, kUnitKinds[i]);
    if (!ok) return err_set(e, ERR_INVALID, "kind", "kind must be one of 职能部门, 学院, 直属单位, 外部");
  }
  rc = json_in_int(in, "parent_id", 0, 1, INT64_MAX, &u->parent_id, e);
  if (rc < 0) return -1;
  u->has_parent = rc == 0;
  if (u->has_parent && unit_exists(app, u->parent_id, e, "parent_id")) return -1;
  if (json_in_str_list(in, "aliases", 40, &u->aliases, e) < 0) return -1;
  if (json_in_str_list(in, "keywords", 40, &u->keywords, e) < 0) goto fail;
  rc = json_in_bool(in, "active", 0, &u->active, e);
  if (rc < 0) goto fail;
  u->has_active = rc == 0;
  return 0;
fail:
  free(u->aliases);
  free(u->keywords);
  return -1;
}

int app_unit_add(struct app *app, const struct actor *who, json_t *in, json_t **out, struct err *e) {
  struct unit_in u;
  struct db_stmt *st;
  int64_t id = 0;
  int rc;
  *out = NULL;
  if (!IS_ADMIN(who)) return err_set(e, ERR_FORBIDDEN, "", "only an admin may add units");
  if (unit_read(app, in, 1, &u, e)) return -1;
  if (app_tx_begin(app, e)) goto done;
  st = db_prepare(app->db,
                  "INSERT INTO unit (name, short_name, kind, parent_id, aliases, keywords, active,"
                  " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  e);
  if (!st) goto fail;
  db_bind_text(st, 1, u.name);
  db_bind_text(st, 2, u.short_name ? u.short_name : "");
  db_bind_text(st, 3, u.kind ? u.kind : kUnitKinds[0]);
  db_bind_int_or_null(st, 4, u.parent_id, !u.has_parent);
  db_bind_text(st, 5, u.aliases ? u.aliases : "[]");
  db_bind_text(st, 6, u.keywords ? u.keywords : "[]");
  db_bind_int(st, 7, u.active);
  db_bind_int(st, 8, now_unix());
  rc = db_step_int(st, &id, e);
  db_done(st);
  if (rc != DB_ROW) {
    if (e->code == ERR_CONFLICT)
      err_set(e, ERR_CONFLICT, "name", "a unit named %s already exists", u.name);
    goto fail;
  }
  *out = app_unit_row(app, id, e);
  if (!*out) goto fail;
  if (journal_append(app->db, who->user_id, "unit", id, "create", NULL, *out, e) < 0) goto fail;
  if (app_tx_commit(app, e)) goto fail_nort;
  rc = 0;
  goto done_rc;
fail:
  app_tx_rollback(app);
fail_nort:
  json_decref(*out);
  *out = NULL;
done:
  rc = -1;
done_rc:
  free(u.aliases);
  free(u.keywords);
  return rc;
}

int app_unit_update(struct app *app, const struct actor *who, int64_t id, json_t *in,
                    json_t **out, struct err *e) {
  struct unit_in u;
  struct db_stmt *st;
  json_t *before = NULL;
  int64_t version;
  int rc = -1;
  *out = NULL;
  if (!IS_ADMIN(who)) return err_set(e, ERR_FORBIDDEN, "", "only an admin may change units");
  if (unit_read(app, in, 0, &u, e)) return -1;
  if (json_in_int(in, "version", 1, 1, INT64_MAX, &version, e)) goto done;
  if (u.has_parent && u.parent_id == id) {
    err_set(e, ERR_INVALID, "parent_id", "a unit cannot be its own parent");
    goto done;
  }
  if (app_tx_begin(app, e)) goto done;
  before = app_unit_row(app, id, e);
  if (!before) goto fail;
  st = db_prepare(app->db,
                  "UPDATE unit SET name = COALESCE(?, name), short_name = COALESCE(?, short_name),"
                  " kind = COALESCE(?, kind), parent_id = CASE WHEN ? = 1 THEN ? ELSE parent_id END,"
                  " aliases = COALESCE(?, aliases), keywords = COALESCE(?, keywords),"
                  " active = COALESCE(?, active), version = version + 1"
                  " WHERE id = ? AND version = ?",
                  e);
  if (!st) goto fail;
  db_bind_text(st, 1, u.name);
  db_bind_text(st, 2, u.short_name);
  db_bind_text(st, 3, u.kind);
  db_bind_int(st, 4, u.has_parent);
  db_bind_int_or_null(st, 5, u.parent_id, !u.has_parent);
  db_bind_text(st, 6, u.aliases);
  db_bind_text(st, 7, u.keywords);
  db_bind_int_or_null(st, 8, u.active, !u.has_active);
  db_bind_int(st, 9, id);
  db_bind_int(st, 10, version);
  rc = db_step(st, e);
  db_done(st);
  if (rc < 0) {
    if (e->code == ERR_CONFLICT) err_set(e, ERR_CONFLICT, "name", "a unit with that name already exists");
    goto fail;
  }
  if (db_changes(app->db) != 1) {
    err_set(e, ERR_CONFLICT, "version",
            "the unit was changed by someone else (your version %lld, current %lld)",
            (long long)version, (long long)json_integer_value(json_object_get(before, "version")));
    goto fail;
  }
  /* Ledger rows carry the names of their cooperating units. */
  if (u.name && task_units_unit_renamed(app->db, id, e)) goto fail;
  *out = app_unit_row(app, id, e);
  if (!*out) goto fail;
  if (journal_append(app->db, who->user_id, "unit", id, "update", before, *out, e) < 0) goto fail;
  if (app_tx_commit(app, e)) goto fail_nort;
  rc = 0;
  goto done;
fail:
  app_tx_rollback(app);
fail_nort:
  json_decref(*out);
  *out = NULL;
  rc = -1;
done:
  json_decref(before);
  free(u.aliases);
  free(u.keywords);
  return rc;
}

int app_unit_get(struct app *app, const struct actor *who, int64_t id, json_t **out, struct err *e) {
  (void)who; /* units are visible to every signed-in user */
  *out = app_unit_row(app, id, e);
  return *out ? 0 : -1;
}

int app_unit_list(struct app *app, const struct actor *who, json_t **out, struct err *e) {
  (void)who;
  struct db_stmt *st = db_prepare(app->db, "SELECT " UNIT_COLS " FROM unit ORDER BY id", e);
  json_t *items = json_array();
  int rc;
  if (!st) {
    json_decref(items);
    return -1;
  }
  while ((rc = db_step(st, e)) == DB_ROW) json_array_append_new(items, unit_render(st));
  db_done(st);
  if (rc < 0) {
    json_decref(items);
    return -1;
  }
  *out = json_pack("{s:o}", "items", items);
  return 0;
}

int app_unit_resolve(struct app *app, const char *ref, int64_t *id, struct err *e,
                     const char *field) {
  struct db_stmt *st;
  char *end;
  int64_t n = strtoll(ref, &end, 10);
  int rc;
  if (*ref && !*end) {
    if (unit_exists(app, n, e, field)) return -1;
    *id = n;
    return 0;
  }
  st = db_prepare(app->db, "SELECT id FROM unit WHERE name = ? OR short_name = ? ORDER BY id", e);
  if (!st) return -1;
  db_bind_text(st, 1, ref);
  db_bind_text(st, 2, ref);
  rc = db_step_int(st, id, e);
  db_done(st);
  if (rc < 0) return -1;
  if (rc == DB_DONE) return err_set(e, ERR_INVALID, field, "%s: no unit named %s", field, ref);
  return 0;
}

/* ---- users ---- */

#define USER_COLS \
  "u.id, u.login, u.display_name, u.unit_id, n.name, u.roles, u.active, u.version"

static const struct col_spec kUserCols[] = {
    COL("id", C_INT),
    COL("login", C_STR),
    COL("display_name", C_STR),
    COL("unit_id", C_INT),
    COL("unit_name", C_STR_OR_NULL),
    COL("roles", C_STR),
    COL("active", C_BOOL),
    COL("version", C_INT),
    COL_END};
static json_t *user_render(struct db_stmt *st) { return render_row(st, kUserCols); }

json_t *app_user_row(struct app *app, int64_t id, struct err *e) {
  struct db_stmt *st = db_prepare(app->db,
                                  "SELECT " USER_COLS " FROM app_user u LEFT JOIN unit n ON n.id = u.unit_id"
                                  " WHERE u.id = ?",
                                  e);
  json_t *o = NULL;
  int rc;
  if (!st) return NULL;
  db_bind_int(st, 1, id);
  rc = db_step(st, e);
  if (rc == DB_ROW) o = user_render(st);
  db_done(st);
  if (rc == DB_DONE) err_set(e, ERR_NOT_FOUND, "user_id", "no user with id %lld", (long long)id);
  return o;
}

static int login_valid(const char *s, struct err *e) {
  size_t n = strlen(s);
  if (n < 2 || n > 40) return err_set(e, ERR_INVALID, "login", "login must be 2 to 40 characters");
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '.' || c == '_' || c == '-'))
      return err_set(e, ERR_INVALID, "login",
                     "login may use letters, digits, '.', '_' and '-' only");
  }
  return 0;
}

static int password_ok(const char *pw, struct err *e) {
  if (pw && strlen(pw) >= PASSWORD_MIN_CHARS) return 0;
  return err_set(e, ERR_INVALID, "password", "password must be at least %d characters",
                 PASSWORD_MIN_CHARS);
}

int app_user_add(struct app *app, const struct actor *who, json_t *in, json_t **out, struct err *e) {
  const char *login, *name, *roles_s, *pw;
  int64_t unit_id = 0, id = 0;
  unsigned roles;
  char hash[PASSWORD_HASH_MAX];
  struct db_stmt *st;
  int rc;
  *out = NULL;
  if (!IS_ADMIN(who)) return err_set(e, ERR_FORBIDDEN, "", "only an admin may add users");
  if (json_in_allow(in, "login,display_name,unit_id,roles,password", e)) return -1;
  if (json_in_str(in, "login", 1, 40, 0, &login, e) || login_valid(login, e)) return -1;
  if (json_in_str(in, "display_name", 1, 40, 0, &name, e)) return -1;
  if (json_in_str(in, "roles", 1, 100, 0, &roles_s, e) ||
      role_set_parse(roles_s, &roles, e, "roles"))
    return -1;
  rc = json_in_int(in, "unit_id", 0, 1, INT64_MAX, &unit_id, e);
  if (rc < 0 || (rc == 0 && unit_exists(app, unit_id, e, "unit_id"))) return -1;
  if ((roles & ROLE_UNIT) && !unit_id)
    return err_set(e, ERR_INVALID, "unit_id", "a user with the unit role needs a unit_id");
  if (json_in_str(in, "password", 1, 200, 0, &pw, e) || password_ok(pw, e)) return -1;
  if (password_hash(pw, hash)) return err_set(e, ERR_INTERNAL, "password", "could not hash the password");
  if (app_tx_begin(app, e)) return -1;
  st = db_prepare(app->db,
                  "INSERT INTO app_user (login, display_name, unit_id, roles, password_hash, created_at)"
                  " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                  e);
  if (!st) goto fail;
  {
    char rs[100];
    role_set_format(roles, rs, sizeof rs);
    db_bind_text(st, 1, login);
    db_bind_text(st, 2, name);
    db_bind_int_or_null(st, 3, unit_id, unit_id == 0);
    db_bind_text(st, 4, rs);
    db_bind_text(st, 5, hash);
    db_bind_int(st, 6, now_unix());
  }
  rc = db_step_int(st, &id, e);
  db_done(st);
  if (rc != DB_ROW) {
    if (e->code == ERR_CONFLICT) err_set(e, ERR_CONFLICT, "login", "login %s is taken", login);
    goto fail;
  }
  *out = app_user_row(app, id, e);
  if (!*out) goto fail;
  if (journal_append(app->db, who->user_id, "user", id, "create", NULL, *out, e) < 0) goto fail;
  if (app_tx_commit(app, e)) goto fail_nort;
  return 0;
fail:
  app_tx_rollback(app);
fail_nort:
  json_decref(*out);
  *out = NULL;
  return -1;
}

int app_user_update(struct app *app, const struct actor *who, int64_t id, json_t *in,
                    json_t **out, struct err *e) {
  const char *name = NULL, *roles_s = NULL;
  int64_t unit_id = 0, version;
  unsigned roles = 0;
  int active = 1, has_unit, has_active, rc;
  json_t *before = NULL;
  struct db_stmt *st;
  char rs[100] = "";
  *out = NULL;
  if (!IS_ADMIN(who)) return err_set(e, ERR_FORBIDDEN, "", "only an admin may change users");
  if (json_in_allow(in, "display_name,unit_id,roles,active,version", e)) return -1;
  if (json_in_str(in, "display_name", 0, 40, 0, &name, e) < 0) return -1;
  rc = json_in_str(in, "roles", 0, 100, 0, &roles_s, e);
  if (rc < 0 || (rc == 0 && role_set_parse(roles_s, &roles, e, "roles"))) return -1;
  if (roles) role_set_format(roles, rs, sizeof rs);
  has_unit = json_in_int(in, "unit_id", 0, 1, INT64_MAX, &unit_id, e);
  if (has_unit < 0 || (has_unit == 0 && unit_exists(app, unit_id, e, "unit_id"))) return -1;
  has_active = json_in_bool(in, "active", 0, &active, e);
  if (has_active < 0) return -1;
  if (json_in_int(in, "version", 1, 1, INT64_MAX, &version, e)) return -1;
  if (app_tx_begin(app, e)) return -1;
  before = app_user_row(app, id, e);
  if (!before) goto fail;
  st = db_prepare(app->db,
                  "UPDATE app_user SET display_name = COALESCE(?, display_name),"
                  " roles = COALESCE(?, roles), unit_id = COALESCE(?, unit_id),"
                  " active = COALESCE(?, active), version = version + 1"
                  " WHERE id = ? AND version = ?",
                  e);
  if (!st) goto fail;
  db_bind_text(st, 1, name);
  db_bind_text(st, 2, roles ? rs : NULL);
  db_bind_int_or_null(st, 3, unit_id, has_unit != 0);
  db_bind_int_or_null(st, 4, active, has_active != 0);
  db_bind_int(st, 5, id);
  db_bind_int(st, 6, version);
  rc = db_step(st, e);
  db_done(st);
  if (rc < 0) goto fail;
  if (db_changes(app->db) != 1) {
    err_set(e, ERR_CONFLICT, "version", "the user was changed by someone else");
    goto fail;
  }
  *out = app_user_row(app, id, e);
  if (!*out) goto fail;
  if (journal_append(app->db, who->user_id, "user", id, "update", before, *out, e) < 0) goto fail;
  if (app_tx_commit(app, e)) goto fail_nort;
  json_decref(before);
  return 0;
fail:
  app_tx_rollback(app);
fail_nort:
  json_decref(before);
  json_decref(*out);
  *out = NULL;
  return -1;
}

int app_user_passwd(struct app *app, const struct actor *who, int64_t id, const char *pw,
                    struct err *e) {
  char hash[PASSWORD_HASH_MAX];
  struct db_stmt *st;
  json_t *row;
  int rc;
  if (!IS_ADMIN(who) && who->user_id != id)
    return err_set(e, ERR_FORBIDDEN, "", "you may change only your own password");
  if (password_ok(pw, e)) return -1;
  if (password_hash(pw, hash)) return err_set(e, ERR_INTERNAL, "password", "could not hash the password");
  if (app_tx_begin(app, e)) return -1;
  row = app_user_row(app, id, e);
  if (!row) goto fail;
  json_decref(row);
  st = db_prepare(app->db, "UPDATE app_user SET password_hash = ?, version = version + 1 WHERE id = ?", e);
  if (!st) goto fail;
  db_bind_text(st, 1, hash);
  db_bind_int(st, 2, id);
  rc = db_step(st, e);
  db_done(st);
  if (rc < 0) goto fail;
  /* The hash itself never enters the journal. */
  if (journal_append(app->db, who->user_id, "user", id, "password", NULL, NULL, e) < 0) goto fail;
  return app_tx_commit(app, e);
fail:
  app_tx_rollback(app);
  return -1;
}

int app_user_get(struct app *app, const struct actor *who, int64_t id, json_t **out, struct err *e) {
  if (!IS_SUP(who) && who->user_id != id)
    return err_set(e, ERR_NOT_FOUND, "user_id", "no user with id %lld", (long long)id);
  *out = app_user_row(app, id, e);
  return *out ? 0 : -1;
}

int app_user_list(struct app *app, const struct actor *who, json_t **out, struct err *e) {
  struct db_stmt *st;
  json_t *items;
  int rc;
  if (!IS_SUP(who)) return err_set(e, ERR_FORBIDDEN, "", "only supervisors and admins may list users");
  st = db_prepare(app->db,
                  "SELECT " USER_COLS " FROM app_user u LEFT JOIN unit n ON n.id = u.unit_id ORDER BY u.id",
                  e);
  if (!st) return -1;
  items = json_array();
  while ((rc = db_step(st, e)) == DB_ROW) json_array_append_new(items, user_render(st));
  db_done(st);
  if (rc < 0) {
    json_decref(items);
    return -1;
  }
  *out = json_pack("{s:o}", "items", items);
  return 0;
}

int app_login(struct app *app, const char *login, const char *password, struct actor *who,
              struct err *e) {
  struct db_stmt *st;
  char hash[PASSWORD_HASH_MAX] = "";
  int64_t id = 0;
  int active = 0, rc;
  if (!login || !password)
    return err_set(e, ERR_UNAUTHENTICATED, "login", "login and password are required");
  st = db_prepare(app->db, "SELECT id, password_hash, active FROM app_user WHERE login = ?", e);
  if (!st) return -1;
  db_bind_text(st, 1, login);
  rc = db_step(st, e);
  if (rc == DB_ROW) {
    id = db_col_int(st, 0);
    snprintf(hash, sizeof hash, "%s", db_col_text(st, 1));
    active = (int)db_col_int(st, 2);
  }
  db_done(st);
  if (rc < 0) return -1;
  /* Spend the same hashing time for an unknown login, so that timing does
  ** not reveal which logins exist. */
  if (rc != DB_ROW) {
    char scratch[PASSWORD_HASH_MAX];
    (void)password_hash(password, scratch);
  }
  if (rc != DB_ROW || !password_verify(hash, password) || !active)
    return err_set(e, ERR_UNAUTHENTICATED, "password", "wrong login or password");
  return app_actor_by_id(app, id, who, e);
}
