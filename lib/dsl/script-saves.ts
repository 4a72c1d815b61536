import type { ScriptConfig } from './codecs/script-config.js';

/**
 * The variables a step may save, as far as reading it before the run can tell: these `names`,
 * and, when `any` is set, perhaps any other name (a JavaScript `save()` whose name is computed).
 */
export interface MaySave {
  readonly names: readonly string[];
  /** Any other name may be saved too (`save(key, ...)` with a name that is not a literal). */
  readonly any: boolean;
}

/** What a shell step saves, always (see the script plugin). */
export const SHELL_SAVES: readonly string[] = ['exit_code', 'stdout', 'stderr'];

/**
 * What a `script` step may save, read off its config without running it.
 *
 * - `shell`: `exit_code`, `stdout` and `stderr`, which the plugin saves for every shell step.
 * - `javascript`, inline: the name of each `save("name", ...)` call written with a literal name
 *   (single or double quotes, or backquotes without `${`). A call whose name is anything else
 *   (`save(key, v)`, `save("id_" + n, v)`, a name holding a template, which is only known once
 *   rendered), and `save` used other than by calling it (`const s = save;`, `save.call(...)`),
 *   may save any name: `any` says so, and every name then counts as possibly saved after the
 *   step.
 * - `javascript` from a `file`: the file is read only when the step runs, so any name.
 *
 * The text is not parsed: a `save("x", ...)` in a comment or a string counts too. That can only
 * let a misspelt name through to the run (where it is still an error), never refuse a good suite.
 *
 * scriptSaves({ language: 'javascript', script: 'save("id", 1); save(k, 2);' })
 * // { names: ['id'], any: true }
 */
export function scriptSaves(config: ScriptConfig): MaySave {
  if (config.language === 'shell') return { names: SHELL_SAVES, any: false };
  // The file is read only when the step runs.
  if (!('script' in config)) return { names: [], any: true };
  return javascriptSaves(config.script);
}

/** `save` as a word: not part of a longer name (`saved`, `autosave`, `$save`). */
const SAVE_WORD = /(?<![A-Za-z0-9_$])save(?![A-Za-z0-9_$])/g;
/** A call with a literal first argument: `save("name",`, `save('name')`, `` save(`name`, ``. */
const LITERAL_CALL = /^\s*\(\s*(?:"([^"\\\n]*)"|'([^'\\\n]*)'|`([^`\\$]*)`)\s*[,)]/;

function javascriptSaves(script: string): MaySave {
  const names = new Set<string>();
  let any = false;
  for (const m of script.matchAll(SAVE_WORD)) {
    const after = script.slice(m.index + m[0].length, m.index + m[0].length + 400);
    const call = LITERAL_CALL.exec(after);
    const name = call === null ? undefined : (call[1] ?? call[2] ?? call[3]);
    if (name !== undefined && !name.includes('{{')) {
      names.add(name);
    } else if (!/^[ \t]+[A-Za-z]/.test(after)) {
      // A call or an alias whose name this reading cannot know; prose ("// save the id") is a
      // space and a word, and is passed over.
      any = true;
    }
  }
  return { names: [...names], any };
}
