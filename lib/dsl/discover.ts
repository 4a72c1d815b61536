import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * The suite files below a directory, sorted, as paths joined onto `dir`, by Rocketship's rules
 * (`rocketship run -d DIR`):
 * - every file named `rocketship.yaml` at any depth;
 * - but when `dir` itself is named `.rocketship` (Rocketship's folder of suites), every
 *   `*.yaml` file at any depth, except in directories named `tmp` (its scratch space:
 *   `.rocketship/tmp/`).
 *
 * `node_modules` and `.git` are not searched, symbolic links to directories are not followed
 * (no cycles), and directories that cannot be read are skipped. Never throws; a `dir` that
 * does not exist gives `[]`.
 *
 * discoverSuiteFiles('examples')       // ['examples/async/rocketship.yaml', 'examples/rocketship.yaml']
 * discoverSuiteFiles('app/.rocketship') // ['app/.rocketship/auth.yaml', 'app/.rocketship/jobs/poll.yaml']
 */
export function discoverSuiteFiles(dir: string): string[] {
  const allYaml = isRocketshipDir(dir);
  const wanted = (name: string): boolean => (allYaml ? name.endsWith('.yaml') : name === 'rocketship.yaml');
  const found: string[] = [];
  const walk = (current: string, depth: number): void => {
    if (depth > 64) return;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git' && !(allYaml && entry.name === 'tmp')) walk(path, depth + 1);
      } else if (wanted(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && isFile(path)))) {
        found.push(path);
      }
    }
  };
  walk(dir, 0);
  return found.sort();
}

/**
 * What {@link discoverSuiteFiles} looks for below `dir`, in words, for a message when it finds
 * nothing.
 *
 * suiteFilesWanted('tests')         // 'files named rocketship.yaml'
 * suiteFilesWanted('app/.rocketship') // '*.yaml files (outside tmp/ directories)'
 */
export function suiteFilesWanted(dir: string): string {
  return isRocketshipDir(dir) ? '*.yaml files (outside tmp/ directories)' : 'files named rocketship.yaml';
}

/** Whether `dir` is named `.rocketship`: {@link discoverSuiteFiles} then takes every `*.yaml` below it. */
export function isRocketshipDir(dir: string): boolean {
  return basename(dir.replace(/[\\/]+$/, '')) === '.rocketship';
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
