/**
 * The matcher DSL, `m`: each call returns a JSON node with a phantom type, so payload types are
 * inferred from declarations.
 *
 * @example
 * const payload = { orderId: m.uuid(), total: m.decimal(12.5), items: m.eachLike({ qty: m.integer(1) }) };
 */
import { boolean } from './kinds/boolean';
import { arrayContains, eachKey, eachValue, values } from './kinds/collections';
import { and, or } from './kinds/combinators';
import { date, datetime, time } from './kinds/date-time';
import { decimal } from './kinds/decimal';
import { equal } from './kinds/equality';
import { includes } from './kinds/include';
import { integer } from './kinds/integer';
import { notEmpty } from './kinds/not-empty';
import { nullValue } from './kinds/null';
import { number } from './kinds/number';
import { fromProviderState } from './kinds/provider-state';
import { oneOf, regex, uuid } from './kinds/regex';
import { semver } from './kinds/semver';
import { atLeast, atLeastAtMost, atMost, eachLike, like, string } from './kinds/type';

export const m = {
  like,
  string,
  eachLike,
  atLeast,
  atMost,
  atLeastAtMost,
  equal,
  regex,
  oneOf,
  uuid,
  integer,
  decimal,
  number,
  boolean,
  null: nullValue,
  includes,
  date,
  time,
  datetime,
  semver,
  notEmpty,
  values,
  eachKey,
  eachValue,
  arrayContains,
  and,
  or,
  fromProviderState,
} as const;

export type { Matcher, Template, Infer } from './node';
export { isMatcher } from './node';
export type { ArrayOptions } from './kinds/type';
export { checkRule, checkRuleList, kindFor } from './registry';
export type { MatcherKind, CheckInput } from './kind';
export { compileRegex } from './regex';
export { dateFormat } from './date-format';
