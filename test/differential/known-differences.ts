/**
 * Every pair on which Herald and pact-js 16's Rust verifier (pact_ffi 0.5.4, pact_models 1.3.11)
 * disagree, with the reason. The differential test fails on a disagreement not listed here, and on
 * a listed pair that ran and agreed (the list must stay true). Pair ids are interaction descriptions:
 * `${spec version} ${case} :: ${mutation}` (corpus.ts).
 *
 * Two sections:
 * - HERALD_BUGS_PENDING_FIX: Herald is wrong. Issue 9 item numbers in brackets. Expected to still
 *   occur for now; remove an entry when its fix lands (the stale check says which).
 * - PACT_WRONG: Herald is right, by the spec text or the java.time behaviour quoted. Pact's Rust core
 *   has these bugs; Herald must not copy them.
 *
 * Spec text quoted from the V4 specification's matcher table (pact-foundation/pact-specification,
 * branch version-4, README "Matching Rules") and java.time's DateTimeFormatter, which the table names
 * for date formats: "These are based on the Java DateTimeFormatter."
 */
export interface KnownDifference {
  /** Pair ids, or patterns for the seeded random mutations. */
  readonly pairs: readonly (string | RegExp)[];
  /** Herald's verdict on those pairs (pact-js gave the other). */
  readonly herald: 'pass' | 'fail';
  readonly why: string;
  /**
   * The pair may also agree today: a difference that appears only once a pending Herald fix lands
   * (Herald then right). Exempt from the stale check.
   */
  readonly mayAgree?: true;
}

/** The same mutations of one case, in both spec versions (or the ones given). */
const pairs = (caseId: string, mutations: readonly string[], versions: readonly ('v3' | 'v4')[] = ['v3', 'v4']): string[] => versions.flatMap((v) => mutations.map((m) => `${v} ${caseId} :: ${m}`));

const NUMERIC_TEXT = ['"3"', '"03"', '"0x3"', '"3.0"', '"3e0"', '" 3 "'];

