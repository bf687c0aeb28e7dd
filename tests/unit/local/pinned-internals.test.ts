import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import '../../../infra/local/stepfunctions/polyfill.js';

/**
 * The code reaches into these packages' internals (docs/operations.md "Pinned packages"): an
 * upgrade must be a deliberate change of the exact pin in package.json, made together with a
 * check of what is patched. Each failure names the package and what changed.
 */
const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as Record<'dependencies' | 'devDependencies', Record<string, string>>;

const PINNED: Record<string, string> = {
  dynalite: 'infra/local/dynalite-tuning.ts patches its db module, condition parser and the level it loads',
  'aws-local-stepfunctions': 'infra/local/stepfunctions drives its run overrides, event logs and errors',
  'aws-ses-v2-local': 'infra/local/ses-local.ts reads its internal store (dist/store.js)',
  '@aws-sdk/client-dynamodb': 'dependencies-from-env.ts relies on cacheMiddleware and removes loggerMiddleware',
  '@aws-sdk/client-sfn': 'dependencies-from-env.ts relies on cacheMiddleware and removes loggerMiddleware',
  '@aws-sdk/client-sesv2': 'dependencies-from-env.ts relies on cacheMiddleware and removes loggerMiddleware',
  '@aws-sdk/lib-dynamodb': 'table-client.ts mirrors its document-client conversions (tested at this version)',
  '@aws-sdk/util-dynamodb': 'table-client.ts converts with its marshall options (tested at this version)',
};

