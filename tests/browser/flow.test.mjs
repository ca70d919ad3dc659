// flow.test.mjs — the supervision flow through the browser, end to end:
// ingest → correct → confirm → assign; a unit accepts, reports, asks
// completion; the supervisor returns it once, then approves; the
// dashboard moves; another unit cannot see the task; a phone can report.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, demoUsers, pick, Api, shot } from './lib.mjs'

const STAMP = String(Date.now()).slice(-6)
const NOW = new Date()
const Y = NOW.getFullYear()
const REPORT = `中共示范大学委员会全体会议纪要

${Y}年${NOW.getMonth() + 1}月${NOW.getDate()}日上午，校党委在行政楼第一会议室召开全体会议，党委书记王明主持会议。会议审议通过了《学校工作要点》。

会议指出，上半年学校各项工作取得了显著成绩。

会议要求，下半年要重点抓好以下工作：一是要在年底前完成博士学位授权点申报材料的修改完善；二是要在年底前出台人事制度改革实施方案；三是各学院要加强网络安全管理，${Y + 1}年3月底前完成网站安全自查。
`

let users, sup, unitA, unitB
let supB, uA // browser sessions
let taskId, taskCode, task2Id
let dashBefore

async function kpi(page, key) {
  const el = page.locator(`[data-test="kpi-${key}"] .v`)
  await el.waitFor()
  return (await el.textContent()).trim()
}
async function readDashboard(page) {
  await page.goto('/dashboard')
  // the counts are rendered (not only received): a fixed pause read zeros on a loaded machine
  await page.locator('[data-test="dashboard"][data-loaded="true"]').waitFor()
  return { total: Number(await kpi(page, 'total')), done: Number(await kpi(page, 'done')) }
}
async function chooseOption(page, trigger, text) {
  const cur = await page.locator(`${trigger} .el-select__selected-item:not(.is-hidden)`).first().textContent().catch(() => '')
  if (cur && cur.trim() === text) return
  await page.locator(trigger).click()
  await page.waitForTimeout(300) // let other dropdowns finish closing
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
  await page.waitForTimeout(300)
}
async function act(page, action, fill = async () => {}) {
  await page.locator(`[data-action="${action}"]`).click()
  const form = page.locator('[data-test="action-form"]')
  await form.waitFor()
  await page.waitForTimeout(350) // the dialog's opening animation
  await fill(form)
  const resp = page.waitForResponse((r) => r.request().method() !== 'GET' && r.url().includes('/api/v1/tasks/')).catch(() => null)
  await form.locator('[data-test="action-submit"]').click()
  const r = await resp
  if (!r) {
    const why = await form.locator('.field-error, [data-test="action-error"]').allTextContents().catch(() => [])
    throw new Error(`${action}: no request sent; form says: ${why.join(' | ')}`)
  }
  assert.ok(r.ok(), `${action} → HTTP ${r.status()} ${await r.text()}`)
  await form.waitFor({ state: 'detached' })
}
// The task page shows status `want`: waits for it (after an action the page
// re-renders from the answer; reading at once raced it), and on timeout
// fails naming the status shown.
async function expectStatus(page, want) {
  const shown = page.locator(`.meta [data-status="${want}"]`).first()
  try {
    await shown.waitFor({ timeout: 10000 })
  } catch {
    const got = await page.locator('.meta [data-status]').first().getAttribute('data-status').catch(() => null)
    assert.equal(got, want, 'task status shown')
  }
}

before(async () => {
  users = await demoUsers()
  sup = pick(users, 'supervisor') || pick(users, 'admin')
  unitA = pick(users, 'unit', (u) => u.user.unit_id)
  unitB = pick(users, 'unit', (u) => u.user.unit_id && u.user.unit_id !== unitA.user.unit_id)
  assert.ok(sup && unitA && unitB, 'demo has a supervisor and two unit users of different units')
  supB = await launch()
  uA = await launch()
})
after(async () => {
  await supB?.close()
  await uA?.close()
})

test('login shows clear errors and the lock-out time', async () => {
  const b = await launch()
  try {
    const { page } = b
    await page.goto('/login')
    await page.click('button[type=submit]')
    assert.match(await page.locator('.field-error').first().textContent(), /请输入登录名/)
    await page.fill('#login', sup.login)
    await page.fill('#password', 'wrong-password')
    await page.click('button[type=submit]')
    await page.locator('[data-test="login-error"]').waitFor()
    assert.match(await page.locator('[data-test="login-error"]').textContent(), /登录名或密码错误/)
    assert.equal(await page.inputValue('#login'), sup.login, 'typed login kept')
    // The lock-out answer (429 + Retry-After) is shown in minutes.
    await page.route('**/api/v1/session', (route) => route.request().method() === 'POST'
      ? route.fulfill({ status: 429, headers: { 'Retry-After': '600', 'Content-Type': 'application/json' }, body: JSON.stringify({ error: { code: 'rate_limited', message: 'too many attempts' } }) })
      : route.continue())
    await page.click('button[type=submit]')
    await page.waitForFunction(() => /10 分钟/.test(document.querySelector('[data-test="login-error"]')?.textContent || ''))
    await page.unroute('**/api/v1/session')
  } finally {
    await b.close()
  }
})