// ------------------------------------------------------------------------------------------------
// HERALD_BUGS_PENDING_FIX — Herald is wrong; the integrator removes entries as fixes land.
// ------------------------------------------------------------------------------------------------
export const HERALD_BUGS_PENDING_FIX: readonly KnownDifference[] = [
  {
    pairs: [...pairs('datetime-XXX', ['+25:00', '+01:99']), ...pairs('meta-datetime', ['sentAt=+25:00'])],
    herald: 'pass',
    why: '[1] False pass: offset +25:00 / +01:99 accepted for XXX. java.time ZoneOffset: "The offset must be in the range -18:00 to +18:00"; minutes 0–59.',
  },
  {
    pairs: pairs('datetime-z', ['XYZ']),
    herald: 'pass',
    why: '[2] False pass: `z` accepts any letters. java.time parses `z` as a zone name or zone id; "XYZ" is neither.',
  },
  {
    pairs: pairs('time-k', ['00:30']),
    herald: 'pass',
    why: '[3] False pass: `k` read as `H`. java.time: "k clock-hour-of-day number 24" — range 1–24, so 00:30 is not a kk:mm time.',
  },
  {
    pairs: pairs('time-k', ['example', '24:00']),
    herald: 'fail',
    why: '[3] False fail, same mechanism: 24:00 is valid for `k` (clock-hour-of-day 1–24), and is the DSL example itself.',
  },
  {
    pairs: [...pairs('datetime-XXX', ['5-digit year']), ...pairs('date-yyyy-MM-dd', ['5-digit year']), ...pairs('date-uuuu', ['5-digit year'])],
    herald: 'pass',
    why: '[4] False pass: `yyyy` / `uuuu` accept 12024. java.time: "Year: ... Otherwise, the sign is output if the pad width is exceeded, as per SignStyle.EXCEEDS_PAD"; strict parsing rejects more than 4 digits without a sign.',
  },
  {
    pairs: pairs('integer', ['1e21', '2^64', '-2^63']),
    herald: 'pass',
    why: '[5] False pass: the wire carries 1e+21, 18446744073709552000, -9223372036854776000 (JSON.stringify), which no integer type holds; the matcher table: "integer will match numeric values with no decimals". Decide from the number as written, not a rounded double.',
  },
  {
    pairs: pairs('decimal', ['1e21']),
    herald: 'fail',
    why: '[5] Same mechanism, false fail: 1e+21 on the wire is a floating-point literal (an exponent), not an integer literal; Herald decides "integer" from Number.isInteger of the rounded double.',
  },
  {
    pairs: [
      ...pairs(
        'meta-integer',
        NUMERIC_TEXT.map((t) => `attempt=${t}`),
      ),
      ...pairs(
        'meta-number',
        NUMERIC_TEXT.map((t) => `weight=${t}`),
      ),
      ...pairs('meta-literal', [...NUMERIC_TEXT.map((t) => `attempt=${t}`), 'flag="true"', 'version=2 (number)']),
      ...pairs('meta-string', ['source=number']),
      ...pairs('meta-kafka', ['kafka_key=number']),
    ],
    herald: 'pass',
    why: '[6] False pass: metadata coerced through Number()/String(). A factory\'s metadata values are JSON values; the contract says 3 (a number), true (a boolean), "2" / "svc" / "k-1" (strings). Text → number decoding belongs to Kafka\'s byte headers only.',
  },
  {
    pairs: [...pairs('string', ['lone high surrogate', 'lone low surrogate']), ...pairs('meta-string', ['source=lone surrogate'])],
    herald: 'pass',
    why: '[7] False pass: a string with a lone surrogate cannot be encoded as UTF-8 (RFC 8259 §8.1: JSON text exchanged between systems "MUST be encoded using UTF-8"); the Rust verifier cannot even parse it.',
  },
  {
    pairs: pairs('meta-content-type-rule', ['example', 'payloadType=text/plain', 'payloadType=image/png', 'payloadType=garbage']),
    herald: 'pass',
    why: '[8] A contentType rule on a metadata value checks nothing. V4 matcher table: "ContentType | Match binary data by its content type (magic file check)"; "the byte string representation of the attribute/field must match the given content type". None of these values is JSON data (not even the DSL\'s own example "application/json", which pact-js lets the consumer write).',
  },
  {
    pairs: pairs('meta-kafka', ['kafka_topic missing']),
    herald: 'pass',
    why: '[9] False pass: the contract states kafka_topic; the factory does not say where it publishes, so Herald skips the channel check with only a note.',
  },
  {
    pairs: pairs('date-era-quarter', ['example', 'BC', 'Q4']),
    herald: 'fail',
    why: '[16] False fail: pattern letter Q (quarter-of-year) unsupported, so every message fails. java.time: "Q/q quarter-of-year number/text 3; 03; Q3; 3rd quarter".',
  },
  {
    pairs: pairs('iso8601-v2', ['example', 'dt +0530', 'd week date', 'd ordinal']),
    herald: 'fail',
    why: "[17] False fail: pact-js' own ISO8601_DATE_FORMAT regex has a look-ahead and a back-reference; Herald refuses the whole file (every interaction) instead of that rule.",
  },
  {
    pairs: pairs('text-body', ['""']),
    herald: 'fail',
    why: '[19] False fail: the JSON string "" is a body (a string, matching the type rule on $), not "no body".',
  },
  {
    pairs: pairs('notEmpty', ['v number', 'n string']),
    herald: 'fail',
    why: '[20] False fail: V4 matcher table: "NotEmpty | Value must be present and not empty (not null or the empty string)" — no type check; Herald demands the example\'s type.',
  },
  // Seeded random mutations (run.ts --count/--seed, and the test's fixed seed) hit the classes above again:
  {
    pairs: [/ :: random#\S+ (meta )?\S+ 1e21$/],
    herald: 'pass',
    why: '[5] As integer :: 1e21: a random 1e21 under an integer rule, an equality or a metadata integer passes Herald.',
  },
  {
    pairs: [/^v[34] decimal :: random#\S+ \$\.v 1e21$/],
    herald: 'fail',
    why: '[5] As decimal :: 1e21.',
  },
  {
    pairs: [/ :: random#\S+ (meta )?\S+ lone-surrogate$/],
    herald: 'pass',
    why: '[7] As string :: lone high surrogate.',
  },
  {
    pairs: [/ :: random#\S+ meta \S+ (as-string|number|negated|as-number|true)$/],
    herald: 'pass',
    why: "[6] As meta-literal: metadata of another JSON type coerced to the contract's.",
  },
  {
    pairs: [/ :: random#\S+ meta kafka_topic removed$/],
    herald: 'pass',
    why: '[9] As meta-kafka :: kafka_topic missing.',
  },
  {
    pairs: [/^v[34] meta-content-type-rule :: random#/],
    herald: 'pass',
    why: '[8] As meta-content-type-rule :: example: the rule checks nothing in Herald.',
  },
  {
    pairs: [/^v[34] datetime-z :: random#\S+ \$\.v (appended-x|upper)$/],
    herald: 'pass',
    why: '[2] As datetime-z :: XYZ: "UTCx" is no zone name or id.',
  },
  {
    pairs: [/^v[34] time-k :: random#/],
    herald: 'fail',
    why: '[3] As time-k :: 24:00.',
  },
  {
    pairs: [/^v[34] date-era-quarter :: random#/],
    herald: 'fail',
    why: '[16] As date-era-quarter :: example: Q makes every message fail.',
  },
  {
    pairs: [/^v[34] iso8601-v2 :: random#/],
    herald: 'fail',
    why: '[17] As iso8601-v2 :: example: the whole file is refused.',
  },
  {
    pairs: [/^v[34] text-body :: random#\S+ body ""$/],
    herald: 'fail',
    why: '[19] As text-body :: "".',
  },
  {
    pairs: [/^v[34] notEmpty :: random#/],
    herald: 'fail',
    why: '[20] As notEmpty :: n string: notEmpty checks presence, not type.',
  },
  {
    pairs: pairs('date-DDD', ['day 366 non-leap']),
    herald: 'pass',
    why: "NEW (not in issue 9), false pass: yyyy-DDD accepts 2023-366. java.time (SMART resolver, the default) resolves year + day-of-year with LocalDate.ofYearDay, which throws \"Invalid date 'DayOfYear 366' as '2023' is not a leap year\". Fix with item 22 (calendar-invalid dates).",
  },
];

// ------------------------------------------------------------------------------------------------
// PACT_WRONG — Herald is right; bugs in Pact's Rust core (pact_models date/time parser, matchers).
// ------------------------------------------------------------------------------------------------
export const PACT_WRONG: readonly KnownDifference[] = [
  {
    pairs: pairs('datetime-XXX', ['+14:00', '-12:00', '+18:00', '+15:00']),
    herald: 'pass',
    why: 'Pact rejects offsets of ±12 h and more (InvalidHour). java.time ZoneOffset: "The offset must be in the range -18:00 to +18:00"; +14:00 (Kiribati) and -12:00 are real offsets.',
  },
  {
    pairs: pairs('datetime-z', ['example', 'Europe/Paris']),
    herald: 'pass',
    why: 'Pact rejects "UTC" (InvalidTimezone) and zone ids for `z`. java.time parses `z` with ZoneTextPrinterParser, whose tree holds every region id (`tree.add(zid, zid)`) and UTC/GMT/UT. Note for item 2\'s fix: keep accepting region ids.',
  },
  {
    pairs: pairs('date-DDD', ['day 357', 'day 366 leap']),
    herald: 'pass',
    why: 'Pact rejects day-of-year above 356 (InvalidDayInYear). java.time: "D day-of-year number 189"; DAY_OF_YEAR ranges 1–365/366 (2024 is a leap year).',
  },
  {
    pairs: [...pairs('time-HH', ['1:00:00']), ...pairs('date-yyyy-MM-dd', ['single digits', '3-digit year'])],
    herald: 'fail',
    why: 'Pact parses fixed-width fields leniently. java.time: "Number: ... Otherwise, the count of digits is used as the width of the output field" — HH, MM, dd are exactly two digits, yyyy at least four, in strict parsing (ofPattern\'s default).',
  },
  {
    pairs: pairs('timestamp', ['2 fraction digits']),
    herald: 'fail',
    why: 'Pact accepts ".12" for SSS. java.time: "Fraction: Outputs the nano-of-second field as a fraction-of-second ... The count of pattern letters determines the width" — SSS is exactly three digits.',
  },
  {
    pairs: pairs('date-text', ['upper month']),
    herald: 'fail',
    why: 'Pact matches month text case-insensitively. java.time DateTimeFormatterBuilder.parseCaseSensitive: "Parsing can be case sensitive or insensitive - by default it is case sensitive"; "JAN" is not "Jan".',
  },
  {
    pairs: [/^v[34] date-text :: random#\S+ \$\.v upper$/],
    herald: 'fail',
    why: 'As date-text :: upper month: java.time parses text case-sensitively by default.',
  },
  {
    pairs: pairs('regex-classes', ['d arabic-indic digits', 'd fullwidth digits', 'w accented']),
    herald: 'fail',
    why: 'Pact runs the consumer\'s regex with Rust\'s regex crate, where \\d and \\w are Unicode classes ("\\d digit (\\p{Nd})"). The consumer wrote it in pact-js (a JavaScript RegExp source), where ECMAScript defines \\d as 0-9 and \\w as [A-Za-z0-9_]; pact-jvm (java.util.regex: "\\d A digit: [0-9]") agrees. A consumer validating with its own regex rejects "١٢", so passing it is a false pass.',
  },
  {
    pairs: [/^v[34] regex-classes :: random#\S+ \$\.[dw] (nfd|upper|appended-x|lone-surrogate)$/],
    herald: 'fail',
    why: "As regex-classes :: w accented: a combining mark (NFD) is in Rust's Unicode \\w, not in ECMAScript's or Java's.",
  },
  {
    pairs: [...pairs('regex-non-string', ['w null', 'n null']), /^v[34] regex-(classes|non-string) :: random#\S+ \$\.\w+ null$/],
    herald: 'fail',
    why: 'Pact stringifies JSON null to "null" and matches that against the regex, so null passes ^\\w+$ and ^n.ll$. pact-jvm\'s matchRegex (core/matchers MatcherExecutor.kt) was fixed to `if (actual == null || actual is JsonValue.Null) false`; the V4 table gives null its own matcher ("Null | Match if the value is a null value"). A consumer running its regex on null gets no text at all.',
  },
  {
    pairs: pairs('meta-content-type', ['contentType=upper-case']),
    herald: 'pass',
    why: 'Pact compares content types case-sensitively. RFC 9110 §8.3.1: "The type and subtype tokens are case-insensitive"; APPLICATION/JSON is application/json.',
  },
  {
    pairs: pairs('meta-boolean', ['retry="true"', 'retry="false"']),
    herald: 'pass',
    why: 'V4 matcher table: "Boolean | Match if the value is a boolean value (booleans and the string values `true` and `false`)"; Pact\'s metadata matcher rejects the strings.',
  },
  {
    pairs: pairs('boolean', ['"true"', '"false"']),
    herald: 'pass',
    mayAgree: true,
    why: 'Appears once item 15 lands (today Herald also rejects the strings). V4 matcher table: "Boolean | Match if the value is a boolean value (booleans and the string values `true` and `false`)"; Pact\'s body matcher rejects them.',
  },
];

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [...HERALD_BUGS_PENDING_FIX, ...PACT_WRONG];
