// The package.json fields detection reads (one shape for the app, workspace members and framework rules).
export interface PackageJson {
  /** npm/yarn workspaces: globs, or `{ packages }`. */
  workspaces?: string[] | { packages?: string[] };
  name?: string;
  main?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  engines?: { node?: string };
  packageManager?: string;
}
