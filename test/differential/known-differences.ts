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

// ------------------------------------------------------------------------------------------------
// HERALD_BUGS_PENDING_FIX — Herald is wrong; the integrator removes entries as fixes land.
// ------------------------------------------------------------------------------------------------
export const HERALD_BUGS_PENDING_FIX: readonly KnownDifference[] = [
  // Empty: every Herald bug the harness found has been fixed. Add new ones here with the issue item.
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
    pairs: [...pairs('datetime-z', ['example']), /^v[34] datetime-z :: random#\S+ \$\.v upper$/],
    herald: 'pass',
    why: 'Pact rejects "UTC" for `z` (InvalidTimezone). java.time parses `z` with ZoneTextPrinterParser (a ZoneIdPrinterParser), which reads "UTC", "GMT" and "UT" (with or without an offset) before its name tree. (Herald, knowingly, does not read region ids such as Europe/Paris under `z`, though java.time\'s tree holds them — date-format.ts; Pact rejects them too, so no difference shows.)',
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
    pairs: pairs('time-hh-a', ['10:00 am']),
    herald: 'fail',
    why: 'Pact matches AM/PM text case-insensitively. java.time: "a am-pm-of-day text PM", parsed as text, and DateTimeFormatterBuilder.parseCaseSensitive: "Parsing can be case sensitive or insensitive - by default it is case sensitive"; DateTimeFormatter.ofPattern("hh:mm a", Locale.US).parse("10:00 am") throws DateTimeParseException ("am" is not "AM").',
  },
  {
    pairs: [/^v[34] time-hh-a :: random#\S+ \$\.v (upper|nfd)$/],
    herald: 'fail',
    why: 'As time-hh-a :: 10:00 am: java.time parses the AM/PM text case-sensitively, and no other text.',
  },
  {
    pairs: pairs('date-text', ['wrong weekday']),
    herald: 'fail',
    why: 'Pact does not check the day of the week against the date. java.time resolves the parsed fields and cross-checks them (Parsed.crossCheck): DateTimeFormatter.ofPattern("EEE, dd MMM yyyy", Locale.US).parse("Mon, 05 Jan 2024") throws DateTimeParseException "Conflict found: Field DayOfWeek 1 differs from DayOfWeek 5 derived from 2024-01-05"; 2024-01-05 is a Friday.',
  },
  {
    pairs: pairs('regex-classes', ['d arabic-indic digits', 'd fullwidth digits', 'w accented']),
    herald: 'fail',
    why: 'Pact runs the consumer\'s regex with Rust\'s regex crate, where \\d and \\w are Unicode classes ("\\d digit (\\p{Nd})"). The consumer wrote it in pact-js (a JavaScript RegExp source), where ECMAScript defines \\d as 0-9 and \\w as [A-Za-z0-9_]; pact-jvm (java.util.regex: "\\d A digit: [0-9]") agrees. A consumer validating with its own regex rejects "١٢", so passing it is a false pass.',
  },
  {
    pairs: [/^v[34] regex-(classes|non-string) :: random#\S+ \$\.[dw] (nfd|upper|appended-x|lone-surrogate)$/],
    herald: 'fail',
    why: "As regex-classes :: w accented: a combining mark (NFD) is in Rust's Unicode \\w, not in ECMAScript's or Java's.",
  },
  {
    pairs: [...pairs('regex-non-string', ['w null', 'n null']), /^v[34] regex-(classes|non-string) :: random#\S+ \$\.\w+ null$/],
    herald: 'fail',
    why: 'Pact stringifies JSON null to "null" and matches that against the regex, so null passes ^\\w+$ and ^n.ll$. pact-jvm\'s matchRegex (core/matchers MatcherExecutor.kt) was fixed to `if (actual == null || actual is JsonValue.Null) false`; the V4 table gives null its own matcher ("Null | Match if the value is a null value"). A consumer running its regex on null gets no text at all.',
  },
  {
    pairs: [
      ...pairs('regex-non-string', ['w true', 'd number 12']),
      ...pairs('meta-regex', ['x-version=number 3']),
      /^v[34] (regex|regex-classes|regex-non-string|term-v2|v2-formats|meta-regex) :: random#\S+ (meta )?\S+ number$/,
    ],
    herald: 'fail',
    why: 'Herald\'s decision, AGAINST THE LETTER of the matcher table, which Pact follows: "Regex | This executes a regular expression match against the string representation of a values", so pact-rust matches 12 as "12" and true as "true". Herald: a regex rule whose example is a string says the consumer reads a string; a number or boolean there is the silent type change of SCENARIOS.md scenario 1 (contractors change `stock` from a string to an integer; Materials, reading a string, breaks in production; Herald must fail it). Factory metadata is compared typed (only Kafka\'s byte headers read "3" as 3), so a metadata 3 is a number too.',
  },
  {
    pairs: pairs('meta-content-type', ['contentType=upper-case']),
    herald: 'pass',
    why: 'Pact compares content types case-sensitively. RFC 9110 §8.3.1: "The type and subtype tokens are case-insensitive"; APPLICATION/JSON is application/json.',
  },
];

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [...HERALD_BUGS_PENDING_FIX, ...PACT_WRONG];

/**
 * Contracts pact-js' own DSL writes whose example both verifiers reject: listed with the reason, so
 * the example check still flags any new one.
 */
export const UNSATISFIABLE_EXAMPLES: readonly { readonly pairs: readonly string[]; readonly why: string }[] = [
  {
    pairs: pairs('meta-content-type-rule', ['example']),
    why: 'pact-js writes M.contentType("application/json") on a metadata value with the example "application/json" itself. The V4 matcher table checks the value\'s bytes ("the byte string representation of the attribute/field must match the given content type"), and the text "application/json" is not JSON, so pact-rust and Herald both fail it.',
  },
];
