import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles only (an esbuild
 * alias in infra/constructs/service-function.ts). Lambda hands its role's credentials to the
 * function in environment variables, so the node chain (SSO, INI files, STS web identity,
 * instance metadata: about 90 KB of bundle and their init) never gets past its first link.
 * Local mode and the tests run the SDK's own chain.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]): ReturnType<typeof fromEnv> => fromEnv(init);
