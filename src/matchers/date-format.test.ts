import fc from 'fast-check';
import { dateFormat, measureDate } from './date-format';
import { generateValue } from './generate';
import { m } from './index';
import { checkRule } from './registry';

const accepts = (pattern: string, value: string): boolean => dateFormat(pattern).matches(value);
const why = (pattern: string, value: string): string | undefined => dateFormat(pattern).explain(value);

describe('date formats: offsets', () => {
  it('accepts offsets within ±18:00 with minutes below 60, and Z only for X', () => {
    for (const v of ['Z', '+00:00', '+18:00', '-18:00', '+05:30', '-00:00', '+14:00']) expect(accepts('XXX', v)).toBe(true);
    expect(accepts('xxx', '+00:00')).toBe(true);
    expect(accepts('xxx', 'Z')).toBe(false);
    expect(accepts('X', '+01')).toBe(true);
    expect(accepts('X', '+0130')).toBe(true);
    expect(accepts('XX', '+0130')).toBe(true);
    expect(accepts('XX', '+01')).toBe(false);
    expect(accepts('XXXXX', '+01:00:59')).toBe(true);
    expect(accepts('ZZZZZ', 'Z')).toBe(true);
    expect(accepts('Z', '+0100')).toBe(true);
    expect(accepts('O', 'GMT+1')).toBe(true);
    expect(accepts('OOOO', 'GMT+01:00')).toBe(true);
  });

  it('rejects offsets beyond ±18:00 or with minutes or seconds of 60 and more, for every offset letter', () => {
    const cases: [string, string][] = [
      ['XXX', '+25:00'],
      ['XXX', '+01:99'],
      ['XXX', '+18:01'],
      ['XXX', '-19:00'],
      ['X', '+25'],
      ['X', '+0160'],
      ['XX', '+2500'],
      ['XXXX', '+010060'],
      ['XXXXX', '+01:00:60'],
      ['x', '+19'],
      ['xx', '+0199'],
      ['xxx', '+01:60'],
      ['xxxx', '+1900'],
      ['xxxxx', '+18:00:01'],
      ['Z', '+2500'],
      ['Z', '+0160'],
      ['ZZZZ', 'GMT+19:00'],
      ['ZZZZZ', '+01:60'],
      ['O', 'GMT+19'],
      ['O', 'GMT+1:60'],
      ['OOOO', 'GMT+01:99'],
    ];
    for (const [pattern, value] of cases) expect([pattern, value, accepts(pattern, value)]).toEqual([pattern, value, false]);
    expect(why("yyyy-MM-dd'T'HH:mmXXX", '2024-01-05T10:00+25:00')).toMatch(/offset \+25:00 is out of range/);
    expect(why("yyyy-MM-dd'T'HH:mmXXX", '2024-01-05T10:00+01:99')).toMatch(/minutes 99/);
  });
});

describe('date formats: zones', () => {
  it('z takes zone names, not any letters nor region ids', () => {
    for (const v of ['UTC', 'GMT', 'CET', 'CEST', 'PST', 'EST', 'BST', 'JST', 'GMT+02:00']) expect([v, accepts('z', v)]).toEqual([v, true]);
    expect(accepts('zzzz', 'Central European Standard Time')).toBe(true);
    expect(accepts('z', 'XYZ')).toBe(false);
    expect(accepts('z', 'Europe/Paris')).toBe(false);
    expect(why('z', 'Europe/Paris')).toMatch(/written VV/);
    expect(accepts('HH:mm z', '10:00 QQQ')).toBe(false);
  });

  it('VV takes tz database ids, case included', () => {
    for (const v of ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'UTC', 'Etc/GMT+5']) expect([v, accepts('VV', v)]).toEqual([v, true]);
    expect(accepts('VV', 'US/Pacific')).toBe(true);
    for (const v of ['Mars/Olympus', 'europe/paris', 'Europe/PARIS', 'EUROPE/PARIS', 'XYZ', 'Europe/']) expect([v, accepts('VV', v)]).toEqual([v, false]);
  });
});

