/**
 * TrueNAS connection library: public API. Runs in browsers and Node (no Lit, no extension APIs).
 * See docs/client.md.
 */
export { TrueNasClient, isRetryable } from './client.js';
export { ApiKeysApi, UsersApi, SystemApi, FULL_ALLOWLIST, containsPattern } from './api.js';
export type { SystemInfo, UserQueryOptions } from './api.js';
export { AccountsApi, normalizeAccountUser, normalizeGroup, normalizePrivilege, normalizeRole } from './accounts.js';
export type { AccountUser, AccountGroup, Privilege, PrivilegeInput, ServiceUserInput } from './accounts.js';
export { ScopedKeyError, createScopedKey, planScopedKey, takenNames } from './scoped-key.js';
export {
  LEGACY_ALLOWLIST_PRESETS,
  PURPOSE_ROLES,
  REFUSED_ROLES,
  SCOPED_PURPOSES,
  ScopedKeyInputError,
  checkScopedRoles,
  describeScopedStep,
  nameSlug,
  planScopedKey as planScopedKeyFor,
  scopedKeyFailureOf,
  serviceNames,
} from '../model/scoped-key.js';
export type {
  PlanContext,
  RoleInfo,
  ScopedKeyCreated,
  ScopedKeyFailure,
  ScopedKeyInput,
  ScopedKeyPlan,
  ScopedKeyResult,
  ScopedKeyStep,
  ScopedPurpose,
  ScopedStepKind,
  ServiceNames,
  TakenNames,
} from '../model/scoped-key.js';
export { keyAccess, summarizeAllowlist, summarizeRoles } from '../model/key-access.js';
export { allowlistSurvives, nextUpgradeFor, upgradeRisks, upgradeSummary } from '../model/upgrade-risks.js';
export { featureUnavailableReason } from '../model/api-key.js';
export type {
  EndSessionsResult,
  HashScheme,
  KeyAccess,
  KeyAccessSummary,
  KeyFeature,
  KeyLastUse,
  KeySession,
  KeySessionsReport,
  KeyUsageReport,
  UpgradePath,
  UpgradeReadiness,
  UpgradeRisk,
  UpgradeRiskReason,
} from '../model/api-key.js';
export { DEFAULT_AUDIT_RETENTION_DAYS, DEFAULT_USAGE_LIMIT, keyUsage, lastUseOf, usageQuery } from './usage.js';
export type { KeyUsageOptions } from './usage.js';
export { keySessions, normalizeSession, sessionsOfKey, terminateKeySessions } from './sessions.js';
export { LoginLimiter, defaultLoginLimiter } from './limiter.js';
export type { LoginLimiterOptions } from './limiter.js';
export { capabilitiesFrom, parseVersion } from './capabilities.js';
export { checkHostAddress, describeAddressProblem, parseHostAddress, isLoopbackHost, endpointUrl, mayReceiveKey } from './url.js';
export type { AddressCheck, AddressProblem, HostAddress } from './url.js';
export { encodeDate, decodeDate, hashSchemeOf, normalizeApiKey, normalizeKeyWithSecret, normalizeUser, fieldErrorsFrom, fieldOf } from './wire.js';
export type {
  WireDate,
  WireApiKey,
  WireApiKeyLegacy,
  WireApiKey2504,
  WireApiKey2510,
  WireApiKey26,
  WireApiKeyWithSecret,
  WireUser,
} from './wire.js';
export {
  TrueNasError,
  InvalidUrlError,
  InvalidInputError,
  TransportError,
  UnreachableError,
  ConnectionClosedError,
  ProtocolError,
  TimeoutError,
  ClientClosedError,
  InsecureTransportError,
  RateLimitError,
  RequestTooLargeError,
  ResponseTooLargeError,
  CallError,
  ValidationError,
  NotFoundError,
  MethodNotFoundError,
  NotAuthenticatedError,
  AuthError,
  InvalidCredentialsError,
  CredentialExpiredError,
  AccessDeniedError,
  RedirectError,
  OtpRequiredError,
  ServerProofError,
  redactSecrets,
  nasTextForDisplay,
} from './errors.js';
export type { ClientErrorCode, AuthFailure, InsecureTransportReason } from './errors.js';
export type {
  ApiKeyCredentials,
  AuthUserInfo,
  CallOptions,
  ClientEventMap,
  ClientLogger,
  ClientOptions,
  CollectionEvent,
  ConnectionState,
  PublicConnectionState,
  Credentials,
  LoginMechanism,
  LoginOutcome,
  PasswordCredentials,
  QueryFilter,
  QueryOperator,
  QueryOptions,
  ReconnectOptions,
  Subscription,
  TokenCredentials,
  WebSocketConstructor,
  WebSocketLike,
} from './types.js';
