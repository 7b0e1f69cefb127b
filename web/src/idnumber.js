// Resident ID numbers (GB 11643-1999): 17 digits and a check character.
// Mirrors engine/identity/id_number.cpp so a clerk sees the same verdict
// while typing that the server would give on submit.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK_CHARS = '10X98765432'

export function normalizeIdNumber(raw) {
  let id = String(raw ?? '').trim()
  if (id.endsWith('x')) id = id.slice(0, -1) + 'X'
  return id
}

// The check character for the first 17 digits.
export function idCheckCharacter(first17) {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]
  return CHECK_CHARS[sum % 11]
}

function isCivilDate(y, m, d) {
  if (m < 1 || m > 12 || d < 1) return false
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
  return d <= days
}

// {ok: true} or {ok: false, code, length}; code is one of
// empty, typing (fewer than 18 so far, all well-formed), length, digits, last, region, birth, check.
export function checkIdNumber(raw) {
  const id = normalizeIdNumber(raw)
  const n = id.length
  if (n === 0) return { ok: false, code: 'empty', length: 0 }
  const head = id.slice(0, Math.min(n, 17))
  if (!/^[0-9]*$/.test(head)) return { ok: false, code: 'digits', length: n }
  if (n < 18) return { ok: false, code: 'typing', length: n }
  if (n > 18) return { ok: false, code: 'length', length: n }
  if (!/^[0-9X]$/.test(id[17])) return { ok: false, code: 'last', length: n }
  if (id.startsWith('000000')) return { ok: false, code: 'region', length: n }
  const y = Number(id.slice(6, 10)), m = Number(id.slice(10, 12)), d = Number(id.slice(12, 14))
  if (y < 1900 || y > 2100 || !isCivilDate(y, m, d)) return { ok: false, code: 'birth', length: n }
  if (idCheckCharacter(id.slice(0, 17)) !== id[17]) return { ok: false, code: 'check', length: n }
  return { ok: true, code: 'ok', length: n }
}
