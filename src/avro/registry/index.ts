/** Schema registries: Herald's embedded Confluent-compatible registry, and the client for any registry. */
export { startSchemaRegistry, REGISTRY_CONTENT_TYPE } from './server';
export type { SchemaRegistryOptions, StartedSchemaRegistry } from './server';
export { SchemaRegistryClient, schemaRegistryClient, schemaRegistryFromEnv, SCHEMA_REGISTRY_PEER, SCHEMA_REGISTRY_ENV } from './client';
export type { SchemaRegistryConfig, SchemaRegistryAuth, SchemaRegistryOption, HasSchemaRegistryClient } from './client';
export { REGISTRY_ERRORS } from './store';