test('supervisor ingests a meeting report, corrects a task and confirms, then assigns', async (t) => {
  const { page, errors } = supB
  const api = new Api()
  await api.login(sup.login, sup.password)
  await login(page, sup.login, sup.password)
  dashBefore = await readDashboard(page)
  let ingestServed = true
  try { await api.post('/api/v1/ingest', { text: '会议要求：一是要加强网络安全管理。' }) } catch (e) { if (e.status === 404) ingestServed = false }
  if (!ingestServed) {
    // Without the ingest route, the drafts are made through the API and
    // assigned through the task page, so the rest of the flow still runs.
    const due = new Date(Date.now() + 40 * 86400000).toISOString().slice(0, 10)
    const ids = []
    for (const title of [`完成博士点申报材料修改完善${STAMP}`, `出台人事制度改革实施方案${STAMP}`]) {
      const x = await api.post('/api/v1/tasks', { title, requirement: '形成正式文件', source_id: 1, lead_unit_id: unitA.user.unit_id, deadline: due })
      ids.push(x.id)
    }
    for (const id of ids) {
      await page.goto(`/tasks/${id}`)
      await expectStatus(page, 'draft')
      await act(page, 'assign')
      await expectStatus(page, 'assigned')
    }
    ;[taskId, task2Id] = ids
    taskCode = (await api.get(`/api/v1/tasks/${taskId}`)).code
    t.skip('POST /api/v1/ingest is not served: drafts created through the API, assigned through the UI')
    return
  }
  await page.goto('/ingest')
  await page.fill('[data-test="ingest-text"] textarea', REPORT)
  await page.click('[data-test="ingest-parse"]')
  const rows = page.locator('[data-test="draft-table"] .el-table__body tr')
  await rows.first().waitFor()
  const n = await rows.count()
  assert.ok(n >= 2, `at least two draft tasks, got ${n}`)
  assert.ok(await page.locator('[data-test="ingest-original"] mark').count() >= 1, 'passages highlighted')
  await shot(page, 'ingest-review')
  // Correct the first task: title and lead unit; the second goes to the same unit.
  const title = `完成博士点申报材料修改完善${STAMP}`
  await page.fill('[data-test="draft-title-0"] input', title)
  await chooseOption(page, '[data-test="draft-unit-0"]', unitA.user.unit_name)
  await chooseOption(page, '[data-test="draft-unit-1"]', unitA.user.unit_name)
  for (let i = 2; i < n; i++) {
    const v = await page.locator(`[data-test="draft-unit-${i}"] .el-select__selected-item:not(.is-hidden)`).first().textContent().catch(() => '')
    if (!v || /选择/.test(v)) await chooseOption(page, `[data-test="draft-unit-${i}"]`, unitB.user.unit_name)
  }
  await page.click('[data-test="ingest-commit"]')
  await page.locator('[data-test="ingest-done"]').waitFor()
  await page.click('[data-test="assign-all"]')
  await page.locator('[data-test="ingest-done"]').getByText(/已交办 \d+ 项/).waitFor()
  const found = await api.get('/api/v1/tasks?q=' + encodeURIComponent(STAMP))
  assert.equal(found.items.length, 1, 'the corrected title is in the ledger')
  taskId = found.items[0].id
  taskCode = found.items[0].code
  assert.equal(found.items[0].status, 'assigned')
  assert.equal(found.items[0].lead_unit_id, unitA.user.unit_id)
  const list = await api.get(`/api/v1/tasks?source_id=${found.items[0].source_id}&sort=code`)
  task2Id = list.items.find((x) => x.id !== taskId && x.lead_unit_id === unitA.user.unit_id)?.id
  assert.ok(task2Id, 'a second task for the same unit')
  assert.deepEqual(errors, [])
})

