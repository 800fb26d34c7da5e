/** The action's own version, reported in SARIF and the user agent. */
export const VERSION = '0.1.0'
