export type { AccessAdminService, RoleView } from './access.admin.service.ts';
export { type AccessSnapshot, compileAccess } from './access.compile.ts';
export {
  allUsers,
  type DirectoryUser,
  directoryFromIdentity,
  type IdentityUsers,
  type UserDirectory,
} from './access.directory.ts';
export type {
  AccessAlert,
  AccessElevationService,
  Elevation,
  ElevationRequest,
} from './access.elevation.service.ts';
export { decide, decideRoute, fieldsOf, SCOPE_PERMISSIONS, scopeOf } from './access.engine.ts';
export { accessError } from './access.errors.ts';
export { maskValue, projectFields } from './access.fields.ts';
export { type AccessGate, type ConditionSources, requestContext } from './access.gate.ts';
export { closeDueReviews, expireElevations, startScheduledReviews } from './access.jobs.ts';
export { builtinFieldsMarkdown, builtinMatrixMarkdown } from './access.matrix.ts';
export {
  type AccessJob,
  type AccessModule,
  type AccessModuleDeps,
  createAccessModule,
} from './access.module.ts';
export {
  FIELD_NAMES,
  FIELDS,
  type FieldName,
  type FieldVisibility,
  isFieldName,
  isPermission,
  PERMISSION_NAMES,
  PERMISSIONS,
  type Permission,
  type PermissionDefinition,
  requirePermission,
  type ScopeKind,
} from './access.permissions.ts';
export {
  type AccessPolicy,
  type AccessPolicyInput,
  accessPolicySchema,
  type CustomRoleInput,
  DEFAULT_ACCESS_POLICY,
} from './access.policy.ts';
export { createReviewSigner, type ReviewSigner, verifyReviewExport } from './access.review.export.ts';
export type { AccessReviewService } from './access.review.service.ts';
export type { ReviewCampaign, ReviewItem, SignedReviewExport } from './access.review.types.ts';
export {
  BUILTIN_ROLE_NAMES,
  BUILTIN_ROLES,
  type BuiltinRoleName,
  isBuiltinRole,
  MFA_REQUIRED_ROLES,
  type PermissionGrant,
  type RoleDefinition,
  SEGREGATION_OF_DUTIES,
} from './access.roles.ts';
export { accessHttpModule } from './access.routes.ts';
export type { AccessTables } from './access.tables.ts';
export type { AccessTeamsService, Team, TeamMember } from './access.teams.service.ts';
export type { TimeWindow } from './access.time-windows.ts';
export type {
  AccessRequestContext,
  AccessScope,
  Allow,
  Decision,
  DecisionContext,
  Deny,
  DenyCondition,
  DeviceAssessment,
  DevicePostureSource,
  WorkforceAssessment,
  WorkforceStandingSource,
} from './access.types.ts';