test('the unit accepts, reports progress with evidence, and asks completion', async () => {
  const { page, errors } = uA
  await login(page, unitA.login, unitA.password)
  await page.goto('/my')
  await page.locator(`[data-test="task-link-${taskId}"]`).first().click()
  await page.waitForURL(`**/tasks/${taskId}`)
  await expectStatus(page, 'assigned')
  // Only the actions this user may take now.
  const shown = await page.locator('[data-action]').evaluateAll((els) => els.map((e) => e.dataset.action))
  assert.ok(shown.includes('accept') && !shown.includes('approve') && !shown.includes('assign'), `unit actions: ${shown}`)
  await act(page, 'accept')
  await expectStatus(page, 'in_progress')
  await act(page, 'progress', async (f) => {
    // Validation names the field, in Chinese.
    await f.locator('[data-test="action-submit"]').click()
    assert.match(await f.locator('[data-test="err-text"]').textContent(), /进展情况/)
    await f.locator('[data-test="f-text"] textarea').fill('已完成申报材料初稿，正在征求学院意见。')
    await f.locator('[data-test="f-progress"] .el-input-number input').fill('60')
    await f.locator('[data-test="f-progress"] .el-input-number input').blur()
    await f.locator('[data-test="f-evidence"] .el-select__wrapper').click()
    await page.keyboard.type('申报材料初稿.docx')
    await page.keyboard.press('Enter')
    await f.locator('[data-test="f-text"] textarea').click() // closes the dropdown
  })
  await page.locator('[data-test="timeline"]').getByText('已完成申报材料初稿').waitFor()
  assert.match(await page.locator('[data-test="progress"]').textContent(), /60%/)
  await act(page, 'complete', async (f) => {
    await f.locator('[data-test="f-text"] textarea').fill('申报材料已修改完善并报送。')
  })
  await expectStatus(page, 'review')
  await shot(page, 'task-unit')
  assert.deepEqual(errors, [])
})

test('the supervisor returns it once, the unit asks again, the supervisor approves', async () => {
  const sp = supB.page
  await sp.goto(`/tasks/${taskId}`)
  await expectStatus(sp, 'review')
  await act(sp, 'reject', async (f) => {
    await f.locator('[data-test="action-submit"]').click()
    assert.match(await f.locator('[data-test="err-reason"]').textContent(), /理由/)
    await f.locator('[data-test="f-reason"] textarea').fill('佐证材料不全，请补充学院意见汇总。')
  })
  await expectStatus(sp, 'in_progress')

  const up = uA.page
  await up.goto(`/tasks/${taskId}`)
  await expectStatus(up, 'in_progress')
  await act(up, 'complete', async (f) => {
    await f.locator('[data-test="f-text"] textarea').fill('已补充学院意见汇总，材料齐全。')
  })
  await expectStatus(up, 'review')

  await sp.goto(`/tasks/${taskId}`)
  await act(sp, 'approve')
  await expectStatus(sp, 'done')
  await sp.locator('[data-test="timeline"]').getByText('佐证材料不全').first().waitFor()
  await shot(sp, 'task-done')
})

test('the dashboard numbers follow', async () => {
  const after = await readDashboard(supB.page)
  assert.equal(after.done, dashBefore.done + 1, 'one more done')
  assert.ok(after.total > dashBefore.total, 'the ingested tasks are counted')
})

test('a unit user cannot see or open another unit\'s task', async () => {
  const b = await launch()
  try {
    const { page } = b
    await login(page, unitB.login, unitB.password)
    await page.goto(`/tasks/${taskId}`)
    await page.locator('[data-test="not-found"]').waitFor()
    await page.goto(`/tasks?q=${encodeURIComponent(taskCode)}`)
    await page.waitForLoadState('networkidle')
    assert.equal(await page.locator(`[data-test="task-link-${taskId}"]`).count(), 0)
    // The admin page is not there for a unit user either.
    await page.goto('/admin')
    await page.locator('[data-test="not-found"]').waitFor()
  } finally {
    await b.close()
  }
})

test('a phone-sized viewport can report progress', async () => {
  const b = await launch({ viewport: { width: 390, height: 844 }, mobile: true, scale: 2 })
  try {
    const { page, errors } = b
    await login(page, unitA.login, unitA.password)
    await page.goto('/my')
    await page.locator(`[data-test="task-link-${task2Id}"]`).first().click()
    await page.waitForURL(`**/tasks/${task2Id}`)
    await page.locator('[data-test="actions"]').waitFor()
    await page.waitForLoadState('networkidle')
    if (await page.locator('[data-action="accept"]').count()) await act(page, 'accept')
    await act(page, 'progress', async (f) => {
      await f.locator('[data-test="f-text"] textarea').fill('已起草实施方案，提交校长办公会前征求意见。')
      await f.locator('[data-test="f-progress"] .el-input-number input').fill('30')
      await f.locator('[data-test="f-progress"] .el-input-number input').blur()
    })
    await page.locator('[data-test="timeline"]').getByText('已起草实施方案').waitFor()
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 400, `no horizontal overflow on a phone (scrollWidth ${width})`)
    assert.deepEqual(errors, [])
  } finally {
    await b.close()
  }
})

test('the English switch translates the interface', async () => {
  const { page } = supB
  await page.goto('/tasks')
  await page.click('[data-test="lang"]')
  await page.getByText('Task ledger').first().waitFor()
  await page.click('[data-test="lang"]')
  await page.getByText('督办台账').first().waitFor()
})
