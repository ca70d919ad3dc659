// forms.test.mjs — the edit forms through the browser: a supervisor creates
// a task (lead + cooperating unit, working-day deadline) from the ledger,
// with validation and a server-side refusal shown beside the field; edits
// its title; a unit user splits it into a subtask; the admin adds a unit
// with a keyword and a user of that unit, who then signs in.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, demoUsers, pick, Api, shot } from './lib.mjs'

const STAMP = String(Date.now()).slice(-6)
let users, sup, admin, unitA, unitB
let supB
let taskId, taskCode

// Opens a (filterable) el-select inside `scope`, types to filter, picks the option.
async function choose(page, scope, text) {
  await page.locator(`${scope} .el-select__wrapper`).first().click()
  await page.waitForTimeout(250)
  await page.keyboard.type(text)
  await page.waitForTimeout(250)
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
  await page.waitForTimeout(250)
}
async function errText(form, key) {
  const el = form.locator(`[data-test="err-${key}"]`)
  await el.waitFor()
  return (await el.textContent()).trim()
}
async function submitAndWait(page, form, button, urlPart, method) {
  const resp = page.waitForResponse((r) => r.request().method() === method && r.url().includes(urlPart))
  await form.locator(button).click()
  return resp
}

before(async () => {
  users = await demoUsers()
  sup = pick(users, 'supervisor') || pick(users, 'admin')
  admin = pick(users, 'admin')
  unitA = pick(users, 'unit', (u) => u.user.unit_id)
  unitB = pick(users, 'unit', (u) => u.user.unit_id && u.user.unit_id !== unitA.user.unit_id)
  assert.ok(sup && admin && unitA && unitB, 'demo has an admin, a supervisor and two unit users of different units')
  supB = await launch()
})
after(async () => { await supB?.close() })

test('a supervisor creates a task with a lead, a cooperating unit and a working-day deadline', async () => {
  const { page, errors } = supB
  await login(page, sup.login, sup.password)
  await page.goto('/tasks')
  await page.click('[data-test="new-task"]')
  const form = page.locator('[data-test="task-form"]')
  await form.waitFor()
  await page.waitForTimeout(350)
  // Nothing filled: Chinese messages naming the fields, no request sent.
  await form.locator('[data-test="tf-submit"]').click()
  assert.match(await errText(form, 'title'), /工作任务/)
  assert.match(await errText(form, 'lead_unit_id'), /牵头单位/)
  assert.match(await errText(form, 'deadline'), /完成时限/)

  const title = `建设校园一站式服务大厅${STAMP}`
  await page.fill('#tf-title', title)
  await page.fill('#tf-requirement', '年底前建成并试运行，形成服务事项清单')
  await choose(page, '[data-test="tf-lead"]', unitA.user.unit_name)
  await choose(page, '[data-test="tf-coop"]', unitB.user.unit_name)
  await page.click('label[for="tf-title"]') // closes the dropdown
  // A deadline in the past: the server refuses it; the message sits beside the field, the input stays.
  await page.fill('#tf-deadline', '2026-01-05')
  await page.press('#tf-deadline', 'Enter')
  const r1 = await submitAndWait(page, form, '[data-test="tf-submit"]', '/api/v1/tasks', 'POST')
  assert.equal(r1.status(), 422)
  assert.match(await errText(form, 'deadline'), /完成时限不能早于今天/)
  assert.equal(await page.inputValue('#tf-title'), title, 'typed title kept')
  assert.equal(await page.inputValue('#tf-deadline'), '2026-01-05', 'typed date kept')
  // Switch to "N working days".
  await form.locator('[data-test="tf-dmode"]').getByText('N个工作日').click()
  await page.fill('#tf-workdays', '10')
  await page.press('#tf-workdays', 'Tab')
  await shot(page, 'task-form')
  const r2 = await submitAndWait(page, form, '[data-test="tf-submit"]', '/api/v1/tasks', 'POST')
  assert.equal(r2.status(), 201, await r2.text())
  const created = await r2.json()
  taskId = created.id
  taskCode = created.code
  assert.equal(created.lead_unit_id, unitA.user.unit_id)
  assert.deepEqual(created.coop_units.map((u) => u.id), [unitB.user.unit_id])
  assert.equal(created.deadline_rule, '10个工作日')
  await form.waitFor({ state: 'detached' })
  // The ledger shows it.
  await page.locator(`[data-test="task-link-${taskId}"]`).first().waitFor()
  assert.deepEqual(errors, [])
})

