/*
** task_units.h — the units a task row carries for its ledger row.
**
** A task's units live in `assignment` (one row per unit: the lead and the
** cooperating units). A ledger page shows, per task, the lead unit and the
** cooperating units; reading them from `assignment` costs two index seeks
** into the largest index per row. So the task row also carries them:
**   task.lead_unit_id  the lead assignment's unit (NULL: none);
**   task.coop_units    the cooperating units, in assignment order, as the
**                      JSON the list sends: [{"id":3,"name":"教务处"},...].
** They are derived data: kept in the same transaction as every change of a
** task's assignments (task_units_sync) and of a unit's name
** (task_units_unit_renamed), and rebuilt by migration 6. Nothing reads them
** for a decision: rules and permissions read `assignment`.
*/
#ifndef DUBAN_TASK_UNITS_H
#define DUBAN_TASK_UNITS_H

#include <stdint.h>

#include "store/db.h"
#include "util/err.h"

/* Rewrites the two columns of one task from its assignments. In the
** caller's transaction. 0 or -1 with e. */
int task_units_sync(struct db *db, int64_t task_id, struct err *e);

/* After unit_id's name changed: every task it cooperates on. */
int task_units_unit_renamed(struct db *db, int64_t unit_id, struct err *e);

/* Every task (migration 6; copies). In the caller's transaction. */
int task_units_backfill(struct db *db, struct err *e);

#endif
