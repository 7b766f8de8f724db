import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  // Generated from apps/api/openapi.json by `npm run openapi`; never edited by hand.
  { ignores: ['src/lib/schema.d.ts'] },
];
