import { checkCompatibility, checkReaderWriter, formatCompatibility, isCompatibilityMode } from './compatibility';
import { hasErrorCode } from '../errors/herald-error';
import type { AvroSchema, AvroSchemaJson } from './schema';

const record = (fields: readonly AvroSchemaJson[], name = 'Stock'): AvroSchema => ({ type: 'record', name, namespace: 'acme', fields });

describe('reader/writer checks explain each field', () => {
  const shipping = record([
    { name: 'sku', type: 'string' },
    { name: 'stock', type: 'string' },
  ]);

  it('names the field and both types on a type change', () => {
    const v3 = record([
      { name: 'sku', type: 'string' },
      { name: 'stock', type: 'int' },
    ]);
    expect(checkReaderWriter(shipping, v3, { reader: 'shipping', writer: 'writer schema v3' })).toEqual([
      { code: 'TYPE_MISMATCH', path: '$.stock', reader: 'string', writer: 'int', message: 'shipping reads `stock` as string; writer schema v3 makes it int' },
    ]);
  });

  it('accepts Avro promotions (int → long → float → double, string ↔ bytes) and not the reverse', () => {
    const reads = (reader: string, writer: string): boolean => checkReaderWriter(record([{ name: 'n', type: reader }]), record([{ name: 'n', type: writer }])).length === 0;
    expect([reads('long', 'int'), reads('float', 'int'), reads('double', 'long'), reads('double', 'float'), reads('bytes', 'string'), reads('string', 'bytes')]).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([reads('int', 'long'), reads('float', 'double'), reads('long', 'float'), reads('string', 'int')]).toEqual([false, false, false, false]);
  });

  it('reports a reader field the writer lacks, unless it has a default', () => {
    const writer = record([{ name: 'sku', type: 'string' }]);
    expect(checkReaderWriter(shipping, writer, { reader: 'shipping', writer: 'orders v2' })).toEqual([
      {
        code: 'READER_FIELD_MISSING_DEFAULT_VALUE',
        path: '$.stock',
        reader: 'string',
        writer: 'absent',
        message: 'shipping reads `stock` (string), which orders v2 does not have, and shipping gives it no default',
      },
    ]);
    const withDefault = record([
      { name: 'sku', type: 'string' },
      { name: 'stock', type: 'string', default: '0' },
    ]);
    expect(checkReaderWriter(withDefault, writer)).toEqual([]);
  });

  it('ignores writer fields the reader does not read', () => {
    const writer = record([
      { name: 'sku', type: 'string' },
      { name: 'stock', type: 'string' },
      { name: 'warehouse', type: 'int' },
    ]);
    expect(checkReaderWriter(shipping, writer)).toEqual([]);
  });

  it('matches renamed fields through reader aliases', () => {
    const reader = record([
      { name: 'sku', type: 'string' },
      { name: 'onHand', aliases: ['stock'], type: 'string' },
    ]);
    expect(checkReaderWriter(reader, shipping)).toEqual([]);
  });

  it('reports enum symbols the reader lacks, unless the reader enum has a default', () => {
    const status = (symbols: string[], extra: Record<string, string> = {}): AvroSchema => record([{ name: 'status', type: { type: 'enum', name: 'Status', symbols, ...extra } }]);
    expect(checkReaderWriter(status(['NEW', 'SHIPPED']), status(['NEW', 'SHIPPED', 'LOST', 'RETURNED']), { reader: 'shipping', writer: 'v4' })[0]).toMatchObject({
      code: 'MISSING_ENUM_SYMBOLS',
      path: '$.status',
      message: "v4 can write `status` as LOST, RETURNED, which shipping's enum acme.Status does not have (symbols: NEW, SHIPPED; no default symbol)",
    });
    expect(checkReaderWriter(status(['NEW', 'SHIPPED', 'UNKNOWN'], { default: 'UNKNOWN' }), status(['NEW', 'LOST']))).toEqual([]);
  });

  it('reports union branches the reader cannot read', () => {
    const note = (type: AvroSchemaJson): AvroSchema => record([{ name: 'note', type }]);
    expect(checkReaderWriter(note(['null', 'string']), note(['null', 'string', 'int']), { reader: 'shipping', writer: 'v2' })).toEqual([
      { code: 'MISSING_UNION_BRANCH', path: '$.note', reader: '[null, string]', writer: '[null, string, int]', message: 'v2 can write `note` as int, which shipping cannot read as [null, string]' },
    ]);
    expect(checkReaderWriter(note('string'), note(['null', 'string']))[0]).toMatchObject({
      code: 'MISSING_UNION_BRANCH',
      message: 'the writer schema can write `note` as null, which the reader cannot read as string',
    });
    expect(checkReaderWriter(note(['null', 'string']), note('int'))[0]).toMatchObject({
      code: 'MISSING_UNION_BRANCH',
      message: "the writer schema makes `note` int, which no branch of the reader's union [null, string] reads",
    });
    // a union that gains a branch the reader has, and a plain type read through a union: fine
    expect(checkReaderWriter(note(['null', 'string', 'long']), note(['null', 'int']))).toEqual([]);
    expect(checkReaderWriter(note(['null', 'string']), note('string'))).toEqual([]);
  });

  it('walks into nested records, arrays and maps with Pact paths', () => {
    const item = (qty: string): AvroSchemaJson => ({ type: 'record', name: 'Item', fields: [{ name: 'qty', type: qty }] });
    const order = (qty: string): AvroSchema =>
      record(
        [
          { name: 'items', type: { type: 'array', items: item(qty) } },
          { name: 'byWarehouse', type: { type: 'map', values: { type: 'array', items: qty } } },
        ],
        'Order',
      );
    expect(checkReaderWriter(order('int'), order('string')).map((i) => [i.path, i.message])).toEqual([
      ['$.items[*].qty', 'the reader reads `items[*].qty` as int; the writer schema makes it string'],
      ['$.byWarehouse.*[*]', 'the reader reads `byWarehouse.*[*]` as int; the writer schema makes it string'],
    ]);
  });

  it('reports renamed named types and fixed size changes', () => {
    expect(checkReaderWriter(record([{ name: 'a', type: 'int' }], 'Stock'), record([{ name: 'a', type: 'int' }], 'Inventory'))[0]).toMatchObject({
      code: 'NAME_MISMATCH',
      path: '$',
      message: 'the reader reads the value as record acme.Stock; the writer schema names it acme.Inventory (rename it, or add "acme.Inventory" to the reader\'s aliases)',
    });
    const hash = (size: number): AvroSchema => record([{ name: 'h', type: { type: 'fixed', name: 'Hash', size } }]);
    expect(checkReaderWriter(hash(16), hash(32))[0]).toMatchObject({
      code: 'FIXED_SIZE_MISMATCH',
      message: 'the reader reads `h` as fixed acme.Hash of 16 bytes; the writer schema makes it 32 bytes',
    });
  });

  it('compares logical types by their underlying type', () => {
    const at = (type: AvroSchemaJson): AvroSchema => record([{ name: 'at', type }]);
    expect(checkReaderWriter(at({ type: 'long', logicalType: 'timestamp-millis' }), at('long'))).toEqual([]);
    expect(checkReaderWriter(at({ type: 'long', logicalType: 'timestamp-millis' }), at('string'))[0]?.message).toBe(
      'the reader reads `at` as long (timestamp-millis); the writer schema makes it string',
    );
  });

  it('handles recursive schemas', () => {
    const tree = (value: string): AvroSchema => ({
      type: 'record',
      name: 'Node',
      fields: [
        { name: 'value', type: value },
        { name: 'children', type: { type: 'array', items: 'Node' } },
      ],
    });
    expect(checkReaderWriter(tree('long'), tree('int'))).toEqual([]);
    expect(checkReaderWriter(tree('int'), tree('long')).map((i) => i.path)).toEqual(['$.value']);
  });

  it('raises HERALD_AVRO_SCHEMA_INVALID for a schema that does not parse', () => {
    let error: unknown;
    try {
      checkReaderWriter({ type: 'nope' }, 'int', { reader: 'shipping' });
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'HERALD_AVRO_SCHEMA_INVALID')).toBe(true);
    expect((error as Error).message).toContain('the reader schema (shipping)');
  });
});

