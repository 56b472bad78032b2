/**
 * Reading request bodies: each reader names the field it failed on, so a 400 says what to send.
 * Names (pacticipants, versions, branches, tags, environments) are 1–255 printable characters.
 */
import { isJsonObject, type JsonObject } from './pact-content';
import { problem } from './problem';

const NAME = /^[^\u0000-\u001f\u007f]{1,255}$/u;

export function objectBody(body: unknown): JsonObject {
  if (!isJsonObject(body)) throw problem(400, 'body', 'The request body must be a JSON object.');
  return body;
}

export function requiredName(body: JsonObject, field: string, what = field): string {
  const value = body[field];
  if (value === undefined || value === null || value === '') throw problem(400, field, `${what} is required.`);
  return checkName(value, field);
}

export function optionalName(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  return checkName(value, field);
}

export function checkName(value: unknown, field: string): string {
  if (typeof value !== 'string') throw problem(400, field, `${field} must be a string, got ${value === null ? 'null' : typeof value}.`);
  if (!NAME.test(value)) throw problem(400, field, `${field} must be 1 to 255 characters without control characters.`);
  return value;
}

export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw problem(400, field, `${field} must be true or false, got ${JSON.stringify(value)}.`);
  return value;
}

export function optionalNames(body: JsonObject, field: string): string[] {
  const value = body[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw problem(400, field, `${field} must be an array of strings.`);
  return value.map((item, index) => checkName(item, `${field}[${index}]`));
}
