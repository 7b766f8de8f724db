import baseConfig from '../../eslint.config.mjs';

const storageMessage =
  'Tokens and session data stay in memory (a signal in a service), never in browser storage.';

export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    // Specs may look into browser storage to prove nothing was put there.
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'localStorage', message: storageMessage },
        { name: 'sessionStorage', message: storageMessage },
        { name: 'indexedDB', message: storageMessage },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'localStorage', message: storageMessage },
        { object: 'window', property: 'sessionStorage', message: storageMessage },
        { object: 'document', property: 'cookie', message: storageMessage },
      ],
    },
  },
];