describe('Confluent compatibility modes over a subject history', () => {
  const v1 = record([{ name: 'a', type: 'int' }]);
  const v2 = record([
    { name: 'a', type: 'int' },
    { name: 'b', type: 'string', default: '' },
  ]);
  const addRequired = record([
    { name: 'a', type: 'int' },
    { name: 'c', type: 'string' },
  ]);
  const dropA = record([]);
  const history = [{ version: 1, schema: v1 }];

  it.each([
    ['BACKWARD', v2, true],
    ['BACKWARD', addRequired, false],
    ['BACKWARD', dropA, true],
    ['FORWARD', addRequired, true],
    ['FORWARD', dropA, false],
    ['FULL', v2, true],
    ['FULL', addRequired, false],
    ['FULL', dropA, false],
    ['NONE', dropA, true],
  ] as const)('%s accepts the candidate: %#', (mode, candidate, compatible) => {
    expect(checkCompatibility(candidate, history, mode).compatible).toBe(compatible);
  });

  it('checks only the latest version unless transitive', () => {
    const h1 = record([{ name: 'n', type: 'int' }]);
    const h2 = record([{ name: 'n', type: 'long' }]);
    const h3 = record([{ name: 'n', type: 'float' }]);
    const candidate = record([{ name: 'n', type: 'float' }]);
    // FORWARD: version readers must read the candidate's float: h3 can, h1 (int) and h2 (long) cannot
    const all = [
      { version: 1, schema: h1 },
      { version: 2, schema: h2 },
      { version: 3, schema: h3 },
    ];
    expect(checkCompatibility(candidate, all, 'FORWARD')).toMatchObject({ compatible: true, checked: [3] });
    const transitive = checkCompatibility(candidate, all, 'FORWARD_TRANSITIVE');
    expect(transitive).toMatchObject({ compatible: false, checked: [1, 2, 3] });
    expect(transitive.issues.map((i) => [i.version, i.direction, i.message])).toEqual([
      [1, 'forward', 'version 1 reads `n` as int; the new schema makes it float'],
      [2, 'forward', 'version 2 reads `n` as long; the new schema makes it float'],
    ]);
    expect(formatCompatibility(transitive)).toBe(
      'version 1, $.n (TYPE_MISMATCH): version 1 reads `n` as int; the new schema makes it float\nversion 2, $.n (TYPE_MISMATCH): version 2 reads `n` as long; the new schema makes it float',
    );
    expect(checkCompatibility(h1, all, 'BACKWARD_TRANSITIVE').issues.map((i) => i.version)).toEqual([2, 3]);
    expect(checkCompatibility(h2, all, 'FULL_TRANSITIVE').issues.map((i) => [i.version, i.direction])).toEqual([
      [1, 'forward'],
      [3, 'backward'],
    ]);
  });

  it('accepts anything as a first version, and orders the history by version', () => {
    expect(checkCompatibility(v1, [], 'FULL_TRANSITIVE')).toEqual({ compatible: true, mode: 'FULL_TRANSITIVE', checked: [], issues: [] });
    expect(
      checkCompatibility(
        v2,
        [
          { version: 2, schema: addRequired },
          { version: 1, schema: dropA },
        ],
        'BACKWARD',
      ).checked,
    ).toEqual([2]);
    expect(formatCompatibility(checkCompatibility(v2, history, 'FULL'))).toBe('compatible (FULL, checked against version 1)');
  });

  it('knows the mode names', () => {
    expect(['BACKWARD', 'FULL_TRANSITIVE', 'NONE'].every(isCompatibilityMode)).toBe(true);
    expect(isCompatibilityMode('backward')).toBe(false);
  });
});
