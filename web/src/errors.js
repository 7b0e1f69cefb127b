// API failures in words a clerk understands.
import { has, label, locale, t } from './i18n.js'

function stateName(current) {
  if (!current) return ''
  return label('states', current.state, current.state_label)
}

// One sentence for the failure as a whole.
export function describeError(err) {
  const status = err && typeof err.status === 'number' ? err.status : -1
  const type = err && err.type
  switch (status) {
    case 0:
      return t('errors.network')
    case 400:
      return t('errors.badRequest')
    case 401:
      return type === 'bad-credentials' ? t('errors.badCredentials') : t('errors.unauthenticated')
    case 403:
      return t('errors.forbidden')
    case 404:
      return t('errors.notFound')
    case 409: {
      const cur = err.current
      if (type === 'illegal-transition') {
        return cur ? t('errors.illegal', { state: stateName(cur) }) : t('errors.illegalNoState')
      }
      if (type === 'already-exists') return t('errors.alreadyExists')
      if (/claimed by/.test(err.problem?.detail || '')) return t('errors.taskClaimed')
      if (cur) return t('errors.conflict', { state: stateName(cur) })
      return t('errors.conflictNoState')
    }
    case 413:
      return t('errors.tooLarge')
    case 422:
      return t('errors.invalid')
    case 429:
      return t('errors.tooMany', { n: err.retryAfter || 60 })
    case 500:
      return t('errors.internal')
    case 502:
    case 503:
    case 504:
      return t('errors.busy')
    default:
      return t('errors.unknown', { status })
  }
}

// The server's own explanation, for the English view or a curious clerk.
export function errorDetail(err) {
  const d = err && err.problem && err.problem.detail
  return d ? t('errors.detail', { detail: d }) : ''
}

// The message to show beside one field the server named.
export function fieldMessage(field, serverMessage) {
  if (locale.value !== 'en' && has(`fields.${field}`)) return t(`fields.${field}`)
  return serverMessage || t('valid.required')
}

// {formProp: message} from the server's errors[], with server field names
// mapped to the form's own names through `aliases`.
export function fieldErrorsFor(err, aliases = {}) {
  const out = {}
  if (!err || !err.fieldErrors) return out
  for (const [field, msg] of Object.entries(err.fieldErrors)) {
    const prop = aliases[field] || field
    out[prop] = fieldMessage(field, msg)
  }
  return out
}
