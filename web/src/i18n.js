// i18n.js — the message catalogue (zh-CN first, English) and t().
// A tiny reactive implementation: one ref for the locale, dotted keys,
// {name} placeholders. Both catalogues carry the same keys (checked by
// tests/browser/i18n.test.mjs).
import { ref } from 'vue'

const zh = {
  app: { name: '督办', full: '督查督办管理系统', slogan: '明确任务 · 压实责任 · 有始有终 · 善作善成', lang: 'English', logout: '退出登录', menu: '菜单' },
  nav: { my: '我的待办', ledger: '督办台账', ingest: '会议导入', dashboard: '督查驾驶舱', accountability: '问责与考核', admin: '系统管理' },
  common: {
    search: '查询', reset: '重置', refresh: '刷新', cancel: '取消', confirm: '确定', save: '保存', close: '关闭', edit: '编辑', add: '新增', remove: '删除',
    loading: '加载中…', empty: '暂无数据', none: '无', yes: '是', no: '否', total: '共 {n} 条', prev: '上一页', next: '下一页',
    pageSize: '每页', back: '返回', all: '全部', days: '天', unknown: '未知', required: '{field}不能为空', saved: '已保存', done: '操作成功',
    netError: '无法连接服务器，请检查网络后重试（已填写的内容已保留）', conflict: '该事项已被他人修改，请刷新后重试（已填写的内容已保留）',
    serverError: '服务器错误：{msg}（已填写的内容已保留）', forbidden: '无权执行此操作', notFound: '未找到', optional: '选填', from: '起', to: '止',
    exportXlsx: '导出台账', unavailable: '服务器暂未提供此功能', retry: '重试', detail: '详情', percent: '{n}%', sampleSize: '样本数',
  },
  login: {
    title: '用户登录', login: '登录名', password: '密码', submit: '登录', loginPh: '请输入登录名', passwordPh: '请输入密码',
    bad: '登录名或密码错误', locked: '登录失败次数过多，账号已暂时锁定，请 {n} 分钟后再试', lockedNoTime: '登录失败次数过多，请稍后再试',
    hint: '使用学校统一分配的督办系统账号登录',
  },
  status: { draft: '草拟', assigned: '已交办', in_progress: '办理中', review: '待审核', done: '已办结', suspended: '暂缓', cancelled: '撤销' },
  light: { none: '无', green: '绿灯', yellow: '黄灯', red: '红灯' },
  lightShort: { none: '—', green: '正常', yellow: '预警', red: '逾期' },
  asg: { assigned: '待签收', accepted: '已签收', returned: '已退回', reported_done: '已报办结', lead: '牵头', coop: '配合' },
  evaluation: { excellent: '优', good: '良', fair: '中', poor: '差' },
  task: {
    seq: '序号', code: '督办号', source: '任务来源', title: '工作任务', requirement: '任务要求', leader: '牵头领导', lead: '牵头单位', coop: '配合单位',
    origDeadline: '原完成时限', deadline: '现完成时限', progress: '进展情况', status: '完成状态', light: '预警', category: '类别',
    reportFreq: '报送频次', evaluation: '评价', extensions: '延期次数', bounces: '退回次数', lastReport: '最近反馈', doneAt: '办结时间',
    doneLate: '逾期办结', onTime: '按时办结', createdAt: '立项时间', updatedAt: '更新时间', planned: '序时进度', actual: '实际进度',
    sourceText: '原文', person: '责任人', unit: '单位', role: '角色', state: '状态', acceptedAt: '签收时间', returnedReason: '退回理由',
    parent: '上级事项', children: '子事项', milestones: '节点', assignments: '责任单位', timeline: '办理过程', extRequests: '延期申请',
    msDate: '节点日期', msPercent: '计划进度', msTitle: '节点内容', reqDate: '申请日期', reqReason: '申请理由', permitted: '批准日期',
    actions: '可执行操作', noActions: '当前没有需要您执行的操作', notFound: '事项不存在，或您无权查看', dueIn: '剩 {n} 天', overdueBy: '逾期 {n} 天', dueToday: '今日到期',
    version: '版本', basic: '基本信息', trailing: '落后序时进度 {n} 个百分点', freqNone: '不定期', freqWeekly: '每周（周{n}前）', freqMonthly: '每月 {n} 日前',
  },
  tl: { event: '事件', report: '进展反馈', urging: '催办', review: '审核', instruction: '批示', accountability: '问责', extension: '延期' },
  action: {
    assign: '交办', accept: '签收', return: '退回', reassign: '改派', insist: '坚持交办', progress: '报送进展', request_extension: '申请延期',
    decide_extension: '审批延期', complete: '申请办结', approve: '审核通过（销号）', reject: '退回重办', evaluate: '评价', reopen: '重新打开',
    suspend: '暂缓', resume: '恢复', cancel: '撤销', delete: '删除', urge: '催办', instruct: '批示', edit: '编辑', accountability: '问责', create: '立项',
  },
  field: {
    text: '进展情况', progress: '完成进度', evidence: '佐证材料', evidencePh: '输入材料名称后回车，可添加多个', date: '申请延期至', reason: '理由',
    decision: '审批结果', approveExt: '同意', refuseExt: '不同意', permittedDate: '批准延期至', evaluation: '评价等级', message: '催办内容',
    instruction: '批示内容', unit_id: '改派单位', fromUnit: '退回单位', kind: '问责方式', person: '责任人', completeText: '办结情况', comment: '审核意见',
    confirmAction: '确定要{action}该事项吗？',
  },
  acc: { reminder: '提醒谈话', talk: '约谈', criticism: '通报批评', rectify: '责令整改', other: '其他', '提醒谈话': '提醒谈话', '约谈': '约谈', '通报批评': '通报批评', '责令整改': '责令整改', '其他': '其他' },
  my: {
    title: '我的待办', subtitle: '需要您现在处理的事项，最紧急的在前', toAccept: '待签收', toReport: '待报送', toReview: '待审核', other: '其他',
    nothing: '暂无待办事项', reason: '待办原因', go: '办理', all: '全部待办',
  },
  ledger: {
    title: '督办台账', q: '关键词', qPh: '督办号、任务、原文', deadlineRange: '完成时限', anySource: '全部来源', anyUnit: '全部单位', anyStatus: '全部状态',
    anyLight: '全部预警', newTask: '新建事项', exportHint: '按当前筛选条件导出',
  },
  ingest: {
    title: '会议导入', step1: '粘贴或上传会议材料', step2: '核对任务草稿', step3: '确认生成台账', paste: '粘贴会议报告全文', pastePh: '在此粘贴会议纪要、会议报告全文……',
    upload: '上传 .txt / .docx', parse: '识别任务', reparse: '重新识别', sourceInfo: '任务来源', srcTitle: '来源名称', srcDate: '会议日期', srcPlace: '地点', srcHost: '主持人',
    documents: '审议通过文件', warnings: '提示', draft: '任务草稿', include: '纳入', namedUnit: '原文责任主体', suggested: '建议单位', rule: '识别规则', commit: '确认生成 {n} 项任务',
    committed: '已生成 {n} 项督办事项（草拟状态）', assignAll: '全部交办', assigned: '已交办 {n} 项', viewLedger: '查看台账', empty: '请先粘贴文本或上传文件', noTasks: '未识别出任务',
    rowTitle: '第 {n} 行任务名称', rowUnit: '第 {n} 行牵头单位', rowDeadline: '第 {n} 行完成时限', original: '原文（高亮处为识别出的任务）', fileBad: '无法读取文件：仅支持 .txt 与 .docx',
    addRow: '手工添加任务', noRoute: '服务器暂未提供会议导入接口（POST /api/v1/ingest）', selectUnit: '选择牵头单位', titleTooLong: '第 {n} 行任务名称超过 60 字', chars: '{n} 字',
  },
  dash: {
    title: '督查驾驶舱', total: '事项总数', done: '已办结', doing: '办理中', overdue: '逾期（红灯）', warn: '预警（黄灯）', rate: '办结率',
    byUnit: '各单位办结率', byStatus: '事项状态分布', lightsByUnit: '各单位预警情况', trend: '逾期趋势', upcoming: '未来 10 个工作日到期事项',
    trendDerived: '服务器未提供趋势数据，此曲线由当前事项的完成时限与办结时间推算（未计入延期历史，最多取 {n} 项）', trendServer: '数据来自服务器统计',
    rateAxis: '办结率（%）', count: '数量', until: '截至 {d}',
  },
  scores: {
    title: '问责与考核', records: '问责记录', scores: '单位考核得分', period: '考核期间', formula: '计分公式', weights: '权重', minTasks: '参与排名的最少事项数：{n}',
    rank: '名次', unit: '单位', score: '得分', onTime: '按时办结率', evalAvg: '评价均分', timeliness: '反馈及时率', tasks: '事项数（样本）',
    notRanked: '样本不足，不排名', escalations: '催办次数', accountabilities: '问责次数', reports: '报送及时率', noRecords: '暂无问责记录', recDate: '日期', recKind: '方式', recReason: '事由', recBy: '决定人', recTask: '事项',
    recUnavailable: '服务器暂未提供问责记录列表；问责记录见各事项的办理过程',
  },
  admin: {
    title: '系统管理', units: '单位', users: '用户与角色', calendar: '工作日历', settings: '系统设置', name: '名称', short: '简称', kind: '类型',
    parent: '上级单位', aliases: '别名', keywords: '关键词', active: '启用', login: '登录名', displayName: '姓名', roles: '角色', year: '年份',
    date: '日期', dayKind: '类型', holiday: '休息日', workday: '调休上班', note: '说明', key: '设置项', value: '值', aliasPh: '回车添加',
    role: { admin: '系统管理员', supervisor: '督查人员', leader: '校领导', unit: '责任单位', member: '师生' },
    unitKind: { office: '职能部门', college: '学院', direct: '直属单位', external: '外部' },
    noCalendar: '该年份无日历数据', password: '初始密码',
    addUnit: '新增单位', addUser: '新增用户', editUnit: '编辑单位', editUser: '编辑用户', noParent: '无上级单位', chooseUnit: '选择所属单位', noUnit: '无所属单位',
    newPassword: '新密码', setPassword: '重置密码', passwordSet: '密码已重置', passwordHint: '至少 8 位', loginHint: '2–40 位字母、数字、“.”“_”“-”，创建后不可修改',
    rolesBad: '请至少选择一个角色', passwordBad: '密码至少 8 位', loginBad: '登录名须为 2–40 位字母、数字、“.”“_”“-”', unitForRole: '具有“责任单位”角色的用户须选择所属单位', keywordsHint: '会议导入时按关键词匹配牵头单位', created: '已创建',
    kindZh: { 职能部门: '职能部门', 学院: '学院', 直属单位: '直属单位', 外部: '外部' },
  },
  tf: {
    createTitle: '新建督办事项', editTitle: '编辑督办事项', subTitle: '新增子事项', parent: '上级事项', noSource: '无（不关联来源）', leaderPh: '如：副校长 李华',
    chooseUnit: '选择牵头单位', chooseUnits: '可选择多个配合单位', leadAuto: '本单位（{unit}），由服务器确定', deadline: '完成时限', deadlineMode: '完成时限的给法',
    byDate: '日期', byWorkdays: 'N个工作日', datePh: '选择日期', workdays: '工作日数', workdaysHint: '个工作日内（自今天起按工作日历计算，创建后固定）',
    workdaysBad: '工作日数须为 1–1000 的整数', weekly: '每周', monthly: '每月', weekday: '每周报送日', dayOfMonth: '每月报送日', byWeekday: '{d}前', byDay: '{n} 日前',
    wd1: '周一', wd2: '周二', wd3: '周三', wd4: '周四', wd5: '周五', wd6: '周六', wd7: '周日', addMs: '添加节点', msN: '第 {n} 个节点', partDate: '的日期', partPercent: '的计划进度', partTitle: '的内容', remark: '备注',
    msAfter: '第 {n} 个节点的日期不能晚于完成时限', msPercentBad: '第 {n} 个节点的计划进度须为 0–100 的整数', coopHasLead: '配合单位不能包含牵头单位',
    create: '创建', created: '已创建事项 {code}（草拟），交办后责任单位可见', noChange: '没有修改', ctrlEnter: 'Ctrl+Enter 提交',
    stateHint: '事项已交办：完成时限只能通过延期申请变更，责任单位只能通过退回与改派变更', addSub: '新增子事项', noChildren: '暂无子事项',
  },
  srv: {
    required: '{field}不能为空', pastDate: '{field}不能早于今天', msOrder: '{field}：节点日期须逐个推后，计划进度不得回落', msAfterDeadline: '{field}：节点日期不能晚于完成时限',
    unitTwice: '{field}：同一单位不能重复出现在牵头与配合单位中', noUnit: '{field}：所选单位不存在', deadlineOne: '{field}：请给出日期或工作日数之一',
    loginTaken: '登录名已被占用', loginChars: '登录名须为 2–40 位字母、数字、“.”“_”“-”', passwordShort: '密码至少 {n} 位', unitNeeded: '具有“责任单位”角色的用户须选择所属单位',
    unitExists: '已有同名单位', ownParent: '上级单位不能是本单位', tooLong: '{field}过长', generic: '{field}：{msg}',
    stateDeadline: '事项已交办，完成时限只能通过延期申请变更', stateUnits: '事项已交办，责任单位只能通过退回与改派变更', stateParent: '上级事项已办结或撤销，不能再拆分',
  },
  notFound: { title: '页面不存在', text: '您访问的页面不存在，或您无权查看。', home: '返回我的待办' },
  valid: {
    login: '请输入登录名', password: '请输入密码', text: '请填写{field}', progress: '完成进度须为 0–100 的整数', date: '请选择{field}',
    dateAfter: '{field}须晚于当前完成时限 {d}', reason: '请填写{field}', evaluation: '请选择评价等级', unit: '请选择{field}',
  },
}