describe('date formats: hours', () => {
  it('gives each hour letter its own range: H 0–23, k 1–24, K 0–11, h 1–12', () => {
    const ranges: [string, number, number][] = [
      ['HH', 0, 23],
      ['kk', 1, 24],
      ['KK', 0, 11],
      ['hh', 1, 12],
    ];
    for (const [letters, min, max] of ranges) {
      for (let h = 0; h <= 25; h += 1) {
        const value = `${String(h).padStart(2, '0')}:30`;
        expect([letters, value, accepts(`${letters}:mm`, value)]).toEqual([letters, value, h >= min && h <= max]);
      }
    }
    expect(why('kk:mm', '00:30')).toMatch(/clock hour \(k\) 0 .*out of range 1–24/);
  });

  it('checks an hour against its AM/PM marker', () => {
    expect(accepts('h:mm a', '12:05 AM')).toBe(true);
    expect(accepts('HH:mm a', '13:00 PM')).toBe(true);
    expect(accepts('HH:mm a', '13:00 AM')).toBe(false);
    expect(accepts('HH:mm a', '13:00 am')).toBe(false);
  });
});

describe('date formats: years', () => {
  it('yyyy takes exactly four digits unless a + sign announces more (java.time EXCEEDS_PAD, strict)', () => {
    expect(accepts('yyyy-MM-dd', '12024-01-05')).toBe(false);
    expect(why('yyyy-MM-dd', '12024-01-05')).toMatch(/'\+' sign/);
    expect(accepts('yyyy-MM-dd', '+12024-01-05')).toBe(true);
    expect(accepts('yyyy-MM-dd', '+2024-01-05')).toBe(false);
    expect(accepts('yyyy-MM-dd', '024-01-05')).toBe(false);
    expect(accepts('uuuu-MM-dd', '12024-01-05')).toBe(false);
  });

  it('yy takes exactly two digits and y one or more', () => {
    expect(accepts('yy-MM-dd', '24-01-05')).toBe(true);
    expect(accepts('yy-MM-dd', '2024-01-05')).toBe(false);
    expect(accepts('yy-MM-dd', '4-01-05')).toBe(false);
    expect(accepts('y-MM-dd', '4-01-05')).toBe(true);
    expect(accepts('y-MM-dd', '12024-01-05')).toBe(true);
    expect(accepts('yyy-MM-dd', '24-01-05')).toBe(false);
  });

  it('reserves the digits of fixed-width fields written right after a number (adjacent value parsing)', () => {
    expect(accepts('yyyyMMdd', '20240105')).toBe(true);
    expect(accepts('yyyyMMddHHmmss', '20240105103000')).toBe(true);
    expect(accepts('yyyyMMdd', '2024015')).toBe(false);
    expect(accepts('HHmmssSSS', '103000123')).toBe(true);
  });
});

describe('date formats: the letters Pact uses', () => {
  it.each([
    ['G yyyy', 'AD 2024', 'XD 2024'],
    ['GGGG yyyy', 'Anno Domini 2024', 'AD 2024'],
    ['GGGGG y', 'A 2024', 'AD 2024'],
    ['yyyy Q', '2024 3', '2024 5'],
    ['yyyy QQ', '2024 03', '2024 3'],
    ['yyyy QQQ', '2024 Q3', '2024 Q5'],
    ['yyyy QQQQ', '2024 3rd quarter', '2024 3th quarter'],
    ['yyyy-MM qqq', '2024-08 Q3', '2024-08 Q2'],
    ['EEE, d MMM yyyy', 'Mon, 6 May 2024', 'Tue, 6 May 2024'],
    ['EEEE d MMMM yyyy', 'Monday 6 May 2024', 'Mon 6 May 2024'],
    ['e yyyy-MM-dd', '2 2024-05-06', '1 2024-05-06'],
    ['cccc', 'Sunday', 'Sun'],
    ['yyyy-DDD', '2024-366', '2023-366'],
    ['D', '365', '367'],
    ['DDD', '045', '45'],
    ["YYYY-'W'ww", '2024-W05', '2024-W54'],
    ['W', '5', '7'],
    ['HH:mm:ss.SSS', '10:00:00.123', '10:00:00.12'],
    ['HH:mm:ss.n', '10:00:00.123456789', '10:00:00.'],
    ['N', '86399999999999', '86400000000000'],
    ['A', '86399999', '86400000'],
    ["'at' HH 'o''clock'", "at 10 o'clock", 'at 10 oclock'],
    ["''HH''", "'10'", '10'],
    ["yyyy-MM-dd['T'HH:mm[:ss]]", '2024-01-05T10:00:30', '2024-01-05T10'],
    ["yyyy-MM-dd['T'HH:mm[:ss]]", '2024-01-05', '2024-01-05T25:00'],
  ])('%s accepts %j and rejects %j', (pattern, good, bad) => {
    expect(why(pattern, good)).toBeUndefined();
    expect(accepts(pattern, bad)).toBe(false);
  });

  it('refuses letters it cannot check with a clear reason, and the rule fails instead of passing', () => {
    expect(() => dateFormat('yyyy-BB')).toThrow(/pattern letter 'B' is not supported/);
    expect(() => dateFormat('HHH')).toThrow(/too many pattern letters 'HHH'/);
    expect(() => dateFormat('V')).toThrow(/zone id is written VV/);
    expect(() => dateFormat("HH 'o")).toThrow(/quote .* is not closed/);
    expect(() => dateFormat('HH]')).toThrow(/has no '\['/);
    expect(() => dateFormat('yyyy#')).toThrow(/reserved/);
    const failure = checkRule({ match: 'datetime', format: 'yyyy vvvv' }, '2024 Pacific Time', undefined);
    expect(failure?.code).toBe('unsupported');
    expect(failure?.message).toMatch(/pattern letter 'v'/);
  });
});

