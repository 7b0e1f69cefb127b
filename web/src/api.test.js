import test from 'node:test'
import assert from 'node:assert/strict'
import { filenameFromDisposition, withQuery } from './api.js'

test('file name from Content-Disposition', () => {
  assert.equal(filenameFromDisposition('attachment; filename="overdue.csv"'), 'overdue.csv')
  assert.equal(filenameFromDisposition('attachment; filename=overdue.xlsx'), 'overdue.xlsx')
  // RFC 5987: the UTF-8 form wins over the ASCII fallback.
  assert.equal(
    filenameFromDisposition(`attachment; filename="overdue.csv"; filename*=UTF-8''%E9%80%BE%E6%9C%9F%E4%BB%BB%E5%8A%A1.csv`),
    '逾期任务.csv',
  )
  assert.equal(filenameFromDisposition(`attachment; filename*=utf-8''a%20b.csv`), 'a b.csv')
  assert.equal(filenameFromDisposition('attachment; filename="say \\"hi\\".csv"'), 'say "hi".csv')
  // No directories, no control characters.
  assert.equal(filenameFromDisposition('attachment; filename="../../etc/passwd"'), 'passwd')
  assert.equal(filenameFromDisposition(`attachment; filename*=UTF-8''..%2F..%2Fx.csv`), 'x.csv')
  assert.equal(filenameFromDisposition('attachment; filename="a\u0001b.csv"'), 'ab.csv')
  // Malformed percent-encoding falls back to the plain name.
  assert.equal(filenameFromDisposition(`attachment; filename="ok.csv"; filename*=UTF-8''%E9%80`), 'ok.csv')
  assert.equal(filenameFromDisposition('inline'), '')
  assert.equal(filenameFromDisposition(null), '')
})

test('query strings drop empty values', () => {
  assert.equal(withQuery('/x', { unit: '640202', programme: '', stage: null, limit: 50, cursor: undefined }), '/x?unit=640202&limit=50')
  assert.equal(withQuery('/x?a=1', { b: '中' }), '/x?a=1&b=%E4%B8%AD')
  assert.equal(withQuery('/x', undefined), '/x')
})
