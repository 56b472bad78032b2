/**
 * herald/bidirectional (docs/bidirectional.md): which fields consumers use, contracts against a
 * provider's AsyncAPI spec, breaking changes between spec versions, AsyncAPI export.
 */
export { usageOf, unusedFields } from './usage/usage';
export type { FieldUsage, UnusedFields } from './usage/usage';
export type { VerifyHandlerOptions, UsageReport } from './usage/hook';
export { loadSpec, parseSpec } from './asyncapi/load';
export type { Spec, SpecMessage, SpecChannel, SpecKind, SpecAction } from './asyncapi/model';
export { compareContracts, compareInteraction } from './compare/compare';
export type { CompareOptions, CompareResult, CompareStatus, ComparisonReport, ComparisonSummary } from './compare/compare';
export type { Finding, FindingCode, Severity } from './compare/findings';
export { diffSpecs } from './compare/diff';
export type { DiffReport, DiffOptions, DiffSummary, SpecChange, ChangeKind, Classification, AffectedInteraction } from './compare/diff';
export { contractsToAsyncApi } from './compare/asyncapi-export';
export type { AsyncApiExportOptions } from './compare/asyncapi-export';
export { renderCompareReport, renderDiffReport } from './compare/report';
export type { CompareReporterName, RenderOptions } from './compare/report';