describe('date formats: what is wrong with a date', () => {
  it.each([
    ['yyyy-MM-dd', '2023-02-30', 'day 30 is not in February 2023'],
    ['yyyy-MM-dd', '2023-02-29', 'day 29 is not in February 2023'],
    ['yyyy-MM-dd', '2024-04-31', 'day 31 is not in April 2024'],
    ['MM-dd', '02-30', 'day 30 is not in February'],
    ['yyyy-MM-dd', '2023-13-01', "month 13 ('MM') is out of range 1–12"],
    ['yyyy-MM-dd', '2023-00-01', "month 0 ('MM') is out of range 1–12"],
    ['yyyy-MM-dd', '2023-01-32', "day 32 ('dd') is out of range 1–31"],
    ['yyyy-DDD', '2023-366', 'day-of-year 366 is not in 2023 (365 days)'],
    ['EEE yyyy-MM-dd', 'Tue 2024-05-06', '2024-05-06 is a Monday, not a Tuesday'],
    ['yyyy-MM QQQ', '2024-08 Q2', 'quarter 2 does not contain August'],
    ['HH:mm', '10:61', "minute 61 ('mm') is out of range 0–59"],
  ])('%s with %j says %j', (pattern, value, message) => {
    expect(why(pattern, value)).toBe(message);
  });

  it('names the position and what was expected when the text does not fit', () => {
    expect(why('yyyy-MM-dd', '2024/01/05')).toBe('not in the format: expected "-" at character 5 (found "/01/05")');
    expect(why('yyyy-MM-dd', '2024-01-05Z')).toBe('not in the format: unexpected "Z" at character 11');
  });

  it('puts the reason in the mismatch message', () => {
    const failure = checkRule({ match: 'date', format: 'yyyy-MM-dd' }, '2023-02-30', undefined);
    expect(failure?.code).toBe('format');
    expect(failure?.message).toBe('Expected a date in the format "yyyy-MM-dd" but got "2023-02-30": day 30 is not in February 2023');
  });
});

describe('date formats: hostile patterns cost a bounded number of steps', () => {
  const hostile: [string, string][] = [
    ['yDyDyDyDyDyDyDyD', '1'.repeat(41)],
    ['yDyDyDyDyDyDyDyD', '1'.repeat(100_000)],
    ['yD'.repeat(500), '12'.repeat(50_000)],
    ['y'.repeat(19), '9'.repeat(200_000)],
    [`${'['.repeat(300)}y${']'.repeat(300)}`, '1'.repeat(100_000)],
    [`${"['x'".repeat(300)}y${']'.repeat(300)}`, `${'x'.repeat(299)}!`],
    ['MMMMdMMMMdMMMMd', 'January1'.repeat(10_000)],
    ['VVzVVzVVz', 'Europe/Paris'.repeat(10_000)],
    ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", `2024-01-05T10:00:00.${'1'.repeat(100_000)}`],
  ];
  it.each(hostile)('%s against %#: a verdict within a step budget independent of the value', (pattern, value) => {
    const { problem, steps } = measureDate(pattern, value);
    expect(typeof problem).toBe('string');
    // Steps depend on the pattern only: numbers read ≤ 19 + reserved digits, names ≤ their table.
    expect(steps).toBeLessThanOrEqual(1_000 * (pattern.length + 1));
  });

  it('the step count grows linearly with the pattern, also when every field parses', () => {
    const steps = (n: number): number => {
      const { problem, steps: count } = measureDate("HH:mm:ss.SSS'|'yyyyMMdd[X]".repeat(n), '10:00:00.123|20240105Z'.repeat(n));
      expect(problem).toBeUndefined();
      return count;
    };
    const [small, large] = [steps(100), steps(400)];
    expect(large).toBeLessThanOrEqual(4 * small + 100);
    expect(large).toBeLessThanOrEqual(60 * "HH:mm:ss.SSS'|'yyyyMMdd[X]".length * 400);
  });

  it('the step count does not grow with the value', () => {
    const short = measureDate('yDyDyDyDyDyDyDyD', '1'.repeat(41)).steps;
    const long = measureDate('yDyDyDyDyDyDyDyD', '1'.repeat(1_000_000)).steps;
    expect(long).toBe(short);
  });
});

