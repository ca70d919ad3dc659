// i18n.test.mjs — both catalogues carry the same keys, none empty.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { messages } from '../../web/src/i18n.js'

function keys(o, pre = '') {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, pre + k + '.') : [pre + k]))
}
test('zh-CN and en have the same keys, all non-empty', () => {
  const zh = keys(messages['zh-CN']).sort()
  const en = keys(messages.en).sort()
  assert.deepEqual(en, zh)
  for (const l of ['zh-CN', 'en']) {
    for (const k of keys(messages[l])) {
      const v = k.split('.').reduce((o, p) => o[p], messages[l])
      assert.ok(typeof v === 'string' && v.length, `${l}:${k}`)
    }
  }
})
