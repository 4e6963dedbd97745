import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * lib/media and lib/call also run outside the extension — in the guest call page, a plain web
 * page the signaling server serves (server/guest/, which renders components/call/); lib/export
 * runs in the GIF bench's plain page. Nothing they import, directly or through other modules,
 * may use the extension's APIs: WXT, the browser/chrome globals or the webextension polyfill.
 */
const WEB_SAFE = ['lib/media', 'lib/export', 'lib/call', 'components/call', 'server/guest'];
const EXTENSION_ONLY = /^(wxt($|\/)|webextension-polyfill$|@wxt-dev\/)/;
const EXTENSION_GLOBAL = /(?<![\w.$])(chrome|browser)\s*\.\s*[a-zA-Z]/;

const root = path.resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Code without comments and string contents, so a word in a comment is not a use. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/(['"`])(?:\\.|(?!\1)[^\\\n])*\1/g, "''");
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)].map(
    (m) => m[1] ?? m[2] ?? m[3]!,
  );
}

function resolveLocal(from: string, specifier: string): string | null {
  const base = specifier.startsWith('@/') ? path.join(root, specifier.slice(2)) : path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return /\.tsx?$/.test(candidate) ? candidate : null;
  }
  return null;
}

/** Every violation reachable from `entry`, as "a.ts → b.ts: what". */
export function extensionApiUses(entry: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, trail: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const where = [...trail, path.relative(root, file)].join(' → ');
    const text = readFileSync(file, 'utf8');
    const global = code(text).match(EXTENSION_GLOBAL);
    if (global) problems.push(`${where}: uses ${global[0]}`);
    for (const specifier of importsOf(file)) {
      if (EXTENSION_ONLY.test(specifier)) problems.push(`${where}: imports ${specifier}`);
      else if (specifier.startsWith('.') || specifier.startsWith('@/')) {
        const target = resolveLocal(file, specifier);
        if (target) visit(target, [...trail, path.relative(root, file)]);
      }
    }
  };
  visit(entry, []);
  return problems;
}

describe('code that also runs outside the extension', () => {
  it('lib/media exists and is checked', () => {
    expect(sourceFiles(path.join(root, 'lib/media')).length).toBeGreaterThan(5);
  });

  for (const dir of WEB_SAFE) {
    it(`${dir} uses no extension API, directly or through what it imports`, () => {
      const problems = sourceFiles(path.join(root, dir)).flatMap(extensionApiUses);
      expect([...new Set(problems)]).toEqual([]);
    });
  }

  it('the check itself catches a violation two imports away', () => {
    // lib/recording/permissions.ts imports wxt/browser; lib/recording/coordinator.ts does not,
    // but lib/recording/background.ts reaches wxt through its imports.
    expect(extensionApiUses(path.join(root, 'lib/recording/permissions.ts')).join('\n')).toMatch(/imports wxt\/browser/);
    expect(extensionApiUses(path.join(root, 'lib/recording/background.ts')).join('\n')).toMatch(/→ .*imports wxt/);
    expect(extensionApiUses(path.join(root, 'lib/offscreen/document.ts')).join('\n')).toMatch(/uses chrome\.r/);
  });
});