const en = {
  app: { name: 'Duban', full: 'Task Supervision', slogan: 'Clear tasks · firm responsibility · seen through to the end', lang: '中文', logout: 'Sign out', menu: 'Menu' },
  nav: { my: 'My work', ledger: 'Ledger', ingest: 'Meeting ingest', dashboard: 'Dashboard', accountability: 'Accountability', admin: 'Administration' },
  common: {
    search: 'Search', reset: 'Reset', refresh: 'Refresh', cancel: 'Cancel', confirm: 'OK', save: 'Save', close: 'Close', edit: 'Edit', add: 'Add', remove: 'Remove',
    loading: 'Loading…', empty: 'No data', none: 'None', yes: 'Yes', no: 'No', total: '{n} in total', prev: 'Previous', next: 'Next',
    pageSize: 'Per page', back: 'Back', all: 'All', days: 'days', unknown: 'Unknown', required: '{field} is required', saved: 'Saved', done: 'Done',
    netError: 'Cannot reach the server; check the network and retry (your input is kept)', conflict: 'This task was changed by someone else; refresh and retry (your input is kept)',
    serverError: 'Server error: {msg} (your input is kept)', forbidden: 'You may not do this', notFound: 'Not found', optional: 'optional', from: 'From', to: 'To',
    exportXlsx: 'Export ledger', unavailable: 'The server does not offer this yet', retry: 'Retry', detail: 'Details', percent: '{n}%', sampleSize: 'Sample size',
  },
  login: {
    title: 'Sign in', login: 'Login', password: 'Password', submit: 'Sign in', loginPh: 'Your login', passwordPh: 'Your password',
    bad: 'Wrong login or password', locked: 'Too many failed attempts; the account is locked. Try again in {n} minutes', lockedNoTime: 'Too many failed attempts; try again later',
    hint: 'Use the supervision account issued by the university',
  },
  status: { draft: 'Draft', assigned: 'Assigned', in_progress: 'In progress', review: 'In review', done: 'Done', suspended: 'Suspended', cancelled: 'Cancelled' },
  light: { none: 'None', green: 'Green', yellow: 'Yellow', red: 'Red' },
  lightShort: { none: '—', green: 'On track', yellow: 'Warning', red: 'Overdue' },
  asg: { assigned: 'To accept', accepted: 'Accepted', returned: 'Returned', reported_done: 'Reported done', lead: 'Lead', coop: 'Cooperating' },
  evaluation: { excellent: 'Excellent', good: 'Good', fair: 'Fair', poor: 'Poor' },
  task: {
    seq: 'No.', code: 'Code', source: 'Source', title: 'Task', requirement: 'Requirement', leader: 'Lead leader', lead: 'Lead unit', coop: 'Cooperating units',
    origDeadline: 'Original deadline', deadline: 'Current deadline', progress: 'Progress', status: 'Status', light: 'Light', category: 'Category',
    reportFreq: 'Reporting', evaluation: 'Evaluation', extensions: 'Extensions', bounces: 'Returns', lastReport: 'Last report', doneAt: 'Done at',
    doneLate: 'Done late', onTime: 'Done on time', createdAt: 'Created', updatedAt: 'Updated', planned: 'Planned progress', actual: 'Actual progress',
    sourceText: 'Source passage', person: 'Person', unit: 'Unit', role: 'Role', state: 'State', acceptedAt: 'Accepted at', returnedReason: 'Return grounds',
    parent: 'Parent task', children: 'Subtasks', milestones: 'Milestones', assignments: 'Units', timeline: 'Timeline', extRequests: 'Extension requests',
    msDate: 'Date', msPercent: 'Planned %', msTitle: 'Milestone', reqDate: 'Requested date', reqReason: 'Reason', permitted: 'Permitted date',
    actions: 'Actions', noActions: 'Nothing for you to do on this task now', notFound: 'The task does not exist, or you may not see it', dueIn: '{n} days left', overdueBy: '{n} days overdue', dueToday: 'Due today',
    version: 'Version', basic: 'Details', trailing: '{n} points behind plan', freqNone: 'Not scheduled', freqWeekly: 'Weekly (by day {n})', freqMonthly: 'Monthly by the {n}th',
  },
  tl: { event: 'Event', report: 'Progress report', urging: 'Urging', review: 'Review', instruction: 'Instruction', accountability: 'Accountability', extension: 'Extension' },
  action: {
    assign: 'Assign', accept: 'Accept', return: 'Return', reassign: 'Reassign', insist: 'Insist', progress: 'Report progress', request_extension: 'Request extension',
    decide_extension: 'Decide extension', complete: 'Request completion', approve: 'Approve (close)', reject: 'Return for rework', evaluate: 'Evaluate', reopen: 'Reopen',
    suspend: 'Suspend', resume: 'Resume', cancel: 'Cancel task', delete: 'Delete', urge: 'Urge', instruct: 'Instruct', edit: 'Edit', accountability: 'Accountability', create: 'Create',
  },
  field: {
    text: 'Progress', progress: 'Percent done', evidence: 'Evidence', evidencePh: 'Type a document name and press Enter', date: 'Extend to', reason: 'Reason',
    decision: 'Decision', approveExt: 'Approve', refuseExt: 'Refuse', permittedDate: 'Permitted date', evaluation: 'Grade', message: 'Message',
    instruction: 'Instruction', unit_id: 'New unit', fromUnit: 'Returning unit', kind: 'Kind', person: 'Person', completeText: 'Completion summary', comment: 'Comment',
    confirmAction: 'Really {action} this task?',
  },
  acc: { reminder: 'Reminder talk', talk: 'Formal talk', criticism: 'Public criticism', rectify: 'Order to rectify', other: 'Other', '提醒谈话': 'Reminder talk', '约谈': 'Formal talk', '通报批评': 'Public criticism', '责令整改': 'Order to rectify', '其他': 'Other' },
  my: {
    title: 'My work', subtitle: 'What needs your action now, most urgent first', toAccept: 'To accept', toReport: 'To report', toReview: 'To review', other: 'Other',
    nothing: 'Nothing to do', reason: 'Why', go: 'Open', all: 'All',
  },
  ledger: {
    title: 'Task ledger', q: 'Keyword', qPh: 'Code, task, passage', deadlineRange: 'Deadline', anySource: 'Any source', anyUnit: 'Any unit', anyStatus: 'Any status',
    anyLight: 'Any light', newTask: 'New task', exportHint: 'Export with the current filters',
  },
  ingest: {
    title: 'Meeting ingest', step1: 'Paste or upload the report', step2: 'Review the draft', step3: 'Confirm the ledger', paste: 'Paste the meeting report', pastePh: 'Paste the full text of the minutes or report here…',
    upload: 'Upload .txt / .docx', parse: 'Extract tasks', reparse: 'Extract again', sourceInfo: 'Source', srcTitle: 'Title', srcDate: 'Date', srcPlace: 'Place', srcHost: 'Host',
    documents: 'Approved documents', warnings: 'Warnings', draft: 'Draft tasks', include: 'Keep', namedUnit: 'Actor in text', suggested: 'Suggested unit', rule: 'Rule', commit: 'Create {n} tasks',
    committed: '{n} tasks created (draft)', assignAll: 'Assign all', assigned: '{n} tasks assigned', viewLedger: 'Open ledger', empty: 'Paste text or upload a file first', noTasks: 'No tasks found',
    rowTitle: 'Title of row {n}', rowUnit: 'Lead unit of row {n}', rowDeadline: 'Deadline of row {n}', original: 'Text (highlighted: extracted tasks)', fileBad: 'Cannot read the file: only .txt and .docx',
    addRow: 'Add a task by hand', noRoute: 'The server does not offer ingest yet (POST /api/v1/ingest)', selectUnit: 'Choose the lead unit', titleTooLong: 'Title of row {n} is longer than 60 characters', chars: '{n} chars',
  },
  dash: {
    title: 'Dashboard', total: 'Tasks', done: 'Done', doing: 'In progress', overdue: 'Overdue (red)', warn: 'Warning (yellow)', rate: 'Completion',
    byUnit: 'Completion rate by unit', byStatus: 'Tasks by status', lightsByUnit: 'Lights by unit', trend: 'Overdue trend', upcoming: 'Due in the next 10 working days',
    trendDerived: 'The server has no trend data; this curve is derived from current deadlines and completion dates (extension history not counted, at most {n} tasks)', trendServer: 'From server statistics',
    rateAxis: 'Completion (%)', count: 'Count', until: 'until {d}',
  },
  scores: {
    title: 'Accountability & scores', records: 'Accountability records', scores: 'Unit scores', period: 'Period', formula: 'Formula', weights: 'Weights', minTasks: 'Minimum tasks to be ranked: {n}',
    rank: 'Rank', unit: 'Unit', score: 'Score', onTime: 'On-time rate', evalAvg: 'Evaluation avg.', timeliness: 'Report timeliness', tasks: 'Tasks (sample)',
    notRanked: 'Too few tasks, not ranked', escalations: 'Urgings', accountabilities: 'Accountability records', reports: 'Report timeliness', noRecords: 'No accountability records', recDate: 'Date', recKind: 'Kind', recReason: 'Reason', recBy: 'Decided by', recTask: 'Task',
    recUnavailable: 'The server does not list accountability records yet; see each task\'s timeline',
  },
  admin: {
    title: 'Administration', units: 'Units', users: 'Users & roles', calendar: 'Calendar', settings: 'Settings', name: 'Name', short: 'Short name', kind: 'Kind',
    parent: 'Parent', aliases: 'Aliases', keywords: 'Keywords', active: 'Active', login: 'Login', displayName: 'Name', roles: 'Roles', year: 'Year',
    date: 'Date', dayKind: 'Kind', holiday: 'Day off', workday: 'Make-up workday', note: 'Note', key: 'Setting', value: 'Value', aliasPh: 'Press Enter to add',
    role: { admin: 'Administrator', supervisor: 'Supervisor', leader: 'Leader', unit: 'Unit', member: 'Member' },
    unitKind: { office: 'Office', college: 'College', direct: 'Directly affiliated', external: 'External' },
    noCalendar: 'No calendar data for this year', password: 'Initial password',
    addUnit: 'Add unit', addUser: 'Add user', editUnit: 'Edit unit', editUser: 'Edit user', noParent: 'No parent unit', chooseUnit: 'Choose the unit', noUnit: 'No unit',
    newPassword: 'New password', setPassword: 'Set password', passwordSet: 'Password set', passwordHint: 'at least 8 characters', loginHint: '2–40 letters, digits, ".", "_", "-"; cannot change later',
    rolesBad: 'Choose at least one role', passwordBad: 'The password needs at least 8 characters', loginBad: 'Login: 2–40 letters, digits, ".", "_", "-"', unitForRole: 'A user with the unit role needs a unit', keywordsHint: 'Meeting ingest matches lead units by these keywords', created: 'Created',
    kindZh: { 职能部门: 'Office', 学院: 'College', 直属单位: 'Directly affiliated', 外部: 'External' },
  },
  tf: {
    createTitle: 'New task', editTitle: 'Edit task', subTitle: 'New subtask', parent: 'Parent task', noSource: 'None (no source)', leaderPh: 'e.g. Vice-president Li Hua',
    chooseUnit: 'Choose the lead unit', chooseUnits: 'Choose any cooperating units', leadAuto: 'Your unit ({unit}), set by the server', deadline: 'Deadline', deadlineMode: 'How the deadline is given',
    byDate: 'Date', byWorkdays: 'N working days', datePh: 'Choose a date', workdays: 'Working days', workdaysHint: 'working days from today (by the calendar, fixed on creation)',
    workdaysBad: 'Working days must be a whole number 1–1000', weekly: 'Weekly', monthly: 'Monthly', weekday: 'Weekday', dayOfMonth: 'Day of month', byWeekday: 'by {d}', byDay: 'by the {n}th',
    wd1: 'Mon', wd2: 'Tue', wd3: 'Wed', wd4: 'Thu', wd5: 'Fri', wd6: 'Sat', wd7: 'Sun', addMs: 'Add milestone', msN: 'Milestone {n}', partDate: ' date', partPercent: ' planned %', partTitle: ' text', remark: 'Remark',
    msAfter: 'Milestone {n} is after the deadline', msPercentBad: 'Planned % of milestone {n} must be a whole number 0–100', coopHasLead: 'The lead unit cannot also cooperate',
    create: 'Create', created: 'Task {code} created (draft); units see it once assigned', noChange: 'Nothing changed', ctrlEnter: 'Ctrl+Enter sends',
    stateHint: 'Assigned: the deadline changes only through an extension, the units only through return and reassignment', addSub: 'New subtask', noChildren: 'No subtasks',
  },
  srv: {
    required: '{field} is required', pastDate: '{field} cannot be before today', msOrder: '{field}: dates must rise and planned % must not fall', msAfterDeadline: '{field}: after the deadline',
    unitTwice: '{field}: a unit appears twice', noUnit: '{field}: no such unit', deadlineOne: '{field}: give a date or a number of working days',
    loginTaken: 'This login is taken', loginChars: 'Login: 2–40 letters, digits, ".", "_", "-"', passwordShort: 'The password needs at least {n} characters', unitNeeded: 'A user with the unit role needs a unit',
    unitExists: 'A unit with this name exists', ownParent: 'A unit cannot be its own parent', tooLong: '{field} is too long', generic: '{field}: {msg}',
    stateDeadline: 'Assigned: the deadline changes only through an extension', stateUnits: 'Assigned: the units change only through return and reassignment', stateParent: 'The parent task is closed',
  },
  notFound: { title: 'Page not found', text: 'The page does not exist, or you may not see it.', home: 'Back to my work' },
  valid: {
    login: 'Enter your login', password: 'Enter your password', text: 'Fill in {field}', progress: 'Percent done must be a whole number 0–100', date: 'Choose {field}',
    dateAfter: '{field} must be after the current deadline {d}', reason: 'Fill in {field}', evaluation: 'Choose a grade', unit: 'Choose {field}',
  },
}

export const messages = { 'zh-CN': zh, en }

function initial() {
  try {
    const s = localStorage.getItem('duban.locale')
    if (s && messages[s]) return s
  } catch { /* ignore */ }
  return 'zh-CN'
}

export const locale = ref(initial())

export function setLocale(l) {
  locale.value = messages[l] ? l : 'zh-CN'
  try { localStorage.setItem('duban.locale', locale.value) } catch { /* ignore */ }
  document.documentElement.lang = locale.value
}

function lookup(cat, key) {
  let v = cat
  for (const part of key.split('.')) {
    if (v == null) return undefined
    v = v[part]
  }
  return v
}

export function t(key, params) {
  let s = lookup(messages[locale.value], key)
  if (s === undefined) s = lookup(zh, key)
  if (typeof s !== 'string') return key
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] !== undefined ? String(params[k]) : m))
  return s
}

// Has a key at all (used for optional labels such as unknown actions).
export function te(key) {
  return typeof lookup(messages[locale.value], key) === 'string'
}
