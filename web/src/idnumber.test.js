// Unit tests for the ID check (run: npm run test:unit).
import test from 'node:test'
import assert from 'node:assert/strict'
import { checkIdNumber, idCheckCharacter, normalizeIdNumber } from './idnumber.js'

test('GB 11643 check character', () => {
  // The standard's own example.
  assert.equal(idCheckCharacter('11010519491231002'), 'X')
  assert.equal(idCheckCharacter('44052418800101001'), '4')
})

test('valid and invalid numbers', () => {
  assert.deepEqual(checkIdNumber('11010519491231002X').ok, true)
  assert.equal(checkIdNumber('11010519491231002x').ok, true)
  assert.equal(checkIdNumber(' 440524198001010013 ').ok, true)
  assert.equal(checkIdNumber('440524198001010014').code, 'check')
  assert.equal(checkIdNumber('4405241880').code, 'typing')
  assert.equal(checkIdNumber('44052A').code, 'digits')
  assert.equal(checkIdNumber('4405241880010100145').code, 'length')
  assert.equal(checkIdNumber('44052418800101001Y').code, 'last')
  assert.equal(checkIdNumber('440524198002300014').code, 'birth')
  assert.equal(checkIdNumber('').code, 'empty')
  assert.equal(normalizeIdNumber(' 1x'), '1X')
})
