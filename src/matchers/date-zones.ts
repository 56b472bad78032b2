/**
 * Time-zone names and ids for date/time patterns: `z` reads zone names (short and long, as
 * java.time's zone-text parser holds both), `VV` reads tz database ids. Derived from Intl.
 */
/**
 * Short zone names: what Intl prints (timeZoneName 'short', locales en-US/GB/AU/IN/CA/NZ/IE/ZA, January
 * and July, Node 20's ICU) plus the CLDR metazone short names the JDK also knows. Static, because
 * asking Intl for them takes seconds.
 */
export const SHORT_ZONE_NAMES = [
  'ACDT',
  'ACST',
  'ACWST',
  'ADT',
  'AEDT',
  'AEST',
  'AKDT',
  'AKST',
  'AST',
  'AWST',
  'BST',
  'CAT',
  'CDT',
  'CEST',
  'CET',
  'CHADT',
  'CHAST',
  'CST',
  'EAT',
  'EDT',
  'EEST',
  'EET',
  'EST',
  'GMT',
  'GST',
  'HADT',
  'HAST',
  'HST',
  'IST',
  'LHDT',
  'LHST',
  'MDT',
  'MST',
  'NDT',
  'NST',
  'NZDT',
  'NZST',
  'PDT',
  'PMDT',
  'PMST',
  'PST',
  'SAST',
  'WAT',
  'WEST',
  'WET',
  'UTC',
  'UT',
  'JST',
  'KST',
  'HKT',
  'SGT',
  'PHT',
  'WIB',
  'WITA',
  'WIT',
  'MSK',
  'ChST',
  'SST',
  'ICT',
  'PKT',
  'AFT',
  'IRST',
  'AZT',
  'GET',
  'AMT',
  'TRT',
  'MYT',
  'BDT',
  'NPT',
  'BTT',
  'MMT',
  'ULAT',
  'PETT',
  'MHT',
  'FJT',
  'TOT',
  'CHUT',
  'PONT',
  'KOST',
  'NCT',
  'VUT',
  'SBT',
  'NFT',
  'ART',
  'BRT',
  'CLT',
  'COT',
  'ECT',
  'PET',
  'BOT',
  'PYT',
  'UYT',
  'VET',
  'GFT',
  'SRT',
  'GYT',
  'FKT',
].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));

let longNames: readonly string[] | undefined;

/** Long zone names as en-US prints them (Central European Standard Time…), built on first need (~0.5 s). */
export function longZoneNames(): readonly string[] {
  if (longNames !== undefined) return longNames;
  const names = new Set<string>(['Coordinated Universal Time', 'Greenwich Mean Time']);
  const instants = [Date.UTC(2024, 0, 15), Date.UTC(2024, 6, 15)];
  for (const id of Intl.supportedValuesOf('timeZone')) {
    const formatter = new Intl.DateTimeFormat('en-US', { timeZone: id, timeZoneName: 'long' });
    for (const instant of instants) {
      const name = formatter.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value;
      // "GMT+01:00" is Intl's fallback, not a name: java.time reads it as an offset, as we do.
      if (name !== undefined && !/^(?:GMT|UTC)[+-]/.test(name)) names.add(name);
    }
  }
  // Longest first: the parser takes the first entry the text starts with, as java.time's prefix tree does.
  longNames = [...names].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  return longNames;
}

let zoneIds: ReadonlySet<string> | undefined;

function zones(): { readonly ids: ReadonlySet<string> } {
  if (zoneIds === undefined) {
    const ids = new Set<string>(['UTC', 'GMT', 'UT', 'Etc/UTC', 'Etc/GMT', 'Etc/UCT', 'Etc/Universal', 'Etc/Zulu', ...Intl.supportedValuesOf('timeZone')]);
    for (let h = 1; h <= 14; h += 1) ids.add(`Etc/GMT-${h}`);
    for (let h = 1; h <= 12; h += 1) ids.add(`Etc/GMT+${h}`);
    zoneIds = ids;
  }
  return { ids: zoneIds };
}

const idChecks = new Map<string, boolean>();

/** A region id: one Intl knows (aliases included, e.g. Asia/Kolkata), spelt with IANA's case. */
export function isZoneId(text: string): boolean {
  if (zones().ids.has(text)) return true;
  let known = idChecks.get(text);
  if (known === undefined) {
    // Intl ignores case; java.time does not. IANA ids are Capitalised (Europe/Paris); only a first
    // segment may be short upper-case (EST5EDT, US/Pacific); the Etc/ ids are in the set above.
    const shaped = text.split('/').every((s, i) => /^[A-Z][A-Za-z0-9_+-]*$/.test(s) && (/[a-z]/.test(s) || (i === 0 && s.length <= 7)));
    known = shaped && canFormatIn(text);
    if (idChecks.size > 4096) idChecks.clear();
    idChecks.set(text, known);
  }
  return known;
}

function canFormatIn(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
