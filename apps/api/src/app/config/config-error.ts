/**
 * A configuration problem found at boot. The message names the variable and the rule,
 * never the value: a mistyped secret must not end up in a log.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
