/**
 * The optional `.rtems-virt-config.json` at the top of a tree:
 *
 *     { "rules": { "generated-files-current": "warning", "no-clock-passthrough": "off" },
 *       "ignore": ["c/src/lib/libbsp/no_cpu/**", "testsuites"] }
 *
 * `rules` sets a severity (`error`, `warning`, `info`) or turns a rule `off`;
 * `ignore` drops findings in matching paths. Mistakes are SourceErrors with
 * the line, so the CLI exits 2 and says what to fix.
 */
import { SourceError } from '../parse/source-error.js';
import type { FileStore } from '../model/file-store.js';
import type { SeveritySetting } from './types.js';

const CONFIG_FILE = '.rtems-virt-config.json';

export interface CheckConfig {
  file?: string;
  rules: Record<string, SeveritySetting>;
  ignore: string[];
}

const SETTINGS = new Set(['error', 'warning', 'info', 'off']);

export function readConfig(files: FileStore, knownRules: ReadonlySet<string>): CheckConfig {
  const text = files.text(CONFIG_FILE);
  if (text === undefined) return { rules: {}, ignore: [] };
  return parseConfig(text, CONFIG_FILE, knownRules);
}

function parseConfig(text: string, file: string, knownRules: ReadonlySet<string>): CheckConfig {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : 1;
    throw new SourceError(file, line, `not valid JSON: ${(e as Error).message}`, { hint: 'fix the JSON, or delete the file to use the default severities' });
  }
  const lineOf = (needle: string) => {
    const i = text.indexOf(needle);
    return i < 0 ? 1 : text.slice(0, i).split('\n').length;
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new SourceError(file, 1, 'the configuration must be a JSON object', { hint: 'write { "rules": { … }, "ignore": [ … ] }' });
  }
  const obj = data as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (k !== 'rules' && k !== 'ignore' && k !== '$schema') {
      throw new SourceError(file, lineOf(`"${k}"`), `unknown key "${k}"`, { hint: 'the keys are "rules" and "ignore"' });
    }
  }
  const rules: Record<string, SeveritySetting> = {};
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== 'object' || obj.rules === null || Array.isArray(obj.rules)) {
      throw new SourceError(file, lineOf('"rules"'), '"rules" must be an object of rule id to severity', { hint: 'e.g. "rules": { "no-clock-passthrough": "warning" }' });
    }
    for (const [id, v] of Object.entries(obj.rules as Record<string, unknown>)) {
      if (!knownRules.has(id)) {
        throw new SourceError(file, lineOf(`"${id}"`), `unknown rule "${id}"`, { hint: 'run `rtems-virt-config list rules` for the ids' });
      }
      if (typeof v !== 'string' || !SETTINGS.has(v)) {
        throw new SourceError(file, lineOf(`"${id}"`), `rule "${id}": severity must be "error", "warning", "info" or "off"`, { hint: 'fix the value' });
      }
      rules[id] = v as SeveritySetting;
    }
  }
  const ignore: string[] = [];
  if (obj.ignore !== undefined) {
    if (!Array.isArray(obj.ignore) || obj.ignore.some((g) => typeof g !== 'string' || g.trim() === '')) {
      throw new SourceError(file, lineOf('"ignore"'), '"ignore" must be an array of non-empty path globs', { hint: 'e.g. "ignore": ["testsuites/**"]' });
    }
    ignore.push(...(obj.ignore as string[]));
  }
  return { file, rules, ignore };
}
