// The kiln version (tsc copies package.json into dist/, so this resolves from source and build alike).
import packageJson from '../package.json';

export const KILN_VERSION: string = packageJson.version;
