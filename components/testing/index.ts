/**
 * `@nas-key-manager/components/testing`: an in-memory service and sample data, so a demo, a
 * Storybook story or a consumer's test can show `<api-key-manager>` without a NAS.
 */
export { MemoryKeyService, ValidationProblem } from './memory-service.js';
export * from './sample-keys.js';
