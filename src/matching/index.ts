/**
 * Matching: compare received messages with contract interactions, and render the mismatches.
 *
 * @example
 * const mismatches = matchMessage(interaction, { content, contentType: 'application/json', metadata: headers });
 * if (mismatches.length > 0) console.error(formatMismatches(mismatches, { contractFile, consumer, provider, interaction: interaction.description }));
 */
export { matchBody, matchMetadata, matchMessage, metadataNotes, selectRule } from './engine';
export type { ActualMessage, MatchBodyOptions } from './engine';
export { formatMismatch, formatMismatches } from './format';
export type { FormatContext, FormatOptions } from './format';
export { appendKey, formatPath, parsePath, pathWeight } from '../contract/path';
export type { ParsedPath, PathSegment, PathToken } from '../contract/path';
export type { CheckFailure, Mismatch, MismatchCode, MismatchPart } from '../matchers/mismatch';
