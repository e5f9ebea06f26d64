/** nclab: nclab: neural collapse research toolkit (meta package, pipelines, reports, CLI). */
export const PACKAGE_NAME = 'nclab';
export const VERSION = '0.1.0';
