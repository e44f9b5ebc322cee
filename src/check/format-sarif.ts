/**
 * `--format sarif`: SARIF 2.1.0, one run, the rulebook as the driver's
 * rules with their pages as help text, locations relative to %SRCROOT% so
 * GitHub code scanning can map them onto the repository.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { CheckResult, Rule, Severity } from './types.js';

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };

function packageFile(rel: string): string | undefined {
  try {
    return readFileSync(new URL(`../../${rel}`, import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}

function packageVersion(): string {
  const pkg = packageFile('package.json');
  return pkg ? (JSON.parse(pkg) as { version: string }).version : '0.0.0';
}

/** A path relative to the tree root as a relative URI reference. */
function fileUri(rel: string): string {
  return rel.split('/').map(encodeURIComponent).join('/');
}

function ruleDescriptor(rule: Rule): ReportingDescriptor {
  const page = packageFile(rule.meta.docs);
  return {
    id: rule.meta.id,
    name: rule.meta.id.replace(/(^|-)([a-z0-9])/g, (_m, _d, ch: string) => ch.toUpperCase()),
    shortDescription: { text: rule.meta.description },
    fullDescription: { text: `${rule.meta.description} Design discussion: "${rule.meta.discussion}"` },
    help: page ? { text: page, markdown: page } : { text: rule.meta.description },
    defaultConfiguration: { level: LEVEL[rule.meta.severity] },
    properties: { tags: ['rtems', 'paravirtualization'], fixable: rule.meta.fixable, docs: rule.meta.docs },
  };
}

export function toSarif(result: CheckResult, rules: readonly Rule[]): Log {
  const index = new Map(rules.map((r, i) => [r.meta.id, i]));
  const results: Result[] = result.diagnostics.map((d) => {
    const ruleIndex = index.get(d.ruleId);
    return {
      ruleId: d.ruleId,
      ...(ruleIndex !== undefined ? { ruleIndex } : {}),
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: fileUri(d.file), uriBaseId: '%SRCROOT%' },
            region: { startLine: d.line, startColumn: d.column },
          },
        },
      ],
    };
  });
  const version = packageVersion();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'rtems-virt-config',
            version,
            semanticVersion: version,
            rules: rules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(result.tree.root.endsWith('/') ? result.tree.root : `${result.tree.root}/`).href } },
        invocations: [{ executionSuccessful: true }],
        columnKind: 'unicodeCodePoints',
        results,
      },
    ],
  };
}