// Read from node_modules: some packages do not export their package.json.
const installedVersion = (name: string): string => (JSON.parse(readFileSync(new URL(`../../../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;

function fail(pkg: string, what: string): never {
  throw new Error(`${pkg}: ${what} — ${PINNED[pkg] ?? ''}. Check the patch before changing the pin.`);
}

function expectFunction(pkg: string, owner: Record<string, unknown>, name: string, arity: number): void {
  const value = owner[name];
  if (typeof value !== 'function') fail(pkg, `${name} is no longer a function (is ${typeof value})`);
  if (value.length !== arity) fail(pkg, `${name} now takes ${value.length} parameters, the patch expects ${arity}`);
}

describe('packages whose internals are patched', () => {
  it.each(Object.keys(PINNED))('%s is pinned exactly and installed at the pin', (pkg) => {
    const range = manifest.dependencies[pkg] ?? manifest.devDependencies[pkg];
    if (!range) fail(pkg, 'no longer in package.json');
    if (!/^\d+\.\d+\.\d+$/.test(range)) fail(pkg, `range "${range}" is not an exact version`);
    const installed = installedVersion(pkg);
    if (installed !== range) fail(pkg, `installed ${installed} differs from the pin ${range}`);
  });

  it('dynalite: db.create(options), conditionParser.parse(expression, options) and its Level are where the tuning patches them', () => {
    const db = require('dynalite/db') as Record<string, unknown>;
    expectFunction('dynalite', db, 'create', 1);
    expectFunction('dynalite', require('dynalite/db/conditionParser') as Record<string, unknown>, 'parse', 2);
    // The tuning replaces Level on the module instance dynalite itself requires.
    const dynaliteLevel = require.resolve('level', { paths: [dirname(require.resolve('dynalite/db'))] });
    if (dynaliteLevel !== require.resolve('level')) fail('dynalite', `it loads its own level (${dynaliteLevel}), the tuning patches another`);
    if (typeof (require('level') as Record<string, unknown>).Level !== 'function') fail('dynalite', 'level no longer exports the Level class');
    if (!/\{ Level \} = require\('level'\)/.test(readFileSync(require.resolve('dynalite/db'), 'utf8'))) fail('dynalite', 'db/index.js no longer takes Level from level at load');

    const store = (db.create as (o: object) => Record<'db' | 'tableDb', Record<string, unknown>>)({});
    for (const name of ['keys', 'values']) expectFunction('dynalite', store.db, name, 1);
    for (const name of ['put', 'del', 'batch']) if (typeof store.tableDb[name] !== 'function') fail('dynalite', `tableDb.${name} is gone`);
    expectFunction('dynalite', store as unknown as Record<string, unknown>, 'getTable', 3);
    const iterator = (store.db.keys as () => Record<string, unknown>)();
    // The leak fix maps the iterator.return() dynalite calls onto close().
    if (typeof iterator.close !== 'function') fail('dynalite', 'level iterators have no close()');
    if (iterator.return !== undefined) fail('dynalite', 'level iterators now have return(): the leak fix may be obsolete or wrong');
    if (!readFileSync(require.resolve('dynalite/db'), 'utf8').includes('iterator.return()')) fail('dynalite', 'db/index.js no longer releases iterators with iterator.return()');
  });

  it('aws-local-stepfunctions: a run takes local handlers and retry overrides, streams event logs and rejects with ExecutionError', async () => {
    const definition = {
      StartAt: 'Probe',
      States: { Probe: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:probe', Retry: [{ ErrorEquals: ['Again'], MaxAttempts: 1, IntervalSeconds: 60 }], End: true } },
    } as unknown as StateMachineDefinition;
    let calls = 0;
    const run = new StateMachine(definition, { validationOptions: {} }).run({ n: 1 }, {
      overrides: {
        taskResourceLocalHandlers: { Probe: (input) => { calls++; if (calls === 1) throw Object.assign(new Error('again'), { name: 'Again' }); return Promise.resolve({ n: (input as { n: number }).n + 1 }); } },
        retryIntervalOverrides: { Probe: 0 },
      },
      noThrowOnAbort: true,
    });
    const types: string[] = [];
    for await (const event of run.eventLogs) types.push(event.type);
    await expect(run.result).resolves.toEqual({ n: 2 });
    if (!types.includes('StateRetried') || !types.includes('ExecutionSucceeded')) fail('aws-local-stepfunctions', `event log types changed: ${types.join(', ')}`);
  });

  it('aws-ses-v2-local: dist/store.js exposes getStoreReadonly() with emails and templates', () => {
    const store = require('aws-ses-v2-local/dist/store.js') as Record<string, unknown>;
    expectFunction('aws-ses-v2-local', store, 'getStoreReadonly', 0);
    const content = (store.getStoreReadonly as () => Record<string, unknown>)();
    if (!Array.isArray(content.emails)) fail('aws-ses-v2-local', 'the store no longer holds an emails array');
  });

  it.each([
    ['@aws-sdk/client-dynamodb', () => new DynamoDBClient({ region: 'us-east-1', cacheMiddleware: true })],
    ['@aws-sdk/client-sfn', () => new SFNClient({ region: 'us-east-1', cacheMiddleware: true })],
    ['@aws-sdk/client-sesv2', () => new SESv2Client({ region: 'us-east-1', cacheMiddleware: true })],
  ] as const)('%s: still has loggerMiddleware to remove', (pkg, make) => {
    const client = make();
    if (!client.middlewareStack.identify().some((m) => m.startsWith('loggerMiddleware'))) fail(pkg, 'loggerMiddleware is no longer in the stack (removing it is a no-op now)');
    if (!client.middlewareStack.remove('loggerMiddleware')) fail(pkg, 'middlewareStack.remove("loggerMiddleware") removes nothing');
    client.destroy();
  });

  it('@aws-sdk/client-dynamodb: cacheMiddleware keeps one resolved handler per command class', async () => {
    const handler = { handle: () => Promise.reject(new Error('offline')) };
    const client = new DynamoDBClient({ region: 'us-east-1', cacheMiddleware: true, requestHandler: handler, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
    await expect(client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'x' } } }))).rejects.toThrow('offline');
    const cache = (client as unknown as { handlers?: WeakMap<object, unknown> }).handlers;
    if (!(cache instanceof WeakMap) || !cache.has(GetItemCommand)) fail('@aws-sdk/client-dynamodb', 'cacheMiddleware no longer caches handlers per command class (client.handlers)');
    client.destroy();
  });
});
