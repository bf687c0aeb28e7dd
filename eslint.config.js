import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// `import { z } from 'zod'` puts all of zod's locales (about 340 KB) in every Lambda bundle
// (docs/operations.md "Lambda bundles").
const ZOD_NAMED_Z = {
  selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z'][importKind!='type']",
  message: "import * as z from 'zod' (the named z keeps zod's locales in the bundles)",
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.data/**', 'coverage/**', 'console/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'skip' }, { object: 'it', property: 'only' },
        { object: 'test', property: 'skip' }, { object: 'test', property: 'only' },
        { object: 'describe', property: 'skip' }, { object: 'describe', property: 'only' },
      ],
    },
  },
  {
    files: ['functions/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ZOD_NAMED_Z],
    },
  },
  {
    files: ['functions/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@aws-sdk/*', 'aws-cdk-lib', 'aws-cdk-lib/*', '@middy/*', '@aws-lambda-powertools/*'] }],
    },
  },
);