test('the supervisor edits the title; after assignment a deadline change is refused beside the field', async () => {
  const { page, errors } = supB
  await page.goto(`/tasks/${taskId}`)
  await page.click('[data-action="edit"]')
  const form = page.locator('[data-test="task-form"]')
  await form.waitFor()
  await page.waitForTimeout(350)
  await page.fill('#tf-title', '')
  await form.locator('[data-test="tf-submit"]').click()
  assert.match(await errText(form, 'title'), /工作任务/)
  const title = `建设校园一站式服务大厅（一期）${STAMP}`
  await page.fill('#tf-title', title)
  const r = await submitAndWait(page, form, '[data-test="tf-submit"]', `/api/v1/tasks/${taskId}`, 'PATCH')
  assert.equal(r.status(), 200, await r.text())
  assert.deepEqual(Object.keys(JSON.parse(r.request().postData())).sort(), ['title', 'version'], 'only the changed member is sent')
  await form.waitFor({ state: 'detached' })
  await page.locator('[data-test="task-title"]', { hasText: '（一期）' }).waitFor()

  // Assign it, then try to move the deadline.
  await page.click('[data-action="assign"]')
  const af = page.locator('[data-test="action-form"]')
  await af.waitFor()
  await page.waitForTimeout(350)
  await af.locator('[data-test="action-submit"]').click()
  await af.waitFor({ state: 'detached' })
  await page.locator('.meta [data-status="assigned"]').first().waitFor()
  await page.click('[data-action="edit"]')
  await form.waitFor()
  await page.waitForTimeout(350)
  await page.fill('#tf-deadline', '2027-03-31')
  await page.press('#tf-deadline', 'Enter')
  const r2 = await submitAndWait(page, form, '[data-test="tf-submit"]', `/api/v1/tasks/${taskId}`, 'PATCH')
  assert.equal(r2.status(), 422)
  assert.match(await errText(form, 'deadline'), /延期申请/)
  assert.equal(await page.inputValue('#tf-deadline'), '2027-03-31', 'typed date kept')
  await form.locator('button', { hasText: '取消' }).click()
  assert.deepEqual(errors, [])
})

test('a unit user of the lead unit adds a subtask', async () => {
  const b = await launch()
  try {
    const { page, errors } = b
    await login(page, unitA.login, unitA.password)
    await page.goto(`/tasks/${taskId}`)
    await page.click('[data-action="add-subtask"]')
    const form = page.locator('[data-test="task-form"]')
    await form.waitFor()
    await page.waitForTimeout(350)
    // The lead unit is the user's own; no unit to choose.
    assert.equal(await form.locator('#tf-lead').count(), 0)
    const title = `完成服务事项梳理${STAMP}`
    await page.fill('#tf-title', title)
    await form.locator('[data-test="tf-dmode"]').getByText('N个工作日').click()
    await page.fill('#tf-workdays', '5')
    await page.press('#tf-workdays', 'Tab')
    const r = await submitAndWait(page, form, '[data-test="tf-submit"]', '/api/v1/tasks', 'POST')
    assert.equal(r.status(), 201, await r.text())
    const body = JSON.parse(r.request().postData())
    assert.equal(body.parent_id, taskId)
    const sub = await r.json()
    assert.equal(sub.lead_unit_id, unitA.user.unit_id, 'the server made the user\'s unit the lead')
    await form.waitFor({ state: 'detached' })
    await page.locator('[data-test="children"]').getByText(title).waitFor()
    await shot(page, 'task-subtask')
    // A unit that takes no part sees no such button (it cannot even see the task).
    assert.deepEqual(errors, [])
  } finally {
    await b.close()
  }
})

