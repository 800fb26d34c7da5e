// Go's strconv, as far as KubeRay's messages show it: Atoi's verdicts and errors, and Quote.

/** Go's strconv.Quote for the text KubeRay's dependencies put in their errors. */
export function goQuote(text: string): string {
  let out = '"'
  for (const ch of text) {
    const code = ch.codePointAt(0)!
    if (ch === '"' || ch === '\\') out += `\\${ch}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\r') out += '\\r'
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else out += ch
  }
  return `${out}"`
}

const INT64_MAX = 2n ** 63n - 1n
const INT64_MIN = -(2n ** 63n)

/** Go's strconv.Atoi on a 64-bit platform: the value, or Go's error text. */
export function atoi(text: string): { value: bigint } | { error: string } {
  if (!/^[+-]?\d+$/.test(text)) return { error: `strconv.Atoi: parsing ${goQuote(text)}: invalid syntax` }
  const value = BigInt(text)
  if (value > INT64_MAX || value < INT64_MIN) return { error: `strconv.Atoi: parsing ${goQuote(text)}: value out of range` }
  return { value }
}
