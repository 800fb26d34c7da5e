// Go's time.LoadLocation as the operator calls it: which names it finds and its error. Node's
// ICU time zone data stands in for the operator's zoneinfo files.

/** Undefined when Go loads the location, or Go's error text. */
export function loadLocationError(name: string): string | undefined {
  if (name === '' || name === 'UTC' || name === 'Local') return undefined
  if (name.includes('..') || name.startsWith('/') || name.startsWith('\\')) return 'time: invalid location name'
  let resolved: string
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
  } catch {
    return `unknown time zone ${name}`
  }
  // ICU matches names without regard to case; Go opens a file by that name, and file names have one case.
  if (resolved !== name && resolved.toLowerCase() === name.toLowerCase()) return `unknown time zone ${name}`
  return undefined
}
