// Every credential in a kubeconfig, so each can be masked before anything is printed. Pure.
import { loadYaml, readYamlValue } from '../yaml/index.js'
import { isObj } from '../manifest/model.js'

// kubeconfigSecrets reads YAML synchronously: `yaml` is loaded with this module (as its static
// import did), for the texts the fast reader leaves to it.
await loadYaml()

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
  // Whatever the parser makes of it, every line that looks like a secret key's is masked: a broken
  // kubeconfig is no reason to print its token.
  for (const value of secretLineValues(text)) secrets.add(value)
  // As client-go reads a kubeconfig (sigs.k8s.io/yaml): text it cannot read has only the lines above.
  const read = readYamlValue(text)
  if (!('value' in read)) return [...secrets].filter((s) => s.length >= 4)
  const doc = read.value
  for (const value of credentialsIn(doc)) secrets.add(value)
  return [...secrets].filter((s) => s.length >= 4)
}

/**
 * Every credential in a kubeconfig as data: the parsed input, or the config client-node loaded
 * (its exportConfig()), so that what the action masks and what it loaded are read the same way.
 */
export function credentialsIn(kubeconfig: unknown): string[] {
  const found: string[] = []
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk)
    else if (isObj(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (SECRET_KEYS.has(key) && (typeof child === 'string' || typeof child === 'number') && child !== '') found.push(String(child))
        else if (key === 'exec') found.push(...execSecrets(child))
        else if (key === 'proxy-url' && typeof child === 'string') found.push(...urlPassword(child))
        else walk(child)
      }
    }
  }
  walk(kubeconfig)
  return found
}

/** `key: value` on one line, for a secret key, in block, flow or JSON layout: quoted up to its quote, plain up to `,`, `}`, `]` or a comment. */
const SECRET_LINE = new RegExp(`(?:${[...SECRET_KEYS].join('|')})["']?\\s*:\\s*(?:"([^"]*)"|'([^']*)'|([^\\s,}\\]#][^,}\\]#]*))`, 'g')

/** The values of secret keys, read line by line from text that may not parse at all. */
function secretLineValues(text: string): string[] {
  const found: string[] = []
  for (const line of text.split(/\r\n|\r|\n/)) {
    for (const match of line.matchAll(SECRET_LINE)) {
      const value = (match[1] ?? match[2] ?? match[3] ?? '').trim()
      if (value) found.push(value)
    }
  }
  return found
}

/** An argument of an exec credential plugin that names a secret: the next one (or what follows its `=`) is one. */
const SECRET_ARG = /^--?[\w-]*(token|secret|password|key)[\w-]*$/i

/**
 * What an exec credential plugin (aws, gke-gcloud-auth-plugin, kubelogin, ...) is given that may be
 * secret: every environment value (AWS_SECRET_ACCESS_KEY, a client secret), and the values of
 * arguments named like a token, secret, password or key.
 */
export function execSecrets(exec: unknown): string[] {
  if (!isObj(exec)) return []
  const found: string[] = []
  for (const variable of Array.isArray(exec.env) ? exec.env : []) {
    if (isObj(variable) && typeof variable.value === 'string' && variable.value) found.push(variable.value)
  }
  const args = Array.isArray(exec.args) ? exec.args.map(String) : []
  args.forEach((arg, i) => {
    const [name, value] = arg.split(/=(.*)/s)
    if (!SECRET_ARG.test(name)) return
    if (value !== undefined) found.push(value)
    else if (i + 1 < args.length) found.push(args[i + 1])
  })
  return found.filter((s) => s.length >= 4)
}

/** The password in a URL's user info (a proxy-url such as http://user:secret@proxy:3128). */
export function urlPassword(url: string): string[] {
  try {
    const password = decodeURIComponent(new URL(url).password)
    return password ? [password] : []
  } catch {
    return []
  }
}
