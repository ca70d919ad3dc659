// screenshots.mjs — one PNG per page into docs/screenshots/ (for the README).
// Needs DUBAN_URL and the demo logins (DUBAN_DEMO or SHOT_SUP/SHOT_UNIT "login:password").
import { mkdirSync } from 'node:fs'
import { launch, login, demoUsers, pick, Api } from '../tests/browser/lib.mjs'

const OUT = process.env.SHOTS_OUT || 'docs/screenshots'
mkdirSync(OUT, { recursive: true })
const REPORT = `2021年7月10日上午，校党委在行政楼第一会议室召开全体会议，党委书记王明主持会议。会议审议通过了《学校2021年下半年工作要点》。

会议要求，下半年要重点抓好以下工作：一是研究生院要在9月底前完成博士学位授权点申报材料的修改完善；二是人事处要在年底前出台人事制度改革实施方案；三是各学院要加强网络安全管理，10月底前完成网站安全自查；四是要在本学期内完成巡视整改问题清单销号。`

function cred(env) { const [login, password] = env.split(':'); return { login, password } }
let sup, admin, unit
if (process.env.SHOT_SUP) {
  sup = cred(process.env.SHOT_SUP); admin = cred(process.env.SHOT_ADMIN || process.env.SHOT_SUP); unit = cred(process.env.SHOT_UNIT || process.env.SHOT_SUP)
} else {
  const users = await demoUsers()
  sup = pick(users, 'supervisor') || pick(users, 'admin')
  admin = pick(users, 'admin') || sup
  unit = pick(users, 'unit', (u) => u.user.unit_id)
}

async function save(page, name, full = true) {
  await page.waitForLoadState('networkidle')
  await page.waitForTimeout(700) // charts animate
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: full })
  console.log(`${OUT}/${name}.png`)
}

const b = await launch({ viewport: { width: 1440, height: 900 } })
const { page } = b
await page.goto('/login')
await save(page, '01-login')
await login(page, admin.login, admin.password)
await page.goto('/tasks')
await page.locator('.task-table .el-table__body tr').first().waitFor()
await save(page, '03-ledger', false)
// A task with a timeline: the most recently updated one in progress.
const api = new Api()
await api.login(admin.login, admin.password)
const list = await api.get('/api/v1/tasks?status=in_progress&sort=-deadline&limit=5')
const one = (list.items || [])[0]
if (one) { await page.goto(`/tasks/${one.id}`); await page.locator('[data-test="actions"]').waitFor(); await save(page, '04-task') }
await page.goto('/dashboard')
await save(page, '06-dashboard')
await page.goto('/accountability')
await save(page, '07-accountability')
await page.goto('/admin')
await save(page, '08-admin-units', false)
await page.getByRole('tab', { name: '用户与角色' }).click()
await save(page, '08-admin-users', false)
// The forms: new task (with a validation message and a milestone), edit, admin dialogs.
async function dialogShot(name) {
  await page.waitForTimeout(500) // the dialog's opening animation
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: false })
  console.log(`${OUT}/${name}.png`)
}
await page.goto('/tasks?new=1')
await page.locator('[data-test="task-form"]').waitFor()
await page.waitForTimeout(400)
await page.fill('#tf-requirement', '年底前建成并试运行，形成服务事项清单')
await page.click('[data-test="tf-ms-add"]')
await page.click('[data-test="tf-submit"]')
await dialogShot('11-task-form')
await page.click('[data-test="task-form"] button:has-text("取消")')
if (one) {
  await page.goto(`/tasks/${one.id}`)
  await page.click('[data-action="edit"]')
  await page.locator('[data-test="task-form"]').waitFor()
  await dialogShot('12-task-edit')
  await page.click('[data-test="task-form"] button:has-text("取消")')
}
await page.goto('/admin')
await page.click('[data-test="add-unit"]')
await page.locator('[data-test="unit-form"]').waitFor()
await page.fill('#uf-name', '后勤服务中心')
await page.locator('[data-test="uf-keywords"] .el-select__wrapper').click()
await page.keyboard.type('一站式服务')
await page.keyboard.press('Enter')
await page.click('label[for="uf-name"]')
await dialogShot('13-admin-unit-form')
await page.click('[data-test="unit-form"] button:has-text("取消")')
await page.getByRole('tab', { name: '用户与角色' }).click()
await page.click('[data-test="add-user"]')
await page.locator('[data-test="user-form"]').waitFor()
await page.fill('#sf-login', 'a')
await page.click('[data-test="sf-submit"]')
await dialogShot('13-admin-user-form')
await page.click('[data-test="user-form"] button:has-text("取消")')
await page.goto('/ingest')
await page.fill('[data-test="ingest-text"] textarea', REPORT)
await save(page, '05-ingest-paste', false)
await page.click('[data-test="ingest-parse"]')
await page.locator('[data-test="draft-table"] .el-table__body tr').first().waitFor().catch(() => {})
await save(page, '05-ingest-review')
await page.click('[data-test="lang"]')
await page.goto('/tasks')
await page.locator('.task-table .el-table__body tr').first().waitFor()
await save(page, '09-ledger-en', false)
await page.click('[data-test="lang"]')
await b.close()

const u = await launch({ viewport: { width: 1440, height: 900 } })
await login(u.page, unit.login, unit.password)
await u.page.goto('/my')
await save(u.page, '02-my-tasks')
await u.close()

const m = await launch({ viewport: { width: 390, height: 844 }, mobile: true, scale: 2 })
await login(m.page, unit.login, unit.password)
await m.page.goto('/my')
await save(m.page, '10-phone-my', false)
const mine = await m.page.locator('[data-test^="task-link-"]').first()
if (await mine.count()) {
  await mine.click()
  await m.page.locator('[data-test="actions"]').waitFor()
  await save(m.page, '10-phone-task', false)
}
await m.close()

// The task form on a phone (supervisor).
const ms = await launch({ viewport: { width: 390, height: 844 }, mobile: true, scale: 2 })
await login(ms.page, sup.login, sup.password)
await ms.page.goto('/tasks?new=1')
await ms.page.locator('[data-test="task-form"]').waitFor()
await ms.page.waitForTimeout(500)
await ms.page.screenshot({ path: `${OUT}/10-phone-task-form.png` })
console.log(`${OUT}/10-phone-task-form.png`)
await ms.close()
