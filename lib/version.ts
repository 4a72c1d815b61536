/** The package version, kept in one place for `rocketship --version` and reports. */
export const VERSION = '0.1.0';
