// Durations as users write them in workflow inputs: "90s", "15m", "2h", "1h30m", or plain seconds.

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1 }
const FORM = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/

/** Seconds in a duration, or an error that says what forms are accepted. */
export function parseDuration(text: string): { seconds: number } | { error: string } {
  const value = text.trim().toLowerCase()
  if (/^\d+$/.test(value)) return positive(Number(value), text)
  const match = FORM.exec(value)
  if (!value || !match || match.slice(1).every((g) => g === undefined)) {
    return { error: `"${text}" is not a duration: write it as 90s, 15m, 2h or 1h30m` }
  }
  const [, h, m, s] = match
  return positive(Number(h ?? 0) * UNIT_SECONDS.h + Number(m ?? 0) * UNIT_SECONDS.m + Number(s ?? 0), text)
}

function positive(seconds: number, text: string): { seconds: number } | { error: string } {
  return seconds > 0 ? { seconds } : { error: `"${text}" is not a positive duration` }
}

/** "1h 2m 3s" style, for logs and summaries. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = s % 60
  return [h ? `${h}h` : '', m ? `${m}m` : '', rest || (!h && !m) ? `${rest}s` : ''].filter(Boolean).join(' ')
}