describe('date formats: generators', () => {
  const patterns = [
    "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
    'yyyy-MM-dd',
    'HH:mm:ss',
    "G yyyy QQQQ EEEE MMMM d 'day' D",
    'yy-M-d h:mm a',
    'kk:mm K',
    'uuuu-MM-dd VV',
    'yyyy-MM-dd HH:mm z',
    "yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnnZ",
    'yyyyMMddHHmmssSSS',
    "YYYY-'W'ww-e",
    'O OOOO x xx xxx ZZZZ ZZZZZ X',
    "yyyy-MM-dd['T'HH:mm[:ss]]",
    'N A g',
    'GGGGG ccccc qqq LLL',
  ];
  it.each(patterns)('values generated for %s pass the matcher', (pattern) => {
    for (const type of ['DateTime', 'Date', 'Time']) {
      const value = generateValue({ type, format: pattern }, '', {});
      expect([pattern, value, typeof value === 'string' ? why(pattern, value) : 'not a string']).toEqual([pattern, value, undefined]);
    }
  });

  it('m.date() and friends build examples their own rule accepts', () => {
    expect(m.datetime("G yyyy-MM-dd'T'HH:mmXXX '['VV']'")).toBeDefined();
    expect(m.date('yyyy QQQ')).toBeDefined();
    expect(() => m.date('yyyy-MM-dd', '2023-02-29')).toThrow(/day 29 is not in February 2023/);
  });
});

