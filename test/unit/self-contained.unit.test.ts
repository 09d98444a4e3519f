/**
 * The repository explains itself: no tracked file points to a file outside the checkout (a
 * relative path such as `../shared/…` that climbs above the repository root, which a clone
 * elsewhere doesn't have) or to an issue number (an issue tracker is not part of a clone). A
 * comment states the fact itself, or points to the file inside the repository that does.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

const ROOT = join(__dirname, '../..');
const SELF = relative(ROOT, __filename).split(sep).join('/');

/**
 * Not prose: the lock file, recorded workflow histories, images, and the eslint config (whose
 * `'../db/*'` are import-specifier patterns, not paths from the file's folder).
 */
const NOT_PROSE = [
  /^package-lock\.json$/,
  /^test\/histories\//,
  /\.(png|jpe?g|gif|ico|webp|woff2?)$/,
  /^eslint\.config\.mjs$/,
];

/** `../` climbing out of the file's folder, up to the name it reaches. */
const RELATIVE_PATH = /(?<![\w.])((?:\.\.\/)+)([\w.-]+)/g;
const ISSUE_NUMBER = /\bissues?\s+#?\d+/gi;

interface Finding {
  readonly line: number;
  readonly text: string;
}

/** The lines of `text` (a file at `path`, relative to the root) that lean on something outside. */
function outsideReferences(path: string, text: string): Finding[] {
  const findings: Finding[] = [];
  text.split('\n').forEach((line, i) => {
    const escapes = [...line.matchAll(RELATIVE_PATH)].some((m) => {
      const target = relative(ROOT, resolve(ROOT, dirname(path), m[1]!, m[2]!));
      return target.startsWith('..') || isAbsolute(target);
    });
    if (escapes || ISSUE_NUMBER.test(line)) findings.push({ line: i + 1, text: line.trim() });
    ISSUE_NUMBER.lastIndex = 0;
  });
  return findings;
}

describe('outsideReferences', () => {
  it('finds a path above the repository root and an issue number, and nothing else', () => {
    const text = [
      "const DOC = join(__dirname, '../../../shared/seeds/doc.md');",
      "import { err } from '../shared/result';",
      'the gateway (issue 7) and Issue #12',
      'ticket #42, the issue second, 10 issues',
    ].join('\n');
    expect(outsideReferences('test/e2e/a.ts', text)).toEqual([
      { line: 1, text: "const DOC = join(__dirname, '../../../shared/seeds/doc.md');" },
      { line: 3, text: 'the gateway (issue 7) and Issue #12' },
    ]);
    expect(outsideReferences('domain/ticket/ticket.ts', text).map((f) => f.line)).toEqual([1, 3]);
    // From the root, one level up is already outside.
    expect(outsideReferences('README.md', 'see ../shared/seeds').map((f) => f.line)).toEqual([1]);
  });
});

describe('every tracked file', () => {
  it('points only inside the repository', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      // This file's own examples of what is refused are not references.
      .filter((f) => f !== '' && f !== SELF && !NOT_PROSE.some((p) => p.test(f)));
    expect(files.length).toBeGreaterThan(100);
    const problems = files.flatMap((file) => {
      let text: string;
      try {
        text = readFileSync(join(ROOT, file), 'utf8');
      } catch {
        return []; // listed but absent in this work tree (deleted, not yet committed)
      }
      return outsideReferences(file, text).map((f) => `${file}:${f.line}: ${f.text}`);
    });
    expect(problems).toEqual([]);
  });
});
