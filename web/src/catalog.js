// Reference data for labels and choices: programmes (with their stages and
// decisions) and the org units the signed-in user covers.
import { reactive } from 'vue'
import { api } from './api.js'
import { label } from './i18n.js'

export const catalog = reactive({
  loaded: false,
  programmes: [],
  units: [],
})

let pending = null

export function loadCatalog(force = false) {
  if (catalog.loaded && !force) return Promise.resolve(catalog)
  if (pending) return pending
  pending = Promise.all([api.programmes(), api.orgUnits()])
    .then(([p, u]) => {
      catalog.programmes = (p && p.items) || []
      catalog.units = (u && u.items) || []
      catalog.loaded = true
      return catalog
    })
    .finally(() => {
      pending = null
    })
  return pending
}

export function resetCatalog() {
  catalog.loaded = false
  catalog.programmes = []
  catalog.units = []
}

export function programme(code) {
  return catalog.programmes.find((p) => p.code === code) || null
}

export function programmeName(code) {
  const p = programme(code)
  return label('programmes', code, p ? p.short_name || p.name : code)
}

export function programmeFullName(code) {
  const p = programme(code)
  return label('programmes', code, p ? p.name : code)
}

// Decisions the programme allows at a stage, e.g. approve|reject|send_back.
export function decisionsFor(programmeCode, stage) {
  const p = programme(programmeCode)
  const s = p && p.stages && p.stages[stage]
  return (s && s.decisions) || []
}

// Post-audit and alert review tasks hang off the case's stage, and the API labels
// them with that stage's task name (救助后回访); the catalogue's own names win.
const OWN_KIND_NAMES = ['post_audit', 'post_audit_reverify', 'post_audit_decision', 'alert_review']

// Task kinds across programmes, for the inbox filter: [{kind, name}].
export function taskKinds() {
  const seen = new Map()
  for (const p of catalog.programmes) {
    for (const s of Object.values(p.stages || {})) {
      if (s.task && !seen.has(s.task)) seen.set(s.task, s.task_name)
    }
  }
  // Post-audit and alert review tasks belong to no programme stage; they are offered too.
  for (const kind of OWN_KIND_NAMES) if (!seen.has(kind)) seen.set(kind, '')
  return Array.from(seen, ([kind, name]) => ({ kind, name }))
}

export function kindName(kind, apiLabel) {
  return label('kinds', kind, OWN_KIND_NAMES.includes(kind) ? undefined : apiLabel)
}

export function unitName(id) {
  const u = catalog.units.find((x) => x.id === id)
  return u ? u.name : id
}

export function villages() {
  return catalog.units.filter((u) => u.tier === 'village')
}

// Departments a case can be referred to: unique department codes.
export function departments() {
  const seen = new Map()
  for (const u of catalog.units) {
    if (u.tier === 'department' && u.department && !seen.has(u.department)) seen.set(u.department, u)
  }
  return Array.from(seen.values())
}

export function departmentName(code) {
  const u = catalog.units.find((x) => x.tier === 'department' && x.department === code)
  return u ? u.name : code
}
