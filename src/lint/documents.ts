// A manifest file's bytes → its documents, or why they were not read. The checks of the file as a
// file are here (empty, too large, binary, not UTF-8, a template); the YAML is read by the YAML
// module (src/yaml), which reads it as the API server does.
import { normalizeLineBreaks, readDocuments, readDocumentsSync } from '../yaml/index.js'
import type { DocumentHandler, Position, SourceDocument, YamlProblem, YamlReader } from '../yaml/index.js'

export type { Position, SourceDocument, YamlReader } from '../yaml/index.js'

/** Something that kept a file or a document from being read. */
export interface ReadProblem {
  kind: YamlProblem['kind'] | 'file-binary' | 'file-encoding' | 'file-empty' | 'file-template'
  message: string
  position: Position
}

export interface ReadResult {
  documents: SourceDocument[]
  problems: ReadProblem[]
}

/** Files above this size are not parsed: no RayJob manifest is anywhere near it, and parsing one could stall a run. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024

const TOP: Position = { line: 1, column: 1 }

/**
 * Reads one file's bytes into documents, or says clearly why it could not. With `each`, every
 * document is handed to it as soon as it is read (see readDocuments). Loads `yaml` if a document
 * needs it.
 */
export async function readManifest(file: string, bytes: Uint8Array, each?: DocumentHandler, reader: YamlReader = 'fast'): Promise<ReadResult> {
  const text = manifestText(bytes)
  return typeof text === 'string' ? readDocuments(file, text, each, reader) : text
}

/** readManifest, synchronously: `yaml` must be loaded if a document needs it (see readDocumentsSync). */
export function readManifestSync(file: string, bytes: Uint8Array, each?: (doc: SourceDocument) => void, reader: YamlReader = 'fast'): ReadResult {
  const text = manifestText(bytes)
  return typeof text === 'string' ? readDocumentsSync(file, text, each, reader) : text
}

/** The YAML text of a file's bytes, or the problem that keeps it from being read. */
function manifestText(bytes: Uint8Array): string | ReadResult {
  if (bytes.length === 0) {
    return problem('file-empty', 'the file is empty; nothing to check')
  }
  if (bytes.length > MAX_FILE_BYTES) {
    const mib = (bytes.length / 1024 / 1024).toFixed(1)
    return problem('file-too-large', `the file is ${mib} MiB, above the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit for a manifest; it was not parsed`)
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return problem('file-encoding', 'the file is UTF-16 (it starts with a UTF-16 byte order mark); Kubernetes manifests must be UTF-8, so it was not parsed')
  }
  if (bytes.subarray(0, 8192).includes(0)) {
    return problem('file-binary', 'the file contains NUL bytes: it looks binary, not YAML; it was not parsed')
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return problem('file-encoding', 'the file is not valid UTF-8 (Kubernetes manifests must be UTF-8); it was not parsed')
  }
  if (text.trim() === '') {
    return problem('file-empty', 'the file holds only white space; nothing to check')
  }
  text = normalizeLineBreaks(text)
  if (text.includes('{{') && TEMPLATE_PLACEHOLDER.test(text)) {
    return problem('file-template', 'the file is a template ({{ ... }} placeholders as values): lint the rendered manifests instead; it was not checked')
  }
  return text
}

/**
 * A Go/Helm/Jinja placeholder standing where a YAML node should be: at the start of a line's
 * content (after any `- `), or as the value of a key on its line (`name: {{ .Values.name }}`). A
 * quoted string that holds `{{` (`name: "{{ .Values.name }}"`, `echo "{{"`) is ordinary YAML and
 * read as such.
 */
const TEMPLATE_PLACEHOLDER = /^[ \t]*(?:-[ \t]+)*(?:(?:[^\s"'#{:-][^:\n]*|"[^"\n]*"[ \t]*|'[^'\n]*'[ \t]*):[ \t]+)?\{\{/m

function problem(kind: ReadProblem['kind'], message: string): ReadResult {
  return { documents: [], problems: [{ kind, message, position: TOP }] }
}