describe('date formats: properties', () => {
  const instant = fc.date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)), noInvalidDate: true });
  const patterns = fc.constantFrom(
    "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
    'd MMM uuuu hh:mm:ss a',
    'EEEE, MMMM d, yyyy',
    'yyyy-DDD',
    'kk:mm:ss',
    'KK:mm a',
    "yyyy QQQQ 'week' w",
    'yyyyMMddHHmmss',
    'G y-M-d H:m:s',
    'yy/MM/dd',
    "yyyy-MM-dd'T'HH:mm:ss.SSSSSSz",
  );

  it('formatting any date and then matching it passes', () => {
    fc.assert(
      fc.property(patterns, instant, (pattern, date) => {
        const value = dateFormat(pattern).format(date);
        expect([pattern, value, why(pattern, value)]).toEqual([pattern, value, undefined]);
      }),
      { numRuns: 400 },
    );
  });

  it('formats each instant as on its own, whatever came before (the last text is kept for the same instant only)', () => {
    // A Date subclass is always printed afresh.
    class Fresh extends Date {}
    fc.assert(
      fc.property(patterns, fc.array(instant, { minLength: 1, maxLength: 6 }), (pattern, dates) => {
        const format = dateFormat(pattern);
        for (const date of [...dates, ...dates.reverse()]) expect(format.format(new Date(date.getTime()))).toBe(format.format(new Fresh(date.getTime())));
      }),
      { numRuns: 200 },
    );
  });

  /** One field of an ISO-like value: its pattern letters, and valid and out-of-range values as text. */
  interface FieldCase {
    readonly letters: string;
    readonly valid: fc.Arbitrary<string>;
    readonly invalid: fc.Arbitrary<string>;
  }
  const two = (n: number): string => String(n).padStart(2, '0');
  const range = (min: number, max: number, width = 2): fc.Arbitrary<string> => fc.integer({ min, max }).map((n) => String(n).padStart(width, '0'));
  const fieldCases: Record<string, FieldCase> = {
    month: { letters: 'MM', valid: range(1, 12), invalid: fc.oneof(fc.constant('00'), range(13, 99)) },
    hourH: { letters: 'HH', valid: range(0, 23), invalid: range(24, 99) },
    hourk: { letters: 'kk', valid: range(1, 24), invalid: fc.oneof(fc.constant('00'), range(25, 99)) },
    hourK: { letters: 'KK', valid: range(0, 11), invalid: range(12, 99) },
    hourh: { letters: 'hh', valid: range(1, 12), invalid: fc.oneof(fc.constant('00'), range(13, 99)) },
    minute: { letters: 'mm', valid: range(0, 59), invalid: range(60, 99) },
    second: { letters: 'ss', valid: range(0, 59), invalid: range(60, 99) },
    offset: {
      letters: 'XXX',
      valid: fc.oneof(
        fc.constant('Z'),
        fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 17 }), fc.integer({ min: 0, max: 59 })).map(([s, h, mi]) => `${s}${two(h)}:${two(mi)}`),
      ),
      invalid: fc.oneof(
        fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 18, max: 99 }), fc.integer({ min: 1, max: 59 })).map(([s, h, mi]) => `${s}${two(h)}:${two(mi)}`),
        fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 19, max: 99 })).map(([s, h]) => `${s}${two(h)}:00`),
        fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 17 }), fc.integer({ min: 60, max: 99 })).map(([s, h, mi]) => `${s}${two(h)}:${two(mi)}`),
      ),
    },
  };
  const names = Object.keys(fieldCases);

  it('a value with one field out of range fails, and the others in range pass', () => {
    fc.assert(
      fc.property(
        fc.record(Object.fromEntries(names.map((n) => [n, (fieldCases[n] as FieldCase).valid]))),
        fc.constantFrom(...names).chain((n) => fc.tuple(fc.constant(n), (fieldCases[n] as FieldCase).invalid)),
        (valid, [mutated, bad]) => {
          const pattern = names.map((n) => (fieldCases[n] as FieldCase).letters).join(' ');
          const good = names.map((n) => valid[n]).join(' ');
          // K, h and H in one value must agree: pin them to the same hour before checking.
          const hour = Number(valid.hourH);
          const agreeing = good
            .split(' ')
            .map((part, i) => (names[i] === 'hourk' ? two(hour || 24) : names[i] === 'hourK' ? two(hour % 12) : names[i] === 'hourh' ? two(hour % 12 || 12) : part))
            .join(' ');
          expect(why(pattern, agreeing)).toBeUndefined();
          const broken = agreeing
            .split(' ')
            .map((part, i) => (names[i] === mutated ? bad : part))
            .join(' ');
          expect([broken, accepts(pattern, broken)]).toEqual([broken, false]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a day past the end of its month fails, and the last day passes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 4 }), (year, month, past) => {
        const last = new Date(Date.UTC(2000, month, 0));
        last.setUTCFullYear(year, month, 0);
        const days = last.getUTCDate();
        const at = (day: number): string => `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}`;
        expect(why('yyyy-MM-dd', at(days))).toBeUndefined();
        if (days + past <= 31) expect(why('yyyy-MM-dd', at(days + past))).toMatch(/^day \d+ is not in /);
        else expect(accepts('yyyy-MM-dd', at(days + past))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('date formats: limits', () => {
  it('refuses optional sections nested too deep to parse, rather than overflowing the stack', () => {
    expect(() => dateFormat(`${'['.repeat(5_000)}y${']'.repeat(5_000)}`)).toThrow(/nested more than 1000 deep/);
  });

  it('refuses more than nine fraction digits, as java.time does', () => {
    expect(() => dateFormat('ss.SSSSSSSSSS')).toThrow(/more than 9 fraction digits/);
  });

  it('reads a zone id offset without taking a NUL character for zero', () => {
    expect(accepts('VV', '+01:00')).toBe(true);
    expect(accepts('VV', '\u0000')).toBe(false);
  });
});

describe('date formats: fuzzed patterns and values', () => {
  const letters = fc.constantFrom(..."GuyYQqMLwWdDFEecahKkHmsSnNAgVzOXxZBvp[]''-:.T /#{}".split(''));
  const pattern = fc.array(letters, { maxLength: 24 }).map((cs) => cs.join(''));
  const value = fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^[0-9A-Za-z:+\-. /]{0,40}$/));

  it('either refuses a pattern with a coded error or gives a verdict, with a reason, for any value', () => {
    fc.assert(
      fc.property(pattern, value, (p, v) => {
        let format;
        try {
          format = dateFormat(p);
        } catch (error) {
          expect((error as { code?: string }).code).toBe('HERALD_MATCHER_INVALID');
          return;
        }
        const problem = format.explain(v);
        expect(problem === undefined || problem.length > 0).toBe(true);
        expect(format.matches(v)).toBe(problem === undefined);
        // Formatting never throws (reading it back is not promised: java.time cannot read "dK" back either).
        expect(typeof format.format(new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 10)))).toBe('string');
      }),
      { numRuns: 2_000 },
    );
  });
});