test('the admin adds a unit with a keyword and a user of it, who can sign in', async () => {
  const b = await launch()
  try {
    const { page, errors } = b
    await login(page, admin.login, admin.password)
    await page.goto('/admin')
    await page.click('[data-test="add-unit"]')
    const uf = page.locator('[data-test="unit-form"]')
    await uf.waitFor()
    await page.waitForTimeout(350)
    await uf.locator('[data-test="uf-submit"]').click()
    assert.match(await errText(uf, 'name'), /名称不能为空/)
    const unitName = `智慧后勤中心${STAMP}`
    await page.fill('#uf-name', unitName)
    await page.fill('#uf-short', `智后${STAMP.slice(-2)}`)
    await uf.locator('[data-test="uf-keywords"] .el-select__wrapper').click()
    await page.keyboard.type(`一站式${STAMP}`)
    await page.keyboard.press('Enter')
    await page.click('label[for="uf-name"]')
    const r = await submitAndWait(page, uf, '[data-test="uf-submit"]', '/api/v1/units', 'POST')
    assert.equal(r.status(), 201, await r.text())
    const unit = await r.json()
    assert.deepEqual(unit.keywords, [`一站式${STAMP}`])
    await uf.waitFor({ state: 'hidden' })
    await page.locator('[data-test="units"]').getByText(unitName).waitFor()

    await page.getByRole('tab', { name: '用户与角色' }).click()
    await page.click('[data-test="add-user"]')
    const sf = page.locator('[data-test="user-form"]')
    await sf.waitFor()
    await page.waitForTimeout(350)
    await sf.locator('[data-test="sf-submit"]').click()
    assert.match(await errText(sf, 'login'), /登录名/)
    assert.match(await errText(sf, 'password'), /初始密码/)
    assert.match(await errText(sf, 'unit_id'), /单位/)
    const loginName = `hq${STAMP}`
    await page.fill('#sf-login', loginName)
    await page.fill('#sf-name', '赵后勤')
    await choose(page, '[data-test="sf-unit"]', unitName)
    await page.fill('#sf-password', 'short')
    await sf.locator('[data-test="sf-submit"]').click()
    assert.match(await errText(sf, 'password'), /至少 8 位/)
    await page.fill('#sf-password', 'houqin-2026')
    await shot(page, 'admin-user-form')
    const r2 = await submitAndWait(page, sf, '[data-test="sf-submit"]', '/api/v1/users', 'POST')
    assert.equal(r2.status(), 201, await r2.text())
    const user = await r2.json()
    assert.equal(user.unit_id, unit.id)
    assert.equal(user.roles, 'unit')
    await sf.waitFor({ state: 'hidden' })
    await page.locator('[data-test="users"]').getByText(loginName).waitFor()
    // A duplicate login is refused by the server, beside the login field.
    await page.click('[data-test="add-user"]')
    await sf.waitFor()
    await page.waitForTimeout(350)
    await page.fill('#sf-login', loginName)
    await page.fill('#sf-name', '重名')
    await choose(page, '[data-test="sf-unit"]', unitName)
    await page.fill('#sf-password', 'houqin-2026')
    const r3 = await submitAndWait(page, sf, '[data-test="sf-submit"]', '/api/v1/users', 'POST')
    assert.equal(r3.status(), 409)
    assert.match(await errText(sf, 'login'), /已被占用/)
    assert.deepEqual(errors, [])

    const nb = await launch()
    try {
      await login(nb.page, loginName, 'houqin-2026')
      await nb.page.locator('.who', { hasText: '赵后勤' }).waitFor()
      const api = new Api()
      const me = await api.login(loginName, 'houqin-2026')
      assert.equal(me.unit_id, unit.id)
    } finally {
      await nb.close()
    }
  } finally {
    await b.close()
  }
})

test('the task form fits a phone', async () => {
  const b = await launch({ viewport: { width: 390, height: 844 }, mobile: true, scale: 2 })
  try {
    const { page, errors } = b
    await login(page, sup.login, sup.password)
    await page.goto('/tasks?new=1')
    const form = page.locator('[data-test="task-form"]')
    await form.waitFor()
    await page.waitForTimeout(350)
    await form.locator('[data-test="tf-submit"]').click()
    assert.match(await errText(form, 'title'), /工作任务/)
    const over = await page.evaluate(() => {
      const d = document.querySelector('.task-form-dlg')
      return d ? d.scrollWidth - d.clientWidth : -1
    })
    assert.ok(over <= 0, `no horizontal overflow in the form on a phone (${over})`)
    assert.deepEqual(errors, [])
  } finally {
    await b.close()
  }
})
