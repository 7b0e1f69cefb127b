// The signed-in user. The token lives in sessionStorage: it is gone when the
// tab closes, and a new tab signs in again.
import { reactive } from 'vue'

const TOKEN_KEY = 'jiuzhu.token'
const USER_KEY = 'jiuzhu.user'
const DRAFT_PREFIX = 'jiuzhu.draft.'

function read(key) {
  try {
    return sessionStorage.getItem(key)
  } catch {
    return null
  }
}

function write(key, value) {
  try {
    if (value === null || value === undefined) sessionStorage.removeItem(key)
    else sessionStorage.setItem(key, value)
  } catch {
    /* storage may be full or blocked */
  }
}

export const session = reactive({
  token: read(TOKEN_KEY) || '',
  user: JSON.parse(read(USER_KEY) || 'null'),
})

export function signIn(token, user) {
  session.token = token
  session.user = user
  write(TOKEN_KEY, token)
  write(USER_KEY, JSON.stringify(user))
}

export function setUser(user) {
  session.user = user
  write(USER_KEY, JSON.stringify(user))
}

// Expired: forget the token but keep drafts, so nothing typed is lost.
export function expire() {
  session.token = ''
  write(TOKEN_KEY, null)
}

// Signing out on purpose also forgets drafts (they may hold ID numbers).
export function signOut() {
  expire()
  session.user = null
  write(USER_KEY, null)
  try {
    for (let i = sessionStorage.length - 1; i >= 0; i--) {
      const k = sessionStorage.key(i)
      if (k && k.startsWith(DRAFT_PREFIX)) sessionStorage.removeItem(k)
    }
  } catch {
    /* ignore */
  }
}

// Drafts of forms, kept across an expired sign-in or a reload.
export function loadDraft(name) {
  try {
    return JSON.parse(read(DRAFT_PREFIX + name) || 'null')
  } catch {
    return null
  }
}

export function saveDraft(name, value) {
  write(DRAFT_PREFIX + name, JSON.stringify(value))
}

export function clearDraft(name) {
  write(DRAFT_PREFIX + name, null)
}
