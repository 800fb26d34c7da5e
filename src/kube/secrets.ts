// Every credential in a kubeconfig, so each can be masked before anything is printed. Pure.
import { parse } from 'yaml'
import { isObj } from '../lint/model.js'

const SECRET_KEYS = new Set(['token', 'password', 'client-key-data', 'client-certificate-data', 'id-token', 'refresh-token', 'client-secret', 'access-token'])

/** Decodes the kubeconfig input: YAML as is, or base64 of it. */
export function decodeKubeconfig(input: string): string {
  const text = input.trim()
  if (/^[A-Za-z0-9+/=\s]+$/.test(text) && !text.includes(':')) {
    const decoded = Buffer.from(text, 'base64').toString('utf8')
    if (/apiVersion|clusters|contexts/.test(decoded)) return decoded
  }
  return input
}

/** The values to mask: the raw input (and its base64 form), and every token, key, password and secret inside. */
export function kubeconfigSecrets(input: string): string[] {
  const secrets = new Set<string>([input.trim()])
  const text = decodeKubeconfig(input)
  let doc: unknown
  try {
    doc = parse(text, { logLevel: 'error' })
  } catch {
    return [...secrets]
  }
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk)
    else if (isObj(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (SECRET_KEYS.has(key) && typeof child === 'string' && child) secrets.add(child)
        else walk(child)
      }
    }
  }
  walk(doc)
  return [...secrets].filter((s) => s.length >= 4)
}
