// actions.js — the form of every task action (SPEC §5, API contract).
// Which actions show is decided by the server (task.allowed_actions);
// this only says how to ask for each one's fields.
const reasonReq = [{ k: 'reason', type: 'textarea', label: 'field.reason', req: true }]

export const ACTION_DEFS = {
  assign: { confirm: true, fields: [] },
  accept: { confirm: true, fields: [{ k: 'person', type: 'text', label: 'field.person' }] },
  return: { fields: reasonReq, danger: true },
  reassign: {
    fields: [
      { k: 'from_unit_id', type: 'returned', label: 'field.fromUnit', req: true },
      { k: 'unit_id', type: 'unit', label: 'field.unit_id', req: true },
      { k: 'reason', type: 'textarea', label: 'field.reason' },
    ],
  },
  insist: { fields: [{ k: 'unit_id', type: 'returned', label: 'field.fromUnit', req: true }, { k: 'reason', type: 'textarea', label: 'field.reason', req: true }] },
  progress: {
    fields: [
      { k: 'text', type: 'textarea', label: 'field.text', req: true },
      { k: 'progress', type: 'percent', label: 'field.progress', req: true },
      { k: 'evidence', type: 'tags', label: 'field.evidence' },
    ],
  },
  request_extension: { fields: [{ k: 'date', type: 'date', label: 'field.date', req: true, after: true }, { k: 'reason', type: 'textarea', label: 'field.reason', req: true }] },
  decide_extension: {
    fields: [
      { k: 'decision', type: 'radio', label: 'field.decision', req: true, default: 'approve', options: [['approve', 'field.approveExt'], ['refuse', 'field.refuseExt']] },
      { k: 'date', type: 'date', label: 'field.permittedDate' },
      { k: 'reason', type: 'textarea', label: 'field.reason' },
    ],
  },
  complete: { fields: [{ k: 'text', type: 'textarea', label: 'field.completeText', req: true }, { k: 'evidence', type: 'tags', label: 'field.evidence' }] },
  approve: { fields: [{ k: 'reason', type: 'textarea', label: 'field.comment' }] },
  reject: { fields: reasonReq, danger: true },
  evaluate: {
    fields: [{ k: 'evaluation', type: 'radio', label: 'field.evaluation', req: true, options: [['excellent', 'evaluation.excellent'], ['good', 'evaluation.good'], ['fair', 'evaluation.fair'], ['poor', 'evaluation.poor']] }],
  },
  reopen: { fields: reasonReq },
  suspend: { fields: reasonReq },
  resume: { confirm: true, fields: [] },
  cancel: { fields: reasonReq, danger: true },
  delete: { confirm: true, fields: [], danger: true },
  urge: { fields: [{ k: 'message', type: 'textarea', label: 'field.message', req: true }] },
  instruct: { fields: [{ k: 'text', type: 'textarea', label: 'field.instruction', req: true }] },
  accountability: {
    fields: [
      { k: 'kind', type: 'select', label: 'field.kind', req: true, options: [['提醒谈话', 'acc.reminder'], ['约谈', 'acc.talk'], ['通报批评', 'acc.criticism'], ['责令整改', 'acc.rectify'], ['其他', 'acc.other']] },
      { k: 'unit_id', type: 'assigned', label: 'task.unit', req: true },
      { k: 'person', type: 'text', label: 'field.person' },
      { k: 'reason', type: 'textarea', label: 'field.reason', req: true },
    ],
    danger: true,
  },
}

// Display order: the main step of the flow first.
export const ACTION_ORDER = [
  'accept', 'progress', 'complete', 'approve', 'reject', 'assign', 'decide_extension', 'evaluate', 'request_extension',
  'urge', 'instruct', 'return', 'reassign', 'insist', 'accountability', 'reopen', 'suspend', 'resume', 'cancel', 'delete',
]
export const PRIMARY = new Set(['accept', 'progress', 'complete', 'approve', 'assign', 'evaluate', 'decide_extension'])
export const DANGER = new Set(['reject', 'return', 'cancel', 'delete', 'accountability'])
