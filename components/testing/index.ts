/**
 * `@nas-key-manager/components/testing`: an in-memory service and sample data, so a demo, a
 * Storybook story or a consumer's test can show `<api-key-manager>` without a NAS.
 */
export { MemoryKeyService, ValidationProblem } from './memory-service.js';
export { MemoryInsights, MemoryScopedKeyError, SAMPLE_ROLES } from './memory-insights.js';
export type { ScopedStepFault } from './memory-insights.js';
export * from './sample-keys.js';
