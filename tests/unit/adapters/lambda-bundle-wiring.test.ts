import { afterEach, describe, expect, it, vi } from 'vitest';
import { dependenciesFromEnv, resetDependenciesFromEnv } from '../../../functions/adapters/dependencies-from-env.js';
import { defaultProvider } from '../../../functions/adapters/lambda-credentials.js';

/** What the Lambda bundles change in the wiring (infra/constructs/service-function.ts). */
afterEach(() => {
  vi.unstubAllEnvs();
  resetDependenciesFromEnv();
});

describe('Lambda bundle wiring', () => {
  it('takes the credentials Lambda sets in the environment', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDLAMBDA');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token');
    await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'AKIDLAMBDA', secretAccessKey: 'secret', sessionToken: 'token' });
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    await expect(defaultProvider()()).rejects.toThrow(/environment variable credentials/);
  });

  it('a client left out of the bundle fails loudly when called, naming it', async () => {
    vi.stubEnv('TABLE_NAME', 'table');
    vi.stubEnv('BUNDLE_OMITS_WORKFLOW_CLIENT', 'true');
    vi.stubEnv('BUNDLE_OMITS_MAIL_CLIENT', 'true');
    const deps = dependenciesFromEnv();
    await expect(deps.workflow.startLifecycle('P-1')).rejects.toThrow(/startLifecycle: this function's bundle has no Step Functions client/);
    await expect(deps.notifier.send({ id: 'm', to: [], template: 'settlement-branch-summary', data: {} })).rejects.toThrow(/no SES client/);
  });

  it('unbundled (local mode), every client is there', () => {
    vi.stubEnv('TABLE_NAME', 'table');
    vi.stubEnv('LIFECYCLE_STATE_MACHINE_ARN', 'arn:aws:states:us-east-1:123456789012:stateMachine:lifecycle');
    vi.stubEnv('MAIL_FROM', 'qc@example.com');
    const deps = dependenciesFromEnv();
    expect(deps.workflow.constructor.name).toBe('SfnWorkflowEngine');
    expect(deps.notifier.constructor.name).toBe('SesNotifier');
  });
});
