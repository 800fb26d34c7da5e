// Every rule, in the order KubeRay evaluates its own checks (ValidateRayJobMetadata, then
// ValidateRayJobSpec with the deletion block and ValidateRayClusterSpec where KubeRay calls them),
// followed by the checks KubeRay does not make.
import { clusterRules } from './cluster.js'
import { deletionRules, legacyDeletionPolicyRules } from './deletion.js'
import { metadataRules, specRulesAfterCluster, specRulesBeforeCluster, specRulesBeforeDeletion } from './spec.js'
import { stuckRules } from './stuck.js'
import type { RuleDefinition } from './types.js'

export const KUBERAY_RULES: readonly RuleDefinition[] = [
  ...metadataRules,
  ...specRulesBeforeDeletion,
  ...deletionRules,
  ...specRulesBeforeCluster,
  ...clusterRules,
  ...specRulesAfterCluster,
  // KubeRay 1.3–1.4 checked spec.deletionPolicy last, after backoffLimit.
  ...legacyDeletionPolicyRules
]

export const STUCK_RULES: readonly RuleDefinition[] = stuckRules

export type { RuleDefinition } from './types.js'
