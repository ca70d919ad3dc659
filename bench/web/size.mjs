// size.mjs — gzip size of what the web UI ships: the initial load (entry
// script, its modulepreloads and stylesheets from index.html) and everything.
import { readFileSync, readdirSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
const dist = new URL('../../web/dist/', import.meta.url)
const html = readFileSync(new URL('index.html', dist), 'utf8')
const gz = (f) => gzipSync(readFileSync(new URL(f.replace(/^\//, ''), dist)), { level: 9 }).length
const initial = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(js|css))"/g)].map((m) => m[1])
const sum = (l) => l.reduce((s, f) => s + gz(f), 0)
const all = readdirSync(new URL('assets/', dist)).map((f) => '/assets/' + f)
const kb = (n) => (n / 1024).toFixed(1) + ' KB'
console.log(`initial JS  (gzip): ${kb(sum(initial.filter((f) => f.endsWith('.js'))))}  [${initial.filter((f) => f.endsWith('.js')).length} files]`)
console.log(`initial CSS (gzip): ${kb(sum(initial.filter((f) => f.endsWith('.css'))))}`)
console.log(`all JS      (gzip): ${kb(sum(all.filter((f) => f.endsWith('.js'))))}  [${all.filter((f) => f.endsWith('.js')).length} files]`)
console.log(`all CSS     (gzip): ${kb(sum(all.filter((f) => f.endsWith('.css'))))}`)
const dash = all.filter((f) => /Dashboard-.*\.js$/.test(f))
console.log(`dashboard chunk incl. ECharts (gzip, lazy): ${kb(sum(dash))}`)
